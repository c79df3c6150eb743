"""Bookmarks: toggled on and off, listed in reading order, dropped when their section goes."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefreader.core.bookmarks import resolve, toggled
from briefreader.core.content import load_briefing
from briefreader.core.model import Briefing

MINI = Path(__file__).resolve().parent.parent / "data" / "mini"

BEAUCHERE = "voices/jacqueline-beauchere"
EXTORTION = "threat-assessment/financial-sexual-extortion"


@pytest.fixture
def mini_briefing() -> Briefing:
    return load_briefing(MINI)


def test_toggling_adds_then_removes() -> None:
    ids, now = toggled([], BEAUCHERE)
    assert (ids, now) == ([BEAUCHERE], True)
    ids, now = toggled([*ids, EXTORTION], BEAUCHERE)
    assert (ids, now) == ([EXTORTION], False)


def test_bookmarks_are_listed_in_reading_order_with_their_headings(
    mini_briefing: Briefing,
) -> None:
    resolved = resolve(mini_briefing, [BEAUCHERE, EXTORTION])
    assert resolved.ids == [EXTORTION, BEAUCHERE]
    assert [(b.title, b.theme_title) for b in resolved.bookmarks] == [
        ("Financial sexual extortion", "Threat assessment"),
        ("Jacqueline Beauchere - Global Head of Platform Safety at Snap Inc", "Voices"),
    ]
    assert resolved.dropped == ()


def test_a_bookmark_whose_section_has_gone_is_dropped(mini_briefing: Briefing) -> None:
    resolved = resolve(
        mini_briefing, ["voices/someone-removed", BEAUCHERE, "voices/someone-removed"]
    )
    assert resolved.ids == [BEAUCHERE]
    assert resolved.dropped == ("voices/someone-removed",)
