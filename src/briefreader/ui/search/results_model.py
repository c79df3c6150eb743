"""The search results' Qt model and how a result is drawn: title, theme, marked snippet.

Engine → model → widget: :class:`ResultsModel` holds the hits of a
:class:`~briefreader.core.search.results.SearchResult`, :class:`ResultDelegate` (a Qt item
delegate) draws each one; the panel in ``results.py`` shows them.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFontMetrics,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from briefreader.ui.shared.colours import mark

if TYPE_CHECKING:
    from briefreader.core.search.results import Hit

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
_PADDING = 10


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def marked_snippet_html(hit: Hit, dark: bool) -> str:
    """The hit's snippet as HTML, each match marked; everything else escaped."""
    background, colour = mark(dark)
    before = f'<span style="background-color:{background}; color:{colour}; font-weight:600">'
    out: list[str] = []
    last = 0
    for start, end in hit.snippet_spans:
        out += [
            html.escape(hit.snippet[last:start]),
            before,
            html.escape(hit.snippet[start:end]),
            "</span>",
        ]
        last = end
    out.append(html.escape(hit.snippet[last:]))
    return "".join(out)


class ResultsModel(QAbstractListModel):
    """The hits of the newest search, in ranking order."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: tuple[Hit, ...] = ()

    def set_hits(self, hits: Sequence[Hit]) -> None:
        self.beginResetModel()
        self._hits = tuple(hits)
        self.endResetModel()

    def hits(self) -> tuple[Hit, ...]:
        return self._hits

    def hit(self, row: int) -> Hit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return len(self._hits)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        hit = self.hit(index.row()) if index.isValid() else None
        if hit is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.section
        if role == HIT_ROLE:
            return hit
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.section}\n{hit.theme_title} · {hit.document_title}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{hit.section}. {hit.theme_title}. {hit.snippet}"
        return None


class ResultDelegate(QStyledItemDelegate):
    """Title, theme and snippet, drawn as rich text that wraps to the list's width."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view
        # Keyed by what is drawn, marks included: the same passage comes back with other
        # marks as a query grows ("leg" marks "legal", "legislation" does not), and a key of
        # its id alone drew the marks of an earlier keystroke.
        self._cache: dict[
            tuple[str, str, tuple[tuple[int, int], ...], int, bool, bool], QTextDocument
        ] = {}
        # Row heights by what a row shows at what width (its colours do not change them):
        # laid out, or estimated until the row is painted.
        self._heights: dict[tuple[str, str, tuple[tuple[int, int], ...], int], int] = {}
        self._estimated: set[tuple[str, str, tuple[tuple[int, int], ...], int]] = set()
        # The estimates, kept: the list lays its rows out again on most answers.
        self._guesses: dict[tuple[str, str, int], int] = {}

    def clear_cache(self) -> None:
        self._cache.clear()
        self._heights.clear()
        self._estimated.clear()
        self._guesses.clear()

    def _width(self) -> int:
        return max(120, self._view.viewport().width() - 2 * _PADDING)

    def _document(self, option: QStyleOptionViewItem, hit: Hit, selected: bool) -> QTextDocument:
        width = self._width()
        palette = option.palette
        dark = _is_dark(palette)
        key = (hit.id, hit.snippet, hit.snippet_spans, width, dark, selected)
        document = self._cache.get(key)
        if document is not None:
            return document
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text = palette.color(role).name()
        muted = text if selected else palette.color(QPalette.ColorRole.PlaceholderText).name()
        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setDefaultFont(option.font)
        document.setTextWidth(width)
        document.setHtml(
            f'<div style="color:{text}">'
            f'<p style="margin:0; font-weight:600; font-size:108%">{html.escape(hit.section)}</p>'
            f'<p style="margin:2px 0 4px 0; color:{muted}; font-size:90%">'
            f"{html.escape(hit.theme_title)}</p>"
            f'<p style="margin:0">{marked_snippet_html(hit, dark)}</p></div>'
        )
        if len(self._cache) > 400:
            self.clear_cache()
        self._cache[key] = document
        self._heights[(hit.id, hit.snippet, hit.snippet_spans, width)] = self._height(document)
        return document

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        hit = index.data(HIT_ROLE)
        if hit is None:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        style = self._view.style()
        option.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, self._view)
        document = self._document(option, hit, selected)
        rect: QRect = option.rect
        size_key = (hit.id, hit.snippet, hit.snippet_spans, self._width())
        if size_key in self._estimated:
            self._estimated.discard(size_key)
            if rect.height() != self._heights.get(size_key):
                # A row below the first screen, scrolled into view: its estimated height is
                # put right (the list lays its rows out again and paints them once more).
                self.sizeHintChanged.emit(index)
        painter.save()
        painter.translate(rect.left() + _PADDING, rect.top() + _PADDING)
        context = QAbstractTextDocumentLayout.PaintContext()
        document.documentLayout().draw(painter, context)
        painter.restore()
        painter.save()
        painter.setPen(option.palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(rect.bottomLeft() + QPoint(_PADDING, 0), rect.bottomRight())
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hit = index.data(HIT_ROLE)
        if hit is None:
            return super().sizeHint(option, index)
        # No initStyleOption: the row's height needs only the font, and the model gives no
        # font of its own (the view's is in the option). It asked the model for eight roles a
        # row, on each of the list's layouts (bench/README.md, "Keystrokes").
        width = self._width()
        size_key = (hit.id, hit.snippet, hit.snippet_spans, width)
        height = self._heights.get(size_key)
        if height is None and index.row() >= self._rows_laid_out(option):
            # Below the first screen: estimated from the font, laid out when painted. Laying
            # out every row's rich text on each answer was most of a keystroke's time on the
            # GUI thread (bench/README.md).
            # The estimate does not look at the marks: one for a passage at a width.
            guess_key = (hit.id, hit.snippet, width)
            height = self._guesses.get(guess_key)
            if height is None:
                if len(self._guesses) > 2000:
                    self._guesses.clear()
                height = self._guesses[guess_key] = self._estimate(option, hit, width)
            self._estimated.add(size_key)
        elif height is None:
            height = self._height(self._document(option, hit, selected=False))
        return QSize(self._view.viewport().width(), height)

    @staticmethod
    def _height(document: QTextDocument) -> int:
        return int(document.size().height()) + 2 * _PADDING + 1

    def _rows_laid_out(self, option: QStyleOptionViewItem) -> int:
        """How many rows from the top can show on the first screen: the shortest row is a
        title, a theme and one line of snippet."""
        line = QFontMetrics(option.font).lineSpacing()
        shortest = 3 * line + 2 * _PADDING
        return self._view.viewport().height() // max(1, shortest) + 1

    @staticmethod
    def _estimate(option: QStyleOptionViewItem, hit: Hit, width: int) -> int:
        metrics = QFontMetrics(option.font)
        line = metrics.lineSpacing()

        def lines(text: str, scale: float) -> int:
            return max(1, -(-int(metrics.horizontalAdvance(text) * scale) // max(1, width)))

        height = lines(hit.section, 1.12) * line * 1.08 + 2 + 4
        height += lines(hit.theme_title, 0.9) * line * 0.9
        height += lines(hit.snippet, 1.05) * line
        return int(height) + 2 * _PADDING + 1
