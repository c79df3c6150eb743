"""Search off the GUI thread: the index in the background, only the newest answer shown."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from briefreader.core.model import Briefing
from briefreader.core.search.results import SearchResult
from briefreader.ui.search.service import SearchService
from briefreader.ui.window.main_window import MainWindow

WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def service(qtbot: QtBot, mini_briefing: Briefing, tmp_path: Path) -> Iterator[SearchService]:
    created = SearchService(mini_briefing, tmp_path / "cache")
    yield created
    created.shutdown()


def test_the_index_is_built_on_another_thread_with_progress(
    qtbot: QtBot, service: SearchService
) -> None:
    progress: list[tuple[int, int]] = []
    threads: list[object] = []
    service.index_progress.connect(lambda done, total: progress.append((done, total)))
    service.index_progress.connect(lambda *_: threads.append(threading.current_thread()))
    with qtbot.waitSignal(service.index_ready, timeout=20000) as ready:
        service.start()
    status = ready.args[0]
    assert status.built and status.documents == 4
    assert progress[-1] == (4, 4)
    assert service.ready
    # The progress arrives on the GUI thread (queued), whatever thread built the index.
    assert threads and all(t is threading.main_thread() for t in threads)


def test_only_the_newest_answer_is_shown(qtbot: QtBot, service: SearchService) -> None:
    answers: list[SearchResult] = []
    service.results_ready.connect(answers.append)
    service.start()
    # Asked while the index is still being prepared: they wait, and only the last counts.
    service.search("grooming")
    service.search("extortion")
    with qtbot.waitSignal(service.results_ready, timeout=20000):
        pass
    assert [a.query for a in answers] == ["extortion"]
    assert answers[0].hits[0].id == "threat-assessment/financial-sexual-extortion"

    # The worker answers in order: once a later query is answered, no stale one can follow.
    service.search("safety")
    service.search("design")
    with qtbot.waitSignal(
        service.results_ready, timeout=20000, check_params_cb=lambda r: r.query == "design"
    ):
        pass
    service.search("grooming")
    with qtbot.waitSignal(
        service.results_ready, timeout=20000, check_params_cb=lambda r: r.query == "grooming"
    ):
        pass
    assert [a.query for a in answers] == ["extortion", "design", "grooming"]


def test_a_cleared_query_gets_no_answer(qtbot: QtBot, service: SearchService) -> None:
    answers: list[SearchResult] = []
    service.results_ready.connect(answers.append)
    service.start()
    service.search("grooming")
    service.cancel()
    service.search("design")
    with qtbot.waitSignal(service.results_ready, timeout=20000):
        pass
    assert [a.query for a in answers] == ["design"]


def test_typing_before_the_index_is_ready_waits_and_then_answers(
    qtbot: QtBot, make_window: WindowFactory, mini_briefing: Briefing
) -> None:
    window = make_window(mini_briefing, show=False)  # not painted: the index is not started
    window.search.field.setText("grooming")
    window.startup.run_through("results panel")  # built, but the index not started
    panel = window.results_panel
    assert panel.summary.text() == "Preparing search…"
    assert "grooming" in panel.message.text()
    assert not window.search.service.started

    with qtbot.waitSignal(window.search.results_shown, timeout=20000) as shown:
        window.show()
    assert shown.args[0].query == "grooming"
    assert panel.current_hit() is not None
    assert panel.current_hit().id == "threat-assessment/grooming-on-social-gaming-platforms"  # type: ignore[union-attr]
    assert window.index_status.label.text().startswith("Search ready")


def test_enter_before_the_answer_opens_it_when_it_comes(
    qtbot: QtBot, make_window: WindowFactory, mini_briefing: Briefing
) -> None:
    window = make_window(mini_briefing, show=False)
    window.search.field.setText("extortion")
    QTest.keyClick(window.search.field, Qt.Key.Key_Return)
    with qtbot.waitSignal(window.section_opened, timeout=20000) as opened:
        window.show()
    assert opened.args == ["threat-assessment/financial-sexual-extortion"]


def test_an_unwritable_cache_still_searches_and_says_so(
    qtbot: QtBot, make_window: WindowFactory, mini_briefing: Briefing, tmp_path: Path
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    window = make_window(mini_briefing, cache=blocked)
    qtbot.waitUntil(lambda: window.search.service.ready, timeout=20000)
    assert "kept in memory" in window.statusBar().currentMessage()
    assert "memory" in window.index_status.label.toolTip()
    with qtbot.waitSignal(window.search.results_shown, timeout=20000) as shown:
        window.search.field.setText("grooming")
    assert shown.args[0].hits


def test_keys_typed_within_one_frame_send_one_search_for_the_last_text(
    qtbot: QtBot,
    make_window: WindowFactory,
    mini_briefing: Briefing,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(mini_briefing)
    service = window.search.service
    qtbot.waitUntil(lambda: service.ready, timeout=20000)
    sent: list[str] = []
    search = service.search

    def recording_search(text: str, *args: object) -> int:
        sent.append(text)
        return search(text, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "search", recording_search)
    with qtbot.waitSignal(window.search.results_shown, timeout=20000) as shown:
        QTest.keyClicks(window.search.field, "extor")  # five keys before the loop runs again
        assert sent == []  # asked for at the end of this pass, not on each key
    assert sent == ["extor"]
    assert shown.args[0].query == "extor"
    assert shown.args[0].hits
    # A key in a later pass of the event loop asks again, for the text as it is then.
    with qtbot.waitSignal(window.search.results_shown, timeout=20000) as shown:
        QTest.keyClicks(window.search.field, "t")
    assert sent == ["extor", "extort"]
    assert shown.args[0].query == "extort"
