"""The excerpt tray: a Qt model over the tray store, and the panel that shows it (in its dock,
``ui/docks.py``).

Every change goes to the store first and reaches the model only once it is saved, so what
the delegate sees is what a restart brings back. Notes are saved 400 ms after the last
keystroke (and at once when the editor loses focus or another item is chosen), so a killed
process loses at most the note being typed.

Keys in the list: Enter goes to the source passage, Delete removes, Alt+Up/Alt+Down move,
Ctrl+C copies the chosen excerpt with its citation, F2 or Tab goes to its note. Clearing the
tray and removing an item can be undone (Ctrl+Z in the tray, or the Undo button).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from enum import IntEnum
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMarginsF,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QFocusEvent,
    QFont,
    QKeyEvent,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QTextDocument,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from briefreader.core.atomic import write_atomic
from briefreader.core.excerpts import (
    CitationStyle,
    Excerpt,
    ExcerptKind,
    citation,
    format_excerpt,
    quoted,
)
from briefreader.core.export import (
    BriefingNote,
    html_body,
    stylesheet,
    to_clipboard,
    to_html,
    to_markdown,
)
from briefreader.core.tray import TrayError, TrayItem, TrayStore
from briefreader.ui.clipboard import copy_formatted
from briefreader.ui.rich_items import RichTextDelegate

NOTE_DELAY_MS = 400
LIST_QUOTE_CHARS = 280  # a long quote is cut in the list; the whole of it is copied


class Role(IntEnum):
    ITEM = Qt.ItemDataRole.UserRole + 1
    QUOTE = Qt.ItemDataRole.UserRole + 2
    CITATION = Qt.ItemDataRole.UserRole + 3
    NOTE = Qt.ItemDataRole.UserRole + 4
    SECTION_ID = Qt.ItemDataRole.UserRole + 5
    HEADING = Qt.ItemDataRole.UserRole + 6  # "Theme: section" (or the speaker), to tell items apart


_MOVE_MIME = "application/x-briefreader-tray-rows"


class TrayModel(QAbstractListModel):
    """The tray's items, in order, saved as they change."""

    # A change could not be saved, in words for the delegate.
    error_occurred = Signal(str)

    def __init__(self, store: TrayStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._items: list[TrayItem] = list(store.items())
        self.undo_stack = QUndoStack(self)

    # -- reading -------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._items)

    def items(self) -> tuple[TrayItem, ...]:
        return tuple(self._items)

    def item(self, row: int) -> TrayItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        item = self.item(index.row()) if index.isValid() else None
        if item is None:
            return None
        excerpt = item.excerpt
        if role in (Qt.ItemDataRole.DisplayRole, Role.QUOTE):
            return excerpt.quote
        if role == Role.CITATION:
            return citation(excerpt, CitationStyle.SHORT)
        if role == Role.NOTE:
            return item.note
        if role == Role.SECTION_ID:
            return excerpt.source.section_id
        if role == Role.HEADING:
            source = excerpt.source
            what = "Figure" if excerpt.kind is ExcerptKind.FIGURE else source.theme_title
            return f"{what}: {source.speaker_name or source.section_title}"
        if role == Role.ITEM:
            return item
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = f"{quoted(excerpt.quote)} {citation(excerpt, CitationStyle.SHORT)}"
            return f"{text}. Note: {item.note}" if item.note else text
        if role == Qt.ItemDataRole.ToolTipRole:
            return citation(excerpt, CitationStyle.FULL)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        return base | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    # -- drag to reorder -----------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [_MOVE_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        data.setData(_MOVE_MIME, QByteArray(",".join(map(str, rows)).encode()))
        return data

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if action != Qt.DropAction.MoveAction or not data.hasFormat(_MOVE_MIME):
            return False
        text = bytes(data.data(_MOVE_MIME).data()).decode()
        rows = [int(r) for r in text.split(",") if r.isdigit()]
        if len(rows) != 1:
            return False
        target = parent.row() if row < 0 and parent.isValid() else row
        if target < 0:
            target = len(self._items)
        self.move_row(rows[0], target if target <= rows[0] else target - 1)
        # The move is done; returning False stops the view from also removing the source row.
        return False

    # -- changing: the store first, then the model ----------------------------------------------

    def add_excerpt(self, excerpt: Excerpt, note: str = "", row: int | None = None) -> int:
        """Add an excerpt (at the end by default); its row, or -1 if it could not be saved."""
        row = len(self._items) if row is None else max(0, min(row, len(self._items)))
        try:
            item = self.store.add(excerpt, note, row)
        except TrayError as error:
            self.error_occurred.emit(str(error))
            return -1
        self.beginInsertRows(QModelIndex(), row, row)
        self._items.insert(row, item)
        self.endInsertRows()
        return row

    def remove_row(self, row: int) -> bool:
        """Remove an item; undoable."""
        item = self.item(row)
        if item is None:
            return False
        self.undo_stack.push(_RemoveCommand(self, row, item))
        return True

    def _remove(self, row: int) -> bool:
        item = self.item(row)
        if item is None:
            return False
        try:
            self.store.remove(item.id)
        except TrayError as error:
            self.error_occurred.emit(str(error))
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._items[row]
        self.endRemoveRows()
        return True

    def move_row(self, row: int, to: int) -> bool:
        """Move an item to row ``to`` (in the order after it is taken out)."""
        item = self.item(row)
        to = max(0, min(to, len(self._items) - 1))
        if item is None or to == row:
            return False
        try:
            self.store.move(item.id, to)
        except TrayError as error:
            self.error_occurred.emit(str(error))
            return False
        # beginMoveRows wants the destination in the order *before* the move.
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), to + 1 if to > row else to)
        self._items.insert(to, self._items.pop(row))
        self.endMoveRows()
        return True

    def moveRows(
        self,
        source_parent: QModelIndex | QPersistentModelIndex,
        source_row: int,
        count: int,
        destination_parent: QModelIndex | QPersistentModelIndex,
        destination_child: int,
    ) -> bool:
        if count != 1 or source_parent.isValid() or destination_parent.isValid():
            return False
        to = destination_child if destination_child <= source_row else destination_child - 1
        return self.move_row(source_row, to)

    def set_note(self, row: int, note: str) -> bool:
        item = self.item(row)
        if item is None or item.note == note:
            return item is not None
        try:
            self.store.set_note(item.id, note)
        except TrayError as error:
            self.error_occurred.emit(str(error))
            return False
        self._items[row] = TrayItem(item.id, item.excerpt, note, item.added)
        index = self.index(row, 0)
        self.dataChanged.emit(index, index, [Role.NOTE, Qt.ItemDataRole.AccessibleTextRole])
        return True

    def clear(self) -> int:
        """Empty the tray; undoable. Returns how many items were removed."""
        count = len(self._items)
        if count:
            self.undo_stack.push(_ClearCommand(self))
        return count

    def _clear(self) -> tuple[TrayItem, ...]:
        try:
            cleared = self.store.clear()
        except TrayError as error:
            self.error_occurred.emit(str(error))
            return ()
        self.beginResetModel()
        self._items = []
        self.endResetModel()
        return cleared

    def _restore(self, items: tuple[TrayItem, ...]) -> tuple[TrayItem, ...]:
        try:
            restored = self.store.restore(items)
        except TrayError as error:
            self.error_occurred.emit(str(error))
            return ()
        self.beginResetModel()
        self._items = list(self.store.items())
        self.endResetModel()
        return restored

    def note(self, title: str = "", subtitle: str = "") -> BriefingNote:
        """The tray as a briefing note, for export."""
        kwargs: dict[str, object] = {"subtitle": subtitle}
        if title:
            kwargs["title"] = title
        return BriefingNote.from_tray(self._items, **kwargs)


