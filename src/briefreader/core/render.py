"""Markdown to HTML that Qt's rich-text engine renders well, sanitised.

Qt's text browser understands a subset of HTML 4: headings, paragraphs, lists, tables and
block quotes render; anchors are ``<a name>``. Python-Markdown does not sanitise, so every
fragment goes through ``core.sanitize`` (nh3 with a short allow-list): no script, no images,
links only to ``http``, ``https`` and ``mailto`` addresses or to anchors within the page.
"""

from __future__ import annotations

import html
import threading
from dataclasses import dataclass

import markdown

from briefreader.core.furniture import (
    EDITORS_NOTE,
    attribution_html,
    editors_note_html,
    part_html,
    responses_html,
    source_html,
)
from briefreader.core.model import Briefing, Section, Theme
from briefreader.core.sanitize import clean_page

_markdown = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
# One converter, kept state and all: pages are rendered on a worker while a theme may be
# printed on another, so one conversion at a time.
_markdown_lock = threading.Lock()


def sanitise(fragment: str) -> str:
    """Strip everything Qt's reader should never see: scripts, handlers, images, bad links."""
    return clean_page(fragment)


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


NOTES_TITLE = "Notes on the text"


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def section_html(section: Section, briefing: Briefing | None = None) -> str:
    """A section as it appears in the reader: anchored heading, body, and who is speaking.

    With the briefing, also the editors' notes on its text, each set apart and marked as the
    editors' (never as the source's words), and for a finding of the threat assessment the
    responses the source ties to it.
    """
    anchor = html.escape(section.anchor, quote=True)
    parts = [
        f'<h2><a name="{anchor}"></a>{_e(section.title)}</h2>',
        markdown_to_html(section.markdown),
    ]
    if section.speaker is not None:
        parts.append(attribution_html(section.speaker))
    if briefing is not None:
        parts += (editors_note_html(note) for note in briefing.notes_for(section.id))
        parts += (sanitise(p) for p in responses_html(briefing, section))
    return "\n".join(parts)


def render_theme(briefing: Briefing, theme: Theme) -> RenderedTheme:
    """The theme as one HTML page, with its table of contents."""
    chunks = [f"<h1>{_e(theme.title)}</h1>"]
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
        chunks.append(section_html(section, briefing))
        toc.append(TocEntry(section.id, section.anchor, section.title, section.part))
    return RenderedTheme(theme.id, "\n".join(chunks), tuple(toc))


def _where(briefing: Briefing, section_id: str) -> str:
    section = briefing.section(section_id)
    if section is None:
        return section_id
    theme = briefing.theme(section.theme_id)
    document = briefing.document(section.document_id)
    title = document.title if document is not None else section.document_id
    return (
        f"{theme.title if theme else section.theme_id} ▸ {section.title} "
        f"({title}, {section.locator})"
    )


def render_notes(briefing: Briefing) -> str:
    """The "Notes on the text" page: every repair, editor's mark and editors' note, in one
    place, so a delegate can see everything the editors did to the sources' words."""
    chunks = [
        f"<h1>{NOTES_TITLE}</h1>",
        "<p>The briefing quotes its two sources word for word. This page lists everything the "
        "editors did to their text, and everything they have to say about it.</p>",
        "<h2>Editor's marks in the text</h2>",
        "<p>Where the extracted text is damaged and the sources cannot repair it, an editor's "
        "mark in square brackets stands in the text. It is shown, searched and copied with the "
        "words, and is not the source's.</p><ul>",
    ]
    for mark in briefing.marks:
        count = _mark_count(briefing, mark.section_id, mark.mark)
        times = f" ({count} times)" if count > 1 else ""
        chunks.append(
            f"<li><b>{_e(mark.mark)}</b>{times} — {_e(_where(briefing, mark.section_id))}: "
            f"{_e(mark.reason)}</li>"
        )
    chunks += [
        "</ul>",
        "<h2>The sources' own errors</h2>",
        "<p>Kept as published; an editors' note under the passage says what is wrong.</p><ul>",
    ]
    for note in briefing.notes:
        chunks.append(
            f"<li>“{_e(note.quote)}” — {_e(_where(briefing, note.section_id))}. "
            f"<b>{EDITORS_NOTE}:</b> {_e(note.note)}</li>"
        )
    chunks += [
        "</ul>",
        "<h2>Repairs of extraction damage</h2>",
        "<p>The text as extracted from each source, and as the briefing has it. Link markup "
        "whose target was no address is removed throughout.</p><ul>",
    ]
    for repair in briefing.repairs:
        document = briefing.document(repair.document_id)
        title = document.title if document is not None else repair.document_id
        damaged = _shown(repair.damaged)
        chunks.append(
            f"<li>{_e(title)}: “{_e(damaged)}” → “{_e(repair.repaired)}” ({_e(repair.reason)})</li>"
        )
    chunks.append("</ul>")
    return sanitise("\n".join(chunks))


def _shown(damaged: str) -> str:
    """Damaged text with its breaks visible: the repair is of the break."""
    return damaged.replace("\n\n", " [page break] ").replace("\n", " [line break] ")


def _mark_count(briefing: Briefing, section_id: str, mark: str) -> int:
    section = briefing.section(section_id)
    return section.text.count(mark) if section is not None else 0


def notes_on_the_text(briefing: Briefing) -> str:
    """The "Notes on the text" page as plain text (``briefreader notes``)."""
    lines = [NOTES_TITLE, "", "Editor's marks in the text (in square brackets; not the source's):"]
    for mark in briefing.marks:
        count = _mark_count(briefing, mark.section_id, mark.mark)
        times = f" ({count} times)" if count > 1 else ""
        lines.append(f"- {mark.mark}{times} — {_where(briefing, mark.section_id)}: {mark.reason}")
    lines += ["", "The sources' own errors, kept as published:"]
    for note in briefing.notes:
        lines.append(
            f"- “{note.quote}” — {_where(briefing, note.section_id)}. {EDITORS_NOTE}: {note.note}"
        )
    lines += ["", "Repairs of extraction damage (as extracted → as the briefing has it):"]
    for repair in briefing.repairs:
        document = briefing.document(repair.document_id)
        title = document.title if document is not None else repair.document_id
        damaged = _shown(repair.damaged)
        lines.append(f"- {title}: “{damaged}” → “{repair.repaired}” ({repair.reason})")
    return "\n".join(lines)
