"""The dock a side panel (excerpt tray, key figures) lives in, apart from the panel it holds.

The app makes these docks, empty, before the window's first paint, so that the window's
saved layout puts a panel the reader left open back in its place in the first frame; the
panels themselves, and the SQLite store, export and figure code behind them, come right
after that paint and are set into their docks (see ``app.py``). So this module, and the
features' ``dock`` modules built on it, import nothing but the dock widget.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QWidget

SIDE_AREAS = (
    Qt.DockWidgetArea.RightDockWidgetArea
    | Qt.DockWidgetArea.LeftDockWidgetArea
    | Qt.DockWidgetArea.BottomDockWidgetArea
)


class SideDock(QDockWidget):
    """A side panel's dock; its place is kept with the window state under ``object_name``."""

    area = Qt.DockWidgetArea.RightDockWidgetArea
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
        self.setAllowedAreas(SIDE_AREAS)
        self.toggleViewAction().setText(toggle_text)
        if panel is not None:
            self.setWidget(panel)
