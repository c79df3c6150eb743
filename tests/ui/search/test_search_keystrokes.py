"""What a keystroke's answer reuses and skips in the results panel, in the real window:
figure cards kept for figures that come back, the same answer again left as shown, and rows
that still show their whole text after the panel above the list changes height."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from briefreader.core.model import Briefing
from briefreader.core.search.results import SearchResult
from briefreader.ui.search.results_model import HIT_ROLE, ResultDelegate
from briefreader.ui.window.main_window import MainWindow
from helpers.searching import type_search


def search_cleared(qtbot: QtBot, window: MainWindow, text: str) -> SearchResult:
    return type_search(qtbot, window, text, clear=True)


WindowFactory = Callable[..., MainWindow]


def test_figure_cards_are_kept_for_figures_that_come_back(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    result = search_cleared(qtbot, window, "grooming")
    answers = window.results_panel.answers
    assert len(result.answers) >= 2
    first, second = answers.cards
    assert first.answer == result.answers[0] and first.full and not second.full
    answers.set_answers(())
    assert not answers.isVisibleTo(window.results_panel)
    assert first.isHidden() and second.isHidden()
    answers.set_answers(result.answers)
    assert answers.cards == [first, second]  # the same widgets, shown again
    assert answers.isVisibleTo(window.results_panel)
    assert first.isVisibleTo(answers) and second.isVisibleTo(answers)
    layout = answers.layout()
    assert layout is not None
    assert [layout.indexOf(c) for c in answers.cards] == [1, 2]  # after the hint, in order
    # In the other order: the first card is the one with the source's sentence.
    answers.set_answers(result.answers[::-1])
    new_first, new_second = answers.cards
    assert new_first.answer == result.answers[1] and new_first.full
    assert new_second.answer == result.answers[0] and not new_second.full
    assert new_first.isVisibleTo(answers) and new_second.isVisibleTo(answers)
    assert first.isHidden() and second.isHidden()  # kept, hidden, for their own places
    assert [layout.indexOf(c) for c in answers.cards] == [1, 2]
    assert result.answers[1].value in new_first.accessibleName()


def test_the_same_answer_again_keeps_the_chosen_row(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    result = search_cleared(qtbot, window, "online")
    panel = window.results_panel
    assert len(result.hits) > 2
    panel.list.setFocus()
    panel.list.setCurrentIndex(panel.model.index(2, 0))
    panel.show_result(result)
    assert panel.current_hit() == result.hits[2]
    # Another answer chooses its first row, as before.
    other = search_cleared(qtbot, window, "grooming")
    assert panel.current_hit() == other.hits[0]


def test_rows_show_their_whole_text_after_the_panel_above_changes(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    window.resize(1440, 900)
    panel = window.results_panel
    # Figure cards come and go above the list as the query grows: its height changes, its
    # width does not, and its rows are not laid out again for that.
    for text in ("groom", "groomi", "grooming", "online"):
        search_cleared(qtbot, window, text)
    view = panel.list
    delegate = view.itemDelegate()
    assert isinstance(delegate, ResultDelegate)
    assert view.selectionModel().isRowSelected(0)
    width = max(120, view.viewport().width() - 20)
    # Each row scrolled into view and painted (a row below the first screen has an estimated
    # height until then): its height is then that of its laid-out text, whole.
    rows = min(8, panel.model.rowCount())
    assert rows >= 4
    for row in range(rows):
        index = panel.model.index(row, 0)
        view.scrollTo(index)
        for _ in range(3):
            view.viewport().grab()
            QTest.qWait(10)
        hit = index.data(HIT_ROLE)
        laid_out = delegate._heights.get((hit.id, hit.snippet, hit.snippet_spans, width))
        assert laid_out is not None, f"row {row} was never laid out"
        height = view.visualRect(index).height()
        assert height == laid_out, f"row {row}: {height} px for {laid_out}"