class _RemoveCommand(QUndoCommand):
    def __init__(self, model: TrayModel, row: int, item: TrayItem) -> None:
        super().__init__("Remove excerpt")
        self._model, self._row, self._item = model, row, item

    def redo(self) -> None:
        row = next((n for n, i in enumerate(self._model.items()) if i.id == self._item.id), -1)
        if row >= 0:
            self._model._remove(row)

    def undo(self) -> None:
        row = self._model.add_excerpt(self._item.excerpt, self._item.note, self._row)
        added = self._model.item(row)
        if added is not None:
            self._item = added  # the store gave it a new id


class _ClearCommand(QUndoCommand):
    def __init__(self, model: TrayModel) -> None:
        super().__init__("Clear the tray")
        self._model = model
        self._cleared: tuple[TrayItem, ...] = ()

    def redo(self) -> None:
        self._cleared = self._model._clear()

    def undo(self) -> None:
        self._model._restore(self._cleared)


# --- exporting --------------------------------------------------------------------------------


def export_pdf(note: BriefingNote, path: Path) -> None:
    """Print the briefing note to a PDF file through Qt's print support (A4, 20 mm margins)."""
    # Imported here: print support is only needed when a delegate exports, not at start-up.
    from PySide6.QtPrintSupport import QPrinter

    document = QTextDocument()
    document.setDefaultStyleSheet(stylesheet())
    document.setDefaultFont(QFont("Serif", 11))
    document.setHtml(f"<html><body>{html_body(note)}</body></html>")
    document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, note.title)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(20, 20, 20, 20),
            QPageLayout.Unit.Millimeter,
        )
    )
    printer.setDocName(note.title)
    temporary = path.with_name(f".{path.name}.part")
    printer.setOutputFileName(str(temporary))
    document.print_(printer)
    if not temporary.exists() or temporary.stat().st_size == 0:
        temporary.unlink(missing_ok=True)
        raise OSError(f"Qt could not write the PDF {path}")
    temporary.replace(path)


