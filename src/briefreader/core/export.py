"""The tray as a briefing note: its Markdown and HTML text (no Qt; the UI writes the files).

A note has a title, the date of export, a content note, the excerpts in the tray's order
(each with its short citation, a reference number and the reader's note) and a numbered
list of sources with full citations. One source (a section of a document) gets one number,
however many excerpts quote it.

The HTML is a whole, well-formed document built from escaped text and passed through
``core.sanitize`` (nh3; links only to http, https and mailto addresses or to its own anchors),
and its stylesheet keeps to what Qt's rich-text engine renders, so that the UI can lay the
same HTML out as a PDF (``ui/excerpts/export.py``).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from briefreader.core.excerpts import (
    CitationStyle,
    Excerpt,
    FormattedExcerpt,
    Source,
    excerpt_heading,
    format_excerpt,
    html_citation,
    html_quote,
    markdown_citation,
    markdown_escape,
    markdown_quote,
)
from briefreader.core.sanitize import clean_note
from briefreader.core.tray import TrayItem

DEFAULT_TITLE = "Briefing note"
CONTENT_NOTE = (
    "Content note: this briefing note quotes published material about the sexual abuse and "
    "exploitation of children online. Quotations are reproduced exactly as published and "
    "each is followed by its source; notes are the compiler's own."
)

_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; font-size: 12pt; color: #1a1a1a;
       margin: 2em auto; max-width: 42em; line-height: 1.45; }
h1 { font-size: 20pt; margin-bottom: 0.2em; }
h2 { font-size: 14pt; margin-top: 1.6em; border-bottom: 1px solid #999; }
h3 { font-size: 12pt; margin-top: 1.4em; margin-bottom: 0.3em; }
p.meta { color: #444; margin-top: 0; }
p.content-note { color: #333; font-style: italic; }
blockquote { margin: 0.4em 0 0.4em 1.2em; padding-left: 0.8em; border-left: 3px solid #888; }
p.citation { color: #333; margin-top: 0.2em; }
p.note { margin-top: 0.4em; }
ol.sources li { margin-bottom: 0.4em; }
"""

# For paper, through Qt's rich text (ui/shared/print_layout.py). Its print engine draws no
# border-left on a block quote (the quote read as body text), but draws table-cell borders:
# each quotation is a one-cell table with a rule down its left side, indented. Qt reads
# margins, padding and borders in px only (a pt value was ignored), scaled to the page at
# 96 px to the inch.
_PRINT_CSS = """
body { font-size: 11pt; color: #111111; }
h1 { font-size: 19pt; margin-top: 0px; margin-bottom: 6px; }
h2 { font-size: 13.5pt; margin-top: 20px; margin-bottom: 6px; }
h3 { font-size: 11.5pt; margin-top: 16px; margin-bottom: 5px; }
p { margin-top: 0px; margin-bottom: 5px; }
p.meta { color: #333333; margin-bottom: 8px; }
p.content-note { color: #333333; font-style: italic; font-size: 9.5pt; }
table.quote { margin-left: 14px; margin-top: 2px; margin-bottom: 5px; }
td.quote { border-left: 3px solid #6b6b6b; padding-left: 12px; padding-top: 1px;
           padding-bottom: 1px; }
p.citation { color: #333333; font-size: 9.5pt; margin-left: 14px; }
p.note { margin-left: 14px; }
ol.sources li { margin-bottom: 4px; font-size: 9.5pt; }
a { color: #1a1a1a; text-decoration: none; }
"""


@dataclass(frozen=True, slots=True)
class BriefingNote:
    """What an export needs: the excerpts and notes in order, and words for the heading."""

    items: tuple[tuple[Excerpt, str], ...]  # (excerpt, the reader's note)
    title: str = DEFAULT_TITLE
    subtitle: str = ""  # e.g. the briefing's title
    exported: date | None = None  # today when None
    content_note: str = CONTENT_NOTE
    meeting: str = ""  # what the note is for, as the compiler writes it
    author: str = ""  # who compiled it

    @classmethod
    def from_tray(
        cls,
        items: Sequence[TrayItem],
        *,
        title: str = DEFAULT_TITLE,
        subtitle: str = "",
        meeting: str = "",
        author: str = "",
    ) -> BriefingNote:
        return cls(
            tuple((i.excerpt, i.note) for i in items),
            title=title.strip() or DEFAULT_TITLE,
            subtitle=subtitle,
            meeting=meeting.strip(),
            author=author.strip(),
        )

    def meta_lines(self) -> list[str]:
        """The lines under the title, as plain text: briefing, meeting, author, date."""
        lines = [self.subtitle] if self.subtitle else []
        if self.meeting:
            lines.append(f"For: {self.meeting}")
        if self.author:
            lines.append(f"Prepared by {self.author}")
        lines.append(f"Exported {_long_date(self.day)}")
        return lines

    @property
    def day(self) -> date:
        return self.exported or date.today()

    def sources(self) -> tuple[Source, ...]:
        """Every source once, numbered (from 1) in order of first use."""
        seen: dict[tuple[str, str], Source] = {}
        for excerpt, _note in self.items:
            for source in excerpt.sources:
                seen.setdefault((source.document_id, source.section_id), source)
        return tuple(seen.values())

    def reference_numbers(self, excerpt: Excerpt) -> list[int]:
        keys = [(s.document_id, s.section_id) for s in self.sources()]
        return [keys.index((s.document_id, s.section_id)) + 1 for s in excerpt.sources]


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def to_markdown(note: BriefingNote) -> str:
    """The briefing note as Markdown."""
    lines = [f"# {markdown_escape(note.title)}", ""]
    meta = "  \n".join(markdown_escape(line) for line in note.meta_lines())
    lines += [meta, "", f"*{markdown_escape(note.content_note)}*", ""]
    if not note.items:
        lines += ["The tray was empty: there are no excerpts in this note.", ""]
    else:
        lines += ["## Excerpts", ""]
    for number, (excerpt, remark) in enumerate(note.items, start=1):
        refs = ", ".join(f"\\[{n}\\]" for n in note.reference_numbers(excerpt))
        lines += [
            f"### {number}. {markdown_escape(excerpt_heading(excerpt))}",
            "",
            markdown_quote(excerpt),
            "",
            f"{markdown_citation(excerpt.sources, CitationStyle.SHORT)} {refs}",
            "",
        ]
        if remark.strip():
            paragraphs = [markdown_escape(p) for p in remark.strip().split("\n\n")]
            paragraphs[0] = f"**Note:** {paragraphs[0]}"
            lines += ["\n\n".join(p.replace("\n", "  \n") for p in paragraphs), ""]
    sources = note.sources()
    if sources:
        lines += ["## Sources", ""]
        for number, source in enumerate(sources, start=1):
            lines.append(f"{number}. {_markdown_reference(source)}")
        lines.append("")
    return "\n".join(lines)


