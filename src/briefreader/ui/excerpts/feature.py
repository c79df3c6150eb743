"""Copy with citation and the excerpt tray, attached to the window through ``WindowHost``.

The window's hooks are used as they are: its readers' and results' context-menu signals,
``current_hit()``, its tables of contents, ``edit_menu``, ``add_dock``, ``open_section``,
``show_status`` and ``tasks`` (export runs there). Other panels whose items can be quoted
(the key figures) join through :meth:`ExcerptFeature.add_source`, so neither feature needs
the other to exist first.
"""

from __future__ import annotations

from functools import partial
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QObject, QPoint, Qt, SignalInstance, Slot
from PySide6.QtWidgets import QApplication, QMenu

from briefreader.core.excerpts import CitationStyle, Excerpt, excerpt_from_section
from briefreader.core.tray import TrayStore
from briefreader.ui.excerpts.actions import ExcerptActions, Excerpts, selection_excerpts
from briefreader.ui.excerpts.dock import TRAY_SHORTCUT, TrayDock
from briefreader.ui.excerpts.note_details import NoteDetails, ask_note_details
from briefreader.ui.excerpts.tray_model import TrayModel
from briefreader.ui.excerpts.tray_panel import TrayPanel
from briefreader.ui.reading.reader import ReaderView
from briefreader.ui.reading.toc import TocView
from briefreader.ui.shared.host import WindowHost
from briefreader.ui.shared.settings import AppSettings


class ExcerptSource(Protocol):
    """Another panel whose items can be quoted (the key figures' panel is one): while it has
    the focus, its current item is what the actions act on; it asks for copies and for the
    copy and add entries of its context menus."""

    def has_focus_within(self) -> bool: ...

    def current_excerpt(self) -> Excerpt | None: ...

    @property
    def copy_requested(self) -> SignalInstance:
        """Copy this excerpt (or None) with its citation."""
        ...

    @property
    def context_menu_about_to_show(self) -> SignalInstance:
        """A context menu (QMenu) for an excerpt (or None) is being built."""
        ...


