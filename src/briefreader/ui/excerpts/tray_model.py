"""The excerpt tray's Qt model, over the tray store.

Every change goes to the store first and reaches the model only once it is saved, so what
the reader sees is what a restart brings back. Removing an item and clearing the tray go
through the model's undo stack (``undo.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from enum import IntEnum

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QUndoStack

from briefreader.core.excerpts import (
    CitationStyle,
    Excerpt,
    ExcerptKind,
    citation,
    excerpt_heading,
    quoted,
)
from briefreader.core.export import BriefingNote
from briefreader.core.tray import TrayError, TrayItem, TrayStore
from briefreader.ui.excerpts.undo import ClearCommand, RemoveCommand
from briefreader.ui.shared.accessibility import short_name


class Role(IntEnum):
    QUOTE = Qt.ItemDataRole.UserRole + 2
    CITATION = Qt.ItemDataRole.UserRole + 3
    NOTE = Qt.ItemDataRole.UserRole + 4
    SECTION_ID = Qt.ItemDataRole.UserRole + 5
    # What the item goes by, as in the note: a figure's summary, the speaker, the source's
    # heading, or the editors' label marked as ours.
    HEADING = Qt.ItemDataRole.UserRole + 6
    CREDIT = Qt.ItemDataRole.UserRole + 7  # for a figure: who the source credits for it
    DAMAGED = Qt.ItemDataRole.UserRole + 8  # why the saved text cannot be trusted, or ""


_MOVE_MIME = "application/x-briefreader-tray-rows"
# Opens every refused change's message, so the reader knows nothing changed.
NOT_SAVED = "Not saved: "


class TrayModel(QAbstractListModel):
    """The tray's items, in order, saved as they change."""

    # A change could not be saved, in words for the reader.
    error_occurred = Signal(str)

    def __init__(self, store: TrayStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._items: list[TrayItem] = list(store.items())
        self.undo_stack = QUndoStack(self)

    # -- reading -------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._items)

    def items(self) -> tuple[TrayItem, ...]:
        return tuple(self._items)

    @property
    def writable(self) -> bool:
        """False: the store shows the saved excerpts read-only (``store.message`` says why)."""
        return self.store.writable

    def _refuse(self, error: TrayError | str, lead: str = NOT_SAVED) -> None:
        self.error_occurred.emit(f"{lead}{error}")

    def item(self, row: int) -> TrayItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        item = self.item(index.row()) if index.isValid() else None
        if item is None:
            return None
        excerpt = item.excerpt
        if role in (Qt.ItemDataRole.DisplayRole, Role.QUOTE):
            return excerpt.quote
        if role == Role.CITATION:
            return citation(excerpt, CitationStyle.SHORT)
        if role == Role.NOTE:
            return item.note
        if role == Role.SECTION_ID:
            return excerpt.source.section_id
        if role == Role.DAMAGED:
            return item.damaged
        if role == Role.HEADING:
            return excerpt_heading(excerpt)
        if role == Role.CREDIT:
            return excerpt.credit if excerpt.kind is ExcerptKind.FIGURE else ""
        if role == Qt.ItemDataRole.AccessibleTextRole:
            # A name to hear while moving through the list: the quote's first words and
            # where it is from (whole quotes made names of 210 to 877 characters); a damaged
            # item says so first.
            source = excerpt.source
            where = source.speaker_name or source.section_title
            name = f"{short_name(excerpt.quote)} ({where})"
            return f"Damaged excerpt: {name}" if item.damaged else name
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            # The summary and credit, in the app's words, before the source's quoted words.
            credit = f" Source: {excerpt.credit}." if excerpt.kind is ExcerptKind.FIGURE else ""
            words = quoted(excerpt.quote).replace("\n", " ")
            cited = citation(excerpt, CitationStyle.SHORT)
            text = f"{excerpt_heading(excerpt)}.{credit} {words} {cited}"
            if item.damaged:
                text = f"Damaged excerpt: {item.damaged} {text}"
            return f"{text}. Note: {item.note}" if item.note else text
        if role == Qt.ItemDataRole.ToolTipRole:
            full = citation(excerpt, CitationStyle.FULL)
            return f"{item.damaged}\n\n{full}" if item.damaged else full
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDropEnabled
        if not self.writable:
            # Read-only: nothing can be dragged to a new place or dropped.
            base = Qt.ItemFlag.ItemIsEnabled
        if not index.isValid():
            return base
        if not self.writable:
            return base | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    # -- drag to reorder -----------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [_MOVE_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        data.setData(_MOVE_MIME, QByteArray(",".join(map(str, rows)).encode()))
        return data

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if action != Qt.DropAction.MoveAction or not data.hasFormat(_MOVE_MIME):
            return False
        text = bytes(data.data(_MOVE_MIME).data()).decode()
        rows = [int(r) for r in text.split(",") if r.isdigit()]
        if len(rows) != 1:
            return False
        target = parent.row() if row < 0 and parent.isValid() else row
        if target < 0:
            target = len(self._items)
        self.move_row(rows[0], target if target <= rows[0] else target - 1)
        # The move is done; returning False stops the view from also removing the source row.
        return False

    # -- changing: the store first, then the model ----------------------------------------------

    def add_excerpt(
        self, excerpt: Excerpt, note: str = "", row: int | None = None, *, damaged: str = ""
    ) -> int:
        """Add an excerpt (at the end by default); its row, or -1 if it could not be saved.

        ``damaged``: the item's mark, kept when undo puts a damaged item back.
        """
        row = len(self._items) if row is None else max(0, min(row, len(self._items)))
        try:
            item = replace(self.store.add(excerpt, note, row), damaged=damaged)
        except TrayError as error:
            self._refuse(error)
            return -1
        self.beginInsertRows(QModelIndex(), row, row)
        self._items.insert(row, item)
        self.endInsertRows()
        return row

    def remove_row(self, row: int) -> bool:
        """Remove an item; undoable. False (and ``error_occurred``) if it was not removed."""
        item = self.item(row)
        if item is None or not self.remove_without_undo(row):
            return False
        # Pushed once the store has removed it, so a refused change leaves nothing to undo.
        self.undo_stack.push(RemoveCommand(self, row, item, done=True))
        return True

    def remove_without_undo(self, row: int) -> bool:
        item = self.item(row)
        if item is None:
            return False
        try:
            self.store.remove(item.id)
        except TrayError as error:
            self._refuse(error)
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._items[row]
        self.endRemoveRows()
        return True

    def move_row(self, row: int, to: int) -> bool:
        """Move an item to row ``to`` (in the order after it is taken out)."""
        item = self.item(row)
        to = max(0, min(to, len(self._items) - 1))
        if item is None or to == row:
            return False
        try:
            self.store.move(item.id, to)
        except TrayError as error:
            self._refuse(error)
            return False
        # beginMoveRows wants the destination in the order *before* the move.
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), to + 1 if to > row else to)
        self._items.insert(to, self._items.pop(row))
        self.endMoveRows()
        return True

    def moveRows(
        self,
        source_parent: QModelIndex | QPersistentModelIndex,
        source_row: int,
        count: int,
        destination_parent: QModelIndex | QPersistentModelIndex,
        destination_child: int,
    ) -> bool:
        if count != 1 or source_parent.isValid() or destination_parent.isValid():
            return False
        to = destination_child if destination_child <= source_row else destination_child - 1
        return self.move_row(source_row, to)

    def set_note(self, row: int, note: str) -> bool:
        item = self.item(row)
        if item is None or item.note == note:
            return item is not None
        try:
            self.store.set_note(item.id, note)
        except TrayError as error:
            self._refuse(error, "Your note was not saved: ")
            return False
        # replace() keeps the item's other fields (its damaged mark among them).
        self._items[row] = replace(item, note=note)
        index = self.index(row, 0)
        self.dataChanged.emit(index, index, [Role.NOTE, Qt.ItemDataRole.AccessibleDescriptionRole])
        return True

    def clear(self) -> int:
        """Empty the tray; undoable. Returns how many items were removed."""
        count = len(self._items)
        if not count:
            return 0
        cleared = self.clear_without_undo()
        if not cleared:
            return 0  # refused: error_occurred said why
        self.undo_stack.push(ClearCommand(self, cleared))
        return count

    def clear_without_undo(self) -> tuple[TrayItem, ...]:
        """Empty the tray; the items removed, for undo (none if the store refused)."""
        try:
            cleared = self.store.clear()
        except TrayError as error:
            self._refuse(error)
            return ()
        self.beginResetModel()
        self._items = []
        self.endResetModel()
        return cleared

    def restore_items(self, items: tuple[TrayItem, ...]) -> tuple[TrayItem, ...]:
        """Put cleared items back, in their order (undoing a clear)."""
        try:
            restored = self.store.restore(items)
        except TrayError as error:
            self._refuse(error)
            return ()
        # The store writes the damaged text back as read (U+FFFD): keep the items' marks.
        marks = {new.id: old.damaged for new, old in zip(restored, items, strict=True)}
        self.beginResetModel()
        self._items = [
            replace(i, damaged=marks[i.id]) if marks.get(i.id) else i for i in self.store.items()
        ]
        self.endResetModel()
        return restored

    def note(self, subtitle: str = "") -> BriefingNote:
        """The tray as a briefing note, for export."""
        return BriefingNote.from_tray(self._items, subtitle=subtitle)
