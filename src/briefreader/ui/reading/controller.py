"""Reading: one tab per theme, its pages rendered off the GUI thread, landing, find, zoom.

The tab widget and the open tab's contents list and reader are in the window's first frame;
the other tabs are built, and every contents list filled, by a start-up step
(:meth:`ReadingController.build_all_tabs`). Pages come from :class:`PageSource`: a page an
earlier run kept is shown at once from the GUI thread (a file read, no Markdown); any other
is rendered on a worker of the window's :class:`BackgroundTasks`, one at a time (the
renderer keeps one Python-Markdown instance, which is not safe to share between threads),
the tab asked for first. Find in page is :class:`~briefreader.ui.reading.find.FindInPage`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QTabWidget, QToolButton, QVBoxLayout, QWidget

from briefreader.core.highlight import first_at_or_after, word_spans
from briefreader.core.model import Briefing
from briefreader.ui.reading.find import FindInPage
from briefreader.ui.reading.font import reading_font
from briefreader.ui.reading.theme_tab import ThemeTab
from briefreader.ui.shared.lazy_qt import set_enum_property
from briefreader.ui.shared.settings import ZOOM_MAX, ZOOM_MIN, AppSettings

if TYPE_CHECKING:
    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtGui import QAction

    from briefreader.core.pages import PageSource
    from briefreader.core.render import RenderedTheme
    from briefreader.ui.reading.reader import ReaderView
    from briefreader.ui.shared.tasks import BackgroundTasks, CancelToken
else:
    from briefreader.ui.shared.lazy_qt import Qt

TOOL_BUTTON_TEXT_ONLY = 1  # Qt::ToolButtonTextOnly (a test holds it to Qt's)
ZOOM_STEPS = (60, 70, 80, 90, 100, 110, 120, 135, 150, 170, 200, 240)


class ReadingHost(Protocol):
    """What reading asks of the window."""

    def show_status(self, text: str, milliseconds: int = 6000) -> None: ...

    def announce(self, text: str) -> None: ...


class ReadingController(QObject):
    """The theme tabs and everything done in them."""

    section_opened = Signal(str)  # a section was brought into view by open_section
    current_section_changed = Signal(str)  # the section being read in the open tab
    current_tab_changed = Signal()
    zoom_changed = Signal(int)  # percent

    def __init__(
        self,
        host: ReadingHost,
        briefing: Briefing,
        settings: AppSettings,
        tasks: BackgroundTasks,
        pages_folder: Path,
        *,
        dark: bool,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self._briefing = briefing
        self._settings = settings
        self._tasks = tasks
        self._pages_folder = pages_folder
        self._pages: PageSource | None = None
        self._dark = dark
        self._zoom = settings.zoom
        self._started = False  # pages are loaded when a tab is shown
        self._rendered: dict[str, RenderedTheme] = {}
        self._render_queue: list[tuple[ThemeTab, list[Callable[[], None]]]] = []
        self._rendering: tuple[ThemeTab, list[Callable[[], None]]] | None = None
        self._from_cache: set[str] = set()  # tabs showing a kept page not yet rendered again
        self._splitter_state: QByteArray | None = None  # the contents' width, for every tab
        self.find = FindInPage(host, self.current_reader, self)

        self.widget = central = QWidget(parent)
        self._layout = layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.tabs = QTabWidget(central)
        self.tabs.setObjectName("themeTabs")
        self.tabs.setAccessibleName("Themes")
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(True)
        # Qt names a tab list after its current tab whatever it is given (and gives it no
        # description): the tab widget around it carries the name.
        self.tabs.tabBar().setAccessibleName("Themes")
        # Every theme one click away even when the tabs do not fit (at 1024 px, the last two
        # hid behind the scroll arrows): a button listing them, its menu made after the paint.
        self.theme_list = QToolButton(self.tabs)
        self.theme_list.setObjectName("themeList")
        self.theme_list.setText("Themes")
        self.theme_list.setAccessibleName("List of all themes")
        self.theme_list.setToolTip("Go to any theme (Alt+1 to Alt+9)")
        self.theme_list.setAutoRaise(True)
        self.theme_list.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # By number, and the corner by default (top right): Qt's enums are not set up before
        # the first paint (ui/shared/lazy_qt.py).
        set_enum_property(self.theme_list, "toolButtonStyle", TOOL_BUTTON_TEXT_ONLY)
        self.tabs.setCornerWidget(self.theme_list)
        self._tabs: dict[str, ThemeTab] = {}
        for number, theme in enumerate(briefing.themes, start=1):
            tab = ThemeTab(theme, self.tabs)  # empty: built when first needed (theme_tab.py)
            tab.built.connect(partial(self._on_tab_built, tab))
            tab.reading_section_changed.connect(self._on_reading_section_changed)
            tab.splitterMoved.connect(lambda _pos, _i, t=tab: self._sync_splitters(t))
            index = self.tabs.addTab(tab, theme.title)
            if number <= 9:
                self.tabs.setTabToolTip(index, f"{theme.title} (Alt+{number})")
            self._tabs[theme.id] = tab
        self.current_tab().build()  # the open one (restoring the session may open another)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        layout.addWidget(self.tabs, 1)

    # -- tabs ------------------------------------------------------------------------------

    @property
    def pages(self) -> PageSource:
        """Rendered pages and the reader's stylesheet, made on first use (after the paint)."""
        if self._pages is None:
            from briefreader.core.pages import PageSource

            self._pages = PageSource(self._briefing, self._pages_folder)
        return self._pages

    def all_tabs(self) -> list[ThemeTab]:
        return list(self._tabs.values())

    def current_tab(self) -> ThemeTab:
        tab = self.tabs.currentWidget()
        assert isinstance(tab, ThemeTab)
        return tab

    def current_reader(self) -> ReaderView:
        return self.current_tab().reader

    def readers(self) -> list[ReaderView]:
        """Every tab's reader, in tab order (a tab not built yet is built)."""
        return [tab.reader for tab in self._tabs.values()]

    def tab_for(self, theme_id: str) -> ThemeTab | None:
        return self._tabs.get(theme_id)

    def current_section_id(self) -> str | None:
        """The section being read in the open tab, as its table of contents shows it."""
        reader = self.current_reader()
        if reader.is_loaded:
            return reader.reading_section_id() or None
        return self.current_tab().toc.current_section_id()

    def open_theme(self, theme_id: str) -> bool:
        tab = self._tabs.get(theme_id)
        if tab is None:
            return False
        self.tabs.setCurrentWidget(tab)
        return True

    def step_tab(self, step: int) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    def _on_tab_built(self, tab: ThemeTab) -> None:
        reader = tab.reader
        reader.highlights_changed.connect(self.find.on_highlights_changed)
        reader.external_link_activated.connect(self._on_external_link)
        reader.open_section_requested.connect(self.open_section)
        reader.highlighted.connect(self._on_link_hovered)
        if self._splitter_state is not None:
            tab.restoreState(self._splitter_state)

    @Slot(int)
    def _on_tab_changed(self, _index: int) -> None:
        tab = self.current_tab()
        tab.build()
        if self._started:
            self.load_tab(tab)
        self.current_tab_changed.emit()
        tab.when_ready(self.find.refind)
        if tab.is_loaded:
            tab.when_ready(
                lambda: self.current_section_changed.emit(self.current_section_id() or "")
            )

    def _sync_splitters(self, moved: ThemeTab) -> None:
        self._splitter_state = moved.saveState()
        sizes = moved.sizes()
        for tab in self._tabs.values():
            if tab is not moved and tab.is_built:
                tab.setSizes(sizes)

    @Slot(str)
    def _on_reading_section_changed(self, section_id: str) -> None:
        if self.sender() is self.current_tab():
            self.current_section_changed.emit(section_id)

    # -- start-up steps --------------------------------------------------------------------

    def show_open_page(self, then: Callable[[], None]) -> None:
        """The open tab's text: the page the last run kept, at once, or rendered now (off
        the GUI thread); ``then`` runs once it is in."""
        tab = self.current_tab()
        if not tab.is_loaded and self._show_kept_page(tab):
            tab.reader.repaint()  # now, rather than after the next start-up steps
        if tab.is_loaded:
            then()
        else:
            self._started = True
            self.load_tab(tab, then)

    def build_all_tabs(self) -> None:
        for tab in self._tabs.values():
            tab.build()
            tab.toc.fill()
        self._build_theme_list()

    def _build_theme_list(self) -> None:
        from PySide6.QtGui import QActionGroup
        from PySide6.QtWidgets import QMenu

        menu = QMenu(self.theme_list)
        group = QActionGroup(menu)
        self._theme_actions: dict[str, QAction] = {}
        for number, theme in enumerate(self._briefing.themes, start=1):
            # The key as a reminder after a tab: the Go menu binds it (bound twice, it would
            # be ambiguous and do nothing).
            key = f"\tAlt+{number}" if number <= 9 else ""
            action = menu.addAction(f"{theme.title}{key}")
            action.setCheckable(True)
            action.triggered.connect(partial(self.open_theme, theme.id))
            group.addAction(action)
            self._theme_actions[theme.id] = action
        self.theme_list.setMenu(menu)
        menu.aboutToShow.connect(self._check_current_theme)

    @Slot()
    def _check_current_theme(self) -> None:
        action = self._theme_actions.get(self.current_tab().theme.id)
        if action is not None:
            action.setChecked(True)

    def build_find_bar(self) -> None:
        self._layout.addWidget(self.find.build_bar(self.widget))

    def load_all(self) -> None:
        """Render every tab's page, the open one first (a kept page is rendered again, and
        replaced if it differs)."""
        self._started = True
        current = self.current_tab()
        for tab in [current, *(t for t in self._tabs.values() if t is not current)]:
            if self._needs_rendering(tab):
                self.load_tab(tab, first=False)

    def stop(self) -> None:
        """Render nothing more (the window is closing)."""
        self._render_queue.clear()

    # -- pages -----------------------------------------------------------------------------

    def _show_kept_page(self, tab: ThemeTab) -> bool:
        html = self.pages.cached_html(tab.theme.id)
        if html is None or tab.is_loaded:
            return False
        self._fill_tab(tab, html, self.pages.anchors(tab.theme.id))
        self._from_cache.add(tab.theme.id)
        return True

    def _needs_rendering(self, tab: ThemeTab) -> bool:
        return not tab.is_loaded or tab.theme.id in self._from_cache

    def load_tab(
        self, tab: ThemeTab, then: Callable[[], None] | None = None, *, first: bool = True
    ) -> None:
        """Render a theme's page into its tab (once), off the GUI thread; ``then`` runs
        when it is in. A tab showing a kept page gets the new rendering only if it differs
        (an earlier release rendered it), keeping the reading position."""
        waiting = [then] if then is not None else []
        if not self._needs_rendering(tab):
            for action in waiting:
                action()
            return
        page = self._rendered.get(tab.theme.id)
        if page is not None:
            self._apply(tab, page, waiting)
            return
        if self._rendering is not None and self._rendering[0] is tab:
            self._rendering[1].extend(waiting)
            return
        for queued in self._render_queue:
            if queued[0] is tab:
                queued[1].extend(waiting)
                if first:
                    self._render_queue.remove(queued)
                    self._render_queue.insert(0, queued)
                break
        else:
            entry = (tab, waiting)
            self._render_queue.insert(0, entry) if first else self._render_queue.append(entry)
        self._render_next()

    def _render_next(self) -> None:
        if self._rendering is not None or not self._render_queue:
            return
        self._rendering = self._render_queue.pop(0)
        theme_id = self._rendering[0].theme.id
        pages = self.pages

        def render(token: CancelToken) -> RenderedTheme:
            return pages.page(theme_id)

        self._tasks.run(render, self._on_rendered, self._on_render_failed)

    def _on_rendered(self, page: RenderedTheme) -> None:
        assert self._rendering is not None
        (tab, waiting), self._rendering = self._rendering, None
        self._rendered[tab.theme.id] = page
        self._apply(tab, page, waiting)
        self._render_next()

    def _on_render_failed(self, error: BaseException) -> None:
        assert self._rendering is not None
        tab = self._rendering[0]
        self._rendering = None
        self._host.show_status(
            f"The page of “{tab.theme.title}” could not be shown "
            f"({type(error).__name__}: {error}).",
            15000,
        )
        self._render_next()

    def _apply(self, tab: ThemeTab, page: RenderedTheme, waiting: list[Callable[[], None]]) -> None:
        theme_id = tab.theme.id
        if theme_id in self._from_cache:
            self._from_cache.discard(theme_id)
            if page.html != tab.reader.page_html:
                tab.reader.replace_html(page.html)
        elif not tab.is_loaded:
            self._fill_tab(tab, page.html, [entry.anchor for entry in page.toc])
        for action in waiting:
            action()

    def _fill_tab(self, tab: ThemeTab, html: str, anchors: list[str]) -> None:
        tab.load(html, anchors, self.pages.stylesheet(self._dark), reading_font(self._zoom))
        tab.reader.set_dark(self._dark)

    # -- landing on a section --------------------------------------------------------------

    def open_section(
        self,
        section_id: str,
        words: Sequence[str] = (),
        *,
        announce_query: str = "",
        keep_focus: bool = False,
    ) -> bool:
        """Show a section at the top of its tab, with ``words`` highlighted in the tab."""
        section = self._briefing.section(section_id)
        tab = self._tabs.get(section.theme_id) if section is not None else None
        if section is None or tab is None:
            self._host.show_status(f"No section {section_id!r} in this briefing.")
            return False
        self.load_tab(tab)
        self.find.close_bar()
        self.tabs.setCurrentWidget(tab)
        tab.when_ready(lambda: self._land(tab, section_id, words, announce_query, keep_focus))
        return True

    def _land(
        self,
        tab: ThemeTab,
        section_id: str,
        words: Sequence[str],
        query: str,
        keep_focus: bool = False,
    ) -> None:
        reader = tab.reader
        reader.scroll_to_section(section_id)
        if words:
            spans = word_spans(reader.page_text(), words)
            start = reader.section_position(section_id) or 0
            self.find.marking_search()
            reader.set_highlights(spans, first_at_or_after(spans, start))
            count = len(spans)
            noun = "match" if count == 1 else "matches"
            about = f" for “{query}”" if query else ""
            self._host.announce(
                f"{count} {noun}{about} in {tab.theme.title}. "
                "F3: next, Shift+F3: previous, Esc: clear."
            )
        else:
            reader.clear_highlights()
        if not keep_focus:
            reader.setFocus(Qt.FocusReason.OtherFocusReason)
        self.section_opened.emit(section_id)

    # -- links ---------------------------------------------------------------------------

    def _on_external_link(self, url: object) -> None:
        self._host.show_status("That link needs an internet connection; its address can be copied.")

    def _on_link_hovered(self, url: object) -> None:
        text = url.toString() if hasattr(url, "toString") else str(url)
        if text and not text.startswith("#"):
            self._host.show_status(f"{text}  (needs an internet connection)", 4000)

    # -- reading comfort -------------------------------------------------------------------

    @property
    def zoom(self) -> int:
        return self._zoom

    def zoom_by(self, steps: int) -> None:
        if steps > 0:
            bigger = [z for z in ZOOM_STEPS if z > self._zoom]
            self.set_zoom(bigger[0] if bigger else ZOOM_MAX)
        else:
            smaller = [z for z in ZOOM_STEPS if z < self._zoom]
            self.set_zoom(smaller[-1] if smaller else ZOOM_MIN)

    def set_zoom(self, percent: int) -> None:
        percent = max(ZOOM_MIN, min(ZOOM_MAX, percent))
        self._zoom = self._settings.zoom = percent
        font = reading_font(percent)
        for tab in self._tabs.values():
            if tab.is_loaded:
                tab.reader.set_reading_font(font)
        self.zoom_changed.emit(percent)
        self._host.show_status(f"Text size {percent}%", 2000)

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        stylesheet = self.pages.stylesheet(dark)
        for tab in self._tabs.values():
            if tab.is_loaded:
                tab.reader.set_stylesheet(stylesheet)
            if tab.is_built:  # one built later is given the appearance when it is filled
                tab.reader.set_dark(dark)

    # -- focus and the session -------------------------------------------------------------

    @Slot()
    def focus_reader(self) -> None:
        self.current_reader().setFocus(Qt.FocusReason.ShortcutFocusReason)

    @Slot()
    def focus_contents(self) -> None:
        self.current_tab().toc.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def restore(self, splitter: QByteArray, tab_id: str) -> None:
        """Put back the contents' width, each tab's reading position and the open tab."""
        if not splitter.isEmpty():
            self._splitter_state = splitter  # for the tabs built later, too
            for tab in self._tabs.values():
                if tab.is_built:
                    tab.restoreState(splitter)
        for theme_id, tab in self._tabs.items():
            position = self._settings.scroll(theme_id)
            if position > 0:
                tab.when_ready(partial(_scroll_tab, tab, position))
        remembered = self._tabs.get(tab_id)
        if remembered is not None:
            self.tabs.setCurrentWidget(remembered)

    def save(self) -> None:
        settings = self._settings
        settings.splitter = self.current_tab().saveState()
        settings.tab = self.current_tab().theme.id
        settings.zoom = self._zoom
        for theme_id, tab in self._tabs.items():
            # A tab never shown this session has no layout: keep what was remembered for it.
            if tab.is_loaded and tab.has_been_shown:
                settings.set_scroll(theme_id, tab.reader.top_position())


def _scroll_tab(tab: ThemeTab, position: int) -> None:
    tab.reader.set_top_position(position)