def export_note(note: BriefingNote, path: Path) -> None:
    """Write the note in the format its file name asks for (.md, .html or .pdf)."""
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        write_atomic(path, to_markdown(note))
    elif suffix in (".html", ".htm"):
        write_atomic(path, to_html(note))
    elif suffix == ".pdf":
        export_pdf(note, path)
    else:
        raise ValueError(f"cannot export to {path.name}: use .md, .html or .pdf")


# --- the panel --------------------------------------------------------------------------------


class TrayDelegate(RichTextDelegate):
    """Draws an item as its quote, its short citation and the delegate's note."""

    def _document(self, index: QModelIndex | QPersistentModelIndex, width: int) -> QTextDocument:
        quote = quoted(str(index.data(Role.QUOTE) or ""))
        if len(quote) > LIST_QUOTE_CHARS:
            # Cut after the quotation marks are settled, so a cut quote still closes once.
            quote = quote[:LIST_QUOTE_CHARS].rsplit(" ", 1)[0] + " …”"
        paragraphs = html.escape(quote).split("\n\n")
        heading = html.escape(str(index.data(Role.HEADING) or ""))
        parts = [f'<p class="heading">{heading}</p>', f"<p>{'<br>'.join(paragraphs)}</p>"]
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
        document = self._document(index, plain.rect.width())
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


