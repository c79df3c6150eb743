"""Help ▸ Notes on the text: every editor's mark, every note on the sources' errors and every
repair, reachable from the keyboard and left with Esc."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from briefreader.core.model import Briefing
from briefreader.core.render import NOTES_TITLE
from briefreader.ui.window.main_window import MainWindow
from briefreader.ui.window.notes import NotesDialog

WindowFactory = Callable[..., MainWindow]  # as in tests/ui/conftest.py


def test_the_notes_open_from_the_help_menu_and_list_every_mark_note_and_repair(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    entry = next(
        a for a in window.help_menu.actions() if a.text().replace("&", "") == "Notes on the text"
    )
    assert "&N" in entry.text()  # Alt+H, N
    entry.trigger()
    dialog = window.help.notes_dialog
    assert isinstance(dialog, NotesDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle() == NOTES_TITLE
    qtbot.waitUntil(dialog.browser.hasFocus)  # read with the arrows at once
    text = dialog.browser.toPlainText()
    assert bundled_briefing.marks and bundled_briefing.notes and bundled_briefing.repairs
    for mark in bundled_briefing.marks:
        assert mark.mark in text and mark.reason in text
    for note in bundled_briefing.notes:
        assert " ".join(note.note.split()) in " ".join(text.split())
    for repair in bundled_briefing.repairs:
        assert repair.repaired in text
    QTest.keyClick(dialog.browser, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
