"""The key figures' panel: a hint line and the list; keys and clicks become requests.

Keys in the list: arrows move, Enter goes to the figure's passage (with the figure marked),
Ctrl+Shift+C copies it with its citation (Ctrl+Alt+Shift+C in the other style), Ctrl+C does
the same (a figure is never copied without its source), Ctrl+E adds it to the excerpt tray,
the Menu key opens the context menu. The panel is a source of excerpts for the excerpt
feature (``ExcerptFeature.add_source``): its requests to copy and its context menus are
answered there.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QVBoxLayout, QWidget

from briefreader.core.excerpts import Excerpt
from briefreader.ui.figures.model import FiguresModel
from briefreader.ui.figures.widgets import KEYS_HINT, FiguresList


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
