"""The briefing note's title, meeting and author, asked for before each export.

A small dialog, all from the keyboard: Alt+T, Alt+M and Alt+A reach the fields, Enter exports,
Esc cancels. What was entered is remembered (``AppSettings.note_field``) and offered next time,
so a delegate exporting several notes for one meeting types it once.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from briefreader.core.export import DEFAULT_TITLE
from briefreader.ui.shared.settings import NOTE_FIELD_MAX, AppSettings


@dataclass(frozen=True, slots=True)
class NoteDetails:
    title: str = DEFAULT_TITLE
    meeting: str = ""
    author: str = ""

    @classmethod
    def remembered(cls, settings: AppSettings) -> NoteDetails:
        return cls(
            title=settings.note_field("title") or DEFAULT_TITLE,
            meeting=settings.note_field("meeting"),
            author=settings.note_field("author"),
        )

    def remember(self, settings: AppSettings) -> None:
        settings.set_note_field("title", self.title)
        settings.set_note_field("meeting", self.meeting)
        settings.set_note_field("author", self.author)


class NoteDetailsDialog(QDialog):
    """Title, meeting and author of the note about to be exported."""

    def __init__(self, details: NoteDetails, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("note-details")
        self.setWindowTitle("Briefing Note Details")
        intro = QLabel(
            "These head the note and are kept in the PDF's properties. Leave a field "
            "empty to leave it out.",
            self,
        )
        intro.setWordWrap(True)
        self.title_edit = self._field(details.title, "Briefing note")
        self.meeting_edit = self._field(details.meeting, "e.g. Ministerial round table, 4 March")
        self.author_edit = self._field(details.author, "Your name and office")
        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        form.addRow("&Meeting:", self.meeting_edit)
        form.addRow("&Author:", self.author_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("E&xport…")
        ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.title_edit.setFocus()
        self.title_edit.selectAll()
        self.setMinimumWidth(440)

    def _field(self, text: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(text, self)
        edit.setMaxLength(NOTE_FIELD_MAX)
        edit.setPlaceholderText(placeholder)
        edit.setClearButtonEnabled(True)
        return edit

    def details(self) -> NoteDetails:
        return NoteDetails(
            title=self.title_edit.text().strip() or DEFAULT_TITLE,
            meeting=self.meeting_edit.text().strip(),
            author=self.author_edit.text().strip(),
        )


def ask_note_details(settings: AppSettings, parent: QWidget | None) -> NoteDetails | None:
    """Ask for the note's details (modal), remember them; None if the reader cancels."""
    dialog = NoteDetailsDialog(NoteDetails.remembered(settings), parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        details = dialog.details()
        details.remember(settings)
        return details
    finally:
        dialog.deleteLater()
