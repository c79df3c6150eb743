"""Search that answers, in the real window: figure cards, synonyms said, the theme filter
stated, more results, and marks from the current query only."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from briefreader.core.model import Briefing
from briefreader.core.search.results import Hit, SearchResult
from briefreader.ui.excerpts.feature import ExcerptFeature
from briefreader.ui.search.answer_cards import AnswerCard
from briefreader.ui.search.results_model import ResultDelegate, ResultsModel
from briefreader.ui.search.results_panel import only_typed, quoted
from briefreader.ui.shared.settings import AppSettings
from briefreader.ui.window.main_window import MainWindow
from helpers.searching import type_search

WindowFactory = Callable[..., MainWindow]
QUESTION = "how many reports of child sexual abuse material"


def _complete(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.is_complete, timeout=20000)


def test_a_typed_question_shows_its_answer_first(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    result = type_search(qtbot, window, QUESTION)
    panel = window.results_panel
    assert panel.current_hit() is not None
    assert panel.current_hit().id == "threat-assessment/alarming-escalation"  # type: ignore[union-attr]
    cards = panel.answers.cards
    assert panel.answers.isVisibleTo(panel) and cards[0].answer.value == "over 32 million"
    assert "over 32 million" in cards[0].accessibleName()
    assert "Source: NCMEC" in cards[0].accessibleName()
    assert panel.summary.text() == "7 passages match; 3 key figures above"
    # Question words are not marked in any snippet drawn.
    for hit in result.hits:
        assert not {hit.snippet[s:e].lower() for s, e in hit.snippet_spans} & {"how", "many"}


def test_an_answer_card_copies_with_its_citation_and_opens_its_passage(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing, tmp_path: Path
) -> None:
    window = make_window(bundled_briefing)
    _complete(qtbot, window)
    # Joined to the excerpt feature as the app joins them (app._attach_features).
    settings = AppSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    feature = ExcerptFeature(window, settings)
    feature.add_source(window.results_panel.answers, "Figure")
    type_search(qtbot, window, "grooming 19 seconds")
    panel = window.results_panel
    card = panel.answers.cards[0]
    assert card.answer.figure_id == "grooming-escalation-time"
    # Down from the field goes to the first card.
    window.search.field.setFocus()
    QTest.keyClick(window.search.field, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is card
    QGuiApplication.clipboard().clear()
    QTest.keyClick(card, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QGuiApplication.clipboard().text()
    assert "19 seconds" in copied
    figure = next(f for f in bundled_briefing.figures if f.id == "grooming-escalation-time")
    assert f"(source: {figure.source})" in copied or figure.source in copied
    assert figure.quote in copied  # the source's own sentence, verbatim
    # The citation names the document the figure is from.
    assert "Global Threat Assessment" in copied.split("19 seconds", 1)[1]
    # Ctrl+Shift+C, the app's copy with citation, copies the same figure.
    QGuiApplication.clipboard().clear()
    QTest.keySequence(card, QKeySequence("Ctrl+Shift+C"))
    assert QGuiApplication.clipboard().text() == copied
    # Enter opens the passage, the figure marked in it.
    QTest.keyClick(card, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(window.current_reader().highlight_spans()), timeout=10000)
    reader = window.current_reader()
    spans = reader.highlight_spans()
    assert window.current_tab().theme.id == "threat-assessment"
    assert spans and {reader.toPlainText()[s:e] for s, e in spans} == {"19 seconds"}


def test_the_other_names_searched_are_said_with_a_way_to_search_only_the_word(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    type_search(qtbot, window, "sextortion")
    message = window.results_panel.message
    assert "Also searched: sexual extortion" in message.text()
    link = f"query:{html.escape(only_typed('sextortion', 'sextortion'), quote=True)}"
    assert link in message.text()
    with qtbot.waitSignal(
        window.search.results_shown,
        timeout=20000,
        check_params_cb=lambda r: r.query == '"sextortion"',
    ) as blocker:
        message.linkActivated.emit('query:"sextortion"')
    only = blocker.args[0]
    assert only.expansions == ()
    assert "threat-assessment/financial-sexual-extortion" not in [h.id for h in only.hits]
    assert "Also searched" not in message.text()


def test_a_theme_filter_is_stated_with_one_key_to_clear_it(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    type_search(qtbot, window, "safety")
    panel = window.results_panel
    assert not panel.filter_note.isVisibleTo(panel)
    with qtbot.waitSignal(window.search.results_shown, timeout=20000):
        QTest.mouseClick(panel.chips.buttons["voices"], Qt.MouseButton.LeftButton)
    window.search.field.clear()
    narrowed = type_search(qtbot, window, "87")
    # The filter stays, and says so where the results are: the 87% figure is elsewhere.
    assert narrowed.theme == "voices"
    assert panel.filter_note.isVisibleTo(panel)
    assert panel.filter_label.text().startswith("Only Voices is shown.")
    assert panel.show_all_button.shortcut() == QKeySequence("Alt+A")
    # Alt+A, from wherever the focus is in the window.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.search.field.setFocus()
    with qtbot.waitSignal(window.search.results_shown, timeout=20000) as blocker:
        QTest.keyClick(window.search.field, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    everywhere = blocker.args[0]
    assert everywhere.theme is None and everywhere.hits
    assert window.search.field.text() == "87"  # Alt+A typed nothing
    assert not panel.filter_note.isVisibleTo(panel)
    assert panel.chips.buttons[None].isChecked()
    assert panel.answers.cards[0].answer.value == "87%"


def test_show_more_adds_the_next_page_from_the_keyboard(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    first = type_search(qtbot, window, "children")
    panel = window.results_panel
    assert len(first.hits) == 20 < first.total
    assert panel.more_button.isVisibleTo(panel)
    panel.list.setFocus()
    panel.list.setCurrentIndex(panel.model.index(19, 0))
    QTest.keyClick(panel.list, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is panel.more_button
    with qtbot.waitSignal(window.search.results_shown, timeout=20000) as blocker:
        QTest.keyClick(panel.more_button, Qt.Key.Key_Space)
    more = blocker.args[0]
    assert len(more.hits) == min(40, first.total) and more.hits[:20] == first.hits
    assert panel.model.rowCount() == len(more.hits)
    assert panel.list.currentIndex().row() == 20  # the first new hit, not the top
    assert QApplication.focusWidget() is panel.list


def test_marks_come_from_the_current_query_whatever_order_answers_arrive(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    type_search(qtbot, window, "legislation")
    searcher = window.search
    service = searcher.service
    # Answers to "leg" and "legislation", as the worker would send them, out of order.
    from briefreader.core.search.searcher import SearchIndex

    index = SearchIndex(bundled_briefing, window.locations.cache / "index-test")
    index.open_or_build()
    own = index.searcher()
    early = own.search("leg", as_you_type=True)
    late = own.search("legislation", as_you_type=True)
    assert any("legal" in w.lower() for h in early.hits for w in h.matched_words)
    shown: list[SearchResult] = []
    searcher.results_shown.connect(shown.append)
    serial = service.search("legislation")
    service._on_answered(serial, late)
    service._on_answered(serial - 1, early)  # an older query's answer, arriving last
    searcher._on_results(early)  # even handed on directly, a stale answer is not shown
    assert shown == [late]
    panel = window.results_panel
    delegate = panel.list.itemDelegate()
    assert isinstance(delegate, ResultDelegate)
    # The rows drawn are the current query's, marks included.
    for row in range(panel.model.rowCount()):
        hit = panel.model.hit(row)
        assert hit is not None
        assert not any(w.lower().startswith("legal") for w in hit.matched_words), hit.id
    own.close()


def test_the_delegate_draws_each_hit_with_its_own_marks(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QListView, QStyleOptionViewItem

    view = QListView()
    qtbot.addWidget(view)
    model = ResultsModel(view)
    view.setModel(model)
    delegate = ResultDelegate(view)
    view.setItemDelegate(delegate)

    def hit(spans: tuple[tuple[int, int], ...]) -> Hit:
        return Hit(
            "s", "t", "T", "d", "D", "Section", 1.0, "legal and legislation", spans,
            "legal and legislation", (), None,
        )  # fmt: skip

    option = QStyleOptionViewItem()
    option.initFrom(view)
    old = delegate._document(option, hit(((0, 5),)), False).toHtml()
    new = delegate._document(option, hit(((10, 21),)), False).toHtml()
    assert old != new  # the same passage with other marks is drawn anew


def test_quoting_helpers() -> None:
    assert quoted("sextorsion") == '"sextorsion"'
    assert quoted('"a b"') == '"a b"'
    assert only_typed("CSAM reports", "CSAM") == '"CSAM" reports'
    assert isinstance(AnswerCard, type)


def test_a_typo_shows_the_close_spelling_with_links_back_and_to_the_typed_word(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    result = type_search(qtbot, window, "sextorsion")
    assert result.searched_instead == "sextortion" and result.hits
    message = window.results_panel.message.text()
    assert '<a href="query:sextortion"><b>sextortion</b></a>' in message
    assert 'Search instead for <a href="query:&quot;sextorsion&quot;">sextorsion</a>' in message
    # "Search only" the typed word of the query that was searched: the corrected one.
    assert '<a href="query:&quot;sextortion&quot;">Search only “sextortion”</a>' in message
