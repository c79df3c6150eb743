"""A table of contents' rows and how they are drawn: parts and sections of one theme.

Kept apart from :class:`~briefreader.ui.reading.toc.TocView` because the contents are filled
in after the window's first paint: the classes used here (``QStandardItemModel``,
``QStyle``, the item delegate's painting) take time to set up on first use,
which the first frame does not need (see ``ui/window/startup.py``).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from briefreader.core.model import Theme
from briefreader.ui.reading.toc_roles import SECTION_ID_ROLE

_PAD_X, _PAD_Y, _HEADING_GAP = 8, 4, 10
_WRAP = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop


class TocModel(QStandardItemModel):
    """Rows: a part's heading (not selectable) or a section (its id in SECTION_ID_ROLE)."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme_id = theme.id
        self._rows: dict[str, int] = {}
        part = ""
        heading_font = QFont()
        heading_font.setBold(True)
        heading_font.setCapitalization(QFont.Capitalization.AllUppercase)
        heading_font.setPointSizeF(max(7.0, heading_font.pointSizeF() * 0.85))
        for section in theme.sections:
            if section.part and section.part != part:
                part = section.part
                heading = QStandardItem(part)
                heading.setFlags(Qt.ItemFlag.NoItemFlags)
                heading.setFont(heading_font)
                heading.setData(f"Part: {part}", Qt.ItemDataRole.AccessibleTextRole)
                self.appendRow(heading)
            item = QStandardItem(section.title)
            item.setData(section.id, SECTION_ID_ROLE)
            item.setToolTip(section.title)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self._rows[section.id] = self.rowCount()
            self.appendRow(item)

    def row_of(self, section_id: str) -> int:
        return self._rows.get(section_id, -1)


class TocDelegate(QStyledItemDelegate):
    """Wrapped titles measured and drawn with the same width, so none is cut or elided.

    (Qt's own delegate measures wrapped text and draws it with slightly different widths,
    which elided some titles and left gaps.)
    """

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view

    def _text_rect(self, rect: QRect, heading: bool) -> QRect:
        top = _PAD_Y + (_HEADING_GAP if heading else 0)
        return rect.adjusted(_PAD_X, top, -_PAD_X, -_PAD_Y)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        heading = index.data(SECTION_ID_ROLE) is None
        font = index.data(Qt.ItemDataRole.FontRole) or self._view.font()
        width = max(60, self._view.viewport().width())
        text_rect = self._text_rect(QRect(0, 0, width, 100_000), heading)
        bounds = QFontMetrics(font).boundingRect(text_rect, int(_WRAP), str(index.data()))
        return QSize(width, bounds.height() + text_rect.top() + _PAD_Y)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        self.initStyleOption(option, index)
        heading = index.data(SECTION_ID_ROLE) is None
        text = option.text
        option.text = ""
        style = self._view.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, self._view)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if heading:
            role = QPalette.ColorRole.PlaceholderText
        elif selected:
            role = QPalette.ColorRole.HighlightedText
        else:
            role = QPalette.ColorRole.Text
        painter.save()
        painter.setFont(option.font)
        painter.setPen(option.palette.color(role))
        painter.drawText(self._text_rect(option.rect, heading), int(_WRAP), text)
        painter.restore()
