"""Markdown to HTML that Qt's rich-text engine renders well, sanitised with nh3.

Qt's text browser understands a subset of HTML 4: headings, paragraphs, lists, tables and
block quotes render; anchors are ``<a name>``. Python-Markdown does not sanitise, so every
fragment goes through nh3 with a short allow-list: no script, no images, links only to
``https://`` addresses or to anchors within the page.
"""

from __future__ import annotations

import html
import threading
from dataclasses import dataclass

import markdown
import nh3

from briefreader.core.furniture import attribution_html, part_html, source_html
from briefreader.core.model import Briefing, Section, Theme

_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "a", "blockquote", "ul", "ol", "li",
    "strong", "em", "b", "i", "table", "thead", "tbody", "tr", "th", "td", "br", "hr",
    "span", "div", "code", "pre", "cite", "sup", "sub",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "name", "title"},
    "th": {"align"},
    "td": {"align"},
    "*": {"class"},
}


def _keep_safe_links(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "href":
        return value if value.startswith(("#", "https://")) else None
    return value


_markdown = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
# One converter, kept state and all: pages are rendered on a worker while a theme may be
# printed on another, so one conversion at a time.
_markdown_lock = threading.Lock()


def sanitise(fragment: str) -> str:
    """Strip everything Qt's reader should never see: scripts, handlers, images, bad links."""
    return nh3.clean(
        fragment,
        tags=_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_ATTRIBUTES,
        attribute_filter=_keep_safe_links,
        url_schemes={"https"},
        link_rel=None,
    )


def markdown_to_html(text: str) -> str:
    """One Markdown fragment as sanitised HTML."""
    with _markdown_lock:
        _markdown.reset()
        converted = _markdown.convert(text)
    return sanitise(converted)


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
