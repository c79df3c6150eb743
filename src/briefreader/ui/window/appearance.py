"""Light or dark, following the system unless the reader chooses.

Qt's ``styleHints().setColorScheme`` does not change the palette on every platform (it does
nothing offscreen), so a scheme that differs from the system's is applied with the Fusion
style and a palette of our own; following the system again restores the platform's style
and palette.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    pass


def _palette(colours: dict[QPalette.ColorRole, str], disabled_text: str) -> QPalette:
    from PySide6.QtGui import QColor

    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled_text))
    return palette


_R = QPalette.ColorRole


def dark_palette() -> QPalette:
    return _palette(
        {
            _R.Window: "#202225",
            _R.WindowText: "#e3e5e8",
            _R.Base: "#17181b",
            _R.AlternateBase: "#25272b",
            _R.Text: "#e6e6e6",
            _R.Button: "#2c2f33",
            _R.ButtonText: "#e3e5e8",
            _R.BrightText: "#ffffff",
            _R.Highlight: "#3b6db3",
            _R.HighlightedText: "#ffffff",
            _R.Link: "#8ab4f8",
            _R.LinkVisited: "#c58af9",
            _R.ToolTipBase: "#2c2f33",
            _R.ToolTipText: "#e3e5e8",
            _R.PlaceholderText: "#9aa0a6",
            _R.Light: "#3a3d42",
            _R.Midlight: "#33363b",
            _R.Mid: "#3f4349",
            _R.Dark: "#141517",
            _R.Shadow: "#000000",
        },
        "#7a7f86",
    )


def light_palette() -> QPalette:
    return _palette(
        {
            _R.Window: "#f3f3f3",
            _R.WindowText: "#1f2328",
            _R.Base: "#ffffff",
            _R.AlternateBase: "#f6f8fa",
            _R.Text: "#1f2328",
            _R.Button: "#ececec",
            _R.ButtonText: "#1f2328",
            _R.BrightText: "#ffffff",
            _R.Highlight: "#2f6fbf",
            _R.HighlightedText: "#ffffff",
            _R.Link: "#1a5fb4",
            _R.LinkVisited: "#6f42c1",
            _R.ToolTipBase: "#ffffdc",
            _R.ToolTipText: "#1f2328",
            _R.PlaceholderText: "#6a737d",
            _R.Light: "#ffffff",
            _R.Midlight: "#e3e3e3",
            _R.Mid: "#c8c8c8",
            _R.Dark: "#a0a0a0",
            _R.Shadow: "#505050",
        },
        "#8c959f",
    )


class Appearance(QObject):
    """The chosen appearance ("system", "light" or "dark") applied to the application."""

    changed = Signal(bool)  # whether the reader is now dark

    def __init__(self, app: QApplication, choice: str = "system") -> None:
        super().__init__(app)
        self._app = app
        # The platform's style is read when a scheme of our own replaces it, not now: the
        # first use of QStyle takes time the window's first paint should not wait for.
        self._system_style = ""
        self._system_palette = QPalette(app.palette())
        self._choice = choice
        self._dark = False
        self._forced = False
        app.styleHints().colorSchemeChanged.connect(self._on_system_changed)
        self.apply()

    @property
    def choice(self) -> str:
        return self._choice

    @property
    def dark(self) -> bool:
        return self._dark

    def system_is_dark(self) -> bool:
        scheme = self._app.styleHints().colorScheme()
        if scheme == Qt.ColorScheme.Dark:
            return True
        if scheme == Qt.ColorScheme.Light:
            return False
        return self._system_palette.color(QPalette.ColorRole.Window).lightness() < 128

    def set_choice(self, choice: str) -> None:
        if choice not in ("system", "light", "dark"):
            raise ValueError(f"appearance must be system, light or dark, not {choice!r}")
        self._choice = choice
        self.apply()

    def apply(self) -> None:
        system_dark = self.system_is_dark()
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

    @Slot(Qt.ColorScheme)
    def _on_system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if not self._forced:
            self._system_palette = QPalette(self._app.palette())
        self.apply()
