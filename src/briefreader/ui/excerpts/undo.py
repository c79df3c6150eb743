"""The tray's undoable changes: removing an item and clearing the tray."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from briefreader.core.tray import TrayItem

if TYPE_CHECKING:
    from briefreader.ui.excerpts.tray_model import TrayModel


class RemoveCommand(QUndoCommand):
    """``done``: the model has already removed it (the first redo, on push, does nothing)."""

    def __init__(self, model: TrayModel, row: int, item: TrayItem, *, done: bool = False) -> None:
        super().__init__("Remove excerpt")
        self._model, self._row, self._item = model, row, item
        self._skip = done

    def redo(self) -> None:
        if self._skip:
            self._skip = False
            return
        row = next((n for n, i in enumerate(self._model.items()) if i.id == self._item.id), -1)
        if row >= 0:
            self._model.remove_without_undo(row)

    def undo(self) -> None:
        item = self._item
        row = self._model.add_excerpt(item.excerpt, item.note, self._row, damaged=item.damaged)
        added = self._model.item(row)
        if added is not None:
            self._item = added  # the store gave it a new id


class ClearCommand(QUndoCommand):
    """``cleared``: what the model has already removed (the first redo does nothing)."""

    def __init__(self, model: TrayModel, cleared: tuple[TrayItem, ...] = ()) -> None:
        super().__init__("Clear the tray")
        self._model = model
        self._cleared = cleared
        self._skip = bool(cleared)

    def redo(self) -> None:
        if self._skip:
            self._skip = False
            return
        self._cleared = self._model.clear_without_undo()

    def undo(self) -> None:
        self._model.restore_items(self._cleared)
