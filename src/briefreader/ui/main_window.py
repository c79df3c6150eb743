"""The main window: a search field, a results panel, one tab per theme, a status bar.

Start-up is in steps, so that the first frame comes about as soon as a bare Qt window's would
(issue 5, "Speed": within 1.3× of a bare PySide6 window showing the same text):

1. Before the first paint, only what the first frame shows: the menu bar and its menus
   (empty), the search field, the docks (empty), the tab bar, the open tab's reader and
   contents list (empty; the other tabs are not built yet), the status bar. Measured with
   everything built before the paint, the app painted at 1.67× the bare window: about 50 ms
   of it was PySide creating Python enums for Qt classes on their first use, and 35 ms
   importing what the excerpt tray and key figures need.
2. Right after the first paint (a zero timer, so that the paint is on screen first): the
   open tab's text, painted at once, from the rendered page the last run kept
   (``ui/pages.py``) or, without one, rendered now. Then :meth:`complete` builds the rest:
   the menus' actions and shortcuts, the other tabs, every table of contents, the results
   panel, the find bar, and emits :attr:`completed`, on which the app attaches its features
   (copy with citation and the tray, key figures).
3. On the next turn, :meth:`start` opens the search index on a worker thread and renders
   the other tabs, one per turn of the event loop (a kept page is rendered again too, and
   replaced if it differs).

A keyboard shortcut pressed in the few milliseconds between the first frame and step 2 is
the only thing that can miss; the menus are filled before anyone can open them.

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

A dock added before :meth:`restore_session` is put where the last session had it, with the
rest of the layout; one added later is put back there when it is added.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QSizePolicy,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from briefreader.core.highlight import first_at_or_after, phrase_spans, word_spans
from briefreader.core.locations import Locations, resources_dir
from briefreader.core.model import Briefing
from briefreader.ui.appearance import Appearance, reading_font
from briefreader.ui.reader import ReaderView
from briefreader.ui.search_field import SearchField
from briefreader.ui.settings import ZOOM_DEFAULT, ZOOM_MAX, ZOOM_MIN, AppSettings
from briefreader.ui.tasks import BackgroundTasks
from briefreader.ui.theme_tab import ThemeTab

if TYPE_CHECKING:
    # Only for annotations: the classes that Qt hands to these methods, or that the
    # window builds after its first paint, are not set up before it (see the docstring).
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QCloseEvent, QKeySequence, QPaintEvent, QShowEvent

    from briefreader.core.search import Hit, IndexStatus, SearchResult
    from briefreader.ui.find_bar import FindBar
    from briefreader.ui.pages import PageSource
    from briefreader.ui.results import ResultsPanel
    from briefreader.ui.search_service import SearchService

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
    from PySide6.QtGui import QKeySequence

    names = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in shortcuts]
    return [n for n in names if ("+" in n or re.fullmatch(r"F\d+|Esc", n)) and "Backtab" not in n]


class MainWindow(QMainWindow):
    """The reader's window. See the module's docstring for what other features can use."""

    first_painted = Signal()
    completed = Signal()  # everything is built: contents, results panel, menus' actions
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
        locations: Locations,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.briefing = briefing
        self.settings = settings
        self.locations = locations
        self.tasks = BackgroundTasks(self)  # work off the GUI thread, cancelled on quit
        app = QApplication.instance()
        assert isinstance(app, QApplication), "create the QApplication first"
        self.appearance = (
            appearance if appearance is not None else Appearance(app, settings.appearance)
        )
        self._pages: PageSource | None = None
        self._search_service: SearchService | None = None
        self._zoom = settings.zoom
        self._complete = False
        self._started = False
        self._painted = False
        self._layout_restored = False
        self._last_result: SearchResult | None = None
        self._open_when_answered = False
        self._theme_filter: str | None = None
        self._load_queue: list[ThemeTab] = []
        self._from_cache: set[str] = set()  # tabs showing a kept page not yet rendered again
        self._highlight_kind = ""  # "search" or "find": what the reader's highlights are
        self._docks: list[tuple[QDockWidget, str]] = []  # added panels and their shortcuts
        self._results_panel: ResultsPanel | None = None
        self._find_bar: FindBar | None = None
        self._splitter_state: QByteArray | None = None  # the tabs' contents width, for each

        self.setWindowTitle(briefing.title)
        available = self.screen().availableGeometry()
        self.resize(
            min(1280, int(available.width() * 0.92)), min(820, int(available.height() * 0.9))
        )
        self._build_tabs()
        self._build_search()
        self._build_status_bar()
        self._build_menu_bar()
        self.appearance.changed.connect(self._on_appearance_changed)
        self._update_title()

    # -- building: what the first frame shows ----------------------------------------------

    def _build_tabs(self) -> None:
        central = QWidget(self)
        self._central_layout = layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.tabs = QTabWidget(central)
        self.tabs.setObjectName("themeTabs")
        self.tabs.setAccessibleName("Themes")
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(True)
        self._tabs: dict[str, ThemeTab] = {}
        for number, theme in enumerate(self.briefing.themes, start=1):
            # Empty tabs: each builds its contents and reader when first needed (theme_tab.py).
            tab = ThemeTab(theme, self.tabs)
            tab.built.connect(partial(self._on_tab_built, tab))
            tab.reading_section_changed.connect(self._on_reading_section_changed)
            tab.splitterMoved.connect(lambda _pos, _i, t=tab: self._sync_splitters(t))
            index = self.tabs.addTab(tab, theme.title)
            if number <= 9:
                self.tabs.setTabToolTip(index, f"{theme.title} (Alt+{number})")
            self._tabs[theme.id] = tab
        self.current_tab().build()  # the open one (restore_session may open another)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

    def _on_tab_built(self, tab: ThemeTab) -> None:
        reader = tab.reader
        reader.highlights_changed.connect(self._on_highlights_changed)
        reader.external_link_activated.connect(self._on_external_link)
        reader.highlighted.connect(self._on_link_hovered)
        if self._splitter_state is not None:
            tab.restoreState(self._splitter_state)

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
        # The magnifier's place now, its picture after the first paint: loading the SVG icon
        # plugin and drawing the icon take 1.5 ms, and an action without an icon takes the
        # same room, so the placeholder text does not move when it comes.
        self._search_icon: QAction | None = None
        if (resources_dir() / "search.svg").is_file():
            self._search_icon = QAction(self.search_field)
            position = QLineEdit.ActionPosition.LeadingPosition
            self.search_field.addAction(self._search_icon, position)
        self.search_field.set_recent(self.settings.recent_searches)
        spacer_left, spacer_right = QWidget(toolbar), QWidget(toolbar)
        for spacer in (spacer_left, spacer_right):
            spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer_left)
        toolbar.addWidget(self.search_field)
        toolbar.addWidget(spacer_right)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.toolbar = toolbar
        self.search_field.textChanged.connect(self._on_query_changed)
        self.search_field.down_requested.connect(self._on_field_down)
        self.search_field.accept_requested.connect(self._on_field_accept)
        self.search_field.leave_requested.connect(self.focus_reader)

        # The dock is in the first frame, in its place; the panel in it comes after the paint.
        self.results_dock = QDockWidget("Search results", self)
        self.results_dock.setObjectName("resultsDock")
        self.results_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.results_dock)
        self.resizeDocks([self.results_dock], [RESULTS_DOCK_WIDTH], Qt.Orientation.Horizontal)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        self.index_label = QLabel("Search: waiting to start", bar)
        self.index_label.setObjectName("indexStatus")
        self.zoom_label = QLabel(bar)
        self.zoom_label.setObjectName("zoomLevel")
        bar.addPermanentWidget(self.index_label)
        bar.addPermanentWidget(self.zoom_label)
        self._show_zoom()

    def _build_menu_bar(self) -> None:
        # The bar and its menus now, so that nothing moves when they are filled.
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.edit_menu = bar.addMenu("&Edit")
        self.view_menu = bar.addMenu("&View")
        self.go_menu = bar.addMenu("&Go")
        self.help_menu = bar.addMenu("&Help")

    # -- building: the rest, right after the first paint -----------------------------------

    # The page source and the search service are made on first use, which is after the first
    # paint unless a search is typed before it: with their modules, 2 ms the first frame does
    # not need.

    @property
    def pages(self) -> PageSource:
        """Rendered pages and the reader's stylesheet (ui/pages.py)."""
        if self._pages is None:
            from briefreader.ui.pages import PageSource

            self._pages = PageSource(self.briefing, self.locations.pages)
        return self._pages

    @property
    def search_service(self) -> SearchService:
        """Search on a worker thread (ui/search_service.py); started by :meth:`start`."""
        if self._search_service is None:
            from briefreader.ui.search_service import SearchService

            service = self._search_service = SearchService(
                self.briefing, self.locations.index, self
            )
            service.index_progress.connect(self._on_index_progress)
            service.index_ready.connect(self._on_index_ready)
            service.index_failed.connect(self._on_index_failed)
            service.results_ready.connect(self._on_results)
        return self._search_service

    @property
    def is_complete(self) -> bool:
        return self._complete

    @Slot()
    def complete(self) -> None:
        """Build what the first frame does not show (once); then emit :attr:`completed`.

        The window calls it right after its first paint; anything that needs the rest
        earlier (a search typed before the window is shown, a screenshot) calls it first.
        """
        if self._complete:
            return
        self._complete = True
        self._build_actions()  # first: the keyboard shortcuts
        if self._search_icon is not None:
            from PySide6.QtGui import QIcon

            self._search_icon.setIcon(QIcon(str(resources_dir() / "search.svg")))
        for tab in self._tabs.values():
            tab.build()
            tab.toc.fill()
        self._build_results()
        self._build_find_bar()
        self._build_index_progress()
        self._set_focus_order()
        self.completed.emit()

    @property
    def results_panel(self) -> ResultsPanel:
        """The search results (in ``results_dock``); asking for it builds the rest now."""
        self.complete()
        assert self._results_panel is not None
        return self._results_panel

    @property
    def find_bar(self) -> FindBar:
        """Find in page, under the tabs; asking for it builds the rest now."""
        self.complete()
        assert self._find_bar is not None
        return self._find_bar

    def _build_results(self) -> None:
        from briefreader.ui.results import ResultsPanel

        panel = self._results_panel = ResultsPanel(self.briefing, self)
        panel.setStyleSheet(_CHIPS_QSS)
        self.results_dock.setWidget(panel)
        panel.open_requested.connect(self.open_hit)
        panel.theme_filter_changed.connect(self._on_theme_filter)
        panel.query_requested.connect(self._on_query_requested)
        panel.back_requested.connect(self.focus_search)
        panel.current_hit_changed.connect(self.current_hit_changed)
        panel.set_theme_filter(self._theme_filter)
        panel.show_intro(self.settings.recent_searches)

    def _build_find_bar(self) -> None:
        from briefreader.ui.find_bar import FindBar

        bar = self._find_bar = FindBar(self.centralWidget())
        bar.text_changed.connect(self._on_find_text)
        bar.next_requested.connect(lambda: self.step_highlight(1))
        bar.previous_requested.connect(lambda: self.step_highlight(-1))
        bar.closed.connect(self._on_find_closed)
        self._central_layout.addWidget(bar)

    def _build_index_progress(self) -> None:
        from PySide6.QtWidgets import QProgressBar  # hidden until an index is built

        bar = self.statusBar()
        self.index_progress = QProgressBar(bar)
        self.index_progress.setObjectName("indexProgress")
        self.index_progress.setAccessibleName("Building the search index")
        self.index_progress.setMaximumWidth(160)
        self.index_progress.setTextVisible(False)
        self.index_progress.hide()
        bar.insertPermanentWidget(0, self.index_progress)  # before the index status

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: object,
        shortcuts: Sequence[QKeySequence | QKeySequence.StandardKey | str] = (),
        tip: str = "",
    ) -> QAction:
        from PySide6.QtGui import QKeySequence

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

    def _build_actions(self) -> None:
        # QKeySequence (and QIcon, QActionGroup) are set up here, after the first paint:
        # about 2 ms of PySide's class and enum set-up that the first frame does not need.
        from PySide6.QtGui import QActionGroup, QKeySequence

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
        for dock, shortcut in self._docks:
            self._add_dock_toggle(dock, shortcut)

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
            self.tabs,  # its tab bar has the focus; the tab bar's scroll buttons follow
        ]
        # Then each tab's contents and text (Tab skips the hidden tabs'): named here, because
        # the tabs are built in another order than they come (the open one first).
        for tab in self._tabs.values():
            chain += [tab.toc, tab.reader]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- hooks for other features ----------------------------------------------------------

    def readers(self) -> list[ReaderView]:
        """Every tab's reader, in tab order (a reader's page may not be rendered yet; a tab
        not built yet is built)."""
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
        *,
        visible: bool = True,
    ) -> QAction:
        """Add a panel: docked, listed in the View menu, its place remembered.

        ``visible``: whether it shows when the last session left no place for it. Added
        after :meth:`restore_session`, it is put back where that session had it.
        """
        if not dock.objectName():
            raise ValueError("a dock needs an objectName for its place to be remembered")
        # restoreDockWidget adds the dock itself, at the place restoreState kept for it.
        if not (self._layout_restored and self.restoreDockWidget(dock)):
            self.addDockWidget(area, dock)
            # A first-start width that leaves the text its room; the delegate's is restored.
            self.resizeDocks([dock], [SIDE_DOCK_WIDTH], Qt.Orientation.Horizontal)
            dock.setVisible(visible)
        self._docks.append((dock, shortcut))
        if self._complete:
            self._add_dock_toggle(dock, shortcut)
        return dock.toggleViewAction()

    def _add_dock_toggle(self, dock: QDockWidget, shortcut: str) -> None:
        from PySide6.QtGui import QKeySequence

        toggle = dock.toggleViewAction()
        if shortcut:
            toggle.setShortcut(QKeySequence(shortcut))
            self.addAction(toggle)
        self.view_menu.addAction(toggle)

    @property
    def layout_restored(self) -> bool:
        """Whether :meth:`restore_session` put back a saved arrangement of the panels."""
        return self._layout_restored

    def show_status(self, text: str, milliseconds: int = 6000) -> None:
        self.statusBar().showMessage(text, milliseconds)

    def announce(self, text: str) -> None:
        """Say something to the delegate: status bar, and screen readers where they listen."""
        # Imported here: setting up these classes takes 2 ms, and nothing is announced
        # before the first paint.
        from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

        self.show_status(text)
        if QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self.results_panel, text))

    # -- start-up and the session ----------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._started:
            QTimer.singleShot(FIRST_PAINT_FALLBACK_MS, self, self.start)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self._after_first_paint)

    @Slot()
    def _after_first_paint(self) -> None:
        self.first_painted.emit()
        # The open tab's text before anything else: it is what the delegate is waiting for.
        # From the page the last run kept, at once; without one (a first-ever start, or new
        # content) rendered now, Python-Markdown's 40 ms import included.
        tab = self.current_tab()
        if not tab.is_loaded:
            if not self._show_kept_page(tab):
                self.load_tab(tab)
            # Painted now rather than when the event loop next gets to it, which would be
            # after complete() (~40 ms).
            tab.reader.repaint()
        QTimer.singleShot(0, self, self._complete_then_start)

    @Slot()
    def _complete_then_start(self) -> None:
        self.complete()
        QTimer.singleShot(0, self, self.start)

    def _show_kept_page(self, tab: ThemeTab) -> bool:
        """Show the page an earlier run rendered for this tab, if it kept one (pages.py): the
        text comes at once, without Python-Markdown (40-50 ms) and the rendering."""
        theme_id = tab.theme.id
        html = self.pages.cached_html(theme_id)
        if html is None or tab.is_loaded:
            return False
        self._fill_tab(tab, html, self.pages.anchors(theme_id))
        self._from_cache.add(theme_id)
        return True

    @Slot()
    def start(self) -> None:
        """The slow part of starting: open the index, render the tabs (the open one first if
        it was not shown after the first paint: a window that never painted)."""
        if self._started:
            return
        self._started = True
        self.complete()
        current = self.current_tab()
        if not current.is_loaded:
            self.load_tab(current)
        self.index_label.setText("Search: preparing…")
        self.search_service.start()
        # The open tab first if its page came from the cache: rendered again to check it.
        tabs = [current, *(t for t in self._tabs.values() if t is not current)]
        self._load_queue = [t for t in tabs if self._needs_rendering(t)]
        QTimer.singleShot(0, self, self._load_next_tab)

    def _needs_rendering(self, tab: ThemeTab) -> bool:
        return not tab.is_loaded or tab.theme.id in self._from_cache

    @Slot()
    def _load_next_tab(self) -> None:
        while self._load_queue:
            tab = self._load_queue.pop(0)
            if self._needs_rendering(tab):
                self.load_tab(tab)
                break
        if self._load_queue:
            QTimer.singleShot(0, self, self._load_next_tab)

    def load_tab(self, tab: ThemeTab) -> None:
        """Render a theme's page into its tab (once).

        A tab showing a page kept by an earlier run gets the new rendering only if it
        differs (an earlier release rendered it), keeping the reading position.
        """
        theme_id = tab.theme.id
        if not self._needs_rendering(tab):
            return
        page = self.pages.page(theme_id)
        if theme_id in self._from_cache:
            self._from_cache.discard(theme_id)
            if page.html != tab.reader.page_html:
                tab.reader.replace_html(page.html)
            return
        self._fill_tab(tab, page.html, [entry.anchor for entry in page.toc])

    def _fill_tab(self, tab: ThemeTab, html: str, anchors: list[str]) -> None:
        dark = self.appearance.dark
        tab.load(html, anchors, self.pages.stylesheet(dark), reading_font(self._zoom))
        tab.reader.set_dark(dark)
        self.tab_loaded.emit(tab.theme.id)

    def restore_session(self) -> None:
        """Put back what the delegate had: window, panels, tab, reading positions."""
        settings = self.settings
        geometry = settings.geometry
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = settings.window_state
        if not state.isEmpty():
            self._layout_restored = self.restoreState(state)
        splitter = settings.splitter
        if not splitter.isEmpty():
            self._splitter_state = splitter  # for the tabs built later, too
            for tab in self._tabs.values():
                if tab.is_built:
                    tab.restoreState(splitter)
        for theme_id, tab in self._tabs.items():
            position = settings.scroll(theme_id)
            if position > 0:
                tab.when_ready(partial(self._scroll_tab, tab, position))
        remembered = self._tabs.get(settings.tab)
        if remembered is not None:
            self.tabs.setCurrentWidget(remembered)

    @staticmethod
    def _scroll_tab(tab: ThemeTab, position: int) -> None:
        tab.reader.set_top_position(position)

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
        if self._search_service is not None:
            self._search_service.shutdown()
        self.tasks.shutdown()
        super().closeEvent(event)

    def widget(self) -> QWidget:
        """The window as a parent for dialogs and shortcuts (``WindowHost``)."""
        return self

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
        tab.build()
        if self._started:
            self.load_tab(tab)
        self._update_title()
        bar = self._find_bar  # built after the first paint; the tab can change before it
        if bar is not None and bar.isVisible() and bar.field.text():
            tab.when_ready(lambda: self._on_find_text(bar.field.text()))
        if tab.is_loaded:
            tab.when_ready(
                lambda: self.current_section_changed.emit(self.current_section_id() or "")
            )

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.current_tab().theme.title} — BriefReader")

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
        self.complete()
        self.settings.appearance = choice
        self.appearance.set_choice(choice)
        self.appearance_actions[choice].setChecked(True)

    @Slot()
    def toggle_dark(self) -> None:
        self.set_appearance("light" if self.appearance.dark else "dark")

    @Slot(bool)
    def _on_appearance_changed(self, dark: bool) -> None:
        stylesheet = self.pages.stylesheet(dark)
        for tab in self._tabs.values():
            if tab.is_loaded:
                tab.reader.set_stylesheet(stylesheet)
            if tab.is_built:  # one built later is given the appearance when it is filled
                tab.reader.set_dark(dark)
        if self._results_panel is not None:
            self._results_panel.list.viewport().update()

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
        from briefreader.ui.about import AboutDialog, about_html

        page = about_html(
            self.briefing,
            index_dir=self.locations.index,
            data_dir=self.locations.data,
            settings_file=self.settings.file_name(),
        )
        dialog = AboutDialog(page, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    @Slot()
    def show_syntax_help(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from briefreader.ui.results import SYNTAX_HELP_HTML

        box = QMessageBox(self)
        box.setWindowTitle("Search syntax")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText("<p>Search finds passages in every theme. You can type:</p>" + SYNTAX_HELP_HTML)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    @Slot()
    def show_shortcuts(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        self.complete()
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
