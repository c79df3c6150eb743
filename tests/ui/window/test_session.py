"""What the reader remembers: restored in a new window from the same settings file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from briefreader.core.model import Briefing
from briefreader.ui.shared.settings import ZOOM_DEFAULT, AppSettings
from briefreader.ui.window.main_window import MainWindow

WindowFactory = Callable[..., MainWindow]


def test_the_session_is_restored_after_a_restart(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing, settings_file: Path
) -> None:
    first = make_window(bundled_briefing)
    first.resize(731, 517)  # within the offscreen screen (800 × 600), as restoring keeps it
    first.open_theme("voices")
    tab = first.current_tab()
    qtbot.waitUntil(lambda: tab.is_loaded and tab.has_been_shown)
    section = tab.theme.sections[6].id
    tab.reader.scroll_to_section(section)
    first.reading.zoom_by(1)
    first.set_appearance("dark")
    first.search.dock.hide()
    first.search.field.setText("sextortion")

    def answered() -> bool:
        result = first.search.last_result()
        return result is not None and bool(result.hits)

    qtbot.waitUntil(answered)
    result = first.search.last_result()
    assert result is not None
    first.search.open_hit(result.hits[0])
    first.open_theme("voices")
    qtbot.waitUntil(lambda: first.current_tab() is tab)
    tab.reader.scroll_to_section(section)
    zoom = first.reading.zoom
    first.search.dock.hide()
    first.close()

    # Read back in a new process's way: every value from the INI file with its type.
    stored = AppSettings(QSettings(str(settings_file), QSettings.Format.IniFormat))
    assert stored.tab == "voices"
    assert stored.zoom == zoom != ZOOM_DEFAULT
    assert stored.appearance == "dark"
    assert stored.recent_searches[0] == "sextortion"
    assert stored.scroll("voices") > 0

    second = make_window(bundled_briefing)
    assert second.current_tab().theme.id == "voices"
    assert second.reading.zoom == zoom
    assert second.appearance.dark
    assert (second.width(), second.height()) == (731, 517)
    assert not second.search.dock.isVisible()
    reader = second.current_reader()
    qtbot.waitUntil(lambda: reader.section_at(reader.top_position()) == section)
    assert second.current_tab().toc.current_section_id() == section
    assert reader.document().defaultFont().pointSizeF() > 0
    # Recent searches come back in the empty results panel and the field's list.
    assert "sextortion" in second.results_panel.message.text()
    assert second.search.field.recent_completer.model().rowCount() >= 1


def test_a_damaged_settings_file_falls_back_to_defaults(
    make_window: WindowFactory, bundled_briefing: Briefing, settings_file: Path
) -> None:
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.write_text(
        "[reader]\nzoom=huge\nappearance=purple\ntab=nowhere\nscroll\\voices=-4\n"
        "[window]\ngeometry=not bytes\nstate=@ByteArray(garbage)\n",
        encoding="utf-8",
    )
    window = make_window(bundled_briefing)
    assert window.reading.zoom == ZOOM_DEFAULT
    assert window.appearance.choice == "system"
    assert window.current_tab().theme.id == bundled_briefing.themes[0].id
    assert window.settings.scroll("voices") == -1
    assert window.isVisible()


def test_a_tab_not_shown_keeps_its_remembered_position(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing, settings_file: Path
) -> None:
    settings = AppSettings(QSettings(str(settings_file), QSettings.Format.IniFormat))
    settings.set_scroll("advocacy", 1234)
    settings.sync()
    window = make_window(bundled_briefing)
    qtbot.waitUntil(lambda: all(r.is_loaded for r in window.readers()))
    window.close()
    stored = AppSettings(QSettings(str(settings_file), QSettings.Format.IniFormat))
    assert stored.scroll("advocacy") == 1234
