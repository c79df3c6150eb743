"""The tray's undoable changes: removing an item and clearing the tray."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from briefreader.core.tray import TrayItem

if TYPE_CHECKING:
    from briefreader.ui.excerpts.tray_model import TrayModel


class RemoveCommand(QUndoCommand):
    def __init__(self, model: TrayModel, row: int, item: TrayItem) -> None:
        super().__init__("Remove excerpt")
        self._model, self._row, self._item = model, row, item

    def redo(self) -> None:
        row = next((n for n, i in enumerate(self._model.items()) if i.id == self._item.id), -1)
        if row >= 0:
            self._model.remove_without_undo(row)

    def undo(self) -> None:
        row = self._model.add_excerpt(self._item.excerpt, self._item.note, self._row)
        added = self._model.item(row)
        if added is not None:
            self._item = added  # the store gave it a new id


class ClearCommand(QUndoCommand):
    def __init__(self, model: TrayModel) -> None:
        super().__init__("Clear the tray")
        self._model = model
        self._cleared: tuple[TrayItem, ...] = ()

    def redo(self) -> None:
        self._cleared = self._model.clear_without_undo()

    def undo(self) -> None:
        self._model.restore_items(self._cleared)
