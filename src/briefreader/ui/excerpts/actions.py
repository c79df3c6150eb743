"""Copy with citation: the actions, their shortcuts and the remembered citation style.

:class:`ExcerptActions` owns the application-wide actions (Edit menu and shortcuts):

- Copy with Citation (Ctrl+Shift+C), in the remembered style;
- Copy with the other style (Ctrl+Alt+Shift+C), once, without changing the setting;
- Add to Excerpt Tray (Ctrl+E);
- Short / Full citation: the remembered style (``AppSettings.citation_style``).

What they act on is asked of a provider function the feature sets (the reader's selection,
the current search result, the table of contents' section, the current key figure…), so the
actions need not know the widgets. Context menus get their own actions bound to the passage
they were opened on, via :meth:`ExcerptActions.add_to_menu`.

Plain Ctrl+C is left alone: it still copies only the selected text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QTextCursor, QTextDocument
from PySide6.QtWidgets import QMenu

from briefreader.core.excerpts import (
    CitationStyle,
    Excerpt,
    excerpts_from_pieces,
    format_excerpt,
    format_excerpts,
    selection_ranges,
    widen_to_words,
)
from briefreader.core.model import Briefing
from briefreader.ui.shared.clipboard import copy_formatted
from briefreader.ui.shared.settings import AppSettings

COPY_SHORTCUT = QKeySequence("Ctrl+Shift+C")
COPY_OTHER_SHORTCUT = QKeySequence("Ctrl+Alt+Shift+C")
ADD_SHORTCUT = QKeySequence("Ctrl+E")
NOTHING_SELECTED = (
    "Nothing to copy: select a passage in the text, or choose a search result or a section "
    "in the contents."
)

# One excerpt, several (a selection over several sections: one per section), or none.
Excerpts = Excerpt | Sequence[Excerpt] | None
ExcerptProvider = Callable[[], Excerpts]


def as_tuple(excerpts: Excerpts) -> tuple[Excerpt, ...]:
    if excerpts is None:
        return ()
    return (excerpts,) if isinstance(excerpts, Excerpt) else tuple(excerpts)


# Asked before an excerpt is copied with its citation; False: not copied (it said why).
CopyCheck = Callable[[Excerpt], bool]


class SelectionReader(Protocol):
    """What :func:`selection_excerpts` needs of a reader (ui.reader.ReaderView has it)."""

    def textCursor(self) -> QTextCursor: ...  # noqa: N802 - Qt's name
    def document(self) -> QTextDocument: ...
    def page_text(self) -> str: ...
    def section_ids(self) -> list[str]: ...
    def section_position(self, section_id: str) -> int | None: ...


def selection_excerpts(briefing: Briefing, reader: SelectionReader) -> tuple[Excerpt, ...]:
    """The reader's selection as excerpts: one per section it covers, each with its own
    citation (and its own speaker); none without a selection.

    A loose drag that cuts a word in two is widened to the whole word first; the reader's
    selection itself is left as it is (plain Ctrl+C copies exactly what is selected).
    """
    cursor = reader.textCursor()
    if not cursor.hasSelection():
        return ()
    start, end = widen_to_words(reader.page_text(), cursor.selectionStart(), cursor.selectionEnd())
    headings = [
        (position, section_id)
        for section_id in reader.section_ids()
        if (position := reader.section_position(section_id)) is not None
    ]
    pieces = []
    for section_id, low, high in selection_ranges(start, end, headings):
        piece = QTextCursor(reader.document())
        piece.setPosition(low)
        piece.setPosition(high, QTextCursor.MoveMode.KeepAnchor)
        pieces.append((section_id, piece.selectedText()))
    return excerpts_from_pieces(briefing, pieces)


class ExcerptActions(QObject):
    """The copy-with-citation and add-to-tray actions, for menus, shortcuts and context menus."""

    # For the status bar: what was copied, or why nothing was.
    status_message = Signal(str)
    # An excerpt to put in the tray (the tray's model adds it).
    add_requested = Signal(object)
    style_changed = Signal(str)

    def __init__(self, settings: AppSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._style = settings.citation_style
        self._provider: ExcerptProvider = lambda: None
        self._check: CopyCheck = lambda _excerpt: True
        self._add_refused = ""  # why nothing can be added here, or ""

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
        # Ctrl+E while adding is refused: says why instead of doing nothing (enabled then).
        self.refused_add_action = QAction(self)
        self.refused_add_action.setShortcut(ADD_SHORTCUT)
        self.refused_add_action.setEnabled(False)
        self.refused_add_action.triggered.connect(lambda: self.add(None))

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
        self._settings.citation_style = style
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

    def set_copy_check(self, check: CopyCheck) -> None:
        """A function asked before each copy (the tray warns about damaged text)."""
        self._check = check

    def refuse_adding(self, why: str) -> None:
        """The tray is read-only here: Add is disabled, and its tip and shortcut say ``why``."""
        self._add_refused = why
        tip = f"Cannot add to the excerpt tray: {why}"
        self.add_action.setEnabled(False)
        self.add_action.setStatusTip(tip)
        self.add_action.setToolTip(tip)
        self.refused_add_action.setEnabled(True)

    def copy(self, excerpts: Excerpts, style: CitationStyle | None = None) -> bool:
        """Copy excerpts, each with its citation; tell the status bar what happened."""
        chosen = as_tuple(excerpts)
        if not chosen:
            self.status_message.emit(NOTHING_SELECTED)
            return False
        if not all(self._check(excerpt) for excerpt in chosen):
            return False
        style = style or self._style
        formatted = (
            format_excerpt(chosen[0], style) if len(chosen) == 1 else format_excerpts(chosen, style)
        )
        if not copy_formatted(formatted):
            self.status_message.emit("The clipboard cannot be used on this system.")
            return False
        if len(chosen) == 1:
            said = f"Copied with its {style.value} citation: {_where(chosen[0])}"
        else:
            places = "; ".join(_where(e) for e in chosen)
            said = f"Copied {len(chosen)} excerpts, each with its {style.value} citation: {places}"
        self.status_message.emit(said)
        return True

    def add(self, excerpts: Excerpts) -> bool:
        """Keep excerpts in the tray: one item each (a selection over two sections, two)."""
        if self._add_refused:
            self.status_message.emit(f"Not added: {self._add_refused}")
            return False
        chosen = as_tuple(excerpts)
        if not chosen:
            self.status_message.emit(NOTHING_SELECTED.replace("to copy", "to add"))
            return False
        for excerpt in chosen:
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

    def add_to_menu(self, menu: QMenu, excerpt: Excerpts, noun: str = "") -> None:
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
            action.setEnabled(bool(as_tuple(excerpt)))
        if self._add_refused:
            add.setEnabled(False)
            add.setStatusTip(self.add_action.statusTip())
            add.setToolTip(self.add_action.toolTip())
            menu.setToolTipsVisible(True)


def _where(excerpt: Excerpt) -> str:
    source = excerpt.source
    return f"{source.speaker_name or source.section_title} ({source.document_title})"
