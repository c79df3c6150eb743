"""The page furniture: lines the reader's page adds around the source's words.

``core.render`` writes them into each theme page; ``core.excerpts`` recognises them in a
selection, so that an excerpt never quotes our furniture as the source's words. Both take
them from here, so that the two cannot drift apart: each line has a plain-text form (what a
selection of the page holds) and the HTML the page shows, which reads as that text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from briefreader.core.model import Document, Speaker

ATTRIBUTION_DASH = "— "


def attribution_text(speaker: Speaker) -> str:
    """Who is speaking, under a quote: "— Name, Role, Organisation"."""
    return f"{ATTRIBUTION_DASH}{speaker.label()}"


def attribution_html(speaker: Speaker) -> str:
    return f'<p class="attribution">{html.escape(attribution_text(speaker))}</p>'


def source_text(document: Document) -> str:
    """Where a block of sections comes from: "From <title>, <publisher>, <date>"."""
    return f"From {document.title}, {document.publisher}, {document.date_text}"


def source_html(document: Document) -> str:
    return (
        '<p class="source">From '
        f"<i>{html.escape(document.title)}</i>, {html.escape(document.publisher)}, "
        f"{html.escape(document.date_text)}</p>"
    )


def part_text(part: str) -> str:
    """The part of a document a block of sections belongs to, as its own line."""
    return part


def part_html(part: str) -> str:
    return f'<p class="part">{html.escape(part_text(part))}</p>'


def furniture_lines(
    documents: Iterable[Document], speakers: Iterable[Speaker], parts: Iterable[str]
) -> set[str]:
    """The plain-text lines the page may show around these sections' words."""
    lines = {attribution_text(speaker) for speaker in speakers}
    lines.update(part_text(part) for part in parts if part)
    lines.update(source_text(document) for document in documents)
    return lines
