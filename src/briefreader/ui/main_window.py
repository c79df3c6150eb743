"""The main window: a search field, a results panel, one tab per theme, a status bar.

Start-up: the window is built from the loaded briefing (tables of contents included) without
rendering anything; after its first paint it renders the open tab, starts the search index
on a worker thread, and renders the other tabs one per turn of the event loop.

For other features (the excerpts helper), the window offers:

- ``readers()`` / ``current_reader()``: each tab's :class:`~briefreader.ui.reader.ReaderView`
  (``theme_id``, ``section_at(position)``, ``section_id_at_cursor()``, ``textCursor()``,
  and the ``context_menu_about_to_show(QMenu, position)`` signal to add menu actions);
- ``current_section_id()`` and ``current_section_changed(str)``: the section being read in
  the open tab (what the table of contents shows);
- ``current_hit()`` and ``current_hit_changed(object)``: the selected search result, and
  ``results_panel.context_menu_about_to_show(QMenu, Hit)`` for the results' context menu;
- the menus ``file_menu``, ``edit_menu``, ``view_menu``, ``go_menu``, ``help_menu``, and
  :meth:`add_dock` for a panel (it is listed in the View menu and remembered);
- :meth:`open_section` to show a section (optionally with words highlighted);
- :meth:`show_status` for a short message in the status bar.

Add docks before :meth:`restore_session` so that their place is restored with the rest.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QAction,
    QActionGroup,
    QCloseEvent,
    QIcon,
    QKeySequence,
    QPaintEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QSizePolicy,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from briefreader.core.highlight import first_at_or_after, phrase_spans, word_spans
from briefreader.core.model import Briefing
from briefreader.core.paths import cache_dir as default_cache_dir
from briefreader.core.paths import data_dir as default_data_dir
from briefreader.core.paths import resources_dir
from briefreader.ui.about import AboutDialog, about_html
from briefreader.ui.appearance import Appearance, reading_font
from briefreader.ui.find_bar import FindBar
from briefreader.ui.pages import PageSource
from briefreader.ui.reader import ReaderView
from briefreader.ui.results import SYNTAX_HELP_HTML, ResultsPanel
from briefreader.ui.search_field import SearchField
from briefreader.ui.search_service import SearchService
from briefreader.ui.settings import ZOOM_DEFAULT, ZOOM_MAX, ZOOM_MIN, AppSettings
from briefreader.ui.theme_tab import ThemeTab

if TYPE_CHECKING:
    from briefreader.core.search import Hit, IndexStatus, SearchResult

ZOOM_STEPS = (60, 70, 80, 90, 100, 110, 120, 135, 150, 170, 200, 240)
RESULTS_DOCK_WIDTH = 350
SIDE_DOCK_WIDTH = 300
FIRST_PAINT_FALLBACK_MS = 1500  # start anyway if the window never paints (started minimised)

_CHIPS_QSS = """
QPushButton#chip {
    border: 1px solid palette(mid); border-radius: 11px; padding: 3px 10px;
    background: palette(base); color: palette(text);
}
QPushButton#chip:hover { border-color: palette(highlight); }
QPushButton#chip:focus { border: 2px solid palette(highlight); padding: 2px 9px; }
QPushButton#chip:checked {
    background: palette(highlight); color: palette(highlighted-text);
    border-color: palette(highlight);
}
"""


def _typeable(shortcuts: Sequence[QKeySequence]) -> list[str]:
    """Shortcuts as a person types them: not the dedicated keys ("Copy", "Zoom In", "Back")
    some keyboards have, which the standard key bindings include."""
    names = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in shortcuts]
    return [n for n in names if ("+" in n or re.fullmatch(r"F\d+|Esc", n)) and "Backtab" not in n]


class MainWindow(QMainWindow):
    """The reader's window. See the module's docstring for what other features can use."""

    first_painted = Signal()
    search_ready = Signal()  # the index is open: searches are answered
    search_failed = Signal(str)
    results_shown = Signal(object)  # the SearchResult now in the results panel
    section_opened = Signal(str)  # a section was brought into view by open_section
    current_section_changed = Signal(str)  # the section being read in the open tab
    current_hit_changed = Signal(object)  # the selected search result (Hit) or None
    tab_loaded = Signal(str)  # a theme's page was rendered into its tab

    def __init__(
        self,
        briefing: Briefing,
        settings: AppSettings,
        *,
        appearance: Appearance | None = None,
        cache_dir: Path | None = None,
        data_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.briefing = briefing
        self.settings = settings
        self.cache_dir = cache_dir if cache_dir is not None else default_cache_dir()
        self.data_dir = data_dir if data_dir is not None else default_data_dir()
        app = QApplication.instance()
        assert isinstance(app, QApplication), "create the QApplication first"
        self.appearance = (
            appearance if appearance is not None else Appearance(app, settings.appearance)
        )
        self.pages = PageSource(briefing)
        self.search_service = SearchService(briefing, self.cache_dir, self)
        self._zoom = settings.zoom
        self._started = False
        self._painted = False
        self._last_result: SearchResult | None = None
        self._open_when_answered = False
        self._theme_filter: str | None = None
        self._load_queue: list[ThemeTab] = []
        self._highlight_kind = ""  # "search" or "find": what the reader's highlights are

        self.setWindowTitle(briefing.title)
        available = self.screen().availableGeometry()
        self.resize(
            min(1280, int(available.width() * 0.92)), min(820, int(available.height() * 0.9))
        )
        self._build_tabs()
        self._build_search()
        self._build_status_bar()
        self._build_menus()
        self._set_focus_order()
        self.appearance.changed.connect(self._on_appearance_changed)
        self.search_service.index_progress.connect(self._on_index_progress)
        self.search_service.index_ready.connect(self._on_index_ready)
        self.search_service.index_failed.connect(self._on_index_failed)
        self.search_service.results_ready.connect(self._on_results)
        self._update_title()

    # -- building --------------------------------------------------------------------------

    def _build_tabs(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.tabs = QTabWidget(central)
        self.tabs.setObjectName("themeTabs")
        self.tabs.setAccessibleName("Themes")
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(True)
        self._tabs: dict[str, ThemeTab] = {}
        for number, theme in enumerate(self.briefing.themes, start=1):
            tab = ThemeTab(theme, self.tabs)
            tab.reading_section_changed.connect(self._on_reading_section_changed)
            tab.splitterMoved.connect(lambda _pos, _i, t=tab: self._sync_splitters(t))
            tab.reader.highlights_changed.connect(self._on_highlights_changed)
            tab.reader.external_link_activated.connect(self._on_external_link)
            tab.reader.highlighted.connect(self._on_link_hovered)
            index = self.tabs.addTab(tab, theme.title)
            if number <= 9:
                self.tabs.setTabToolTip(index, f"{theme.title} (Alt+{number})")
            self._tabs[theme.id] = tab
        self.tabs.currentChanged.connect(self._on_tab_changed)
        layout.addWidget(self.tabs, 1)
        self.find_bar = FindBar(central)
        self.find_bar.text_changed.connect(self._on_find_text)
        self.find_bar.next_requested.connect(lambda: self.step_highlight(1))
        self.find_bar.previous_requested.connect(lambda: self.step_highlight(-1))
        self.find_bar.closed.connect(self._on_find_closed)
        layout.addWidget(self.find_bar)
        self.setCentralWidget(central)

    def _build_search(self) -> None:
        toolbar = QToolBar("Search", self)
        toolbar.setObjectName("searchToolbar")
        toolbar.setMovable(False)
        toolbar.setFloatable(False)
        toolbar.toggleViewAction().setEnabled(False)
        self.search_field = SearchField(toolbar)
        self.search_field.setPlaceholderText("Search the briefing  (preparing…)")
        self.search_field.setMinimumWidth(460)
        self.search_field.setMinimumHeight(30)
        font = self.search_field.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.search_field.setFont(font)
        icon = resources_dir() / "search.svg"
        if icon.is_file():
            self.search_field.addAction(QIcon(str(icon)), QLineEdit.ActionPosition.LeadingPosition)
        self.search_field.set_recent(self.settings.recent_searches)
        spacer_left, spacer_right = QWidget(toolbar), QWidget(toolbar)
        for spacer in (spacer_left, spacer_right):
            spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer_left)
        toolbar.addWidget(self.search_field)
        toolbar.addWidget(spacer_right)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.toolbar = toolbar

        self.results_panel = ResultsPanel(self.briefing, self)
        self.results_panel.setStyleSheet(_CHIPS_QSS)
        self.results_dock = QDockWidget("Search results", self)
        self.results_dock.setObjectName("resultsDock")
        self.results_dock.setWidget(self.results_panel)
        self.results_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.results_dock)
        self.resizeDocks([self.results_dock], [RESULTS_DOCK_WIDTH], Qt.Orientation.Horizontal)

        self.search_field.textChanged.connect(self._on_query_changed)
        self.search_field.down_requested.connect(self._on_field_down)
        self.search_field.accept_requested.connect(self._on_field_accept)
        self.search_field.leave_requested.connect(self.focus_reader)
        self.results_panel.open_requested.connect(self.open_hit)
        self.results_panel.theme_filter_changed.connect(self._on_theme_filter)
        self.results_panel.query_requested.connect(self._on_query_requested)
        self.results_panel.back_requested.connect(self.focus_search)
        self.results_panel.current_hit_changed.connect(self.current_hit_changed)
        self.results_panel.show_intro(self.settings.recent_searches)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        self.index_label = QLabel("Search: waiting to start", bar)
        self.index_label.setObjectName("indexStatus")
        self.index_progress = QProgressBar(bar)
        self.index_progress.setObjectName("indexProgress")
        self.index_progress.setAccessibleName("Building the search index")
        self.index_progress.setMaximumWidth(160)
        self.index_progress.setTextVisible(False)
        self.index_progress.hide()
        self.zoom_label = QLabel(bar)
        self.zoom_label.setObjectName("zoomLevel")
        bar.addPermanentWidget(self.index_progress)
        bar.addPermanentWidget(self.index_label)
        bar.addPermanentWidget(self.zoom_label)
        self._show_zoom()

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: object,
        shortcuts: Sequence[QKeySequence | QKeySequence.StandardKey | str] = (),
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        keys: list[QKeySequence] = []
        for shortcut in shortcuts:
            if isinstance(shortcut, QKeySequence.StandardKey):
                keys += QKeySequence.keyBindings(shortcut)
            else:
                keys.append(QKeySequence(shortcut))
        unique: list[QKeySequence] = []
        for key in keys:
            if not key.isEmpty() and key not in unique:
                unique.append(key)
        if unique:
            action.setShortcuts(unique)
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)  # shortcuts work while the menu bar is hidden, too
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.edit_menu = bar.addMenu("&Edit")
        self.view_menu = bar.addMenu("&View")
        self.go_menu = bar.addMenu("&Go")
        self.help_menu = bar.addMenu("&Help")

        self.quit_action = self._action(
            self.file_menu, "&Quit", self.close, [QKeySequence.StandardKey.Quit, "Ctrl+Q"]
        )
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        edit = self.edit_menu
        self.copy_action = self._action(
            edit, "&Copy", lambda: self.current_reader().copy(), [QKeySequence.StandardKey.Copy]
        )
        self.select_all_action = self._action(
            edit,
            "Select &all text of this theme",
            lambda: self.current_reader().selectAll(),
            [QKeySequence.StandardKey.SelectAll],
        )
        edit.addSeparator()
        self.search_action = self._action(
            edit,
            "&Search the briefing",
            self.focus_search,
            ["Ctrl+K", "Ctrl+Shift+F"],
            "Search every theme of the briefing",
        )
        self.find_action = self._action(
            edit, "&Find in page…", self.open_find_bar, [QKeySequence.StandardKey.Find]
        )
        self.find_next_action = self._action(
            edit,
            "Find &next",
            lambda: self.step_highlight(1),
            ["F3", QKeySequence.StandardKey.FindNext],
        )
        self.find_previous_action = self._action(
            edit,
            "Find pre&vious",
            lambda: self.step_highlight(-1),
            ["Shift+F3", QKeySequence.StandardKey.FindPrevious],
        )
        self.clear_highlights_action = QAction("C&lear highlights", self)
        self.clear_highlights_action.setShortcut(QKeySequence("Esc"))
        # Esc only while reading: the search and find fields use Esc themselves.
        self.clear_highlights_action.setShortcutContext(
            Qt.ShortcutContext.WidgetWithChildrenShortcut
        )
        self.clear_highlights_action.triggered.connect(self.clear_highlights)
        self.tabs.addAction(self.clear_highlights_action)
        edit.addAction(self.clear_highlights_action)

        view = self.view_menu
        self.zoom_in_action = self._action(
            view,
            "Zoom &in",
            lambda: self.zoom_by(1),
            [QKeySequence.StandardKey.ZoomIn, "Ctrl+=", "Ctrl++"],
        )
        self.zoom_out_action = self._action(
            view,
            "Zoom &out",
            lambda: self.zoom_by(-1),
            [QKeySequence.StandardKey.ZoomOut, "Ctrl+-"],
        )
        self.zoom_reset_action = self._action(
            view, "&Actual size", lambda: self.set_zoom(ZOOM_DEFAULT), ["Ctrl+0"]
        )
        view.addSeparator()
        appearance_menu = view.addMenu("A&ppearance")
        group = QActionGroup(self)
        self.appearance_actions: dict[str, QAction] = {}
        for choice, label in (
            ("system", "Follow the &system"),
            ("light", "&Light"),
            ("dark", "&Dark"),
        ):
            action = QAction(label, self)
            action.setCheckable(True)
            action.setChecked(choice == self.appearance.choice)
            action.triggered.connect(lambda _=False, c=choice: self.set_appearance(c))
            group.addAction(action)
            appearance_menu.addAction(action)
            self.appearance_actions[choice] = action
        self.toggle_dark_action = self._action(
            view, "Switch &light/dark", self.toggle_dark, ["Ctrl+Shift+D"]
        )
        view.addSeparator()
        results_toggle = self.results_dock.toggleViewAction()
        results_toggle.setText("Search &results panel")
        results_toggle.setShortcut(QKeySequence("Ctrl+Shift+R"))
        view.addAction(results_toggle)
        self.addAction(results_toggle)

        go = self.go_menu
        self.next_tab_action = self._action(
            go,
            "&Next theme",
            lambda: self._step_tab(1),
            ["Ctrl+PgDown", "Ctrl+Tab", QKeySequence.StandardKey.NextChild],
        )
        self.previous_tab_action = self._action(
            go,
            "&Previous theme",
            lambda: self._step_tab(-1),
            ["Ctrl+PgUp", "Ctrl+Shift+Tab", QKeySequence.StandardKey.PreviousChild],
        )
        go.addSeparator()
        for number, theme in enumerate(self.briefing.themes, start=1):
            keys = [f"Alt+{number}"] if number <= 9 else []
            self._action(go, theme.title, lambda _=False, t=theme.id: self.open_theme(t), keys)
        go.addSeparator()
        self.contents_action = self._action(
            go, "Table of &contents", self.focus_contents, ["Ctrl+Shift+O"]
        )
        self.reader_action = self._action(go, "&Text", self.focus_reader, ["Ctrl+Shift+E"])
        self.next_pane_action = self._action(go, "Next &pane", self.focus_next_pane, ["F6"])

        help_menu = self.help_menu
        self._action(help_menu, "&Search syntax", self.show_syntax_help, ["F1"])
        self._action(help_menu, "&Keyboard shortcuts", self.show_shortcuts)
        help_menu.addSeparator()
        about = self._action(help_menu, "&About BriefReader", self.show_about)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about_qt = self._action(help_menu, "About &Qt", QApplication.aboutQt)
        about_qt.setMenuRole(QAction.MenuRole.AboutQtRole)

    def _set_focus_order(self) -> None:
        chain: list[QWidget] = [
            self.search_field,
            *self.results_panel.chips.buttons.values(),
            self.results_panel.message,
            self.results_panel.list,
            self.tabs.tabBar(),
        ]
        # Then each tab's contents and text, in creation order (hidden tabs are skipped).
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- hooks for other features ----------------------------------------------------------

    def readers(self) -> list[ReaderView]:
        """Every tab's reader, in tab order (a reader's page may not be rendered yet)."""
        return [tab.reader for tab in self._tabs.values()]

    def current_tab(self) -> ThemeTab:
        tab = self.tabs.currentWidget()
        assert isinstance(tab, ThemeTab)
        return tab

    def current_reader(self) -> ReaderView:
        return self.current_tab().reader

    def tab_for(self, theme_id: str) -> ThemeTab | None:
        return self._tabs.get(theme_id)

    def current_section_id(self) -> str | None:
        """The section being read in the open tab, as its table of contents shows it."""
        reader = self.current_reader()
        if reader.is_loaded:
            return reader.reading_section_id() or None
        return self.current_tab().toc.current_section_id()

    def current_hit(self) -> Hit | None:
        return self.results_panel.current_hit()

    def last_result(self) -> SearchResult | None:
        return self._last_result

    def add_dock(
        self,
        dock: QDockWidget,
        area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea,
        shortcut: str = "",
    ) -> QAction:
        """Add a panel: docked, listed in the View menu, its place remembered."""
        if not dock.objectName():
            raise ValueError("a dock needs an objectName for its place to be remembered")
        self.addDockWidget(area, dock)
        # A first-start width that leaves the text its room; the delegate's own is restored.
        self.resizeDocks([dock], [SIDE_DOCK_WIDTH], Qt.Orientation.Horizontal)
        toggle = dock.toggleViewAction()
        if shortcut:
            toggle.setShortcut(QKeySequence(shortcut))
            self.addAction(toggle)
        self.view_menu.addAction(toggle)
        return toggle

    def show_status(self, text: str, milliseconds: int = 6000) -> None:
        self.statusBar().showMessage(text, milliseconds)

    def announce(self, text: str) -> None:
        """Say something to the delegate: status bar, and screen readers where they listen."""
        self.show_status(text)
        if QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self.results_panel, text))

    # -- start-up and the session ----------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self._after_first_paint)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._started:
            QTimer.singleShot(FIRST_PAINT_FALLBACK_MS, self, self.start)

    @Slot()
    def _after_first_paint(self) -> None:
        self.first_painted.emit()
        self.start()

    @Slot()
    def start(self) -> None:
        """The slow part of starting: render the open tab, open the index, render the rest."""
        if self._started:
            return
        self._started = True
        self.load_tab(self.current_tab())
        self.index_label.setText("Search: preparing…")
        self.search_service.start()
        self._load_queue = [t for t in self._tabs.values() if not t.is_loaded]
        QTimer.singleShot(0, self, self._load_next_tab)

    @Slot()
    def _load_next_tab(self) -> None:
        while self._load_queue:
            tab = self._load_queue.pop(0)
            if not tab.is_loaded:
                self.load_tab(tab)
                break
        if self._load_queue:
            QTimer.singleShot(0, self, self._load_next_tab)

    def load_tab(self, tab: ThemeTab) -> None:
        """Render a theme's page into its tab (once)."""
        if tab.is_loaded:
            return
        page = self.pages.page(tab.theme.id)
        tab.load(
            page.html,
            [entry.anchor for entry in page.toc],
            self.pages.stylesheet(self.appearance.dark),
            reading_font(self._zoom),
        )
        tab.reader.set_dark(self.appearance.dark)
        self.tab_loaded.emit(tab.theme.id)

    def restore_session(self) -> None:
        """Put back what the delegate had: window, panels, tab, reading positions."""
        settings = self.settings
        geometry = settings.geometry
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = settings.window_state
        if not state.isEmpty():
            self.restoreState(state)
        splitter = settings.splitter
        if not splitter.isEmpty():
            for tab in self._tabs.values():
                tab.restoreState(splitter)
        for theme_id, tab in self._tabs.items():
            position = settings.scroll(theme_id)
            if position > 0:
                tab.when_ready(partial(tab.reader.set_top_position, position))
        remembered = self._tabs.get(settings.tab)
        if remembered is not None:
            self.tabs.setCurrentWidget(remembered)

    def save_session(self) -> None:
        settings = self.settings
        settings.geometry = self.saveGeometry()
        settings.window_state = self.saveState()
        settings.splitter = self.current_tab().saveState()
        settings.tab = self.current_tab().theme.id
        settings.zoom = self._zoom
        for theme_id, tab in self._tabs.items():
            # A tab never shown this session has no layout: keep what was remembered for it.
            if tab.is_loaded and tab.has_been_shown:
                settings.set_scroll(theme_id, tab.reader.top_position())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._load_queue.clear()
        self.save_session()
        self.search_service.shutdown()
        super().closeEvent(event)

    # -- tabs ------------------------------------------------------------------------------

    def open_theme(self, theme_id: str) -> bool:
        tab = self._tabs.get(theme_id)
        if tab is None:
            return False
        self.tabs.setCurrentWidget(tab)
        return True

    def _step_tab(self, step: int) -> None:
        count = self.tabs.count()
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % count)

    @Slot(int)
    def _on_tab_changed(self, _index: int) -> None:
        tab = self.current_tab()
        if self._started:
            self.load_tab(tab)
        self._update_title()
        if self.find_bar.isVisible() and self.find_bar.field.text():
            tab.when_ready(lambda: self._on_find_text(self.find_bar.field.text()))
        if tab.is_loaded:
            tab.when_ready(
                lambda: self.current_section_changed.emit(self.current_section_id() or "")
            )

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.current_tab().theme.title} — BriefReader")

    def _sync_splitters(self, moved: ThemeTab) -> None:
        sizes = moved.sizes()
        for tab in self._tabs.values():
            if tab is not moved:
                tab.setSizes(sizes)

    @Slot(str)
    def _on_reading_section_changed(self, section_id: str) -> None:
        if self.sender() is self.current_tab():
            self.current_section_changed.emit(section_id)

    # -- search ----------------------------------------------------------------------------

    @Slot(str)
    def _on_query_changed(self, text: str) -> None:
        self._open_when_answered = False
        if not text.strip():
            self.search_service.cancel()
            self._last_result = None
            self.results_panel.show_intro(self.settings.recent_searches)
            return
        if not self.results_dock.isVisible():
            self.results_dock.show()
        if self.search_service.error:
            self.results_panel.show_unavailable(self.search_service.error)
            return
        if not self.search_service.ready:
            self.results_panel.show_preparing(text)
        self.search_service.search(text, self._theme_filter)

    @Slot(object)
    def _on_theme_filter(self, theme_id: str | None) -> None:
        self._theme_filter = theme_id
        text = self.search_field.text()
        if text.strip() and not self.search_service.error:
            self.search_service.search(text, theme_id)

    @Slot(str)
    def _on_query_requested(self, text: str) -> None:
        self.search_field.setText(text)
        self.focus_search()

    def search(self, text: str, theme: str | None = None) -> None:
        """Type ``text`` into the search field (as the delegate would)."""
        self._theme_filter = theme
        self.results_panel.set_theme_filter(theme)
        self.search_field.setText(text)

    @Slot(object)
    def _on_results(self, result: SearchResult) -> None:
        self._last_result = result
        self.results_panel.show_result(result)
        self.announce(self.results_panel.summary_text(result))
        self.results_shown.emit(result)
        if self._open_when_answered:
            self._open_when_answered = False
            if result.hits:
                self.open_hit(result.hits[0])

    @Slot()
    def _on_field_down(self) -> None:
        self.results_panel.focus_results()

    @Slot()
    def _on_field_accept(self) -> None:
        text = self.search_field.text().strip()
        if not text:
            return
        result = self._last_result
        if result is None or result.query != self.search_field.text():
            self._open_when_answered = True  # the answer is on its way: open it on arrival
            return
        hit = self.results_panel.current_hit()
        if hit is not None:
            self.open_hit(hit)
        else:
            self.settings.add_recent_search(text)
            self.search_field.set_recent(self.settings.recent_searches)

    @Slot(object)
    def open_hit(self, hit: Hit) -> None:
        """Open a search result: its tab, the section in view, the query's words marked."""
        query = self.search_field.text()
        if query.strip():
            self.search_field.set_recent(self.settings.add_recent_search(query))
        words = set(hit.matched_words)
        if self._last_result is not None:
            for other in self._last_result.hits:
                if other.theme == hit.theme:
                    words.update(other.matched_words)
        self.open_section(hit.id, sorted(words), announce_query=query)

    def open_section(
        self, section_id: str, words: Sequence[str] = (), *, announce_query: str = ""
    ) -> bool:
        """Show a section at the top of its tab, with ``words`` highlighted in the tab."""
        section = self.briefing.section(section_id)
        tab = self._tabs.get(section.theme_id) if section is not None else None
        if section is None or tab is None:
            self.show_status(f"No section {section_id!r} in this briefing.")
            return False
        self.load_tab(tab)
        self.find_bar.close_bar()
        self.tabs.setCurrentWidget(tab)
        tab.when_ready(lambda: self._land(tab, section_id, words, announce_query))
        return True

    def _land(self, tab: ThemeTab, section_id: str, words: Sequence[str], query: str) -> None:
        reader = tab.reader
        reader.scroll_to_section(section_id)
        if words:
            spans = word_spans(reader.page_text(), words)
            start = reader.section_position(section_id) or 0
            self._highlight_kind = "search"
            reader.set_highlights(spans, first_at_or_after(spans, start))
            count = len(spans)
            noun = "match" if count == 1 else "matches"
            about = f" for “{query}”" if query else ""
            self.announce(
                f"{count} {noun}{about} in {tab.theme.title}. "
                "F3: next, Shift+F3: previous, Esc: clear."
            )
        else:
            reader.clear_highlights()
        reader.setFocus(Qt.FocusReason.OtherFocusReason)
        self.section_opened.emit(section_id)

    # -- highlights and find in page -------------------------------------------------------

    def step_highlight(self, step: int) -> None:
        reader = self.current_reader()
        if not reader.highlight_count and self.find_bar.field.text().strip():
            self._on_find_text(self.find_bar.field.text())
        if not reader.step_highlight(step):
            self.show_status("Nothing is highlighted: search, or find in page with Ctrl+F.")

    @Slot()
    def clear_highlights(self) -> None:
        reader = self.current_reader()
        cleared = reader.clear_highlights()
        if self.find_bar.isVisible():
            self.find_bar.close_bar()
        elif cleared:
            self.show_status("Highlights cleared.", 2500)

    @Slot()
    def open_find_bar(self) -> None:
        reader = self.current_reader()
        selected = reader.textCursor().selectedText()
        self.find_bar.open_bar(selected if 0 < len(selected) <= 80 else "")
        if self.find_bar.field.text():
            self._on_find_text(self.find_bar.field.text())

    @Slot(str)
    def _on_find_text(self, text: str) -> None:
        reader = self.current_reader()
        if not reader.is_loaded:
            return
        if not text.strip():
            if self._highlight_kind == "find":
                reader.clear_highlights()
            self.find_bar.show_count(-1, 0)
            return
        spans = phrase_spans(reader.page_text(), text)
        self._highlight_kind = "find"
        reader.set_highlights(spans, first_at_or_after(spans, reader.top_position()))
        self.find_bar.show_count(reader.current_highlight, len(spans))

    @Slot()
    def _on_find_closed(self) -> None:
        reader = self.current_reader()
        if self._highlight_kind == "find":
            reader.clear_highlights()
        reader.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(int, int)
    def _on_highlights_changed(self, current: int, total: int) -> None:
        if self.sender() is not self.current_reader():
            return
        if self._highlight_kind == "find" and self.find_bar.isVisible():
            self.find_bar.show_count(current, total)
        elif total and current >= 0:
            self.show_status(f"Match {current + 1} of {total}", 3000)

    # -- links -----------------------------------------------------------------------------

    def _on_external_link(self, url: object) -> None:
        self.show_status("That link needs an internet connection; its address can be copied.")

    def _on_link_hovered(self, url: object) -> None:
        text = url.toString() if hasattr(url, "toString") else str(url)
        if text and not text.startswith("#"):
            self.show_status(f"{text}  (needs an internet connection)", 4000)

    # -- reading comfort -------------------------------------------------------------------

    @property
    def zoom(self) -> int:
        return self._zoom

    def zoom_by(self, steps: int) -> None:
        current = self._zoom
        if steps > 0:
            bigger = [z for z in ZOOM_STEPS if z > current]
            self.set_zoom(bigger[0] if bigger else ZOOM_MAX)
        else:
            smaller = [z for z in ZOOM_STEPS if z < current]
            self.set_zoom(smaller[-1] if smaller else ZOOM_MIN)

    def set_zoom(self, percent: int) -> None:
        percent = max(ZOOM_MIN, min(ZOOM_MAX, percent))
        self._zoom = percent
        self.settings.zoom = percent
        font = reading_font(percent)
        for tab in self._tabs.values():
            if tab.is_loaded:
                tab.reader.set_reading_font(font)
        self._show_zoom()
        self.show_status(f"Text size {percent}%", 2000)

    def _show_zoom(self) -> None:
        self.zoom_label.setText(f"Text {self._zoom}%")
        self.zoom_label.setToolTip("Zoom in: Ctrl++   Zoom out: Ctrl+-   Actual size: Ctrl+0")

    def set_appearance(self, choice: str) -> None:
        self.settings.appearance = choice
        self.appearance.set_choice(choice)
        self.appearance_actions[choice].setChecked(True)

    @Slot()
    def toggle_dark(self) -> None:
        self.set_appearance("light" if self.appearance.dark else "dark")

    @Slot(bool)
    def _on_appearance_changed(self, dark: bool) -> None:
        stylesheet = self.pages.stylesheet(dark) if self._started else ""
        for tab in self._tabs.values():
            if tab.is_loaded:
                tab.reader.set_stylesheet(stylesheet)
            tab.reader.set_dark(dark)
        self.results_panel.list.viewport().update()

    # -- focus -----------------------------------------------------------------------------

    @Slot()
    def focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    @Slot()
    def focus_reader(self) -> None:
        self.current_reader().setFocus(Qt.FocusReason.ShortcutFocusReason)

    @Slot()
    def focus_contents(self) -> None:
        self.current_tab().toc.setFocus(Qt.FocusReason.ShortcutFocusReason)

    @Slot()
    def focus_next_pane(self) -> None:
        panes: list[QWidget] = [self.search_field]
        if self.results_dock.isVisible() and self.results_panel.list.isVisible():
            panes.append(self.results_panel.list)
        tab = self.current_tab()
        if tab.toc.isVisible():
            panes.append(tab.toc)
        panes.append(tab.reader)
        focused = QApplication.focusWidget()
        number = next((i for i, p in enumerate(panes) if p is focused), -1)
        panes[(number + 1) % len(panes)].setFocus(Qt.FocusReason.TabFocusReason)

    # -- index status ----------------------------------------------------------------------

    @Slot(int, int)
    def _on_index_progress(self, done: int, total: int) -> None:
        self.index_progress.setMaximum(total)
        self.index_progress.setValue(done)
        self.index_progress.show()
        self.index_label.setText(f"Building the search index… {done} of {total}")

    @Slot(object)
    def _on_index_ready(self, status: IndexStatus) -> None:
        self.index_progress.hide()
        self.search_field.setPlaceholderText("Search the briefing  (Ctrl+K)")
        self.index_label.setText(f"Search ready · {status.documents} passages")
        where = str(status.path) if status.path else "memory (this session only)"
        self.index_label.setToolTip(f"Search index: {where}")
        if status.warning:
            self.show_status(status.warning, 15000)
        elif status.built:
            self.show_status(
                f"Search index built in {status.seconds * 1000:.0f} ms ({status.reason}).", 5000
            )
        self.search_ready.emit()

    @Slot(str)
    def _on_index_failed(self, message: str) -> None:
        self.index_progress.hide()
        self.index_label.setText("Search unavailable")
        self.index_label.setToolTip(message)
        self.show_status(message, 15000)
        if self.search_field.text().strip():
            self.results_panel.show_unavailable(message)
        self.search_failed.emit(message)

    # -- help ------------------------------------------------------------------------------

    @Slot()
    def show_about(self) -> None:
        page = about_html(
            self.briefing,
            index_dir=self.cache_dir / "index",
            data_dir=self.data_dir,
            settings_file=self.settings.file_name(),
        )
        dialog = AboutDialog(page, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    @Slot()
    def show_syntax_help(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("Search syntax")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText("<p>Search finds passages in every theme. You can type:</p>" + SYNTAX_HELP_HTML)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    @Slot()
    def show_shortcuts(self) -> None:
        rows = []
        for menu in (self.edit_menu, self.view_menu, self.go_menu, self.help_menu):
            for action in menu.actions():
                keys = ", ".join(_typeable(action.shortcuts())[:2])
                if keys and action.isVisible():
                    label = action.text().replace("&", "")
                    rows.append(f"<tr><td>{label}</td><td><b>{keys}</b></td></tr>")
        extra = (
            "<tr><td>In the search field: move to the results</td><td><b>Down</b></td></tr>"
            "<tr><td>Open the selected result</td><td><b>Enter</b></td></tr>"
            "<tr><td>Recent searches (empty field)</td><td><b>Down</b></td></tr>"
        )
        box = QMessageBox(self)
        box.setWindowTitle("Keyboard shortcuts")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(f'<table cellpadding="2">{"".join(rows)}{extra}</table>')
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