def _markdown_reference(source: Source) -> str:
    text = markdown_citation([source], CitationStyle.FULL)
    return text.removeprefix("— ")


def to_html(note: BriefingNote) -> str:
    """The briefing note as a whole HTML document (UTF-8), sanitised."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(note.title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n{html_body(note)}\n</body>\n</html>\n"
    )


def _print_quote(excerpt: Excerpt) -> str:
    """The quotation as a one-cell table whose left border is the rule (see _PRINT_CSS); a
    figure's summary and credit stay above it, outside the quotation, as in ``html_quote``."""
    before, _, rest = html_quote(excerpt).partition("<blockquote>")
    inner = rest.removesuffix("</blockquote>")
    if not inner:
        return before
    return (
        f"{before}"
        '<table class="quote" cellspacing="0" cellpadding="0" width="100%">'
        f'<tr><td class="quote">{inner}</td></tr></table>'
    )


def html_body(note: BriefingNote, *, for_print: bool = False) -> str:
    """The note's content as a sanitised HTML fragment (for the clipboard and, with
    ``for_print``, laid out by Qt for paper: see :func:`print_stylesheet`)."""
    body = [f"<h1>{html.escape(note.title)}</h1>"]
    meta = "<br>".join(html.escape(line) for line in note.meta_lines())
    body += [
        f'<p class="meta">{meta}</p>',
        f'<p class="content-note">{html.escape(note.content_note)}</p>',
    ]
    if not note.items:
        body.append("<p>The tray was empty: there are no excerpts in this note.</p>")
    else:
        body.append("<h2>Excerpts</h2>")
    for number, (excerpt, remark) in enumerate(note.items, start=1):
        refs = ", ".join(
            f'<a href="#source-{n}">[{n}]</a>' for n in note.reference_numbers(excerpt)
        )
        quote = html_quote(excerpt)
        if for_print:
            quote = _print_quote(excerpt)
        body += [
            f"<h3>{number}. {html.escape(excerpt_heading(excerpt))}</h3>",
            quote,
            f'<p class="citation">{html_citation(excerpt.sources, CitationStyle.SHORT)} {refs}</p>',
        ]
        if remark.strip():
            paragraphs = [
                html.escape(p).replace("\n", "<br>") for p in remark.strip().split("\n\n")
            ]
            paragraphs[0] = f"<strong>Note:</strong> {paragraphs[0]}"
            body += [f'<p class="note">{p}</p>' for p in paragraphs]
    sources = note.sources()
    if sources:
        body.append('<h2>Sources</h2>\n<ol class="sources">')
        for number, source in enumerate(sources, start=1):
            line = html_citation([source], CitationStyle.FULL).removeprefix("— ")
            body.append(f'<li id="source-{number}">{line}</li>')
        body.append("</ol>")
    return clean_note("\n".join(body))


def stylesheet() -> str:
    """The note's stylesheet for a web page."""
    return _CSS


def print_stylesheet() -> str:
    """The note's stylesheet for paper (what Qt's rich text renders): see ``_PRINT_CSS``."""
    return _PRINT_CSS


def to_plain(note: BriefingNote) -> str:
    """The excerpts with notes and full citations as plain text (copy the whole tray)."""
    parts = []
    for excerpt, remark in note.items:
        block = format_excerpt(excerpt, CitationStyle.FULL).plain
        if remark.strip():
            block += f"\nNote: {remark.strip()}"
        parts.append(block)
    return "\n\n".join(parts)


def to_clipboard(note: BriefingNote) -> FormattedExcerpt:
    """Everything in the tray for the clipboard: each excerpt with its full citation and note
    as plain text, and the whole note as Markdown and HTML."""
    return FormattedExcerpt(plain=to_plain(note), markdown=to_markdown(note), html=html_body(note))
