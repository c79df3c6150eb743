"""The tray panel's parts: how an item is drawn, the list, and the note editor.

Keys in the list: Enter goes to the source passage, Delete removes, Alt+Up/Alt+Down move,
Ctrl+C copies the chosen excerpt with its citation, F2 goes to its note.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QPlainTextEdit,
    QStyleOptionViewItem,
    QWidget,
)

from briefreader.core.excerpts import LIST_MARK, quoted
from briefreader.ui.excerpts.tray_model import Role, TrayModel
from briefreader.ui.shared.rich_items import RichTextDelegate

LIST_QUOTE_CHARS = 280  # a long quote is cut in the list; the whole of it is copied
DAMAGED_MARK = "[Damaged text: check it against the briefing]"


def quote_html(quote: str, limit: int = LIST_QUOTE_CHARS) -> str:
    """An excerpt's words for the list: in one pair of quotation marks, paragraphs as
    paragraphs and the source's lists as lists; a long quote cut after ``limit`` characters."""
    text = quoted(quote)
    if len(text) > limit:
        # Cut after the quotation marks are settled, so a cut quote still closes once.
        text = text[:limit].rsplit(" ", 1)[0] + " …”"
    blocks = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        if block.startswith(LIST_MARK):
            items = "".join(
                f"<li>{html.escape(line.removeprefix(LIST_MARK))}</li>" for line in lines
            )
            blocks.append(f"<ul>{items}</ul>")
        else:
            blocks.append(f"<p>{'<br>'.join(html.escape(line) for line in lines)}</p>")
    return "".join(blocks)


class TrayDelegate(RichTextDelegate):
    """Draws an item as what it goes by, a figure's credit, its quote, its short citation
    and the reader's note. The app's words (heading, credit) stay outside the quotation
    marks; an editors' label says it is ours."""

    def _document(self, index: QModelIndex | QPersistentModelIndex, width: int) -> QTextDocument:
        heading = html.escape(str(index.data(Role.HEADING) or ""))
        parts = [f'<p class="heading">{heading}</p>']
        credit = str(index.data(Role.CREDIT) or "")
        if credit:
            parts.append(f'<p class="credit">Source: {html.escape(credit)}</p>')
        parts.append(quote_html(str(index.data(Role.QUOTE) or "")))
        if index.data(Role.DAMAGED):
            # In words as well as in weight: the mark must not depend on seeing a style.
            parts.insert(0, f'<p class="damaged">{DAMAGED_MARK}</p>')
        parts.append(f'<p class="cite">{html.escape(str(index.data(Role.CITATION) or ""))}</p>')
        note = str(index.data(Role.NOTE) or "").strip()
        if note:
            parts.append(f'<p class="note">Note: {html.escape(note)}</p>')
        document = QTextDocument()
        document.setDocumentMargin(0)
        view = self.parent()
        if isinstance(view, QWidget):
            document.setDefaultFont(view.font())
        document.setDefaultStyleSheet(
            "p { margin-bottom: 4px; } p.cite { font-size: small; }"
            " p.note { font-style: italic; } p.heading { font-weight: bold; }"
            " p.credit { font-weight: 600; } ul { margin-top: 0; margin-bottom: 4px; }"
            " p.damaged { font-weight: bold; text-decoration: underline; }"
        )
        document.setHtml("".join(parts))
        document.setTextWidth(max(80, width - 2 * self.PADDING))
        return document

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        plain, selected = self._draw_background(painter, option, index)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        document = self._document(index, self._width(plain))
        self._draw_document(painter, plain.rect, document, plain.palette.color(role))


class TrayList(QListView):
    """The list of excerpts: reorder with Alt+Up/Down or by dragging."""

    source_requested = Signal(str)
    remove_requested = Signal(int)
    copy_requested = Signal(int)
    note_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tray-list")
        self.setAccessibleName("Excerpts in the tray")
        self.setItemDelegate(TrayDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        self.setSpacing(2)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.activated.connect(self._on_activated)

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        section_id = index.data(Role.SECTION_ID)
        if isinstance(section_id, str):
            self.source_requested.emit(section_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentIndex().row()
        key, modifiers = event.key(), event.modifiers()
        model = self.model()
        if modifiers == Qt.KeyboardModifier.AltModifier and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            to = row - 1 if key == Qt.Key.Key_Up else row + 1
            if isinstance(model, TrayModel) and row >= 0 and model.move_row(row, to):
                self.setCurrentIndex(model.index(max(0, min(to, model.rowCount() - 1)), 0))
            event.accept()
            return
        if key == Qt.Key.Key_Delete and row >= 0:
            self.remove_requested.emit(row)
            event.accept()
            return
        if event.matches(QKeySequence.StandardKey.Copy) and row >= 0:
            self.copy_requested.emit(row)
            event.accept()
            return
        if key == Qt.Key.Key_F2 and row >= 0:
            self.note_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class NoteEditor(QPlainTextEdit):
    """The note of the chosen excerpt. Tab leaves it (a note has no use for tab stops)."""

    left = Signal()  # focus went elsewhere: save now rather than after the delay

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tray-note")
        self.setAccessibleName("Your note on this excerpt")
        self.setPlaceholderText("Your note on this excerpt (saved as you type)")
        self.setTabChangesFocus(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.left.emit()
