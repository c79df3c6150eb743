"""Key figures: the briefing's headline statistics in a dock panel, each with its source.

Core → Qt model → widget: :class:`FiguresModel` lists ``briefing.figures``;
:class:`FiguresDelegate` draws each as its value (large), what it measures and the period,
"Source: <organisation>" and the document; :class:`FiguresPanel` turns keys and clicks into
requests; :class:`FiguresFeature` attaches it all to the main window and to the excerpt
actions, so a figure is copied and kept exactly as passages are.

Keys in the list: arrows move, Enter goes to the figure's passage (with the figure marked),
Ctrl+Shift+C copies it with its citation (Ctrl+Alt+Shift+C in the other style), Ctrl+C does
the same (a figure is never copied without its source), Ctrl+E adds it to the excerpt tray,
the Menu key opens the context menu. Ctrl+Shift+K shows or hides the panel.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from enum import IntEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QListView,
    QMenu,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from briefreader.core.excerpts import CitationStyle, Excerpt, excerpt_from_figure, format_excerpt
from briefreader.core.highlight import word_spans
from briefreader.core.model import Briefing, Figure
from briefreader.ui.docks import FiguresDock
from briefreader.ui.rich_items import RichTextDelegate

if TYPE_CHECKING:
    from briefreader.ui.excerpts import ExcerptFeature
    from briefreader.ui.window.main_window import MainWindow

MIN_DOCK_HEIGHT = 320  # px: the hint and about three figures
KEYS_HINT = "Enter: go to the passage · Ctrl+Shift+C: copy with citation · Ctrl+E: add to tray"


class Role(IntEnum):
    FIGURE = Qt.ItemDataRole.UserRole + 1
    VALUE = Qt.ItemDataRole.UserRole + 2
    STATEMENT = Qt.ItemDataRole.UserRole + 3  # what it measures, with the period where given
    SOURCE = Qt.ItemDataRole.UserRole + 4  # the organisation the source credits
    DOCUMENT_TITLE = Qt.ItemDataRole.UserRole + 5
    DOCUMENT_DATE = Qt.ItemDataRole.UserRole + 6
    SECTION_ID = Qt.ItemDataRole.UserRole + 7


def statement(figure: Figure) -> str:
    """What the figure measures, with its period: the words copied after the value."""
    return f"{figure.measure}, {figure.period}" if figure.period else figure.measure


class FiguresModel(QAbstractListModel):
    """The briefing's headline figures, in the order of figures.toml."""

    def __init__(self, briefing: Briefing, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.briefing = briefing
        self._figures = briefing.figures

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._figures)

    def figure(self, row: int) -> Figure | None:
        return self._figures[row] if 0 <= row < len(self._figures) else None

    def excerpt(self, row: int) -> Excerpt | None:
        """The figure as an excerpt with its citation; None if there is none to cite."""
        figure = self.figure(row)
        return excerpt_from_figure(self.briefing, figure) if figure is not None else None

    def row_of(self, figure_id: str) -> int:
        return next((n for n, f in enumerate(self._figures) if f.id == figure_id), -1)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        figure = self.figure(index.row()) if index.isValid() else None
        if figure is None:
            return None
        document = self.briefing.document(figure.document_id)
        title = document.title if document is not None else figure.document_id
        date = document.date_text if document is not None else ""
        if role == Qt.ItemDataRole.DisplayRole:
            # Starts with the value, so that typing "87" in the list finds "87%".
            return f"{figure.value} {statement(figure)} (source: {figure.source})"
        if role == Role.FIGURE:
            return figure
        if role == Role.VALUE:
            return figure.value
        if role == Role.STATEMENT:
            return statement(figure)
        if role == Role.SOURCE:
            return figure.source
        if role == Role.DOCUMENT_TITLE:
            return title
        if role == Role.DOCUMENT_DATE:
            return date
        if role == Role.SECTION_ID:
            return figure.section_id
        if role == Qt.ItemDataRole.AccessibleTextRole:
            where = f"{title}, {date}" if date else title
            return f"{figure.value}: {statement(figure)}. Source: {figure.source}. From {where}."
        if role == Qt.ItemDataRole.ToolTipRole:
            # Exactly what Copy with Citation puts in text/plain, so nothing copied surprises.
            excerpt = self.excerpt(index.row())
            return format_excerpt(excerpt, CitationStyle.FULL).plain if excerpt else None
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


