"""The key figures' dock, made empty before the window's first paint (see ``app.py``)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from briefreader.ui.shared.side_dock import SideDock

# Free in the window and the excerpt actions. Not Ctrl+Shift+G: on Linux that is Qt's
# standard Find Previous, which the Edit menu already binds.
FIGURES_SHORTCUT = "Ctrl+Shift+K"


class FiguresDock(SideDock):
    """The key figures' dock (its place is kept with the window state)."""

    shortcut = FIGURES_SHORTCUT

    def __init__(self, panel: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Key Figures", "key-figures", "&Key Figures", panel, parent)
        self.toggleViewAction().setStatusTip("Show or hide the briefing's headline figures")