class ExcerptFeature(QObject):
    """Copy with citation and the excerpt tray, attached to the window."""

    def __init__(
        self,
        host: WindowHost,
        settings: AppSettings,
        store: TrayStore | None = None,
        dock: TrayDock | None = None,
    ) -> None:
        """``dock``: the tray's dock, already added to the window (the app adds it, empty,
        before the first paint: see ``dock.py``); without it the feature adds its own."""
        window = host.widget()
        super().__init__(window)
        self.host = host
        self.briefing = host.briefing
        self._sources: list[ExcerptSource] = []
        self.actions = ExcerptActions(settings, self)
        self.actions.set_provider(self.current_excerpt)
        self.store = store if store is not None else TrayStore.open(host.locations.data)
        self.model = TrayModel(self.store, window)
        self.panel = TrayPanel(self.model, host.tasks, self.actions.style)
        self.panel.subtitle = self.briefing.title
        self.panel.details = NoteDetails.remembered(settings)
        self.panel.ask_details = lambda: ask_note_details(settings, window)
        # An empty tray would take a third of the reader's width: it appears when the
        # reader adds to it (or opens it); a layout saved by the last session wins.
        filled = self.model.rowCount() > 0
        if dock is None:
            self.dock = TrayDock(self.panel, window)
            host.add_dock(self.dock, self.dock.area, self.dock.shortcut, visible=filled)
        else:
            self.dock = dock
            dock.setWidget(self.panel)
            if filled and not host.layout_restored:
                dock.show()
        self.dock.toggleViewAction().triggered.connect(self._on_dock_toggled)

        edit = host.edit_menu
        edit.addSeparator()
        for action in (self.actions.copy_action, self.actions.copy_other_action):
            edit.addAction(action)
            window.addAction(action)
        self.actions.style_menu(edit)
        edit.addAction(self.actions.add_action)
        window.addAction(self.actions.add_action)
        window.addAction(self.actions.refused_add_action)
        if not self.store.writable:
            self.actions.refuse_adding(self.store.message)
        self.actions.set_copy_check(self._check_copy)

        # What was copied, added or exported is said to screen readers too, not only shown.
        self.actions.status_message.connect(host.announce)
        self.actions.add_requested.connect(self.add_to_tray)
        self.actions.style_changed.connect(self._on_style_changed)
        self.panel.status_message.connect(host.announce)
        # A refused or failed change is announced: a note that was not saved must be heard.
        self.panel.problem_reported.connect(host.announce)
        self.panel.open_section_requested.connect(host.open_section)
        for reader in host.readers():
            reader.context_menu_about_to_show.connect(self._on_reader_menu)
        host.results_panel.context_menu_about_to_show.connect(self._on_result_menu)
        for theme in self.briefing.themes:
            tab = host.tab_for(theme.id)
            if tab is not None:
                toc = tab.toc
                toc.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
                toc.customContextMenuRequested.connect(partial(self._on_toc_menu, toc))

        if self.store.message:
            # The panel's banner shows it too (TrayPanel reads it from the store).
            host.show_status(self.store.message, 30000)
        app = QCoreApplication.instance()
        if app is not None:
            # A note being typed when the window closes is saved before the process ends.
            app.aboutToQuit.connect(self.panel.save_note)

    def add_source(self, source: ExcerptSource, noun: str) -> None:
        """Let another panel's current item be copied, kept and offered in context menus
        exactly as a passage is; ``noun`` names it in menus ("Figure")."""
        self._sources.append(source)
        source.copy_requested.connect(self.actions.copy)
        source.context_menu_about_to_show.connect(
            lambda menu, excerpt: self.actions.add_to_menu(menu, excerpt, noun)
        )

    # -- what Ctrl+Shift+C and Ctrl+E act on ---------------------------------------------------

    def current_excerpt(self) -> Excerpts:
        """The passage the reader is at: the focused pane decides (a selection over several
        sections gives one excerpt per section)."""
        for source in self._sources:
            if source.has_focus_within():
                return source.current_excerpt()
        focus = QApplication.focusWidget()
        host = self.host
        if focus is not None and self.panel.isAncestorOf(focus):
            item = self.model.item(self.panel.current_row())
            return item.excerpt if item is not None else None
        if focus is not None and host.results_panel.isAncestorOf(focus):
            hit = host.current_hit()
            return self._section_excerpt(hit.id) if hit is not None else None
        if isinstance(focus, TocView):
            section_id = focus.current_section_id()
            return self._section_excerpt(section_id) if section_id else None
        reader = focus if isinstance(focus, ReaderView) else host.current_reader()
        return selection_excerpts(self.briefing, reader)

    def _check_copy(self, excerpt: Excerpt) -> bool:
        """A tray item with damaged text is copied only once the reader has been warned."""
        item = next((i for i in self.model.items() if i.excerpt is excerpt), None)
        return item is None or self.panel.confirm_damaged([item])

    def _section_excerpt(self, section_id: str) -> Excerpt | None:
        section = self.briefing.section(section_id)
        return excerpt_from_section(self.briefing, section) if section is not None else None

    # -- the tray -----------------------------------------------------------------------------

    @Slot(object)
    def add_to_tray(self, excerpt: Excerpt) -> None:
        row = self.model.add_excerpt(excerpt)
        if row < 0:
            return
        count = self.model.rowCount()
        self.panel.select_row(row)
        if not self.dock.isVisible():
            self.dock.show()
        self.host.announce(
            f"Added to the excerpt tray ({count} excerpt{'s' if count != 1 else ''}). "
            f"{TRAY_SHORTCUT} shows or hides the tray."
        )

    @Slot(bool)
    def _on_dock_toggled(self, visible: bool) -> None:
        if visible:
            self.panel.list.setFocus()

    @Slot(str)
    def _on_style_changed(self, value: str) -> None:
        self.panel.citation_style = CitationStyle(value)

    # -- context menus ------------------------------------------------------------------------

    @Slot(QMenu, int)
    def _on_reader_menu(self, menu: QMenu, position: int) -> None:
        reader = self.sender()
        if not isinstance(reader, ReaderView):
            return
        excerpts = selection_excerpts(self.briefing, reader)
        if excerpts:
            self.actions.add_to_menu(menu, excerpts, "Selection")
            return
        section_id = reader.section_at(position)
        self.actions.add_to_menu(
            menu, self._section_excerpt(section_id) if section_id else None, "Section"
        )

    @Slot(QMenu, object)
    def _on_result_menu(self, menu: QMenu, hit: object) -> None:
        section_id = getattr(hit, "id", None)
        excerpt = self._section_excerpt(section_id) if isinstance(section_id, str) else None
        self.actions.add_to_menu(menu, excerpt, "Passage")

    def _on_toc_menu(self, toc: TocView, point: QPoint) -> None:
        index = toc.indexAt(point)
        if not index.isValid():
            return
        toc.setCurrentIndex(index)
        section_id = toc.current_section_id()
        menu = QMenu(toc)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        open_action = menu.addAction("Open Section")
        open_action.triggered.connect(lambda: toc.section_chosen.emit(section_id))
        self.actions.add_to_menu(
            menu, self._section_excerpt(section_id) if section_id else None, "Section"
        )
        menu.popup(toc.viewport().mapToGlobal(point))