class TrayPanel(QWidget):
    """The tray's contents: the list, the note of the chosen item and the tray's actions."""

    # Go to the passage an excerpt comes from.
    open_section_requested = Signal(str)
    # For the status bar.
    status_message = Signal(str)

    def __init__(
        self,
        model: TrayModel,
        style: CitationStyle = CitationStyle.FULL,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tray-panel")
        self.model = model
        self.citation_style = style
        self.subtitle = ""  # the briefing's title, for exported notes
        self.last_export_folder: Path | None = None

        self.notice = QLabel(self)  # what the delegate must know about the saved tray
        self.notice.setObjectName("tray-notice")
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()
        self.count_label = QLabel(self)
        self.count_label.setObjectName("tray-count")
        self.list = TrayList(self)
        self.list.setModel(model)
        self.note_editor = NoteEditor(self)
        self.note_editor.setMaximumHeight(self.note_editor.fontMetrics().lineSpacing() * 5)
        self.note_editor.setEnabled(False)
        self._note_row: QPersistentModelIndex | None = None
        self._note_dirty = False  # typed since the last save
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_DELAY_MS)
        self._note_timer.timeout.connect(self.save_note)

        self.undo_banner = QWidget(self)
        self.undo_banner.setObjectName("tray-undo-banner")
        self.undo_label = QLabel(self.undo_banner)
        self.undo_button = QPushButton("&Undo", self.undo_banner)
        banner = QHBoxLayout(self.undo_banner)
        banner.setContentsMargins(0, 0, 0, 0)
        banner.addWidget(self.undo_label, 1)
        banner.addWidget(self.undo_button)
        self.undo_banner.hide()
        self.undo_button.clicked.connect(self.undo)

        self.source_button = QPushButton("&Go to Source", self)
        self.copy_all_button = QPushButton("C&opy All", self)
        self.export_button = QToolButton(self)
        self.export_button.setText("E&xport…")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        export_menu = QMenu(self.export_button)
        for label, suffix in (("Markdown…", ".md"), ("HTML…", ".html"), ("PDF…", ".pdf")):
            action = export_menu.addAction(f"Briefing Note as {label}")
            action.triggered.connect(lambda _=False, s=suffix: self.choose_export(s))
        self.export_button.setMenu(export_menu)
        self.clear_button = QPushButton("C&lear…", self)
        self.clear_button.setToolTip("Empty the tray (can be undone)")

        buttons = QHBoxLayout()
        for button in (self.source_button, self.copy_all_button, self.export_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.notice)
        layout.addWidget(self.count_label)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.undo_banner)
        note_label = QLabel("&Note:", self)
        note_label.setBuddy(self.note_editor)
        layout.addWidget(note_label)
        layout.addWidget(self.note_editor)
        layout.addLayout(buttons)

        self.undo_action = QAction("Undo in Tray", self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_action.triggered.connect(self.undo)
        self.addAction(self.undo_action)

        self.list.source_requested.connect(self.open_section_requested)
        self.list.remove_requested.connect(self.remove_row)
        self.list.copy_requested.connect(self.copy_row)
        self.list.note_requested.connect(self.note_editor.setFocus)
        self.list.selectionModel().currentChanged.connect(self._on_current_changed)
        self.note_editor.textChanged.connect(self._on_note_typed)
        self.note_editor.left.connect(self.save_note)
        self.source_button.clicked.connect(self._open_current)
        self.copy_all_button.clicked.connect(self.copy_all)
        self.clear_button.clicked.connect(self.clear)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._update_count)
        model.error_occurred.connect(self.status_message)
        self._update_count()
        self._on_current_changed(self.list.currentIndex(), QModelIndex())

    def set_notice(self, text: str) -> None:
        """Show (or, with "", hide) a message about the tray itself, e.g. a damaged store."""
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    # -- the list --------------------------------------------------------------------------------

    @Slot()
    def _update_count(self) -> None:
        count = self.model.rowCount()
        if count == 0:
            self.count_label.setText(
                "The tray is empty. Select a passage or a search result and press Ctrl+E."
            )
        else:
            noun = "excerpt" if count == 1 else "excerpts"
            self.count_label.setText(f"{count} {noun}. Alt+Up/Down to reorder, Delete to remove.")
        self.count_label.setWordWrap(True)
        for button in (self.copy_all_button, self.export_button, self.clear_button):
            button.setEnabled(count > 0)
        self.source_button.setEnabled(self.list.currentIndex().isValid())

    def current_row(self) -> int:
        return self.list.currentIndex().row()

    def select_row(self, row: int) -> None:
        self.list.setCurrentIndex(self.model.index(row, 0))

    @Slot()
    def _open_current(self) -> None:
        section_id = self.list.currentIndex().data(Role.SECTION_ID)
        if isinstance(section_id, str):
            self.open_section_requested.emit(section_id)

    @Slot(int)
    def remove_row(self, row: int) -> None:
        self.save_note()
        if self.model.remove_row(row):
            self._show_undo("Excerpt removed.")
            self.select_row(min(row, self.model.rowCount() - 1))

    @Slot(int)
    def copy_row(self, row: int) -> None:
        item = self.model.item(row)
        if item is not None and copy_formatted(format_excerpt(item.excerpt, self.citation_style)):
            self.status_message.emit("Copied the excerpt with its citation.")

    @Slot()
    def copy_all(self) -> None:
        self.save_note()
        if self.model.rowCount() and copy_formatted(to_clipboard(self.note())):
            self.status_message.emit(
                f"Copied {self.model.rowCount()} excerpts with their citations and notes."
            )

    @Slot()
    def clear(self) -> None:
        self.save_note()
        count = self.model.clear()
        if count:
            noun = "excerpt" if count == 1 else "excerpts"
            self._show_undo(f"Cleared {count} {noun}.")

    @Slot()
    def undo(self) -> None:
        stack = self.model.undo_stack
        if stack.canUndo():
            stack.undo()
            self.undo_banner.hide()
            self.status_message.emit("Undone.")

    def _show_undo(self, text: str) -> None:
        self.undo_label.setText(f"{text} Ctrl+Z or Undo brings it back.")
        self.undo_banner.show()

    # -- notes -----------------------------------------------------------------------------------

    @Slot(QModelIndex, QModelIndex)
    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.save_note()
        self._note_row = QPersistentModelIndex(current) if current.isValid() else None
        self.note_editor.blockSignals(True)
        self.note_editor.setPlainText(
            str(current.data(Role.NOTE) or "") if current.isValid() else ""
        )
        self.note_editor.blockSignals(False)
        self.note_editor.setEnabled(current.isValid())
        self.source_button.setEnabled(current.isValid())

    @Slot()
    def _on_note_typed(self) -> None:
        self._note_dirty = True
        self._note_timer.start()

    @Slot()
    def save_note(self) -> None:
        """Save the note being typed now (the timer, a change of item, leaving, quitting)."""
        self._note_timer.stop()
        if not self._note_dirty or self._note_row is None or not self._note_row.isValid():
            return
        self._note_dirty = False
        self.model.set_note(self._note_row.row(), self.note_editor.toPlainText())

    # -- exporting -------------------------------------------------------------------------------

    def note(self) -> BriefingNote:
        return self.model.note(subtitle=self.subtitle)

    def export_to(self, path: Path) -> bool:
        """Export the tray as a briefing note to ``path`` (.md, .html or .pdf)."""
        self.save_note()
        try:
            export_note(self.note(), path)
        except (OSError, ValueError) as error:
            self.status_message.emit(f"The briefing note was not saved: {error}")
            return False
        self.last_export_folder = path.parent
        self.status_message.emit(f"Saved the briefing note as {path}")
        return True

    def choose_export(self, suffix: str) -> None:
        names = {".md": "Markdown (*.md)", ".html": "Web page (*.html)", ".pdf": "PDF (*.pdf)"}
        folder = self.last_export_folder or Path.home()
        default = folder / f"briefing-note-{date.today().isoformat()}{suffix}"
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Export the Briefing Note", str(default), names[suffix]
        )
        if chosen:
            path = Path(chosen)
            self.export_to(path if path.suffix else path.with_suffix(suffix))
