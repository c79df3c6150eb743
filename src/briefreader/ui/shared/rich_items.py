"""List items drawn as small rich-text documents on the platform's own item background.

The excerpt tray and the key-figures panel both show a few styled lines per item (a heading,
a quote or a value, a citation); Qt's item delegates draw one line of plain text, so each
item is laid out as a QTextDocument here and painted over the background the style draws.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QPainter,
    QPalette,
    QResizeEvent,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)


class RichTextDelegate(QStyledItemDelegate):
    """Subclasses lay an item out in :meth:`_document`; sizing and painting are shared."""

    PADDING = 8

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if isinstance(parent, QAbstractItemView):
            parent.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        view = self.parent()
        if (
            event.type() == QEvent.Type.Resize
            and isinstance(event, QResizeEvent)
            and event.oldSize().width() != event.size().width()
            and isinstance(view, QAbstractItemView)
            and watched is view.viewport()
        ):
            # Items wrap at the view's width: measure them again at the new one (a scroll bar
            # coming or going changes it too), or a taller item overlapped the next.
            view.scheduleDelayedItemsLayout()
        return super().eventFilter(watched, event)

    def _document(self, index: QModelIndex | QPersistentModelIndex, width: int) -> QTextDocument:
        raise NotImplementedError

    def _width(self, option: QStyleOptionViewItem) -> int:
        view = self.parent()
        if isinstance(view, QListView):
            # Laid out as if the scroll bar were shown, inside the list's spacing. Items are
            # laid out before the scroll bar appears, and the list does not lay them out again
            # when it does: an item measured wider than it is drawn wraps to more lines than
            # its height holds and runs into the next one.
            width = view.viewport().width() - 2 * view.spacing()
            bar = view.verticalScrollBar()
            if not bar.isVisible():
                style = view.style()
                width -= style.pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, bar)
            return width
        if isinstance(view, QAbstractItemView):
            return view.viewport().width()
        return int(option.rect.width())

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        width = self._width(option)
        document = self._document(index, width)
        return QSize(width, int(document.size().height()) + 2 * self.PADDING)

    def _draw_background(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> tuple[QStyleOptionViewItem, bool]:
        """Background, selection and focus as the platform draws them, without the text."""
        plain = QStyleOptionViewItem(option)
        self.initStyleOption(plain, index)
        plain.text = ""
        widget = plain.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, plain, painter, widget)
        return plain, bool(plain.state & QStyle.StateFlag.State_Selected)

    def _draw_document(
        self, painter: QPainter, rect: QRect, document: QTextDocument, text: QColor
    ) -> None:
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, text)
        painter.save()
        painter.translate(rect.left() + self.PADDING, rect.top() + self.PADDING)
        document.documentLayout().draw(painter, context)
        painter.restore()