# --- the panel --------------------------------------------------------------------------------


class FiguresDelegate(RichTextDelegate):
    """Draws a figure as the tray draws an excerpt: rich text on the platform's item background.

    Not the tray's delegate itself: that one sets a quotation in quotation marks under a
    heading, and a figure is a value, what it measures and who it is credited to.
    """

    VALUE_SCALE = 1.7
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
        # The document line is cut to one line: the title is long and the tooltip, the
        # accessible text and every copy give it whole.
        small = QFont(font)
        small.setPointSizeF(size * self.SMALL_SCALE)
        metrics = QFontMetrics(small)
        date = str(index.data(Role.DOCUMENT_DATE) or "")
        suffix = f" · {date}" if date else ""
        title = _elide_words(
            f"From {index.data(Role.DOCUMENT_TITLE) or ''}",
            metrics,
            text_width - metrics.horizontalAdvance(suffix) - 4,
        )
        value = html.escape(str(index.data(Role.VALUE) or ""))
        measure = html.escape(str(index.data(Role.STATEMENT) or ""))
        source = html.escape(str(index.data(Role.SOURCE) or ""))
        parts = [
            f'<p class="value">{value}</p>',
            f"<p>{measure}</p>",
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
        document = self._document(index, rect.width(), muted)
        if not selected:
            # A hairline between figures: a list of two dozen numbers is scanned, not read.
            painter.save()
            painter.setPen(_blend(text, palette.color(QPalette.ColorRole.Base), 0.2))
            painter.drawLine(rect.left() + self.PADDING, rect.bottom(),
                             rect.right() - self.PADDING, rect.bottom())  # fmt: skip
            painter.restore()
        self._draw_document(painter, rect, document, text)


def _elide_words(text: str, metrics: QFontMetrics, width: int) -> str:
    """``text`` cut after a whole word, with "…", so that it fits ``width``."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    words = text.split(" ")
    while len(words) > 2:
        words.pop()
        cut = " ".join(words).rstrip(",;:") + "…"
        if metrics.horizontalAdvance(cut) <= width:
            return cut
    # Too narrow for whole words: cut anywhere rather than overflow.
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(width, 20))


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
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Copy)
        ):
            event.accept()
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


class FiguresPanel(QWidget):
    """A hint line and the list of figures; keys and clicks become requests."""

    # Show the passage a figure comes from (the Figure).
    open_requested = Signal(object)
    # Copy the current figure with its citation (its Excerpt, or None).
    copy_requested = Signal(object)
    # A context menu for a figure is being built: add entries for its Excerpt (or None).
    context_menu_about_to_show = Signal(QMenu, object)

    def __init__(self, model: FiguresModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figures-panel")
        self.model = model
        count = model.rowCount()
        documents = len({f.document_id for f in model.briefing.figures})
        self.hint = QLabel(self)
        self.hint.setObjectName("figures-hint")
        self.hint.setWordWrap(True)
        if count:
            noun = "figure" if count == 1 else "figures"
            from_docs = f" from {documents} documents" if documents > 1 else ""
            self.hint.setText(f"{count} {noun}{from_docs}, each with its source.\n{KEYS_HINT}")
        else:
            self.hint.setText("This briefing has no headline figures.")
        self.list = FiguresList(self)
        self.list.setModel(model)
        self.hint.setBuddy(self.list)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)

        self.list.activated.connect(self._on_activated)
        self.list.copy_requested.connect(self._on_copy)
        self.list.context_menu_requested.connect(self._on_context_menu)
        if count:
            self.select_row(0)  # arrows and Enter work as soon as the list has the focus

    def current_row(self) -> int:
        return self.list.currentIndex().row()

    def select_row(self, row: int) -> None:
        self.list.setCurrentIndex(self.model.index(row, 0))

    def current_figure(self) -> Figure | None:
        return self.model.figure(self.current_row())

    def current_excerpt(self) -> Excerpt | None:
        return self.model.excerpt(self.current_row())

    def has_focus_within(self) -> bool:
        focus = QApplication.focusWidget()
        return focus is not None and (focus is self or self.isAncestorOf(focus))

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        figure = self.model.figure(index.row())
        if figure is not None:
            self.open_requested.emit(figure)

    @Slot()
    def _on_copy(self) -> None:
        self.copy_requested.emit(self.current_excerpt())

    @Slot(QPoint, QModelIndex)
    def _on_context_menu(self, point: QPoint, index: QModelIndex) -> None:
        figure = self.model.figure(index.row())
        if figure is None:
            return
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        go = menu.addAction("Go to the Passage")
        go.setShortcut(QKeySequence(Qt.Key.Key_Return))  # shown as a reminder
        go.triggered.connect(lambda: self.open_requested.emit(figure))
        self.context_menu_about_to_show.emit(menu, self.model.excerpt(index.row()))
        menu.popup(point)


# --- wiring into the main window ----------------------------------------------------------------


class FiguresFeature(QObject):
    """The Key Figures dock, attached to the main window and to the excerpt actions.

    Copy and add-to-tray go through ``excerpts.actions``, so a figure is cited, announced
    and kept exactly like any passage: the Edit menu's actions and their shortcuts act on
    the current figure while the panel has the focus.
    """

    def __init__(
        self, window: MainWindow, excerpts: ExcerptFeature, dock: FiguresDock | None = None
    ) -> None:
        """``dock``: the panel's dock, already added to the window (the app adds it, empty,
        before the first paint: see ``ui/docks.py``); without it the feature adds its own."""
        super().__init__(window)
        self.window = window
        self.excerpts = excerpts
        self.model = FiguresModel(window.briefing, self)
        self.panel = FiguresPanel(self.model)
        if dock is None:
            # Hidden until asked for; a layout saved by the last session wins.
            self.dock = FiguresDock(self.panel, window)
            self.toggle_action = window.add_dock(
                self.dock, self.dock.area, self.dock.shortcut, visible=False
            )
        else:
            self.dock = dock
            dock.setWidget(self.panel)
            self.toggle_action = dock.toggleViewAction()
        self.dock.toggleViewAction().triggered.connect(self._on_dock_toggled)

        other: Callable[[], Excerpt | None] = excerpts.current_excerpt
        excerpts.actions.set_provider(lambda: self.current_excerpt(other))

        self.panel.open_requested.connect(self.open_figure)
        self.panel.copy_requested.connect(self._on_copy_requested)
        self.panel.context_menu_about_to_show.connect(self._on_context_menu)

    def current_excerpt(self, other: Callable[[], Excerpt | None]) -> Excerpt | None:
        """The current figure while the panel has the focus; otherwise what ``other`` says."""
        if self.panel.has_focus_within():
            return self.panel.current_excerpt()
        return other()

    @Slot(object)
    def open_figure(self, figure: Figure) -> bool:
        """Show the figure's passage with the figure marked in it."""
        section = self.window.briefing.section(figure.section_id)
        # Mark the value only where the passage has it as written: "0 matches" would
        # make a delegate doubt the figure.
        found = section is not None and bool(word_spans(section.text, [figure.value]))
        return self.window.open_section(figure.section_id, [figure.value] if found else [])

    @Slot(object)
    def _on_copy_requested(self, excerpt: Excerpt | None) -> None:
        self.excerpts.actions.copy(excerpt)

    @Slot(QMenu, object)
    def _on_context_menu(self, menu: QMenu, excerpt: Excerpt | None) -> None:
        self.excerpts.actions.add_to_menu(menu, excerpt, "Figure")

    @Slot(bool)
    def _on_dock_toggled(self, visible: bool) -> None:
        if not visible:
            return
        self.dock.raise_()
        if not self.dock.isFloating() and self.dock.height() < MIN_DOCK_HEIGHT:
            # Docked under a tall panel (the tray) it opens a sliver showing one figure:
            # give it room to show several. A height the delegate chose above this stays.
            height = max(MIN_DOCK_HEIGHT, self.window.height() * 3 // 5)
            self.window.resizeDocks([self.dock], [height], Qt.Orientation.Vertical)
        self.panel.list.setFocus(Qt.FocusReason.ShortcutFocusReason)
