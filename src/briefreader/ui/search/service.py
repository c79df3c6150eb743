"""Search off the GUI thread: the index is opened or built, and every query runs, on a worker.

The worker imports Whoosh (through ``core.search``) on its own thread after the window has
painted, and keeps its own :class:`~briefreader.core.search.searcher.Searcher`: a searcher
holds open readers and caches that are not safe to share between threads. Each query carries
a serial number: the worker skips a query that a newer one has replaced before it started,
and the service drops any answer that is not the newest, so typing never waits for a stale
search.

The index build asks a :class:`~briefreader.ui.shared.tasks.CancelToken` between documents,
so that closing the window stops it (a cancelled build leaves nothing behind), and the core
build API tells its progress only now and then: a queued signal per section would flood the
GUI thread with tens of thousands of events on a large briefing.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from briefreader.core.model import Briefing
from briefreader.core.search.results import BuildCancelledError
from briefreader.ui.shared.tasks import CancelToken

if TYPE_CHECKING:
    from briefreader.core.search.results import IndexStatus, SearchResult
    from briefreader.core.search.searcher import Searcher, SearchIndex

# Each result is a rich-text row laid out on every keystroke, so the time from a key to the
# paint grows with the rows shown (bench/README.md); the theme chips narrow a longer list.
RESULT_LIMIT = 20
# Worker threads still finishing a build when their window closed: kept referenced, so that
# Qt does not destroy a running thread, until the process ends.
_ABANDONED: list[tuple[QThread, QObject]] = []


def _forget_imported_sources() -> None:
    """Drop the source text PySide read of each module imported since it was loaded.

    PySide's import hook reads the source of every module imported after it (to see whether
    the module asks for one of its ``__feature__`` options), and Python's ``linecache`` keeps
    it: Whoosh and the search code are about 190 modules, and their text stayed in memory
    (8 MiB traced). Dropped here, that memory is reused by the index read after it; a
    traceback reads the lines it needs again.
    """
    import linecache

    linecache.clearcache()


class _Worker(QObject):
    progress = Signal(int, int)
    ready = Signal(object)  # IndexStatus
    failed = Signal(str)
    answered = Signal(int, object)  # serial, SearchResult

    def __init__(self, briefing: Briefing, index_dir: Path, token: CancelToken) -> None:
        super().__init__()
        self._briefing = briefing
        self._token = token
        self._index_dir = index_dir
        self._index: SearchIndex | None = None
        self._searcher: Searcher | None = None
        self._loading_tried = False
        self._latest = 0
        self._latest_lock = threading.Lock()

    def set_latest(self, serial: int) -> None:
        """Called from the GUI thread: queries older than ``serial`` need no answer."""
        with self._latest_lock:
            self._latest = serial

    def _is_stale(self, serial: int) -> bool:
        with self._latest_lock:
            return serial < self._latest

    @Slot()
    def load(self) -> None:
        if self._loading_tried:
            return
        self._loading_tried = True
        try:
            from briefreader.core.search.searcher import SearchIndex

            _forget_imported_sources()
            self._index = SearchIndex(self._briefing, self._index_dir)
            status = self._index.open_or_build(
                progress=self.progress.emit, cancelled=lambda: self._token.cancelled
            )
            self._searcher = self._index.searcher()
        except BuildCancelledError:
            return  # the window is closing: nobody is waiting for the index
        except Exception as error:  # any failure leaves reading intact; say what happened
            self.failed.emit(
                f"Search is unavailable: the index in {self._index_dir} could not be opened "
                f"or built ({type(error).__name__}: {error})."
            )
            return
        self.ready.emit(status)
        self._warm()

    @Slot()
    def _warm(self) -> None:
        # A step at a time from this thread's event loop, so that a search asked meanwhile
        # is answered between two steps rather than after the whole read-ahead.
        if self._searcher is not None and not self._token.cancelled and self._searcher.warm():
            QTimer.singleShot(0, self, self._warm)

    @Slot(int, str, object, int)
    def search(self, serial: int, text: str, theme: object, limit: int) -> None:
        if self._is_stale(serial):
            return
        # A query asked before start() reaches the thread's queue ahead of the load request.
        self.load()
        if self._searcher is None:
            return
        result = self._searcher.search(
            text, theme=theme if isinstance(theme, str) else None, limit=limit, as_you_type=True
        )
        if not self._is_stale(serial):
            self.answered.emit(serial, result)

    @Slot()
    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None


class SearchService(QObject):
    """The GUI side: start the worker, send queries, hand back only the newest answer."""

    index_progress = Signal(int, int)  # sections indexed, of how many
    index_ready = Signal(object)  # IndexStatus
    index_failed = Signal(str)
    results_ready = Signal(object)  # SearchResult, only the answer to the newest query

    _load_requested = Signal()
    _search_requested = Signal(int, str, object, int)
    _close_requested = Signal()

    def __init__(self, briefing: Briefing, index_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread(self)
        self._thread.setObjectName("briefreader-search")
        self._token = CancelToken()
        self._worker = _Worker(briefing, index_dir, self._token)
        self._worker.moveToThread(self._thread)
        self._thread.finished.connect(self._worker.deleteLater)
        self._load_requested.connect(self._worker.load)
        self._search_requested.connect(self._worker.search)
        self._close_requested.connect(self._worker.close)
        self._worker.progress.connect(self.index_progress)
        self._worker.ready.connect(self._on_ready)
        self._worker.failed.connect(self._on_failed)
        self._worker.answered.connect(self._on_answered)
        self._serial = 0
        self._started = False
        self.status: IndexStatus | None = None
        self.error = ""

    @property
    def started(self) -> bool:
        return self._started

    @property
    def ready(self) -> bool:
        return self.status is not None

    def start(self) -> None:
        """Open or build the index in the background (once)."""
        if self._started:
            return
        self._started = True
        self._thread.start()
        self._load_requested.emit()

    def search(self, text: str, theme: str | None = None, limit: int = RESULT_LIMIT) -> int:
        """Ask for a search; its answer comes as ``results_ready`` unless a newer one is asked.

        Before the index is ready the query waits on the worker's queue, behind the build.
        """
        self._serial += 1
        self._worker.set_latest(self._serial)
        self._search_requested.emit(self._serial, text, theme, limit)
        return self._serial

    def cancel(self) -> None:
        """Forget any query in flight (the search field was cleared)."""
        self._serial += 1
        self._worker.set_latest(self._serial)

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        """Stop the worker thread, an index build under way included, waiting at most
        ``timeout_ms``; True if it stopped. One that did not is left to finish on its own."""
        if not self._started or not self._thread.isRunning():
            return True
        self._token.cancel()
        self.cancel()
        self._close_requested.emit()
        self._thread.quit()
        if self._thread.wait(timeout_ms):
            return True
        self._thread.setParent(None)
        _ABANDONED.append((self._thread, self._worker))
        return False

    @Slot(object)
    def _on_ready(self, status: IndexStatus) -> None:
        self.status = status
        self.index_ready.emit(status)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.error = message
        self.index_failed.emit(message)

    @Slot(int, object)
    def _on_answered(self, serial: int, result: SearchResult) -> None:
        if serial == self._serial:
            self.results_ready.emit(result)
