"""Help ▸ Notes on the Text: everything the editors did to the sources' words, on one page.

The page is ``core.render.render_notes``: the editor's marks in square brackets, the sources'
own errors kept as published with the editors' note on each, and every repair of extraction
damage. It opens in a dialog over the window, in the reader's own type and colours, and is
read and left from the keyboard (arrows and Page keys scroll, Esc closes).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from briefreader.core.render import NOTES_TITLE
from briefreader.ui.reading.reader import OfflineBrowser


class NotesDialog(QDialog):
    """The "Notes on the text" page in a dialog."""

    def __init__(
        self, page: str, stylesheet: str, font: QFont, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("notesDialog")
        self.setWindowTitle(NOTES_TITLE)
        self.resize(760, 640)
        layout = QVBoxLayout(self)
        self.browser = OfflineBrowser(self)
        self.browser.setObjectName("notesText")
        self.browser.setAccessibleName(NOTES_TITLE)
        self.browser.document().setDefaultStyleSheet(stylesheet)
        self.browser.document().setDefaultFont(font)
        self.browser.setHtml(page)
        self.browser.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.browser.setFocus(Qt.FocusReason.OtherFocusReason)
