"""Zoom keeps the reader where they were, and the contents follow it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from briefreader.core.model import Briefing
from briefreader.ui.shared.accessibility import chosen_index
from briefreader.ui.window.main_window import MainWindow

WindowFactory = Callable[..., MainWindow]  # as in tests/ui/conftest.py


def test_zoom_keeps_the_reading_position_and_the_contents_in_step(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    window.open_theme("threat-assessment")
    tab = window.current_tab()
    qtbot.waitUntil(lambda: tab.is_loaded and tab.has_been_shown)
    reader = tab.reader
    sections = reader.section_ids()
    target = sections[len(sections) // 2]
    start, _end = reader.section_text_range(target) or (0, 0)
    # Inside a section, not at its heading: its first paragraph.
    reader.set_top_position(reader.page_text().index("\n", start) + 1)
    before = reader.top_position()
    assert window.current_section_id() == target
    for percent in (150, 240, 80, 100):
        window.reading.set_zoom(percent)
        qtbot.wait(20)
        # The text that was at the top is still in the first line of the view.
        cursor = QTextCursor(reader.document())
        cursor.setPosition(before)
        line = reader.cursorRect(cursor)
        assert -2 <= line.top() < line.height(), percent
        # The contents select the section being read, without waiting for a scroll.
        reading = reader.reading_section_id()
        assert reading == target, percent
        assert tab.toc.current_section_id() == reading, percent
        assert tab.toc.selectionModel().isSelected(chosen_index(tab.toc)), percent


def test_zoom_at_the_top_of_a_page_stays_at_the_top(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    reader = window.current_reader()
    assert reader.verticalScrollBar().value() == 0
    window.reading.set_zoom(150)
    # The page's title and top margin stay in view (they were scrolled off before).
    assert reader.verticalScrollBar().value() == 0
    window.reading.set_zoom(100)
    assert reader.verticalScrollBar().value() == 0
