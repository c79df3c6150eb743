"""How a figure is drawn, and the list of figures.

Each figure is drawn as its value (large) and what it measures and the period (the app's
summary, never in quotation marks), the source's own sentence in quotation marks, who
states it when it is from a statement, "Source: <credit>" and the document. Ctrl+C in the
list copies the figure with its source, never the bare number.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyleOptionViewItem, QWidget

from briefreader.ui.figures.model import Role
from briefreader.ui.shared.clipboard import claims_copy
from briefreader.ui.shared.rich_items import RichTextDelegate

KEYS_HINT = "Enter: go to the passage · Ctrl+Shift+C: copy with citation · Ctrl+E: add to tray"


class FiguresDelegate(RichTextDelegate):
    """Draws a figure as the tray draws an excerpt: rich text on the platform's item background.

    Not the tray's item delegate: a figure leads with its value and what it measures (the
    app's summary), then the source's sentence in quotation marks and who it is credited to.
    """

    VALUE_SCALE = 1.7
    QUOTE_SCALE = 0.95
    SMALL_SCALE = 0.9

    def _fonts(self) -> tuple[QFont, float]:
        view = self.parent()
        font = QFont(view.font()) if isinstance(view, QWidget) else QFont()
        size = font.pointSizeF()
        return font, size if size > 0 else 10.0

    def _document(
        self,
        index: QModelIndex | QPersistentModelIndex,
        width: int,
        muted: QColor | None = None,
    ) -> QTextDocument:
        font, size = self._fonts()
        text_width = max(80, width - 2 * self.PADDING)
        # The document's name whole, wrapping if it must: cut ("From Alarming…") it did
        # not say which document a figure is from.
        date = str(index.data(Role.DOCUMENT_DATE) or "")
        suffix = f" · {date}" if date else ""
        title = f"From {index.data(Role.DOCUMENT_TITLE) or ''}"
        value = html.escape(str(index.data(Role.VALUE) or ""))
        measure = html.escape(str(index.data(Role.STATEMENT) or ""))
        source = html.escape(str(index.data(Role.SOURCE) or ""))
        # A sentence over two paragraphs keeps them (each opens with “, by convention).
        quote = "<br>".join(html.escape(p) for p in str(index.data(Role.QUOTE) or "").split("\n\n"))
        speaker = html.escape(str(index.data(Role.SPEAKER) or ""))
        parts = [f'<p class="value">{value}</p>', f"<p>{measure}</p>"]
        if quote:
            parts.append(f'<p class="quote">{quote}</p>')
        if speaker:
            parts.append(f'<p class="speaker">— {speaker}</p>')
        parts += [
            f'<p class="source">Source: {source}</p>',
            f'<p class="document">{html.escape(title + suffix)}</p>',
        ]
        muted_css = f" color: {muted.name()};" if muted is not None else ""
        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setDefaultFont(font)
        document.setDefaultStyleSheet(
            "p { margin-top: 0; margin-bottom: 3px; }"
            f" p.value {{ font-size: {size * self.VALUE_SCALE:.1f}pt; font-weight: bold;"
            " margin-bottom: 1px; }"
            " p.source { font-weight: 600; }"
            f" p.quote {{ font-size: {size * self.QUOTE_SCALE:.1f}pt; margin-left: 10px; }}"
            f" p.speaker {{ font-size: {size * self.QUOTE_SCALE:.1f}pt; margin-left: 10px; }}"
            f" p.document {{ font-size: {size * self.SMALL_SCALE:.1f}pt;{muted_css} }}"
        )
        document.setHtml("".join(parts))
        document.setTextWidth(text_width)
        return document

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        plain, selected = self._draw_background(painter, option, index)
        palette: QPalette = plain.palette
        text = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        # The document line is secondary: a softer shade, still well readable (about 7:1
        # on a white background); on a selected item it keeps the selection's text colour.
        muted = text if selected else _blend(text, palette.color(QPalette.ColorRole.Base), 0.7)
        rect = plain.rect
        document = self._document(index, self._width(plain), muted)
        if not selected:
            # A hairline between figures: a list of two dozen numbers is scanned, not read.
            painter.save()
            painter.setPen(_blend(text, palette.color(QPalette.ColorRole.Base), 0.2))
            painter.drawLine(rect.left() + self.PADDING, rect.bottom(),
                             rect.right() - self.PADDING, rect.bottom())  # fmt: skip
            painter.restore()
        self._draw_document(painter, rect, document, text)


def _blend(front: QColor, back: QColor, amount: float) -> QColor:
    """``amount`` of ``front`` over ``back``."""
    return QColor(
        round(front.red() * amount + back.red() * (1 - amount)),
        round(front.green() * amount + back.green() * (1 - amount)),
        round(front.blue() * amount + back.blue() * (1 - amount)),
    )


class FiguresList(QListView):
    """The list of figures. Ctrl+C is taken from the window: here it copies with the source."""

    copy_requested = Signal()
    context_menu_requested = Signal(QPoint, QModelIndex)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figures-list")
        self.setAccessibleName("Key figures")
        self.setAccessibleDescription(KEYS_HINT.replace(" · ", ", "))
        self.setItemDelegate(FiguresDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        self.setSpacing(2)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

    def event(self, event: QEvent) -> bool:
        # Claim Ctrl+C before the window's Copy (the reader's selection) sees it, and keep
        # the item view's own Ctrl+C from copying a figure without its source.
        if claims_copy(event):
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        index = self.indexAt(event.pos())
        point = event.globalPos()
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            index = self.currentIndex()
            point = self.viewport().mapToGlobal(self.visualRect(index).center())
        if index.isValid():
            self.setCurrentIndex(index)
            self.context_menu_requested.emit(point, index)
