"""What the reader had open, put back at start and saved on close.

The window's size and place, its panels (``QMainWindow.saveState``: a panel added after the
state is restored is put back in its place when it is added), the contents' width, the open
tab, each tab's reading position and the text size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefreader.ui.shared.settings import AppSettings

if TYPE_CHECKING:
    from briefreader.ui.window.main_window import MainWindow


class Session:
    """Restores and saves one window's session in its settings."""

    def __init__(self, window: MainWindow, settings: AppSettings) -> None:
        self._window = window
        self._settings = settings
        self.layout_restored = False

    def restore(self) -> None:
        window, settings = self._window, self._settings
        geometry = settings.geometry
        if not geometry.isEmpty():
            window.restoreGeometry(geometry)
        state = settings.window_state
        if not state.isEmpty():
            self.layout_restored = window.restoreState(state)
        window.place_docks()  # before the first frame, where the state puts them
        window.reading.restore(settings.splitter, settings.tab)

    def save(self) -> None:
        window, settings = self._window, self._settings
        settings.geometry = window.saveGeometry()
        settings.window_state = window.saveState()
        window.reading.save()
        settings.sync()
