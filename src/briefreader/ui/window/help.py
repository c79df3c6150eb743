"""The Help menu's dialogs: About, the search syntax, the keyboard shortcuts, and the
notes on the text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox

if TYPE_CHECKING:
    from briefreader.ui.window.main_window import MainWindow

_EXTRA_KEYS = (
    "<tr><td>In the search field: move to the results</td><td><b>Down</b></td></tr>"
    "<tr><td>Open the selected result</td><td><b>Enter</b></td></tr>"
    "<tr><td>Recent searches (empty field)</td><td><b>Down</b></td></tr>"
)


def typeable(shortcuts: Sequence[QKeySequence]) -> list[str]:
    """Shortcuts as a person types them: not the dedicated keys ("Copy", "Zoom In", "Back")
    some keyboards have, which the standard key bindings include."""
    names = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in shortcuts]
    return [n for n in names if ("+" in n or re.fullmatch(r"F\d+|Esc", n)) and "Backtab" not in n]


class Help(QObject):
    """Opens the help dialogs over the window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.notes_dialog: QDialog | None = None

    @Slot()
    def show_about(self) -> None:
        from briefreader.ui.window.about import AboutDialog, about_html

        window = self._window
        page = about_html(
            window.briefing,
            index_dir=window.locations.index,
            data_dir=window.locations.data,
            settings_file=window.settings.file_name(),
        )
        dialog = AboutDialog(page, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    @Slot()
    def show_notes(self) -> None:
        """Everything the editors did to the sources' words (``core.render.render_notes``)."""
        from briefreader.core.render import render_notes
        from briefreader.ui.reading.font import reading_font
        from briefreader.ui.window.notes import NotesDialog

        window = self._window
        stylesheet = window.reading.pages.stylesheet(window.appearance.dark)
        font = reading_font(window.reading.zoom)  # the reader's type, at the reader's zoom
        dialog = NotesDialog(render_notes(window.briefing), stylesheet, font, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.notes_dialog = dialog  # the last one opened, for tests

    @Slot()
    def show_syntax_help(self) -> None:
        from briefreader.ui.search.results_panel import SYNTAX_HELP_HTML

        self._message(
            "Search syntax",
            "<p>Search finds passages in every theme. You can type:</p>" + SYNTAX_HELP_HTML,
        )

    @Slot()
    def show_shortcuts(self) -> None:
        window = self._window
        # Every menu in the bar, the features' own (File's Print, Bookmarks) included.
        menus: list[QMenu] = [
            menu
            for action in window.menuBar().actions()
            if isinstance(menu := action.menu(), QMenu)
        ]
        rows = []
        for menu in menus:
            for action in menu.actions():
                keys = ", ".join(typeable(action.shortcuts())[:2])
                if keys and action.isVisible():
                    label = action.text().replace("&", "")
                    rows.append(f"<tr><td>{label}</td><td><b>{keys}</b></td></tr>")
        self._message(
            "Keyboard shortcuts", f'<table cellpadding="2">{"".join(rows)}{_EXTRA_KEYS}</table>'
        )

    def _message(self, title: str, text: str) -> None:
        box = QMessageBox(self._window)
        box.setWindowTitle(title)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(text)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
