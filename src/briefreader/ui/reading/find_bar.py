"""Find in page: a bar under the reader that highlights a word or phrase in the open tab.

The bar only says what to look for; the reader shows the matches (the same highlights as
search terms, stepped through with F3 / Shift+F3) and the reading controller ties the two.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from briefreader.ui.shared.accessibility import name_clear_button


class FindField(QLineEdit):
    next_requested = Signal()
    previous_requested = Signal()
    close_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.previous_requested.emit()
            else:
                self.next_requested.emit()
            return
        if key == Qt.Key.Key_Escape:
            self.close_requested.emit()
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    """[Find in page: ______] [↑] [↓] 3 of 12 [×]"""

    text_changed = Signal(str)
    next_requested = Signal()
    previous_requested = Signal()
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(6)
        label = QLabel("Find in page:", self)
        self.field = FindField(self)
        self.field.setObjectName("findField")
        self.field.setAccessibleName("Find in page")
        self.field.setPlaceholderText("word or phrase in this theme")
        self.field.setClearButtonEnabled(True)
        name_clear_button(self.field, "Clear the find field")
        self.field.setMaximumWidth(360)
        label.setBuddy(self.field)
        self.previous_button = QToolButton(self)
        self.previous_button.setText("Previous")
        self.previous_button.setAccessibleName("Previous match")
        self.previous_button.setToolTip("Previous match (Shift+F3, Shift+Enter)")
        self.next_button = QToolButton(self)
        self.next_button.setText("Next")
        self.next_button.setAccessibleName("Next match")
        self.next_button.setToolTip("Next match (F3, Enter)")
        self.status = QLabel(self)
        self.status.setObjectName("findStatus")
        self.status.setMinimumWidth(120)
        close = QToolButton(self)
        close.setText("Close")
        close.setAccessibleName("Close find in page")
        close.setToolTip("Close (Esc)")
        for widget in (label, self.field, self.previous_button, self.next_button, self.status):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(close)
        self.field.textChanged.connect(self.text_changed)
        self.field.next_requested.connect(self.next_requested)
        self.field.previous_requested.connect(self.previous_requested)
        self.field.close_requested.connect(self.close_bar)
        self.next_button.clicked.connect(self.next_requested)
        self.previous_button.clicked.connect(self.previous_requested)
        close.clicked.connect(self.close_bar)
        self.hide()

    def open_bar(self, text: str = "") -> None:
        self.show()
        if text:
            self.field.setText(text)
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    @Slot()
    def close_bar(self) -> None:
        if self.isHidden():
            return
        self.hide()
        self.closed.emit()

    def show_count(self, current: int, total: int) -> None:
        if not self.field.text().strip():
            self.status.setText("")
        elif total == 0:
            self.status.setText("No match in this theme")
        else:
            self.status.setText(f"{current + 1} of {total}")
        self.status.setAccessibleName(self.status.text())
