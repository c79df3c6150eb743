"""The excerpt tray's panel (in its dock, ``dock.py``): the list, the chosen item's note and
the tray's buttons.

Notes are saved 400 ms after the last keystroke (and at once when the editor loses focus or
another item is chosen), so a killed process loses at most the note being typed. Clearing
the tray and removing an item can be undone (Ctrl+Z in the tray, or the Undo button). Export
writes on a worker (``export.py``); the file dialog and the result stay here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from briefreader.core.excerpts import CitationStyle, format_excerpt
from briefreader.core.export import BriefingNote, to_clipboard
from briefreader.core.tray import TrayItem
from briefreader.ui.excerpts.export import check_suffix, export_in_background
from briefreader.ui.excerpts.note_details import NoteDetails
from briefreader.ui.excerpts.tray_model import Role, TrayModel
from briefreader.ui.excerpts.tray_widgets import NoteEditor, TrayList
from briefreader.ui.shared.clipboard import copy_formatted
from briefreader.ui.shared.flow_layout import FlowLayout, flow_size_policy
from briefreader.ui.shared.tasks import BackgroundTasks, Task

NOTE_DELAY_MS = 400


class TrayPanel(QWidget):
    """The tray's contents: the list, the note of the chosen item and the tray's actions."""

    # Go to the passage an excerpt comes from.
    open_section_requested = Signal(str)
    # For the status bar.
    status_message = Signal(str)
    # A change was refused or failed: for the status bar and screen readers (announced).
    problem_reported = Signal(str)

    def __init__(
        self,
        model: TrayModel,
        tasks: BackgroundTasks,
        style: CitationStyle = CitationStyle.FULL,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tray-panel")
        self.model = model
        self.tasks = tasks
        self.citation_style = style
        self.subtitle = ""  # the briefing's title, for exported notes
        self.last_export_folder: Path | None = None
        # The note's title, meeting and author; ``ask_details`` (set by the feature) asks
        # for them before an export, and None from it cancels the export.
        self.details = NoteDetails()
        self.ask_details: Callable[[], NoteDetails | None] | None = None

        # What the reader must know about the saved tray (read-only, damaged): a banner at the
        # top, framed and in bold on the palette's alternate colour, so it is not missed.
        self.notice = QLabel(self)
        self.notice.setObjectName("tray-notice")
        self.notice.setAccessibleName("Excerpt tray notice")
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.setFrameShape(QFrame.Shape.StyledPanel)
        self.notice.setMargin(6)
        self.notice.setAutoFillBackground(True)
        self.notice.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        font = self.notice.font()
        font.setBold(True)
        self.notice.setFont(font)
        self.notice.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a stop for Tab, empty or not
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

        # The buttons wrap onto a second line in a narrow tray rather than hold the window
        # wider than a small screen (the row made the tray at least 350 px wide).
        button_row = QWidget(self)
        button_row.setSizePolicy(flow_size_policy())
        buttons = FlowLayout(button_row, spacing=6)
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (
            self.source_button,
            self.copy_all_button,
            self.export_button,
            self.clear_button,
        ):
            buttons.addWidget(button)

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
        layout.addWidget(button_row)

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
        model.error_occurred.connect(self.problem_reported)
        if not model.writable:
            self._show_read_only(model.store.message)
        elif model.store.message:
            self.set_notice(model.store.message)
        self._update_count()
        self._on_current_changed(self.list.currentIndex(), QModelIndex())

    def _show_read_only(self, why: str) -> None:
        """The saved excerpts can be read, copied and exported, never changed: say so in the
        banner, and disable what would change them, each saying why."""
        self.set_notice(why)
        self.list.setDragDropMode(TrayList.DragDropMode.NoDragDrop)
        self.clear_button.setToolTip(f"Read-only: {why}")
        self.note_editor.setReadOnly(True)
        self.note_editor.setToolTip(f"Read-only: {why}")
        self.note_editor.setPlaceholderText("No note (the tray is read-only here)")

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
            if self.model.writable:
                self.count_label.setText(
                    f"{count} {noun}. Alt+Up/Down to reorder, Delete to remove."
                )
            else:
                self.count_label.setText(f"{count} {noun}, read-only here.")
        self.count_label.setWordWrap(True)
        for button in (self.copy_all_button, self.export_button):
            button.setEnabled(count > 0)
        self.clear_button.setEnabled(count > 0 and self.model.writable)
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
        if item is None or not self.confirm_damaged([item]):
            return
        if copy_formatted(format_excerpt(item.excerpt, self.citation_style)):
            self.status_message.emit("Copied the excerpt with its citation.")

    @Slot()
    def copy_all(self) -> None:
        self.save_note()
        if not self.confirm_damaged(self.model.items()):
            return
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

    def confirm_damaged(self, items: Sequence[TrayItem], verb: str = "Copy") -> bool:
        """Before damaged text is copied or exported with a citation (which vouches for it): ask.

        True if nothing is damaged or the reader chose to copy anyway.
        """
        damaged = [i for i in items if i.damaged]
        if not damaged:
            return True
        what = "This excerpt's" if len(items) == 1 else f"{len(damaged)} of these excerpts'"
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            f"{verb} Damaged Text?",
            f"{what} saved text is damaged: characters that could not be read show as \ufffd. "
            "A citation would present it as the source's words. Check it against the "
            "briefing first.",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        copy = box.addButton(f"{verb} &Anyway", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName("tray-damaged-warning")
        box.exec()
        if box.clickedButton() is copy:
            return True
        done = "copied" if verb == "Copy" else "exported"
        self.status_message.emit(f"Not {done}: the excerpt's saved text is damaged.")
        return False

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
        note = self.model.note(subtitle=self.subtitle)
        details = self.details
        return replace(note, title=details.title, meeting=details.meeting, author=details.author)

    def export_to(self, path: Path) -> Task[Path] | None:
        """Export the tray as a briefing note to ``path`` (.md, .html or .pdf), on a worker;
        the status bar says how it went. None if the name is refused at once."""
        self.save_note()
        if not self.confirm_damaged(self.model.items(), "Export"):
            return None
        try:
            check_suffix(path)
        except ValueError as error:
            self.status_message.emit(f"The briefing note was not saved: {error}")
            return None
        self.status_message.emit(f"Saving the briefing note as {path}…")
        return export_in_background(
            self.tasks,
            self.note(),
            path,
            self._on_exported,
            lambda error: self._on_export_failed(path, error),
        )

    def _on_exported(self, path: Path) -> None:
        self.last_export_folder = path.parent
        self.status_message.emit(f"Saved the briefing note as {path}")

    def _on_export_failed(self, path: Path, error: BaseException) -> None:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        self.status_message.emit(f"The briefing note was not saved as {path}: {reason}")

    def choose_export(self, suffix: str) -> None:
        if self.ask_details is not None:
            details = self.ask_details()
            if details is None:
                return
            self.details = details
        names = {".md": "Markdown (*.md)", ".html": "Web page (*.html)", ".pdf": "PDF (*.pdf)"}
        folder = self.last_export_folder or Path.home()
        default = folder / f"briefing-note-{date.today().isoformat()}{suffix}"
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Export the Briefing Note", str(default), names[suffix]
        )
        if chosen:
            path = Path(chosen)
            self.export_to(path if path.suffix else path.with_suffix(suffix))
