"""Inside the probe process: keystroke to painted results in the real window (offscreen)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bench.queries import TYPING
from bench.timing import summary_ms

KEY_TIMEOUT_S = 2.0
UNCHANGED_MS = 50


def _window() -> Any:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return next(w for w in app.topLevelWidgets() if w.objectName() == "mainWindow")


def _wait(predicate: Callable[[], bool], timeout: float) -> bool:
    from PySide6.QtCore import QEventLoop, QTimer

    deadline = time.monotonic() + timeout
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(5)

    def check() -> None:
        if predicate() or time.monotonic() > deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    if not predicate():
        loop.exec()
    timer.stop()
    return predicate()


def wait_until_idle(seconds: float = 1.0) -> None:
    """Wait for the index to be ready and the deferred tabs to render, then a little more."""
    from PySide6.QtTest import QTest

    window = _window()
    _wait(lambda: bool(window.search.service.ready or window.search.service.error), 120)
    QTest.qWait(int(seconds * 1000))


def measure(quick: bool = False) -> dict[str, Any]:
    """Type each typing query key by key; time each key to the paint of its results."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    window = _window()
    field = window.search.field
    state: dict[str, float | None] = {"answered": None, "painted": None, "unchanged": None}
    loop = QEventLoop()
    # Longer than Qt takes to deliver the pass it asks for (5 ms), with room for a busy
    # machine: no pass by then means the answer changed nothing on screen.
    unchanged = QTimer()
    unchanged.setSingleShot(True)
    unchanged.setInterval(UNCHANGED_MS)

    def on_shown(result: Any) -> None:
        if result.query == field.text() and state["answered"] is None:
            state["answered"] = time.perf_counter()
            state["answered_cpu"] = time.thread_time()
            # An answer that changes what is shown marks it dirty, and Qt paints it in a
            # pass it asks for itself (within 5 ms). One that changes nothing (a short
            # word's "no passage matches" again) gets no pass: it is on screen as answered.
            # No pass is forced: QWindow.requestUpdate repainted the whole window, the
            # reader's page included, not only what the answer changed (bench/README.md).
            unchanged.start()

    def nothing_to_paint() -> None:
        if state["painted"] is None and state["answered"] is not None:
            state["painted"] = state["answered"]
            state["painted_cpu"] = state["answered_cpu"]
            state["unchanged"] = 1.0
            loop.quit()

    unchanged.timeout.connect(nothing_to_paint)

    def painted() -> None:
        # Only a pass after this key's answer: a pass queued by the previous key's answer
        # ran after this key was pressed, and timed it at next to nothing.
        if state["painted"] is None and state["answered"] is not None:
            unchanged.stop()
            state["painted"] = time.perf_counter()
            state["painted_cpu"] = time.thread_time()
            loop.quit()

    passes = {QEvent.Type.UpdateRequest, QEvent.Type.Expose}

    class PassAfterAnswer(QObject):
        """The window repaints everything that changed in one pass, results included.

        Only the window and its QWindow are watched, as in gui_probe: a filter on every
        event of the application made PySide wrap each object that received one, and
        slowed what it measured.
        """

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() in passes and state["answered"] is not None:
                QTimer.singleShot(0, painted)  # after the whole paint pass
            return False

    watcher = PassAfterAnswer()
    assert app is not None
    handle = window.windowHandle()
    window.installEventFilter(watcher)
    handle.installEventFilter(watcher)
    window.search.results_shown.connect(on_shown)
    timeout = QTimer()
    timeout.setSingleShot(True)
    timeout.timeout.connect(loop.quit)
    samples: list[float] = []
    # Where a keystroke's time goes: to its results set in the panel (the search on the
    # worker, the queues to it and back, the panel's update), then on to the painted frame.
    to_answer: list[float] = []
    to_paint: list[float] = []
    typed: list[tuple[float, str]] = []
    unpainted: list[float] = []
    lost = 0
    # The GUI thread's own CPU time from the key to the paint (the search runs on another
    # thread): what the window's code costs, whatever else the machine is doing.
    gui_cpu: list[float] = []
    changed_nothing = 0  # answers that changed nothing on screen: timed to the answer
    for text in TYPING[::3] if quick else TYPING:
        field.clear()
        QTest.qWait(20)
        for char in text:
            state["answered"] = state["painted"] = state["unchanged"] = None
            started = time.perf_counter()
            started_cpu = time.thread_time()
            QTest.keyClicks(field, char)
            if state["painted"] is None:
                timeout.start(int(KEY_TIMEOUT_S * 1000))
                loop.exec()
                timeout.stop()
            if state["unchanged"] is not None:
                changed_nothing += 1
            if state["painted"] is not None:
                samples.append(state["painted"] - started)
                gui_cpu.append(float(state["painted_cpu"] or 0.0) - started_cpu)
                if state["answered"] is not None:
                    to_answer.append(state["answered"] - started)
                    to_paint.append(state["painted"] - state["answered"])
                typed.append((state["painted"] - started, field.text()))
            elif state["answered"] is not None:
                unpainted.append(state["answered"] - started)
            else:
                lost += 1
    window.removeEventFilter(watcher)
    handle.removeEventFilter(watcher)
    slowest = [{"typed": t, "ms": round(s * 1000, 1)} for s, t in sorted(typed, reverse=True)[:6]]
    return {
        **summary_ms(samples),
        "slowest": slowest,
        "to_answer": summary_ms(to_answer),
        "answer_to_paint": summary_ms(to_paint),
        "gui_thread_cpu": summary_ms(gui_cpu),
        "answered_not_repainted": len(unpainted),
        "answer_changed_nothing": changed_nothing,
        "no_answer": lost,
    }
