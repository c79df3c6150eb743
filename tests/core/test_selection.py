"""A reader's selection: widened to whole words, cut at headings, one excerpt per section."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from briefreader.core.content import load_briefing
from briefreader.core.excerpts import (
    CitationStyle,
    excerpts_from_pieces,
    format_excerpts,
    selection_ranges,
    widen_to_words,
)
from briefreader.core.locations import bundled_content_dir
from briefreader.core.model import Briefing

MINI = Path(__file__).resolve().parent.parent / "data" / "mini"
SENTENCE = "with an average grooming time of just 45 minutes, and 7-10-year-olds’ 87% of 10,000."


@pytest.fixture(scope="module")
def mini() -> Briefing:
    return load_briefing(MINI)


@pytest.fixture(scope="module")
def bundled() -> Briefing:
    return load_briefing(bundled_content_dir())


def _widened(cut_from: str, cut_to: str) -> str:
    """The words a drag from inside ``cut_from`` to inside ``cut_to`` copies."""
    start = SENTENCE.index(cut_from)
    end = SENTENCE.index(cut_to) + len(cut_to)
    low, high = widen_to_words(SENTENCE, start, end)
    return SENTENCE[low:high]


@pytest.mark.parametrize(
    ("cut_from", "cut_to", "expected"),
    [
        ("rage grooming", "time of ju", "average grooming time of just"),
        ("an average", "grooming", "an average grooming"),  # whole already: unchanged
        (" grooming", "time ", " grooming time "),  # starts and ends between words
        ("10-ye", "olds", "7-10-year-olds"),  # the ’ closes the word, not joins
        ("87", "87", "87%"),
        ("0,0", "0,0", "10,000"),
        ("minutes,", "minutes,", "minutes,"),  # a comma after a word is not part of it
    ],
)
def test_a_loose_drag_is_widened_to_whole_words(cut_from: str, cut_to: str, expected: str) -> None:
    assert _widened(cut_from, cut_to) == expected


def test_widening_keeps_inside_the_text() -> None:
    assert widen_to_words("words", 1, 3) == (0, 5)
    assert widen_to_words("words", 3, 1) == (0, 5)
    assert widen_to_words("", 0, 0) == (0, 0)


def test_a_selection_is_cut_at_each_heading_it_covers() -> None:
    headings = [(10, "t/a"), (50, "t/b"), (90, "t/c")]
    assert selection_ranges(20, 40, headings) == [("t/a", 20, 40)]
    assert selection_ranges(20, 95, headings) == [("t/a", 20, 50), ("t/b", 50, 90), ("t/c", 90, 95)]
    # Above the first heading (the theme's title, the "From" line): with the first section.
    assert selection_ranges(0, 60, headings) == [("t/a", 0, 50), ("t/b", 50, 60)]
    assert selection_ranges(0, 5, headings) == []
    assert selection_ranges(60, 70, headings) == [("t/b", 60, 70)]


def test_two_speakers_two_excerpts_each_with_its_own_citation(bundled: Briefing) -> None:
    voices = [s for s in bundled.sections if s.speaker is not None]
    first, second = voices[0], voices[1]
    assert first.speaker is not None and second.speaker is not None
    assert first.speaker.name != second.speaker.name
    # What Qt's selection holds across the two: the end of one statement, its attribution,
    # the next heading (an editors' or the speaker's), the start of the next statement.
    first_words = first.text.split("\n\n")[-1]
    second_words = second.text.split("\n\n")[0]
    pieces = [
        (first.id, f"{first_words}\u2029— {first.speaker.label()}"),
        (second.id, f"{second.title}\u2029{second_words}"),
    ]
    excerpts = excerpts_from_pieces(bundled, pieces)
    assert [e.quote for e in excerpts] == [first_words, second_words]
    assert [len(e.sources) for e in excerpts] == [1, 1]
    assert [e.source.speaker_name for e in excerpts] == [first.speaker.name, second.speaker.name]
    copied = format_excerpts(excerpts, CitationStyle.SHORT)
    blocks = copied.plain.split("\n\n")
    assert len([b for b in blocks if "\n— " in b]) == 2
    assert copied.plain.index(first.speaker.name) < copied.plain.index(second_words[:20])
    assert f"— {first.speaker.name}, in " in copied.plain
    assert f"— {second.speaker.name}, in " in copied.plain
    # A CommonMark reader sees two block quotes, each followed by its own citation.
    rendered = MarkdownIt("commonmark").render(copied.markdown)
    assert rendered.count("<blockquote>") == 2
    assert copied.html.count("<blockquote>") == 2 and copied.html.count("<cite>") == 2


def test_headings_and_cut_furniture_at_the_edges_are_not_quoted(mini: Briefing) -> None:
    section = mini.section("threat-assessment/financial-sexual-extortion")
    assert section is not None
    text = section.text
    # Starts in the middle of the heading, ends in the first words of a "From" line.
    selected = f"sexual extortion\u2029{text}\u2029From Alarming escalation"
    (excerpt,) = excerpts_from_pieces(mini, [(section.id, selected)])
    assert excerpt.quote == text
    # The theme's own title where a selection starts at the top of the page.
    (top,) = excerpts_from_pieces(mini, [(section.id, f"Threat assessment\u2029{text}")])
    assert top.quote == text
    # Only furniture: nothing to cite.
    assert excerpts_from_pieces(mini, [(section.id, "Financial sexual extortion")]) == ()


def test_the_next_block_s_part_line_is_not_quoted(bundled: Briefing) -> None:
    theme = bundled.theme("voices")
    assert theme is not None
    ends = [
        (a, b) for a, b in zip(theme.sections, theme.sections[1:], strict=False) if a.part != b.part
    ]
    assert ends
    last, following = ends[0]
    assert last.speaker is not None
    words = last.text.split("\n\n")[-1]
    cut_part = following.part.split(" ")[0]
    for tail in (following.part, cut_part):
        selected = f"{words}\u2029— {last.speaker.label()}\u2029{tail}"
        (excerpt,) = excerpts_from_pieces(bundled, [(last.id, selected)])
        assert excerpt.quote == words


def test_a_line_of_the_source_that_reads_like_a_heading_stays(bundled: Briefing) -> None:
    # The overview's strategy lists the themes by name: those are the source's words.
    section = bundled.section("overview/strategy")
    assert section is not None
    first = section.text.split("\n\n")[0]
    (excerpt,) = excerpts_from_pieces(bundled, [(section.id, first)])
    assert excerpt.quote.endswith(first)
