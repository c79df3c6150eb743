"""The dock a side panel (excerpt tray, key figures) lives in, apart from the panel it holds.

The app makes these docks, empty, before the window's first paint, so that the window's
saved layout puts a panel the reader left open back in its place in the first frame; the
panels themselves, and the SQLite store, export and figure code behind them, come right
after that paint and are set into their docks (see ``app.py``). So this module, and the
features' ``dock`` modules built on it, import nothing but the dock widget.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDockWidget, QWidget

from briefreader.ui.shared.lazy_qt import set_enum_property

if TYPE_CHECKING:
    from PySide6.QtCore import Qt
else:
    from briefreader.ui.shared.lazy_qt import Qt

# Qt::LeftDockWidgetArea | RightDockWidgetArea | BottomDockWidgetArea, as a number: the docks
# are made before the first paint, which sets up none of Qt's enums (lazy_qt.py; a test holds
# the number to Qt's).
SIDE_AREAS = 0x1 | 0x2 | 0x8


class SideDock(QDockWidget):
    """A side panel's dock; its place is kept with the window state under ``object_name``."""

    shortcut = ""

    def __init__(
        self,
        title: str,
        object_name: str,
        toggle_text: str,
        panel: QWidget | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        self.setObjectName(object_name)  # saveState needs a name
        set_enum_property(self, "allowedAreas", SIDE_AREAS)
        self.toggleViewAction().setText(toggle_text)
        if panel is not None:
            self.setWidget(panel)

    @property
    def area(self) -> Qt.DockWidgetArea:
        """Where the panel goes when the saved layout has no place for it."""
        return Qt.DockWidgetArea.RightDockWidgetArea
