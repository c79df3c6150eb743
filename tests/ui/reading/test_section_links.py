"""Under a finding, each recommendation's name and each statement's speaker link to that
section: followed with a click or from the keyboard (Tab to the link, Enter), the reader
opens the section's tab there."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from briefreader.core.model import Briefing
from briefreader.ui.window.main_window import MainWindow

WindowFactory = Callable[..., MainWindow]  # as in tests/ui/conftest.py
FINDING = "threat-assessment/generative-ai"


def test_a_recommendation_s_name_opens_its_section_from_the_keyboard(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.open_section(FINDING)
    qtbot.waitUntil(lambda: window.current_section_id() == FINDING)
    reader = window.current_reader()
    link = next(link for link in bundled_briefing.links_for(FINDING) if link.kind == "report")
    target = link.response_ids[0]
    # The caret at the finding's heading: Tab goes to the next link, its first response.
    start = reader.section_position(FINDING)
    assert start is not None
    cursor = QTextCursor(reader.document())
    cursor.setPosition(start)
    reader.setTextCursor(cursor)
    reader.setFocus()
    qtbot.waitUntil(reader.hasFocus)
    QTest.keyClick(reader, Qt.Key.Key_Tab)
    assert reader.textCursor().charFormat().anchorHref() == f"#{target}"
    with qtbot.waitSignal(window.section_opened) as opened:
        QTest.keyClick(reader, Qt.Key.Key_Return)
    assert opened.args == [target]
    assert window.current_tab().theme.id == target.split("/")[0]
    assert window.current_section_id() == target


def test_a_statement_s_speaker_opens_the_statement(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    statement = next(
        link for link in bundled_briefing.links_for(FINDING) if link.kind == "statement"
    )
    holder = statement.response_ids[0]
    window.open_section(FINDING)
    qtbot.waitUntil(lambda: window.current_section_id() == FINDING)
    reader = window.current_reader()
    assert f'href="#{holder}"' in reader.page_html
    with qtbot.waitSignal(window.section_opened) as opened:
        reader.anchorClicked.emit(QUrl(f"#{holder}"))  # what a click on the name sends
    assert opened.args == [holder]
    assert window.current_section_id() == holder
