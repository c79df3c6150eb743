"""The side panels' docks (excerpt tray, key figures), apart from the panels they hold.

The app makes these docks, empty, before the window's first paint, so that the window's
saved layout puts a panel the delegate left open back in its place in the first frame; the
panels themselves (and the SQLite store, export and figure code behind them, ~35 ms of
imports) come right after that paint and are set into their docks (see ``app.py``). This
module therefore imports nothing but the dock widget.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QWidget

TRAY_SHORTCUT = "Ctrl+Shift+T"  # show or hide the tray (Ctrl+Shift+E is Go > Text)
# Free in the window and the excerpt actions. Not Ctrl+Shift+G: on Linux that is Qt's
# standard Find Previous, which the Edit menu already binds.
FIGURES_SHORTCUT = "Ctrl+Shift+K"

_SIDE_AREAS = (
    Qt.DockWidgetArea.RightDockWidgetArea
    | Qt.DockWidgetArea.LeftDockWidgetArea
    | Qt.DockWidgetArea.BottomDockWidgetArea
)


class TrayDock(QDockWidget):
    """The excerpt tray's dock (its place is kept with the window state)."""

    area = Qt.DockWidgetArea.RightDockWidgetArea
    shortcut = TRAY_SHORTCUT

    def __init__(self, panel: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Excerpt Tray", parent)
        self.setObjectName("excerpt-tray")  # saveState needs a name
        self.setAllowedAreas(_SIDE_AREAS)
        self.toggleViewAction().setText("Excerpt &Tray")
        if panel is not None:
            self.setWidget(panel)


class FiguresDock(QDockWidget):
    """The key figures' dock (its place is kept with the window state)."""

    area = Qt.DockWidgetArea.RightDockWidgetArea
    shortcut = FIGURES_SHORTCUT

    def __init__(self, panel: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Key Figures", parent)
        self.setObjectName("key-figures")  # saveState needs a name
        self.setAllowedAreas(_SIDE_AREAS)
        self.toggleViewAction().setText("&Key Figures")
        self.toggleViewAction().setStatusTip("Show or hide the briefing's headline figures")
        if panel is not None:
            self.setWidget(panel)
