"""The search field in the toolbar: typing searches, Down goes to the results, Enter opens.

Recent searches drop down from an empty field (Down, or Alt+Down); they do not pop up while
typing, where they would cover the results that update as one types. Their list (a
completer) is made when first needed, not with the field, which is in the window's first
frame (see ``ui/window/startup.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QLineEdit, QWidget

from briefreader.ui.shared.accessibility import name_clear_button

if TYPE_CHECKING:
    from PySide6.QtCore import QStringListModel, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QCompleter
else:
    from briefreader.ui.shared.lazy_qt import Qt


class SearchField(QLineEdit):
    down_requested = Signal()  # move into the results
    accept_requested = Signal()  # open the current result
    leave_requested = Signal()  # Esc in an empty field: back to reading

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchField")
        self.setAccessibleName("Search the briefing")
        self.setClearButtonEnabled(True)
        name_clear_button(self, "Clear the search")
        self._recent_list: list[str] = []
        self._recent: QStringListModel | None = None
        self._completer: QCompleter | None = None

    @property
    def recent_completer(self) -> QCompleter:
        """The drop-down of recent searches (made on first use)."""
        if self._completer is None:
            from PySide6.QtCore import QStringListModel
            from PySide6.QtWidgets import QCompleter

            self._recent = QStringListModel(self._recent_list, self)
            completer = self._completer = QCompleter(self._recent, self)
            completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            # Attached with setWidget, not setCompleter, so that it opens only when asked.
            completer.setWidget(self)
            completer.activated[str].connect(self._on_recent_chosen)  # type: ignore[index]
        return self._completer

    def set_recent(self, recent: Sequence[str]) -> None:
        self._recent_list = list(recent)
        if self._recent is not None:
            self._recent.setStringList(self._recent_list)

    def show_recent(self) -> bool:
        if not self._recent_list:
            return False
        completer = self.recent_completer
        completer.setCompletionPrefix("")
        completer.complete()
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
