"""Background work: results and errors come back on the GUI thread; quit cancels."""

from __future__ import annotations

import threading
import time

import pytest
from pytestqt.qtbot import QtBot

from briefreader.ui.shared.tasks import BackgroundTasks, CancelToken, TaskCancelledError


def test_result_arrives_on_the_gui_thread(qtbot: QtBot) -> None:
    tasks = BackgroundTasks()
    worker_threads: list[threading.Thread] = []
    results: list[tuple[int, threading.Thread]] = []

    def work(token: CancelToken) -> int:
        worker_threads.append(threading.current_thread())
        return 6 * 7

    tasks.run(work, lambda value: results.append((value, threading.current_thread())))
    qtbot.waitUntil(lambda: bool(results))
    assert results == [(42, threading.main_thread())]
    assert worker_threads and worker_threads[0] is not threading.main_thread()
    assert tasks.pending() == 0
    assert tasks.shutdown()


def test_error_goes_to_the_error_callback(qtbot: QtBot) -> None:
    tasks = BackgroundTasks()
    errors: list[BaseException] = []

    def work(token: CancelToken) -> None:
        raise OSError("disk full")

    tasks.run(work, lambda _: pytest.fail("no result expected"), errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], OSError) and str(errors[0]) == "disk full"
    assert tasks.shutdown()


def test_shutdown_cancels_long_work_within_its_bound(qtbot: QtBot) -> None:
    tasks = BackgroundTasks()
    steps: list[int] = []
    reported: list[object] = []

    def long_work(token: CancelToken) -> str:
        for step in range(10_000):  # 100 s if nobody cancels it
            if token.cancelled:
                raise TaskCancelledError
            steps.append(step)
            time.sleep(0.01)
        return "finished"

    tasks.run(long_work, reported.append, reported.append)
    qtbot.waitUntil(lambda: len(steps) > 3)
    started = time.monotonic()
    assert tasks.shutdown(timeout_ms=1000)
    assert time.monotonic() - started < 1.0
    qtbot.wait(50)
    assert reported == []  # a cancelled task reports nothing
    assert len(steps) < 10_000
    late = tasks.run(lambda token: 1, reported.append)
    assert late.token.cancelled  # nothing starts after shutdown
