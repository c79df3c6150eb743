"""Copy with citation: the actions, their shortcuts and the remembered citation style.

:class:`ExcerptActions` owns the application-wide actions (Edit menu and shortcuts):

- Copy with Citation (Ctrl+Shift+C), in the remembered style;
- Copy with the other style (Ctrl+Alt+Shift+C), once, without changing the setting;
- Add to Excerpt Tray (Ctrl+E);
- Short / Full citation: the remembered style (QSettings).

What they act on is asked of a provider function the window sets (the reader's selection,
the current search result, the table of contents' section…), so the actions need not know
the widgets. Context menus get their own actions bound to the passage they were opened on,
via :meth:`ExcerptActions.add_to_menu`.

Plain Ctrl+C is left alone: it still copies only the selected text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, QObject, QPoint, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QTextCursor
from PySide6.QtWidgets import QApplication, QMenu

from briefreader.core.excerpts import (
    CitationStyle,
    Excerpt,
    excerpt_from_section,
    excerpt_from_selection,
    format_excerpt,
)
from briefreader.core.model import Briefing
from briefreader.core.tray import TrayStore
from briefreader.ui.clipboard import copy_formatted
from briefreader.ui.docks import TRAY_SHORTCUT, TrayDock
from briefreader.ui.reading.reader import ReaderView
from briefreader.ui.reading.toc import TocView
from briefreader.ui.tray import TrayModel, TrayPanel

if TYPE_CHECKING:
    from briefreader.ui.window.main_window import MainWindow

STYLE_KEY = "excerpts/citation-style"
COPY_SHORTCUT = QKeySequence("Ctrl+Shift+C")
COPY_OTHER_SHORTCUT = QKeySequence("Ctrl+Alt+Shift+C")
ADD_SHORTCUT = QKeySequence("Ctrl+E")
NOTHING_SELECTED = (
    "Nothing to copy: select a passage in the text, or choose a search result or a section "
    "in the contents."
)

ExcerptProvider = Callable[[], Excerpt | None]


def load_style(settings: QSettings) -> CitationStyle:
    """The remembered citation style; a missing or hand-edited value gives the full style."""
    value = settings.value(STYLE_KEY, CitationStyle.FULL.value, type=str)
    try:
        return CitationStyle(value)
    except ValueError:
        return CitationStyle.FULL


def save_style(settings: QSettings, style: CitationStyle) -> None:
    settings.setValue(STYLE_KEY, style.value)


class SelectionReader(Protocol):
    """What :func:`selection_excerpt` needs of a reader (ui.reader.ReaderView has it)."""

    def textCursor(self) -> QTextCursor: ...  # noqa: N802 - Qt's name
    def section_at(self, position: int) -> str | None: ...
    def section_ids(self) -> list[str]: ...
    def section_position(self, section_id: str) -> int | None: ...


def selection_excerpt(briefing: Briefing, reader: SelectionReader) -> Excerpt | None:
    """The reader's selected text with the sections it covers, or None without a selection.

    The selection's sections are the one it starts in and every one whose heading lies
    inside it; a selection that starts above the first heading starts in the first section.
    """
    cursor = reader.textCursor()
    if not cursor.hasSelection():
        return None
    start, end = cursor.selectionStart(), cursor.selectionEnd()
    ids: list[str] = []
    first = reader.section_at(start)
    if first is not None:
        ids.append(first)
    for section_id in reader.section_ids():
        position = reader.section_position(section_id)
        if position is not None and start < position < end:
            ids.append(section_id)
    return excerpt_from_selection(briefing, cursor.selectedText(), ids)


class ExcerptActions(QObject):
    """The copy-with-citation and add-to-tray actions, for menus, shortcuts and context menus."""

    # For the status bar: what was copied, or why nothing was.
    status_message = Signal(str)
    # An excerpt to put in the tray (the tray's model adds it).
    add_requested = Signal(object)
    style_changed = Signal(str)

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._style = load_style(settings)
        self._provider: ExcerptProvider = lambda: None

        self.copy_action = QAction("Copy with &Citation", self)
        self.copy_action.setShortcut(COPY_SHORTCUT)
        self.copy_action.setStatusTip("Copy the passage with its source")
        self.copy_action.triggered.connect(self._on_copy)

        self.copy_other_action = QAction(self)
        self.copy_other_action.setShortcut(COPY_OTHER_SHORTCUT)
        self.copy_other_action.triggered.connect(self._on_copy_other)

        self.add_action = QAction("Add to &Excerpt Tray", self)
        self.add_action.setShortcut(ADD_SHORTCUT)
        self.add_action.setStatusTip("Keep the passage, with its source, in the excerpt tray")
        self.add_action.triggered.connect(self._on_add)

        self.style_group = QActionGroup(self)
        self.short_action = QAction("&Short Citation", self.style_group)
        self.full_action = QAction("&Full Citation (Section and Address)", self.style_group)
        for action, style in ((self.short_action, CitationStyle.SHORT),
                              (self.full_action, CitationStyle.FULL)):  # fmt: skip
            action.setCheckable(True)
            action.setData(style.value)
        self.style_group.triggered.connect(self._on_style_chosen)
        self._show_style()

    # -- the style ---------------------------------------------------------------------------

    @property
    def style(self) -> CitationStyle:
        return self._style

    def set_style(self, style: CitationStyle) -> None:
        if style is self._style:
            return
        self._style = style
        save_style(self._settings, style)
        self._show_style()
        self.style_changed.emit(style.value)

    def _show_style(self) -> None:
        self.short_action.setChecked(self._style is CitationStyle.SHORT)
        self.full_action.setChecked(self._style is CitationStyle.FULL)
        other = self._style.other().value
        self.copy_other_action.setText(f"Copy with {other.capitalize()} Citation")

    @Slot(QAction)
    def _on_style_chosen(self, action: QAction) -> None:
        self.set_style(CitationStyle(action.data()))

    def style_menu(self, parent: QMenu) -> QMenu:
        """A "Citation Style" submenu with the two styles, for the Edit menu."""
        menu = parent.addMenu("Citation St&yle")
        menu.addAction(self.short_action)
        menu.addAction(self.full_action)
        return menu

    # -- what the actions act on -------------------------------------------------------------

    def set_provider(self, provider: ExcerptProvider) -> None:
        """The function that says which passage the actions act on now (None: nothing)."""
        self._provider = provider

    def copy(self, excerpt: Excerpt | None, style: CitationStyle | None = None) -> bool:
        """Copy an excerpt with its citation; tell the status bar what happened."""
        if excerpt is None:
            self.status_message.emit(NOTHING_SELECTED)
            return False
        style = style or self._style
        if not copy_formatted(format_excerpt(excerpt, style)):
            self.status_message.emit("The clipboard cannot be used on this system.")
            return False
        self.status_message.emit(f"Copied with its {style.value} citation: {_where(excerpt)}")
        return True

    def add(self, excerpt: Excerpt | None) -> bool:
        if excerpt is None:
            self.status_message.emit(NOTHING_SELECTED.replace("to copy", "to add"))
            return False
        self.add_requested.emit(excerpt)
        return True

    @Slot()
    def _on_copy(self) -> None:
        self.copy(self._provider())

    @Slot()
    def _on_copy_other(self) -> None:
        self.copy(self._provider(), self._style.other())

    @Slot()
    def _on_add(self) -> None:
        self.add(self._provider())

    # -- context menus -----------------------------------------------------------------------

    def add_to_menu(self, menu: QMenu, excerpt: Excerpt | None, noun: str = "") -> None:
        """Add copy and add-to-tray entries for ``excerpt`` (the passage under the mouse).

        ``noun`` names what is copied when it is not obvious, e.g. "Section".
        """
        what = f" {noun}" if noun else ""
        menu.addSeparator()
        style_name = self._style.value.capitalize()
        copy = menu.addAction(f"Copy{what} with Citation ({style_name})")
        copy.setShortcut(COPY_SHORTCUT)  # shown as a reminder; the menu's own shortcut
        copy.triggered.connect(lambda: self.copy(excerpt))
        other_style = self._style.other()
        other = menu.addAction(f"Copy{what} with {other_style.value.capitalize()} Citation")
        other.setShortcut(COPY_OTHER_SHORTCUT)
        other.triggered.connect(lambda: self.copy(excerpt, other_style))
        add = menu.addAction(f"Add{what} to Excerpt Tray")
        add.setShortcut(ADD_SHORTCUT)
        add.triggered.connect(lambda: self.add(excerpt))
        for action in (copy, other, add):
            action.setEnabled(excerpt is not None)


def _where(excerpt: Excerpt) -> str:
    source = excerpt.source
    return f"{source.speaker_name or source.section_title} ({source.document_title})"


# --- wiring into the main window ----------------------------------------------------------------


class ExcerptFeature(QObject):
    """Copy with citation and the excerpt tray, attached to the main window.

    The window's hooks are used as they are: its readers' and results' context-menu signals,
    ``current_hit()``, its tables of contents, ``edit_menu``, ``add_dock``, ``open_section``
    and ``show_status``.
    """

    def __init__(
        self,
        window: MainWindow,
        settings: QSettings,
        store: TrayStore | None = None,
        dock: TrayDock | None = None,
    ) -> None:
        """``dock``: the tray's dock, already added to the window (the app adds it, empty,
        before the first paint: see ``ui/docks.py``); without it the feature adds its own."""
        super().__init__(window)
        self.window = window
        self.briefing = window.briefing
        self.actions = ExcerptActions(settings, self)
        self.actions.set_provider(self.current_excerpt)
        self.store = store if store is not None else TrayStore.open(window.locations.data)
        self.model = TrayModel(self.store, window)
        self.panel = TrayPanel(self.model, self.actions.style)
        self.panel.subtitle = self.briefing.title
        # An empty tray would take a third of the reader's width: it appears when the
        # delegate adds to it (or opens it); a layout saved by the last session wins.
        filled = self.model.rowCount() > 0
        if dock is None:
            self.dock = TrayDock(self.panel, window)
            window.add_dock(self.dock, self.dock.area, self.dock.shortcut, visible=filled)
        else:
            self.dock = dock
            dock.setWidget(self.panel)
            if filled and not window.layout_restored:
                dock.show()
        self.dock.toggleViewAction().triggered.connect(self._on_dock_toggled)

        edit = window.edit_menu
        edit.addSeparator()
        for action in (self.actions.copy_action, self.actions.copy_other_action):
            edit.addAction(action)
            window.addAction(action)
        self.actions.style_menu(edit)
        edit.addAction(self.actions.add_action)
        window.addAction(self.actions.add_action)

        self.actions.status_message.connect(window.show_status)
        self.actions.add_requested.connect(self.add_to_tray)
        self.actions.style_changed.connect(self._on_style_changed)
        self.panel.status_message.connect(window.show_status)
        self.panel.open_section_requested.connect(window.open_section)
        for reader in window.readers():
            reader.context_menu_about_to_show.connect(self._on_reader_menu)
        window.results_panel.context_menu_about_to_show.connect(self._on_result_menu)
        for theme in self.briefing.themes:
            tab = window.tab_for(theme.id)
            if tab is not None:
                toc = tab.toc
                toc.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
                toc.customContextMenuRequested.connect(partial(self._on_toc_menu, toc))

        if self.store.message:
            self.panel.set_notice(self.store.message)
            window.show_status(self.store.message, 30000)
        app = QCoreApplication.instance()
        if app is not None:
            # A note being typed when the window closes is saved before the process ends.
            app.aboutToQuit.connect(self.panel.save_note)

    # -- what Ctrl+Shift+C and Ctrl+E act on ---------------------------------------------------

    def current_excerpt(self) -> Excerpt | None:
        """The passage the delegate is at: the focused pane decides."""
        focus = QApplication.focusWidget()
        window = self.window
        if focus is not None and self.panel.isAncestorOf(focus):
            item = self.model.item(self.panel.current_row())
            return item.excerpt if item is not None else None
        if focus is not None and window.results_panel.isAncestorOf(focus):
            hit = window.current_hit()
            return self._section_excerpt(hit.id) if hit is not None else None
        if isinstance(focus, TocView):
            section_id = focus.current_section_id()
            return self._section_excerpt(section_id) if section_id else None
        reader = focus if isinstance(focus, ReaderView) else window.current_reader()
        return selection_excerpt(self.briefing, reader)

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
        self.window.show_status(
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
        excerpt = selection_excerpt(self.briefing, reader)
        if excerpt is not None:
            self.actions.add_to_menu(menu, excerpt, "Selection")
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
