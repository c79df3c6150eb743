"""The one way the window runs work off the GUI thread.

A task is a plain function run on a worker thread of the window's own pool; its result (or
its error) comes back to the GUI thread, where the caller's callback runs. Every task gets a
:class:`CancelToken` to look at between steps; on quit :meth:`BackgroundTasks.shutdown` cancels
them all and waits a bounded time, so that closing the window never waits on a long task.
The long-lived search worker keeps its own thread (a Whoosh searcher must stay on the thread
that opened it) and takes the same kind of token for the index build.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

T = TypeVar("T")


class CancelToken:
    """Set once from any thread; read by the work between its steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


class TaskCancelledError(Exception):
    """Raised by work that saw its token cancelled; the task then reports nothing."""


class _Relay(QObject):
    # Emitted on the worker thread; delivered to the relay's (GUI) thread, queued.
    finished = Signal(object, object)  # result, error


class Task(Generic[T]):
    """One submitted piece of work: cancel it, or ask whether it has reported."""

    def __init__(self, token: CancelToken) -> None:
        self.token = token
        self.done = False

    def cancel(self) -> None:
        self.token.cancel()


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[CancelToken], Any], token: CancelToken, relay: _Relay):
        super().__init__()
        self.setAutoDelete(True)
        self._work = work
        self._token = token
        self._relay = relay

    def run(self) -> None:
        result: Any = None
        error: BaseException | None = None
        try:
            result = self._work(self._token)
        except BaseException as caught:  # handed to the GUI thread, never lost on a worker
            error = caught
        self._relay.finished.emit(result, error)


class BackgroundTasks(QObject):
    """A small pool of worker threads owned by the window."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._live: set[Task[Any]] = set()
        self._closed = False

    def run(
        self,
        work: Callable[[CancelToken], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Task[T]:
        """Run ``work(token)`` on a worker; ``on_done(result)`` or ``on_error(error)`` follows
        on the GUI thread, unless the task was cancelled first."""
        task: Task[T] = Task(CancelToken())
        if self._closed:
            task.token.cancel()
            return task
        relay = _Relay(self)

        @Slot(object, object)
        def finish(result: object, error: object) -> None:
            task.done = True
            self._live.discard(task)
            relay.deleteLater()
            if task.token.cancelled or isinstance(error, TaskCancelledError):
                return
            if isinstance(error, BaseException):
                if on_error is None:
                    raise error
                on_error(error)
            else:
                on_done(result)  # type: ignore[arg-type]

        relay.finished.connect(finish)
        self._live.add(task)
        self._pool.start(_Runnable(work, task.token, relay))
        return task

    def pending(self) -> int:
        return len(self._live)

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        """Cancel every task and wait up to ``timeout_ms`` for the workers; True if they all
        stopped. Tasks submitted afterwards are cancelled at once."""
        self._closed = True
        for task in list(self._live):
            task.cancel()
        return self._pool.waitForDone(timeout_ms)
