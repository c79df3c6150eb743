"""The excerpt tray's dock, made empty before the window's first paint (see ``app.py``)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from briefreader.ui.shared.side_dock import SideDock

TRAY_SHORTCUT = "Ctrl+Shift+T"  # show or hide the tray (Ctrl+Shift+E is Go > Text)


class TrayDock(SideDock):
    """The excerpt tray's dock (its place is kept with the window state)."""

    shortcut = TRAY_SHORTCUT

    def __init__(self, panel: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Excerpt Tray", "excerpt-tray", "Excerpt &Tray", panel, parent)
