"""The page furniture the reader's page shows reads, once selected, as the line that
excerpts recognise and leave out of a quote: one definition serves both."""

from __future__ import annotations

import html
import re

import pytest

from briefreader.core import furniture
from briefreader.core.content import load_briefing
from briefreader.core.locations import bundled_content_dir
from briefreader.core.model import Briefing
from briefreader.core.render import render_theme


@pytest.fixture(scope="module")
def bundled() -> Briefing:
    return load_briefing(bundled_content_dir())


def _as_selected(fragment: str) -> str:
    """What a selection of an HTML line holds: its text, without tags or entities."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


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


def test_the_rendered_page_carries_the_furniture_excerpts_leave_out(bundled: Briefing) -> None:
    for theme in bundled.themes:
        page = render_theme(bundled, theme).html
        shown = {
            _as_selected(line)
            for line in re.findall(r'<p class="(?:attribution|source|part)">.*?</p>', page)
        }
        assert shown
        expected = furniture.furniture_lines(
            [d for d in bundled.documents if any(s.document_id == d.id for s in theme.sections)],
            [s.speaker for s in theme.sections if s.speaker is not None],
            [s.part for s in theme.sections],
        )
        assert shown == expected
