"""Markdown to HTML that Qt's rich-text engine renders well, sanitised.

Qt's text browser understands a subset of HTML 4: headings, paragraphs, lists, tables and
block quotes render; anchors are ``<a name>``. Python-Markdown does not sanitise, so every
fragment goes through ``core.sanitize`` (nh3 with a short allow-list): no script, no images,
links only to ``http``, ``https`` and ``mailto`` addresses or to anchors within the page.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import markdown

from briefreader.core.furniture import attribution_html, part_html, source_html
from briefreader.core.model import Briefing, Section, Theme
from briefreader.core.sanitize import clean_page

_markdown = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")


def sanitise(fragment: str) -> str:
    """Strip everything Qt's reader should never see: scripts, handlers, images, bad links."""
    return clean_page(fragment)


def markdown_to_html(text: str) -> str:
    """One Markdown fragment as sanitised HTML."""
    _markdown.reset()
    return sanitise(_markdown.convert(text))


@dataclass(frozen=True, slots=True)
class TocEntry:
    section_id: str
    anchor: str
    title: str
    part: str


@dataclass(frozen=True, slots=True)
class RenderedTheme:
    theme_id: str
    html: str
    toc: tuple[TocEntry, ...]


def section_html(section: Section) -> str:
    """A section as it appears in the reader: anchored heading, body, and who is speaking."""
    anchor = html.escape(section.anchor, quote=True)
    parts = [
        f'<h2><a name="{anchor}"></a>{html.escape(section.title)}</h2>',
        markdown_to_html(section.markdown),
    ]
    if section.speaker is not None:
        parts.append(attribution_html(section.speaker))
    return "\n".join(parts)


def render_theme(briefing: Briefing, theme: Theme) -> RenderedTheme:
    """The theme as one HTML page, with its table of contents."""
    chunks = [f"<h1>{html.escape(theme.title)}</h1>"]
    toc: list[TocEntry] = []
    current: tuple[str, str] | None = None
    for section in theme.sections:
        block = (section.part, section.document_id)
        if block != current:
            current = block
            if section.part:
                chunks.append(part_html(section.part))
            document = briefing.document(section.document_id)
            if document is not None:
                chunks.append(source_html(document))
        chunks.append(section_html(section))
        toc.append(TocEntry(section.id, section.anchor, section.title, section.part))
    return RenderedTheme(theme.id, "\n".join(chunks), tuple(toc))
