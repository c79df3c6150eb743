"""The search field in the toolbar: typing searches, Down goes to the results, Enter opens.

Recent searches drop down from an empty field (Down, or Alt+Down); they do not pop up while
typing, where they would cover the results that update as one types.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QStringListModel, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget


class SearchField(QLineEdit):
    down_requested = Signal()  # move into the results
    accept_requested = Signal()  # open the current result
    leave_requested = Signal()  # Esc in an empty field: back to reading

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchField")
        self.setAccessibleName("Search the briefing")
        self.setClearButtonEnabled(True)
        self._recent = QStringListModel(self)
        self.recent_completer = QCompleter(self._recent, self)
        self.recent_completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.recent_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        # Attached with setWidget, not setCompleter, so that it opens only when asked.
        self.recent_completer.setWidget(self)
        self.recent_completer.activated[str].connect(self._on_recent_chosen)  # type: ignore[index]

    def set_recent(self, recent: Sequence[str]) -> None:
        self._recent.setStringList(list(recent))

    def show_recent(self) -> bool:
        if not self._recent.rowCount():
            return False
        self.recent_completer.setCompletionPrefix("")
        self.recent_completer.complete()
        return True

    @Slot(str)
    def _on_recent_chosen(self, text: str) -> None:
        self.setText(text)
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if key == Qt.Key.Key_Down:
            if (alt or not self.text()) and self.show_recent():
                return
            self.down_requested.emit()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept_requested.emit()
            return
        if key == Qt.Key.Key_Escape:
            if self.text():
                self.clear()
            else:
                self.leave_requested.emit()
            return
        super().keyPressEvent(event)
