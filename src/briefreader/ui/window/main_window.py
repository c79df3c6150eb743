"""The main window: a shell that places the features and runs the start-up steps.

It composes the features' controllers: search (``ui/search``: the field, the results panel,
the worker service), reading (``ui/reading``: the theme tabs, pages, find in page, zoom), the
index status, the session, the help dialogs, and places their actions in its menus
(``menus.py``). Features talk to the window through small protocols (``SearchHost``,
``ReadingHost``, and :class:`~briefreader.ui.shared.host.WindowHost` for the features the
app attaches), never through this class.

Before the first paint only what the first frame shows is built (``startup.py`` says why);
the rest is the list of steps in :meth:`MainWindow._steps`, one per turn of the event loop.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from briefreader.core.locations import Locations
from briefreader.core.model import Briefing
from briefreader.ui.reading.controller import ReadingController
from briefreader.ui.search.controller import SearchController
from briefreader.ui.search.status import IndexStatusView
from briefreader.ui.shared.settings import AppSettings
from briefreader.ui.shared.tasks import BackgroundTasks
from briefreader.ui.window.appearance import Appearance
from briefreader.ui.window.session import Session
from briefreader.ui.window.startup import StartupSequence, Step

if TYPE_CHECKING:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction, QCloseEvent, QPaintEvent, QResizeEvent, QShowEvent

    from briefreader.core.search.results import Hit
    from briefreader.ui.reading.reader import ReaderView
    from briefreader.ui.reading.theme_tab import ThemeTab
    from briefreader.ui.search.results_panel import ResultsPanel
    from briefreader.ui.window.help import Help
    from briefreader.ui.window.menus import Menus
else:
    from briefreader.ui.shared.lazy_qt import Qt

LEFT, RIGHT = "left", "right"  # a panel's side when the saved layout has no place for it
RESULTS_DOCK_WIDTH = 350
SIDE_DOCK_WIDTH = 300
# On a narrow window the side panels give way until the text and its contents have this
# share of the width (at 1024 px with the results and the tray open, about 560 px), and they
# grow back to the width they had (or were given) when the window grows again.
TEXT_SHARE = 0.55
SIDE_DOCK_MIN_WIDTH = 200
FIRST_PAINT_FALLBACK_MS = 1500  # start anyway if the window never paints (started minimised)
SHUTDOWN_MS = 1000  # the longest closing waits for work off the GUI thread


class MainWindow(QMainWindow):
    """The reader's window: menus, search toolbar, theme tabs, docks, status bar."""

    first_painted = Signal()
    completed = Signal()  # everything is built: contents, results panel, menus' actions
    section_opened = Signal(str)  # a section was brought into view by open_section
    current_section_changed = Signal(str)  # the section being read in the open tab

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
        self._briefing = briefing
        self.settings = settings
        self._locations = locations
        app = QApplication.instance()
        assert isinstance(app, QApplication), "create the QApplication first"
        self.appearance = (
            appearance if appearance is not None else Appearance(app, settings.appearance)
        )
        self._tasks = BackgroundTasks(self)
        self._painted = False
        self._menus: Menus | None = None
        self._help: Help | None = None
        self._docks: list[tuple[QDockWidget, str]] = []  # added panels and their shortcuts
        self._dock_widths: dict[QDockWidget, int] = {}  # the width each side panel wants
        # Panels are placed when the session is restored (or the window shown): put back
        # from the saved layout, they need none of Qt's enums, which the first frame does
        # without (ui/shared/lazy_qt.py); only a panel the layout has no place for does.
        self._unplaced: list[_DockPlan] = []
        self._docks_placed = False
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_docks)
        self.session = Session(self, settings)

        available = self.screen().availableGeometry()
        self.resize(
            min(1280, int(available.width() * 0.92)), min(820, int(available.height() * 0.9))
        )
        self.reading = ReadingController(
            self,
            briefing,
            settings,
            self._tasks,
            locations.pages,
            dark=self.appearance.dark,
            parent=self,
        )
        self.setCentralWidget(self.reading.widget)
        self.reading.section_opened.connect(self.section_opened)
        self.reading.current_section_changed.connect(self.current_section_changed)
        self.reading.current_tab_changed.connect(self._update_title)
        self.reading.zoom_changed.connect(self._show_zoom)
        self.search = SearchController(self, briefing, settings, locations.index, self)
        self._place_search()
        self._build_status_bar()
        menu_bar = self.menuBar()  # the menus now, empty, so that nothing moves when filled
        self.file_menu = menu_bar.addMenu("&File")
        self.edit_menu = menu_bar.addMenu("&Edit")
        self.view_menu = menu_bar.addMenu("&View")
        self.go_menu = menu_bar.addMenu("&Go")
        self.help_menu = menu_bar.addMenu("&Help")
        self.appearance.changed.connect(self._on_appearance_changed)
        self._update_title()
        self.startup = StartupSequence(self._steps(), self)

    # -- the first frame -------------------------------------------------------------------

    def _place_search(self) -> None:
        toolbar = QToolBar("Search", self)
        toolbar.setObjectName("searchToolbar")
        toolbar.setMovable(False)
        toolbar.setFloatable(False)
        toolbar.toggleViewAction().setEnabled(False)
        spacer_left, spacer_right = QWidget(toolbar), QWidget(toolbar)
        for spacer in (spacer_left, spacer_right):
            spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer_left)
        self.search.field.setParent(toolbar)
        toolbar.addWidget(self.search.field)
        toolbar.addWidget(spacer_right)
        self.addToolBar(toolbar)  # at the top, Qt's default: no enum before the first paint
        self.toolbar = toolbar
        # The toolbar's overflow button (hidden unless the field does not fit) was an unnamed
        # check box to screen readers.
        for button in toolbar.findChildren(QWidget, "qt_toolbar_ext_button"):
            button.setAccessibleName("More of the search toolbar")
        dock = self.search.dock
        self._unplaced.append(_DockPlan(dock, LEFT, RESULTS_DOCK_WIDTH, visible=True))
        self._watch_width(dock, RESULTS_DOCK_WIDTH)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        self.index_status = IndexStatusView(bar)
        self.search.attach_status(self.index_status)
        self.zoom_label = QLabel(bar)
        self.zoom_label.setObjectName("zoomLevel")
        self.zoom_label.setToolTip("Zoom in: Ctrl++   Zoom out: Ctrl+-   Actual size: Ctrl+0")
        bar.addPermanentWidget(self.zoom_label)
        self._show_zoom(self.reading.zoom)

    # -- start-up --------------------------------------------------------------------------

    def _steps(self) -> list[Step]:
        return [
            ("open page", self._show_open_page),
            ("appearance", self.appearance.watch_system),
            ("menus", self._build_menus),
            ("tabs", self.reading.build_all_tabs),
            ("results panel", self._build_results_panel),
            ("find bar", self.reading.build_find_bar),
            ("features", self._complete),
            ("search index", self.search.start),
            ("pages", self.reading.load_all),
        ]

    def showEvent(self, event: QShowEvent) -> None:
        if not self._docks_placed:
            self.place_docks()  # shown without a session restored (a screenshot, a test)
        super().showEvent(event)
        QTimer.singleShot(FIRST_PAINT_FALLBACK_MS, self, self.startup.begin)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self._after_first_paint)

    @Slot()
    def _after_first_paint(self) -> None:
        self.first_painted.emit()
        self.startup.begin()

    def _show_open_page(self) -> None:
        # The open tab's text before anything else: it is what the reader is waiting for.
        self.reading.show_open_page(self.startup.hold())

    def _build_menus(self) -> None:
        from briefreader.ui.window.help import Help
        from briefreader.ui.window.menus import Menus, add_dock_toggle

        self._help = Help(self)
        self._menus = Menus(self)
        for dock, shortcut in self._docks:
            add_dock_toggle(self, dock.toggleViewAction(), shortcut)
        self.search.show_icon()

    def _build_results_panel(self) -> None:
        self.search.build_panel()
        self.index_status.build_progress()

    def _complete(self) -> None:
        chain: list[QWidget] = [
            self.search.field,
            *self.results_panel.chips.buttons.values(),
            self.results_panel.message,
            self.results_panel.show_all_button,
            self.results_panel.list,
            self.results_panel.more_button,
            self.reading.tabs,  # its tab bar has the focus; the tab bar's scroll buttons follow
            self.reading.theme_list,  # every theme, when the tabs do not all fit
        ]
        # Then each tab's contents and text (Tab skips the hidden tabs'): named here, because
        # the tabs are built in another order than they come (the open one first).
        for tab in self.reading.all_tabs():
            chain += [tab.toc, tab.reader]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        # The keyboard starts in the search field (named), not on the tab bar Qt chose: the
        # reader searches as they type, and a screen reader starts on a control it can name.
        if self.focusWidget() in (None, self.reading.tabs.tabBar()):
            self.search.field.setFocus(Qt.FocusReason.OtherFocusReason)
        self.completed.emit()

    @property
    def is_complete(self) -> bool:
        """Whether every part is built and the features are attached."""
        return self.startup.has_run("features")

    @property
    def menus(self) -> Menus:
        assert self._menus is not None, "the menus' actions are built after the first paint"
        return self._menus

    @property
    def help(self) -> Help:
        assert self._help is not None, "the help is set up after the first paint"
        return self._help

    # -- what features may ask of the window (ui/shared/host.py) ---------------------------

    @property
    def briefing(self) -> Briefing:
        return self._briefing

    @property
    def locations(self) -> Locations:
        return self._locations

    @property
    def tasks(self) -> BackgroundTasks:
        return self._tasks

    @property
    def layout_restored(self) -> bool:
        """Whether the last session's arrangement of the panels was put back."""
        return self.session.layout_restored

    @property
    def results_panel(self) -> ResultsPanel:
        return self.search.panel

    def widget(self) -> QWidget:
        return self

    def readers(self) -> list[ReaderView]:
        return self.reading.readers()

    def current_tab(self) -> ThemeTab:
        return self.reading.current_tab()

    def current_reader(self) -> ReaderView:
        return self.reading.current_reader()

    def tab_for(self, theme_id: str) -> ThemeTab | None:
        return self.reading.tab_for(theme_id)

    def current_section_id(self) -> str | None:
        return self.reading.current_section_id()

    def current_theme_id(self) -> str:
        return self.current_tab().theme.id

    def add_menu(self, title: str) -> QMenu:
        """A feature's menu in the menu bar, before Help."""
        menu = QMenu(title, self)
        self.menuBar().insertMenu(self.help_menu.menuAction(), menu)
        return menu

    def current_hit(self) -> Hit | None:
        return self.search.current_hit()

    def open_theme(self, theme_id: str) -> bool:
        return self.reading.open_theme(theme_id)

    def open_section(
        self,
        section_id: str,
        words: Sequence[str] = (),
        *,
        announce_query: str = "",
        keep_focus: bool = False,
    ) -> bool:
        return self.reading.open_section(
            section_id, words, announce_query=announce_query, keep_focus=keep_focus
        )

    def add_dock(
        self,
        dock: QDockWidget,
        area: Qt.DockWidgetArea | None = None,
        shortcut: str = "",
        *,
        visible: bool = True,
        tabify_with: QDockWidget | None = None,
    ) -> QAction:
        """Add a panel: docked, listed in the View menu, its place remembered.

        ``area``: where it goes when the last session left no place for it (None: the
        right side); ``visible``: whether it shows then; ``tabify_with``: a panel it then
        shares a column with, as a tab. Added before :meth:`restore_session`, it is placed
        then; added after it, at once; either way where the last session had it.
        """
        if not dock.objectName():
            raise ValueError("a dock needs an objectName for its place to be remembered")
        plan = _DockPlan(dock, area if area is not None else RIGHT, SIDE_DOCK_WIDTH, visible)
        plan.tabify_with = tabify_with
        if self._docks_placed:
            self._place_dock(plan)
        else:
            self._unplaced.append(plan)
        self._docks.append((dock, shortcut))
        self._watch_width(dock, SIDE_DOCK_WIDTH)
        dock.setMinimumWidth(SIDE_DOCK_MIN_WIDTH)
        if self._menus is not None:
            from briefreader.ui.window.menus import add_dock_toggle

            add_dock_toggle(self, dock.toggleViewAction(), shortcut)
        return dock.toggleViewAction()

    def place_docks(self) -> None:
        """Place the panels added so far (once the session's layout is restored)."""
        if self._docks_placed:
            return
        self._docks_placed = True
        planned, self._unplaced = self._unplaced, []
        for plan in planned:
            self._place_dock(plan)

    def _place_dock(self, plan: _DockPlan) -> None:
        dock = plan.dock
        # restoreState places the docks that are already the window's children; for one
        # made after it, restoreDockWidget adds it at the place restoreState kept for it.
        layout = self.layout()
        placed = layout is not None and layout.indexOf(dock) >= 0
        if self.layout_restored and (placed or self.restoreDockWidget(dock)):
            return
        area = plan.area
        if isinstance(area, str):
            side = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
            area = side[0] if area == LEFT else side[1]
        self.addDockWidget(area, dock)
        # A first-start width that leaves the text its room; the reader's own is restored.
        self.resizeDocks([dock], [plan.width], Qt.Orientation.Horizontal)
        dock.setVisible(plan.visible)
        other = plan.tabify_with
        if other is not None and other.parent() is self and self.dockWidgetArea(other) == area:
            self.tabifyDockWidget(other, dock)

    def show_status(self, text: str, milliseconds: int = 6000) -> None:
        self.statusBar().showMessage(text, milliseconds)

    def announce(self, text: str) -> None:
        """Say something to the user: status bar, and screen readers where they listen."""
        # Imported here: these classes take a moment to set up, and nothing is announced
        # before the first paint.
        from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

        self.show_status(text)
        if QAccessible.isActive():
            source = self.search.panel if self.startup.has_run("results panel") else self
            QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(source, text))

    # -- side panels on a small screen -----------------------------------------------------

    def _watch_width(self, dock: QDockWidget, width: int) -> None:
        self._dock_widths[dock] = width
        dock.visibilityChanged.connect(self._fit_timer.start)
        dock.topLevelChanged.connect(self._fit_timer.start)

    def _side_columns(self) -> list[QDockWidget]:
        """One visible, docked side panel per column (tabified or stacked ones share one)."""
        columns: list[QDockWidget] = []
        seen: set[int] = set()
        # Beside the text rather than above or below it: told from the geometry, because
        # asking for the dock's area sets up Qt's enums, and this runs before the first paint
        # (ui/shared/lazy_qt.py).
        text = self.reading.widget.geometry()
        for dock in self._dock_widths:
            if not dock.isVisible() or dock.isFloating():
                continue
            box = dock.geometry()
            if not (box.right() < text.left() or box.left() > text.right()):
                continue
            if dock.geometry().x() not in seen:
                seen.add(dock.geometry().x())
                columns.append(dock)
        return columns

    def event(self, event: QEvent) -> bool:
        # The type is read first: after some events (a deferred delete) neither the event nor
        # the window may be touched again.
        release = event.type() == QEvent.Type.MouseButtonRelease
        handled = super().event(event)
        if release:
            # The end of a drag on a panel's edge (the window's separators are its own): the
            # width the reader gave a panel is the one it grows back to.
            for dock in self._side_columns():
                self._dock_widths[dock] = dock.width()
        return handled

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_timer.start()

    @Slot()
    def _fit_docks(self) -> None:
        """Give each side column its wanted width, narrowed as needed so the text keeps
        its share of the window."""
        columns = self._side_columns()
        if not columns:
            return
        wanted = [self._dock_widths[d] for d in columns]
        room = int(self.width() * (1 - TEXT_SHARE))
        if sum(wanted) > room:
            scale = room / sum(wanted)
            wanted = [
                max(d.minimumSizeHint().width(), d.minimumWidth(), int(w * scale))
                for d, w in zip(columns, wanted, strict=True)
            ]
        if [d.width() for d in columns] == wanted:
            return
        self.resizeDocks(columns, wanted, Qt.Orientation.Horizontal)

    # -- focus and appearance --------------------------------------------------------------

    @Slot()
    def focus_reader(self) -> None:
        self.reading.focus_reader()

    @Slot()
    def focus_next_pane(self) -> None:
        panes: list[QWidget] = [self.search.field]
        if self.search.dock.isVisible() and self.results_panel.list.isVisible():
            panes.append(self.results_panel.list)
        tab = self.current_tab()
        if tab.toc.isVisible():
            panes.append(tab.toc)
        panes.append(tab.reader)
        focused = QApplication.focusWidget()
        number = next((i for i, p in enumerate(panes) if p is focused), -1)
        panes[(number + 1) % len(panes)].setFocus(Qt.FocusReason.TabFocusReason)

    def set_appearance(self, choice: str) -> None:
        self.settings.appearance = choice
        self.appearance.set_choice(choice)
        if self._menus is not None:
            self._menus.appearances[choice].setChecked(True)

    @Slot()
    def toggle_dark(self) -> None:
        self.set_appearance("light" if self.appearance.dark else "dark")

    @Slot(bool)
    def _on_appearance_changed(self, dark: bool) -> None:
        self.reading.set_dark(dark)
        self.search.refresh()

    @Slot(int)
    def _show_zoom(self, percent: int) -> None:
        self.zoom_label.setText(f"Text {percent}%")

    @Slot()
    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.current_tab().theme.title} — BriefReader")

    # -- the session -----------------------------------------------------------------------

    def restore_session(self) -> None:
        """Put back what the reader had: window, panels, tab, reading positions."""
        self.session.restore()

    def save_session(self) -> None:
        self.session.save()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.startup.stop()
        self.reading.stop()
        self.save_session()
        # One bound for both: the search thread first, the pool with what time is left.
        started = time.monotonic()
        self.search.shutdown(SHUTDOWN_MS)
        spent = int((time.monotonic() - started) * 1000)
        self._tasks.shutdown(max(0, SHUTDOWN_MS - spent))
        super().closeEvent(event)


class _DockPlan:
    """A panel to place: its side (or area) and width when the saved layout has none."""

    def __init__(
        self, dock: QDockWidget, area: Qt.DockWidgetArea | str, width: int, visible: bool
    ) -> None:
        self.dock = dock
        self.area = area
        self.width = width
        self.visible = visible
        self.tabify_with: QDockWidget | None = None
