"""The window as a shell: what features may ask of it, its start-up steps, a bounded close."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from briefreader.core.model import Briefing
from briefreader.ui.shared.host import WindowHost
from briefreader.ui.window.main_window import MainWindow

WindowFactory = Callable[..., MainWindow]
REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.corpus import scaled_briefing  # noqa: E402

STEPS = [
    "open page",
    "appearance",
    "menus",
    "tabs",
    "results panel",
    "find bar",
    "features",
    "search index",
    "pages",
]


def test_the_window_is_what_features_may_ask_for(
    make_window: WindowFactory, mini_briefing: Briefing
) -> None:
    window = make_window(mini_briefing)
    host: WindowHost = window  # mypy checks the window against the protocol, structurally
    assert host.widget() is window
    assert host.tasks is window.tasks
    assert host.briefing is mini_briefing
    assert host.results_panel is window.search.panel
    assert [r.theme_id for r in host.readers()] == [t.id for t in mini_briefing.themes]
    assert host.current_reader() is window.current_tab().reader


def test_start_up_is_a_list_of_named_steps_run_after_the_first_paint(
    qtbot: QtBot, make_window: WindowFactory, mini_briefing: Briefing
) -> None:
    window = make_window(mini_briefing, show=False)
    assert window.startup.names == STEPS
    assert window.startup.done == []
    turns: list[str] = []
    window.startup.step_done.connect(turns.append)
    window.show()
    qtbot.waitUntil(lambda: window.startup.is_finished, timeout=20000)
    assert turns == STEPS


def test_closing_during_a_long_index_build_returns_within_a_second(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing, tmp_path: Path
) -> None:
    big = scaled_briefing(bundled_briefing, 30)
    window = make_window(big, cache=tmp_path / "big-cache", show=False)
    progress: list[tuple[int, int]] = []
    service = window.search.service
    service.index_progress.connect(lambda done, total: progress.append((done, total)))
    window.search.start()
    qtbot.waitUntil(lambda: bool(progress), timeout=20000)
    started = time.monotonic()
    window.close()
    took = time.monotonic() - started
    assert not service.ready  # the build was under way when the window closed...
    assert progress[-1][0] < progress[-1][1]
    assert took < 1.0, f"closing took {took:.2f} s"  # ...and closing did not wait for it
    # Nothing half-built is left to be opened as an index next time.
    assert not list((tmp_path / "big-cache" / "index").glob("building-*"))


def test_index_progress_is_throttled(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing, tmp_path: Path
) -> None:
    big = scaled_briefing(bundled_briefing, 5)
    window = make_window(big, cache=tmp_path / "cache-5", show=False)
    progress: list[tuple[int, int]] = []
    service = window.search.service
    service.index_progress.connect(lambda done, total: progress.append((done, total)))
    with qtbot.waitSignal(service.index_ready, timeout=60000):
        window.search.start()
    total = len(big.sections)
    assert progress[-1] == (total, total)
    assert len(progress) < total / 10  # a report now and then, not one per section


def test_every_step_can_be_run_at_once(
    qtbot: QtBot, make_window: WindowFactory, mini_briefing: Briefing
) -> None:
    window = make_window(mini_briefing, show=False)
    window.startup.run_all()  # as a test or a tool that needs the whole window now
    assert window.startup.done == STEPS and window.is_complete
    assert window.search.service.started
    qtbot.waitUntil(lambda: all(r.is_loaded for r in window.readers()), timeout=20000)


def test_a_held_step_stops_the_sequence_until_released(qtbot: QtBot) -> None:
    from briefreader.ui.window.startup import StartupSequence

    ran: list[str] = []
    release: list[Callable[[], None]] = []

    def first() -> None:
        ran.append("first")
        release.append(sequence.hold())

    sequence = StartupSequence([("first", first), ("second", lambda: ran.append("second"))])
    sequence.begin()
    qtbot.waitUntil(lambda: ran == ["first"])
    qtbot.wait(50)  # turns pass; the held sequence does not go on
    assert ran == ["first"] and not sequence.is_finished
    release[0]()
    qtbot.waitUntil(lambda: sequence.is_finished)
    assert ran == ["first", "second"]
