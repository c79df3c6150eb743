"""Light or dark, following the system unless the reader chooses.

Qt's ``styleHints().setColorScheme`` does not change the palette on every platform (it does
nothing offscreen), so a scheme that differs from the system's is applied with the Fusion
style and a palette of our own; following the system again restores the platform's style
and palette.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from briefreader.ui.shared.colours import dark_palette, light_palette

if TYPE_CHECKING:
    from PySide6.QtCore import Qt
else:
    from briefreader.ui.shared.lazy_qt import Qt

__all__ = ["Appearance", "dark_palette", "light_palette"]


class Appearance(QObject):
    """The chosen appearance ("system", "light" or "dark") applied to the application."""

    changed = Signal(bool)  # whether the reader is now dark

    def __init__(self, app: QApplication, choice: str = "system") -> None:
        super().__init__(app)
        self._app = app
        # The platform's style is read when a scheme of our own replaces it, not now: the
        # first use of QStyle takes time the window's first paint should not wait for.
        self._system_style = ""
        # palette() returns a copy; QPalette(palette) would set up Qt's enums (lazy_qt.py)
        self._system_palette = app.palette()
        self._choice = choice
        self._dark = False
        self._forced = False
        # The system's colour scheme is read, and followed, from watch_system() on (a start-up
        # step after the first paint): reading it sets up Qt's enums and style hints, which
        # the first frame does without (ui/shared/lazy_qt.py). Until then the platform's
        # palette tells: the scheme's own palette where the platform gives one.
        self._watching = False
        self.apply()

    def watch_system(self) -> None:
        """Follow the system's colour scheme from now on (once; later calls do nothing)."""
        if self._watching:
            return
        self._watching = True
        self._app.styleHints().colorSchemeChanged.connect(self._on_system_changed)
        self.apply()

    @property
    def choice(self) -> str:
        return self._choice

    @property
    def dark(self) -> bool:
        return self._dark

    def system_is_dark(self) -> bool:
        """Whether the system's colour scheme is dark (its palette's, if it has none)."""
        scheme = self._app.styleHints().colorScheme()
        if scheme == Qt.ColorScheme.Dark:
            return True
        if scheme == Qt.ColorScheme.Light:
            return False
        return self._palette_is_dark()

    def _palette_is_dark(self) -> bool:
        return self._system_palette.color(QPalette.ColorRole.Window).lightness() < 128

    def set_choice(self, choice: str) -> None:
        if choice not in ("system", "light", "dark"):
            raise ValueError(f"appearance must be system, light or dark, not {choice!r}")
        self._choice = choice
        self.apply()

    def apply(self) -> None:
        system_dark = self.system_is_dark() if self._watching else self._palette_is_dark()
        dark = system_dark if self._choice == "system" else self._choice == "dark"
        if dark != system_dark:
            if not self._forced:
                self._system_style = self._app.style().name()
            self._app.setStyle("Fusion")
            self._app.setPalette(dark_palette() if dark else light_palette())
            self._forced = True
        elif self._forced:
            self._app.setStyle(self._system_style)
            self._app.setPalette(self._system_palette)
            self._forced = False
        was = self._dark
        self._dark = dark
        if dark != was:
            self.changed.emit(dark)

    @Slot()
    def _on_system_changed(self) -> None:
        if not self._forced:
            self._system_palette = self._app.palette()
        self.apply()
