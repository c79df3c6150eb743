"""The search index's state in the status bar: preparing, building (with progress), ready."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QLabel, QStatusBar

if TYPE_CHECKING:
    from PySide6.QtWidgets import QProgressBar

    from briefreader.core.search.results import IndexStatus
    from briefreader.ui.search.service import SearchService


class IndexStatusView(QObject):
    """A label in the first frame; a progress bar, hidden until an index is built, after it."""

    def __init__(self, bar: QStatusBar) -> None:
        super().__init__(bar)
        self._bar = bar
        self.label = QLabel("Search: waiting to start", bar)
        self.label.setObjectName("indexStatus")
        bar.addPermanentWidget(self.label)
        self._progress: QProgressBar | None = None

    def build_progress(self) -> None:
        from PySide6.QtWidgets import QProgressBar

        progress = self._progress = QProgressBar(self._bar)
        progress.setObjectName("indexProgress")
        progress.setAccessibleName("Building the search index")
        progress.setMaximumWidth(160)
        progress.setTextVisible(False)
        progress.hide()
        self._bar.insertPermanentWidget(0, progress)  # before the index status

    def watch(self, service: SearchService) -> None:
        service.index_progress.connect(self._on_progress)
        service.index_ready.connect(self._on_ready)
        service.index_failed.connect(self._on_failed)

    def preparing(self) -> None:
        self.label.setText("Search: preparing…")

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress.setMaximum(total)
            self._progress.setValue(done)
            self._progress.show()
        self.label.setText(f"Building the search index… {done} of {total}")

    @Slot(object)
    def _on_ready(self, status: IndexStatus) -> None:
        if self._progress is not None:
            self._progress.hide()
        self.label.setText(f"Search ready · {status.documents} passages")
        where = str(status.path) if status.path else "memory (this session only)"
        self.label.setToolTip(f"Search index: {where}")
        if status.warning:
            self._bar.showMessage(status.warning, 15000)
        elif status.built:
            self._bar.showMessage(
                f"Search index built in {status.seconds * 1000:.0f} ms ({status.reason}).", 5000
            )

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if self._progress is not None:
            self._progress.hide()
        self.label.setText("Search unavailable")
        self.label.setToolTip(message)
        self._bar.showMessage(message, 15000)
