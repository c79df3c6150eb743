"""Search as you type: the field, the results panel, the worker service, landing on a hit.

The field and the results panel's dock are in the window's first frame; the panel in the
dock is built by a start-up step (:meth:`SearchController.build_panel`), and the service
(with its worker thread, and Whoosh on that thread) is made on first use: a query typed
before the first paint waits on the worker's queue and is shown when the panel is there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QLineEdit, QWidget

from briefreader.core.locations import resources_dir
from briefreader.core.model import Briefing
from briefreader.ui.search.field import SearchField
from briefreader.ui.shared.accessibility import name_action_button
from briefreader.ui.shared.settings import AppSettings

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtCore import Qt

    from briefreader.core.search.results import FigureAnswer, Hit, SearchResult
    from briefreader.ui.search.results_panel import ResultsPanel
    from briefreader.ui.search.service import SearchService
    from briefreader.ui.search.status import IndexStatusView
else:
    from briefreader.ui.shared.lazy_qt import Qt

# The result count is announced after this long without a newer answer: typing "sextortion"
# gave one announcement per keystroke before.
ANNOUNCE_DELAY_MS = 700


class SearchHost(Protocol):
    """What search asks of the window."""

    def open_section(
        self, section_id: str, words: Sequence[str] = (), *, announce_query: str = ""
    ) -> bool: ...

    def announce(self, text: str) -> None: ...

    def show_status(self, text: str, milliseconds: int = 6000) -> None: ...

    def focus_reader(self) -> None: ...


class SearchController(QObject):
    """The search field, its results and the index behind them."""

    search_ready = Signal()  # the index is open: searches are answered
    results_shown = Signal(object)  # the SearchResult now in the results panel

    def __init__(
        self,
        host: SearchHost,
        briefing: Briefing,
        settings: AppSettings,
        index_folder: Path,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self._briefing = briefing
        self._settings = settings
        self._index_folder = index_folder
        self._service: SearchService | None = None
        self._panel: ResultsPanel | None = None
        self._status: IndexStatusView | None = None
        self._last_result: SearchResult | None = None
        self._open_when_answered = False
        self._theme_filter: str | None = None

        field = self.field = SearchField(parent)
        field.setPlaceholderText("Search the briefing  (preparing…)")
        field.setMinimumWidth(460)
        field.setMinimumHeight(30)
        font = field.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        field.setFont(font)
        # The magnifier's place now, its picture after the first paint: an action without an
        # icon takes the same room, so the placeholder text does not move when it comes, and
        # loading the SVG icon plugin is work the first frame does not need.
        self._icon: QAction | None = None
        if (resources_dir() / "search.svg").is_file():
            self._icon = QAction(field)
            field.addAction(self._icon, QLineEdit.ActionPosition.LeadingPosition)
            name_action_button(field, self._icon, "Search", "Search the briefing (Ctrl+K)")
        field.set_recent(settings.recent_searches)
        field.textChanged.connect(self._on_query_changed)
        field.down_requested.connect(self._on_field_down)
        field.accept_requested.connect(self._on_field_accept)
        field.leave_requested.connect(host.focus_reader)

        # Keystrokes coalesced: a key asks for a search at the end of this pass of the event
        # loop, for what the field holds then, so that keys that arrive together (a paste, a
        # fast typist, keys queued behind a paint) send one search, for the last text.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(0)
        self._search_timer.timeout.connect(self._send_query)

        self._announce_timer = QTimer(self)
        self._announce_timer.setSingleShot(True)
        self._announce_timer.setInterval(ANNOUNCE_DELAY_MS)
        self._announce_timer.timeout.connect(self._announce_result)

        # The dock is in the first frame, in its place; the panel in it comes after the paint.
        self.dock = QDockWidget("Search results", parent)
        self.dock.setObjectName("resultsDock")
        self.dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )

    # -- built after the first paint -------------------------------------------------------

    @property
    def service(self) -> SearchService:
        """Search on a worker thread (ui/search/service.py), made on first use."""
        if self._service is None:
            from briefreader.ui.search.service import SearchService

            service = self._service = SearchService(self._briefing, self._index_folder, self)
            service.results_ready.connect(self._on_results)
            service.index_ready.connect(self._on_index_ready)
            service.index_failed.connect(self._on_index_failed)
            if self._status is not None:
                self._status.watch(service)
        return self._service

    @property
    def panel(self) -> ResultsPanel:
        assert self._panel is not None, "the results panel is built after the first paint"
        return self._panel

    def show_icon(self) -> None:
        if self._icon is not None:
            from PySide6.QtGui import QIcon

            self._icon.setIcon(QIcon(str(resources_dir() / "search.svg")))

    def build_panel(self) -> None:
        from briefreader.ui.search.results_panel import ResultsPanel

        panel = self._panel = ResultsPanel(self._briefing, self.dock)
        self.dock.setWidget(panel)
        panel.open_requested.connect(self.open_hit)
        panel.answer_open_requested.connect(self.open_answer)
        panel.more_requested.connect(self._on_more_requested)
        panel.theme_filter_changed.connect(self._on_theme_filter)
        panel.query_requested.connect(self._on_query_requested)
        panel.back_requested.connect(self.focus_search)
        panel.set_theme_filter(self._theme_filter)
        panel.show_intro(self._settings.recent_searches)
        text = self.field.text()
        if text.strip():  # typed before the panel was there: its query is on its way
            self.dock.show()
            if self._last_result is not None and self._last_result.query == text:
                self._show(self._last_result)
            elif self.service.error:
                panel.show_unavailable(self.service.error)
            else:
                panel.show_preparing(text)

    def attach_status(self, status: IndexStatusView) -> None:
        self._status = status
        if self._service is not None:
            status.watch(self._service)

    def start(self) -> None:
        """Open or build the index on the worker."""
        if self._status is not None:
            self._status.preparing()
        self.service.start()

    def shutdown(self, timeout_ms: int = 1000) -> None:
        if self._service is not None:
            self._service.shutdown(timeout_ms)

    def refresh(self) -> None:
        """Draw the results again (the appearance changed)."""
        if self._panel is not None:
            self._panel.list.viewport().update()

    # -- queries ---------------------------------------------------------------------------

    def last_result(self) -> SearchResult | None:
        return self._last_result

    def current_hit(self) -> Hit | None:
        return self._panel.current_hit() if self._panel is not None else None

    def type_query(self, text: str, theme: str | None = None) -> None:
        """Type ``text`` into the search field (as the reader would)."""
        self._theme_filter = theme
        if self._panel is not None:
            self._panel.set_theme_filter(theme)
        self.field.setText(text)

    @Slot(str)
    def _on_query_changed(self, text: str) -> None:
        self._open_when_answered = False
        panel = self._panel
        if not text.strip():
            self._search_timer.stop()
            if self._service is not None:
                self._service.cancel()
            self._last_result = None
            if panel is not None:
                panel.show_intro(self._settings.recent_searches)
            return
        if not self.dock.isVisible() and panel is not None:
            self.dock.show()
        service = self.service
        if service.error:
            if panel is not None:
                panel.show_unavailable(service.error)
            return
        if not service.ready and panel is not None:
            panel.show_preparing(text)
        self._search_timer.start()

    @Slot()
    def _send_query(self) -> None:
        text = self.field.text()
        if text.strip() and not self.service.error:
            self.service.search(text, self._theme_filter)

    @Slot(object)
    def _on_theme_filter(self, theme_id: str | None) -> None:
        self._theme_filter = theme_id
        text = self.field.text()
        if text.strip() and not self.service.error:
            self._search_timer.stop()  # this search is for the field's text already
            self.service.search(text, theme_id)

    @Slot(str)
    def _on_query_requested(self, text: str) -> None:
        self.field.setText(text)
        self.focus_search()

    @Slot(int)
    def _on_more_requested(self, limit: int) -> None:
        text = self.field.text()
        if text.strip() and not self.service.error:
            self._search_timer.stop()
            self.service.search(text, self._theme_filter, limit)

    @Slot(object)
    def _on_results(self, result: SearchResult) -> None:
        # Only the answer to what the field holds now: an answer to an earlier keystroke
        # that arrives late would mark its words ("legal" for "leg") under the new query.
        if result.query != self.field.text():
            return
        self._last_result = result
        if self._panel is not None:
            self._show(result)

    def _show(self, result: SearchResult) -> None:
        self.panel.show_result(result)
        # Said once the results settle, not on every keystroke (each one answers anew).
        self._announce_timer.start()
        self.results_shown.emit(result)
        if self._open_when_answered:
            self._open_when_answered = False
            if result.hits:
                self.open_hit(result.hits[0])

    @Slot()
    def _announce_result(self) -> None:
        result = self._last_result
        if result is not None and self._panel is not None and result.query == self.field.text():
            self._host.announce(self._panel.summary_text(result))

    @Slot()
    def _on_field_down(self) -> None:
        if self._panel is not None:
            self._panel.focus_results()

    @Slot()
    def _on_field_accept(self) -> None:
        text = self.field.text().strip()
        if not text:
            return
        result = self._last_result
        if self._panel is None or result is None or result.query != self.field.text():
            self._open_when_answered = True  # the answer is on its way: open it on arrival
            return
        hit = self._panel.current_hit()
        if hit is not None:
            self.open_hit(hit)
        else:
            self.field.set_recent(self._settings.add_recent_search(text))

    @Slot(object)
    def open_hit(self, hit: Hit) -> None:
        """Open a search result: its tab, the section in view, the query's words marked."""
        query = self.field.text()
        if query.strip():
            self.field.set_recent(self._settings.add_recent_search(query))
        words = set(hit.matched_words)
        if self._last_result is not None:
            for other in self._last_result.hits:
                if other.theme == hit.theme:
                    words.update(other.matched_words)
        self._host.open_section(hit.id, sorted(words), announce_query=query)

    @Slot(object)
    def open_answer(self, answer: FigureAnswer) -> None:
        """Open the passage a figure answer comes from, with the figure marked in it."""
        from briefreader.core.highlight import word_spans

        section = self._briefing.section(answer.section_id)
        # Mark the value only where the passage has it as written.
        found = section is not None and bool(word_spans(section.text, [answer.value]))
        query = self.field.text()
        if query.strip():
            self.field.set_recent(self._settings.add_recent_search(query))
        self._host.open_section(
            answer.section_id, [answer.value] if found else [], announce_query=query
        )

    @Slot()
    def focus_search(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    # -- the index -------------------------------------------------------------------------

    @Slot(object)
    def _on_index_ready(self, _status: object) -> None:
        self.field.setPlaceholderText("Search the briefing  (Ctrl+K)")
        self.search_ready.emit()

    @Slot(str)
    def _on_index_failed(self, message: str) -> None:
        if self._panel is not None and self.field.text().strip():
            self._panel.show_unavailable(message)
