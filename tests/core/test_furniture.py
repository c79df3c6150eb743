"""The page furniture the reader's page shows reads, once selected, as the line that
excerpts recognise and leave out of a quote: one definition serves both."""

from __future__ import annotations

import html
import re

import pytest

from briefreader.core import furniture
from briefreader.core.content import load_briefing
from briefreader.core.excerpts import excerpt_from_selection
from briefreader.core.locations import bundled_content_dir
from briefreader.core.model import Briefing
from briefreader.core.render import render_theme, section_html


@pytest.fixture(scope="module")
def bundled() -> Briefing:
    return load_briefing(bundled_content_dir())


def _as_selected(fragment: str) -> str:
    """What a selection of an HTML line holds: its text, without tags or entities."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def _blocks(fragment: str) -> list[str]:
    """The text blocks of a fragment (paragraphs and list items), as a selection holds them."""
    found = re.findall(r"<(p|li)\b[^>]*>(.*?)</\1>", fragment, flags=re.S)
    return [_as_selected(inner) for _, inner in found]


def test_each_html_line_reads_as_its_plain_text(bundled: Briefing) -> None:
    speakers = [s.speaker for s in bundled.sections if s.speaker is not None]
    assert speakers and bundled.documents
    for speaker in speakers:
        html_line = furniture.attribution_html(speaker)
        assert _as_selected(html_line) == furniture.attribution_text(speaker)
    for document in bundled.documents:
        assert _as_selected(furniture.source_html(document)) == furniture.source_text(document)
    for part in {s.part for s in bundled.sections if s.part}:
        assert _as_selected(furniture.part_html(part)) == furniture.part_text(part)
    assert bundled.notes
    for note in bundled.notes:
        assert _as_selected(furniture.editors_note_html(note)) == furniture.editors_note_text(note)


def test_the_responses_under_a_finding_read_as_their_plain_text(bundled: Briefing) -> None:
    findings = {link.finding_id for link in bundled.links}
    kinds = {link.kind for link in bundled.links}
    assert findings and kinds == {"report", "statement"}
    for finding_id in findings:
        section = bundled.section(finding_id)
        assert section is not None
        shown = [b for part in furniture.responses_html(bundled, section) for b in _blocks(part)]
        assert shown == furniture.responses_text(bundled, section)
        assert shown[0].startswith(furniture.RESPONSES_LEAD)


def test_the_rendered_page_carries_the_furniture_excerpts_leave_out(bundled: Briefing) -> None:
    furniture_block = re.compile(
        r'<(p|li) class="(?:attribution|source|part|editors-note|responses)">(.*?)</\1>', re.S
    )
    seen_notes = seen_responses = False
    for theme in bundled.themes:
        page = render_theme(bundled, theme).html
        shown = {_as_selected(inner) for _, inner in furniture_block.findall(page)}
        assert shown
        expected = furniture.furniture_lines(
            bundled,
            theme.sections,
            [d for d in bundled.documents if any(s.document_id == d.id for s in theme.sections)],
        )
        # A "responses" paragraph holds the lead of its list; the statements' lead is bold
        # inside it, so both read as the furniture's lines.
        assert shown == expected
        seen_notes |= any(line.startswith(furniture.EDITORS_NOTE) for line in shown)
        seen_responses |= any(line.startswith(furniture.RESPONSES_LEAD) for line in shown)
    assert seen_notes and seen_responses


def test_a_selection_over_a_passage_and_all_its_furniture_quotes_only_the_passage(
    bundled: Briefing,
) -> None:
    noted = {note.section_id for note in bundled.notes}
    linked = {link.finding_id for link in bundled.links}
    ids = sorted(noted | linked)
    assert ids
    for section_id in ids:
        section = bundled.section(section_id)
        assert section is not None
        page = section_html(section, bundled)
        selected = "\u2029".join(_blocks(page))  # every paragraph and item, as Qt gives them
        excerpt = excerpt_from_selection(bundled, selected, [section_id])
        assert excerpt is not None
        for line in furniture.furniture_lines(bundled, [section]):
            assert line not in excerpt.quote.split("\n\n"), (section_id, line)
        assert furniture.EDITORS_NOTE not in excerpt.quote
        assert furniture.RESPONSES_LEAD not in excerpt.quote
