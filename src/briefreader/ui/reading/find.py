"""Find in page: the find bar under the tabs, and stepping through the highlights.

The reader's highlights are either a search's words (put there when a search result is
opened) or the find bar's phrase; which of the two they are decides what Esc and closing the
bar clear. The bar itself is built after the first paint (a start-up step).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Slot

from briefreader.core.highlight import first_at_or_after, phrase_spans

if TYPE_CHECKING:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWidget

    from briefreader.ui.reading.find_bar import FindBar
    from briefreader.ui.reading.reader import ReaderView
else:
    from briefreader.ui.shared.lazy_qt import Qt


class StatusHost(Protocol):
    def show_status(self, text: str, milliseconds: int = 6000) -> None: ...


class FindInPage(QObject):
    """The find bar and the open tab's highlights."""

    def __init__(
        self,
        host: StatusHost,
        current_reader: Callable[[], ReaderView],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self._current_reader = current_reader
        self._bar: FindBar | None = None
        self._kind = ""  # "search" or "find": what the reader's highlights are

    def build_bar(self, parent: QWidget) -> FindBar:
        from briefreader.ui.reading.find_bar import FindBar

        bar = self._bar = FindBar(parent)
        bar.text_changed.connect(self._on_text)
        bar.next_requested.connect(lambda: self.step_highlight(1))
        bar.previous_requested.connect(lambda: self.step_highlight(-1))
        bar.closed.connect(self._on_closed)
        return bar

    @property
    def bar(self) -> FindBar:
        """The find bar (built by a start-up step)."""
        assert self._bar is not None, "the find bar is built after the first paint"
        return self._bar

    def marking_search(self) -> None:
        """The reader's highlights are now a search's words."""
        self._kind = "search"

    def close_bar(self) -> None:
        if self._bar is not None:
            self._bar.close_bar()

    def refind(self) -> None:
        """Find the bar's phrase again (in the tab now open)."""
        bar = self._bar
        if bar is not None and bar.isVisible() and bar.field.text():
            self._on_text(bar.field.text())

    def step_highlight(self, step: int) -> None:
        reader = self._current_reader()
        if not reader.highlight_count and self.bar.field.text().strip():
            self._on_text(self.bar.field.text())
        if not reader.step_highlight(step):
            self._host.show_status("Nothing is highlighted: search, or find in page with Ctrl+F.")

    @Slot()
    def clear_highlights(self) -> None:
        cleared = self._current_reader().clear_highlights()
        if self.bar.isVisible():
            self.bar.close_bar()
        elif cleared:
            self._host.show_status("Highlights cleared.", 2500)

    @Slot()
    def open_bar(self) -> None:
        selected = self._current_reader().textCursor().selectedText()
        self.bar.open_bar(selected if 0 < len(selected) <= 80 else "")
        if self.bar.field.text():
            self._on_text(self.bar.field.text())

    @Slot(str)
    def _on_text(self, text: str) -> None:
        reader = self._current_reader()
        if not reader.is_loaded:
            return
        if not text.strip():
            if self._kind == "find":
                reader.clear_highlights()
            self.bar.show_count(-1, 0)
            return
        spans = phrase_spans(reader.page_text(), text)
        self._kind = "find"
        reader.set_highlights(spans, first_at_or_after(spans, reader.top_position()))
        self.bar.show_count(reader.current_highlight, len(spans))

    @Slot()
    def _on_closed(self) -> None:
        reader = self._current_reader()
        if self._kind == "find":
            reader.clear_highlights()
        reader.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(int, int)
    def on_highlights_changed(self, current: int, total: int) -> None:
        if self.sender() is not self._current_reader():
            return
        if self._kind == "find" and self._bar is not None and self._bar.isVisible():
            self._bar.show_count(current, total)
        elif total and current >= 0:
            self._host.show_status(f"Match {current + 1} of {total}", 3000)
