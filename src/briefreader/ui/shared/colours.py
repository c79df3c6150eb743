"""The colours of marked words: the one place they are spelled.

Search matches in the results' snippets and highlights in the reader use the same marks, so
that a word found in a snippet looks the same when the reader lands on it. Each pair is
(background, text), chosen for contrast on the light and the dark palette.
"""

from __future__ import annotations

from typing import NamedTuple


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
