"""How a tray item reads: lists as lists, a figure's summary and credit outside its quote,
an editors' label marked as ours and never in quotation marks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from briefreader.core.content import load_briefing
from briefreader.core.excerpts import (
    EDITORS_LABEL,
    excerpt_from_figure,
    excerpt_from_section,
    excerpt_from_selection,
)
from briefreader.core.locations import bundled_content_dir
from briefreader.core.model import Briefing, HeadingKind
from briefreader.core.tray import TrayStore
from briefreader.ui.excerpts.tray_model import Role, TrayModel
from briefreader.ui.excerpts.tray_widgets import TrayList, quote_html


@pytest.fixture(scope="module")
def bundled() -> Briefing:
    return load_briefing(bundled_content_dir())


@pytest.fixture
def tray(qtbot: QtBot, data_dir: Path) -> Iterator[TrayList]:
    store = TrayStore.open(data_dir)
    view = TrayList()
    view.setModel(TrayModel(store))
    qtbot.addWidget(view)
    view.resize(420, 600)
    view.show()
    yield view
    store.close()


def drawn(view: TrayList, row: int) -> QTextDocument:
    """The rich text the tray's delegate lays out for a row."""
    delegate = view.itemDelegate()
    model = view.model()
    document: QTextDocument = delegate._document(model.index(row, 0), 400)  # type: ignore[attr-defined]
    return document


def model_of(view: TrayList) -> TrayModel:
    model = view.model()
    assert isinstance(model, TrayModel)
    return model


def test_a_list_is_shown_as_a_list(tray: TrayList, bundled: Briefing) -> None:
    section = bundled.section("advocacy/emerging-threats")
    assert section is not None and len(section.list_items) >= 2
    first, second = (" ".join(i.split()) for i in section.list_items[:2])
    # Two items as a selection holds them: one block each.
    excerpt = excerpt_from_selection(bundled, f"{first}\u2029{second}", [section.id])
    assert excerpt is not None and excerpt.quote == f"- {first}\n- {second}"
    model_of(tray).add_excerpt(excerpt)
    document = drawn(tray, 0)
    html = document.toHtml()
    assert html.count("<li") == 2
    list_blocks = []
    block = document.begin()
    while block.isValid():
        if block.textList() is not None:
            list_blocks.append(block.text())
        block = block.next()
    assert list_blocks[0].startswith(f"“{first[:20]}") and list_blocks[1].startswith(second[:20])


def test_quote_html_keeps_items_and_paragraphs() -> None:
    html = quote_html("Highlights included:\n\n- one item\n- another & more\n\nAfter.", 500)
    assert html == (
        "<p>“Highlights included:</p><ul><li>“one item</li><li>another &amp; more</li></ul>"
        "<p>“After.”</p>"
    )
    cut = quote_html("word " * 100, 40)
    assert cut.endswith(" …”</p>") and cut.count("“") == 1


def test_a_figure_shows_its_summary_and_credit_outside_its_quote(
    tray: TrayList, bundled: Briefing
) -> None:
    figure = next(f for f in bundled.figures if f.speaker)
    excerpt = excerpt_from_figure(bundled, figure)
    assert excerpt is not None
    model_of(tray).add_excerpt(excerpt)
    text = drawn(tray, 0).toPlainText()
    heading, credit, quote = text.split("\n")[:3]
    assert heading == f"Figure: {figure.summary()}"
    assert credit == f"Source: {figure.source}"
    assert quote.startswith("“") and figure.value in quote
    # A screen reader hears a short name, then the whole item as its description.
    item = model_of(tray).index(0, 0)
    name = item.data(Qt.ItemDataRole.AccessibleTextRole)
    assert len(name) < 120 and f"({figure.speaker})" in name
    spoken = item.data(Qt.ItemDataRole.AccessibleDescriptionRole)
    assert spoken.startswith(f"Figure: {figure.summary()}. Source: {figure.source}. “")
    assert f"— {figure.speaker}" in spoken  # the citation names who said it


def test_an_editors_label_is_marked_as_ours_and_never_quoted(
    tray: TrayList, bundled: Briefing
) -> None:
    section = next(
        s
        for s in bundled.sections
        if s.heading_kind == HeadingKind.EDITORS and not s.speaker and s.title not in s.text
    )
    model_of(tray).add_excerpt(excerpt_from_section(bundled, section))
    text = drawn(tray, 0).toPlainText()
    assert text.split("\n")[0].endswith(f"{section.title} ({EDITORS_LABEL})")
    assert f"“{section.title}" not in text
    assert model_of(tray).index(0, 0).data(Role.HEADING).endswith(f"({EDITORS_LABEL})")
