"""Every colour the app spells: the light and dark palettes, and the marks on found words.

Widgets take their colours from the palette when they paint, never from a stylesheet or a
colour baked into rich text once: a widget stylesheet (even one saying ``palette(base)``)
freezes the palette of the widget and every widget under it, so a switch between light and
dark (Ctrl+Shift+D) left the search panel in the old colours until a restart (measured:
a panel with a stylesheet kept the old Base colour after ``QApplication.setPalette``, one
switch behind). Rich text made from palette colours (the results' snippets) is made again
when the palette changes.

Search matches in the results' snippets and highlights in the reader use the same marks, so
that a word found in a snippet looks the same when the reader lands on it. Each pair is
(background, text), chosen for contrast on the light and the dark palette.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtGui import QColor, QPalette


class Mark(NamedTuple):
    background: str
    text: str


MARK_LIGHT = Mark("#fde68a", "#1f2328")
MARK_DARK = Mark("#6b5a12", "#fff8d6")
# The highlight the reader is on (F3 moves it): stronger than the others.
CURRENT_MARK_LIGHT = Mark("#f59e0b", "#111111")
CURRENT_MARK_DARK = Mark("#e0a526", "#14110a")


def mark(dark: bool) -> Mark:
    return MARK_DARK if dark else MARK_LIGHT


def current_mark(dark: bool) -> Mark:
    return CURRENT_MARK_DARK if dark else CURRENT_MARK_LIGHT


def is_dark(palette: QPalette) -> bool:
    """Whether a palette is a dark one (its base, where text is read, is dark)."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


_R = QPalette.ColorRole

DARK = {
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
}
DARK_DISABLED_TEXT = "#7a7f86"

LIGHT = {
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
}
LIGHT_DISABLED_TEXT = "#8c959f"


def _palette(colours: dict[QPalette.ColorRole, str], disabled_text: str) -> QPalette:
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (_R.WindowText, _R.Text, _R.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled_text))
    return palette


def dark_palette() -> QPalette:
    return _palette(DARK, DARK_DISABLED_TEXT)


def light_palette() -> QPalette:
    return _palette(LIGHT, LIGHT_DISABLED_TEXT)


def blend(front: QColor, back: QColor, amount: float) -> QColor:
    """``amount`` of ``front`` over ``back``: a softer shade of a palette colour."""
    return QColor(
        round(front.red() * amount + back.red() * (1 - amount)),
        round(front.green() * amount + back.green() * (1 - amount)),
        round(front.blue() * amount + back.blue() * (1 - amount)),
    )
