"""A theme laid out for print: the reader's page with its citations, and quotes as tables."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from briefreader.core.content import load_briefing
from briefreader.core.furniture import source_text
from briefreader.core.print_theme import DOCUMENTS_LINE, quotes_as_tables, theme_print_html

MINI = Path(__file__).resolve().parent.parent / "data" / "mini"


def test_the_printed_theme_names_its_sources_on_the_page() -> None:
    briefing = load_briefing(MINI)
    theme = briefing.theme("voices")
    assert theme is not None
    page = theme_print_html(briefing, theme, printed=date(2024, 3, 5))
    document = briefing.document(theme.sections[0].document_id)
    assert document is not None
    assert page.title == f"Voices — {briefing.title}"
    assert "<h1>Voices</h1>" in page.html
    assert "Printed from BriefReader on 5 March 2024" in page.html
    # The block's source line (document, publisher, date) and the section's own heading.
    assert f"<i>{document.title}</i>, {document.publisher}, {document.date_text}" in page.html
    assert ">Jacqueline Beauchere - Global Head of Platform Safety at Snap Inc</h2>" in page.html
    assert "Technology companies" in page.keep_with_next  # the part line
    # The list of documents is a plain line, not a heading the source does not have.
    assert f'<p class="documents">{DOCUMENTS_LINE}</p>' in page.html
    assert source_text(document) in page.keep_with_next
    assert DOCUMENTS_LINE in page.keep_with_next
    # A quotation is a one-cell table: Qt's print engine draws its rule.
    assert "<blockquote" not in page.html


def test_block_quotes_become_tables() -> None:
    html = quotes_as_tables('<blockquote class="x"><p>a</p></blockquote><p>b</p>')
    assert html == (
        '<table class="quote" cellspacing="0" cellpadding="0" width="100%"><tr>'
        '<td class="quote"><p>a</p></td></tr></table><p>b</p>'
    )
