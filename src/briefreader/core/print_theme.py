"""A theme as a printed page: the reader's page with its citations, laid out for paper (no Qt).

What is printed is what the reader shows: the theme's sections under the source's own
headings, each block of them under the line naming its document, publisher and date ("From
…", ``core.furniture``), each statement with its speaker. Around it the print adds only what
a page on its own needs and says whose it is: the briefing's title and the date printed under
the theme's title, and at the end the documents quoted, with their addresses. Nothing is
presented as a heading of the source's that the source does not have: the list of documents
is headed by a plain line, not a heading.

The UI lays the HTML out with Qt's rich text (``ui/shared/print_layout.py``), which draws no
border on a block quote: quotations become one-cell tables with a rule down the left, as in
the briefing note.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date

from briefreader.core.furniture import part_text, source_text
from briefreader.core.model import Briefing, Document, Theme

DOCUMENTS_LINE = "Documents quoted in this theme"

PRINT_CSS = """
body { font-size: 11pt; color: #111111; }
h1 { font-size: 19pt; margin-top: 0px; margin-bottom: 4px; }
h2 { font-size: 13pt; margin-top: 16px; margin-bottom: 5px; }
h3 { font-size: 11.5pt; margin-top: 12px; margin-bottom: 4px; }
p, li { margin-top: 0px; margin-bottom: 6px; }
p.meta { color: #333333; font-size: 9.5pt; margin-bottom: 10px; }
p.part { font-size: 9pt; font-weight: 700; color: #444444; margin-top: 22px;
         margin-bottom: 0px; }
p.source { font-size: 9.5pt; color: #333333; margin-top: 2px; margin-bottom: 4px; }
p.attribution { font-weight: 600; color: #333333; margin-left: 14px; }
table.quote { margin-left: 14px; margin-top: 2px; margin-bottom: 6px; }
td.quote { border-left: 3px solid #6b6b6b; padding-left: 12px; }
p.documents { font-weight: 700; margin-top: 22px; }
ol.documents li { font-size: 9.5pt; margin-bottom: 4px; }
a { color: #1a1a1a; text-decoration: none; }
th, td { padding: 2px 6px; }
"""

_BLOCKQUOTE_OPEN = re.compile(r"<blockquote(\s[^>]*)?>")
_QUOTE_TABLE = (
    '<table class="quote" cellspacing="0" cellpadding="0" width="100%"><tr><td class="quote">'
)


@dataclass(frozen=True, slots=True)
class PrintedTheme:
    """A theme ready for the printer: its HTML, and what the layout must keep together."""

    theme_id: str
    title: str  # "Theme — Briefing", for the PDF's title and the page footer
    html: str
    keep_with_next: frozenset[str]  # lines that must not end a page (source and part lines)


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def quotes_as_tables(fragment: str) -> str:
    """Block quotes as one-cell tables with a rule: Qt's print engine draws the table's
    border but not a block quote's."""
    fragment = _BLOCKQUOTE_OPEN.sub(_QUOTE_TABLE, fragment)
    return fragment.replace("</blockquote>", "</td></tr></table>")


def _documents(briefing: Briefing, theme: Theme) -> list[Document]:
    seen: list[Document] = []
    for section in theme.sections:
        document = briefing.document(section.document_id)
        if document is not None and document not in seen:
            seen.append(document)
    return seen


def theme_print_html(briefing: Briefing, theme: Theme, printed: date | None = None) -> PrintedTheme:
    """The theme's page for print, with the citations on it."""
    from briefreader.core.render import render_theme  # Python-Markdown: only when printing

    page = render_theme(briefing, theme).html
    day = printed or date.today()
    meta = (
        f'<p class="meta">{html.escape(briefing.title)}<br>'
        f"Printed from BriefReader on {html.escape(_long_date(day))}. The text is the "
        "sources' own; each block is headed by the document it comes from.</p>"
    )
    head, found, rest = page.partition("</h1>")
    page = f"{head}{found}{meta}{rest}" if found else meta + page
    documents = _documents(briefing, theme)
    if documents:
        items = []
        for document in documents:
            line = (
                f"<i>{html.escape(document.title)}</i>, {html.escape(document.publisher)}, "
                f"{html.escape(document.date_text)}"
            )
            if document.url:
                address = html.escape(document.url, quote=True)
                line += f', <a href="{address}">{address}</a>'
            items.append(f"<li>{line}</li>")
        page += (
            f'\n<p class="documents">{DOCUMENTS_LINE}</p>\n'
            f'<ol class="documents">{"".join(items)}</ol>'
        )
    keep = {source_text(d) for d in documents}
    keep |= {part_text(s.part) for s in theme.sections if s.part}
    keep.add(DOCUMENTS_LINE)
    return PrintedTheme(
        theme_id=theme.id,
        title=f"{theme.title} — {briefing.title}",
        html=quotes_as_tables(page),
        keep_with_next=frozenset(" ".join(k.split()) for k in keep),
    )
