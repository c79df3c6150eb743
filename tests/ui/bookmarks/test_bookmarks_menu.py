"""Bookmarks on sections, through the real main window: Ctrl+D on the section being read,
the Bookmarks menu, kept across a new window with the same settings file, and a bookmark
whose section has gone dropped without a crash."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from briefreader.core.model import Briefing
from briefreader.ui.bookmarks.feature import EMPTY_TEXT, BookmarksFeature
from briefreader.ui.shared.settings import AppSettings
from briefreader.ui.window.main_window import MainWindow

WindowFactory = Callable[..., MainWindow]  # as in tests/ui/conftest.py
EXTORTION = "threat-assessment/financial-sexual-extortion"
BEAUCHERE = "voices/jacqueline-beauchere"


def _open(qtbot: QtBot, window: MainWindow, section_id: str) -> None:
    with qtbot.waitSignal(window.section_opened, timeout=10_000):
        assert window.open_section(section_id)
    qtbot.waitUntil(lambda: window.current_section_id() == section_id, timeout=10_000)


def _listed(feature: BookmarksFeature) -> list[str]:
    feature.refresh()  # as opening the menu does
    return [str(action.data()) for action in feature.entries]


def test_ctrl_d_bookmarks_the_section_being_read_and_a_new_window_lists_it(
    qtbot: QtBot, make_window: WindowFactory, mini_briefing: Briefing, settings_file: Path
) -> None:
    window = make_window(mini_briefing)
    feature = BookmarksFeature(window, window.settings)
    assert [a.text() for a in feature.menu.actions() if not a.isSeparator()][-1] == EMPTY_TEXT
    menu_titles = [a.text() for a in window.menuBar().actions()]
    assert menu_titles.index("&Bookmarks") == menu_titles.index("&Help") - 1

    _open(qtbot, window, EXTORTION)
    QTest.keyClick(window.current_reader(), Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.settings.bookmarks == [EXTORTION]
    assert "Bookmarked “Financial sexual extortion”" in window.statusBar().currentMessage()
    _open(qtbot, window, BEAUCHERE)
    assert feature.toggle_current() is True
    assert _listed(feature) == [EXTORTION, BEAUCHERE]  # in the briefing's order
    feature.refresh()
    assert feature.toggle_action.isChecked()
    assert feature.toggle_action.text().startswith("Remove &Bookmark on")
    window.close()

    # A new window, the same settings file: read back from the INI file, with its type.
    again = make_window(mini_briefing, settings_path=settings_file)
    kept = BookmarksFeature(again, again.settings)
    assert _listed(kept) == [EXTORTION, BEAUCHERE]
    entry = kept.entries[0]
    assert entry.text() == "&1 Financial sexual extortion — Threat assessment"
    with qtbot.waitSignal(again.section_opened, timeout=10_000) as opened:
        entry.trigger()
    assert opened.args == [EXTORTION]
    assert again.current_tab().theme.id == "threat-assessment"

    # Ctrl+D again on a bookmarked section removes it.
    qtbot.waitUntil(lambda: again.current_section_id() == EXTORTION, timeout=10_000)
    assert kept.toggle_current() is False
    assert _listed(kept) == [BEAUCHERE]
    reread = AppSettings(QSettings(str(settings_file), QSettings.Format.IniFormat))
    assert reread.bookmarks == [BEAUCHERE]


def test_a_bookmark_to_a_section_no_longer_in_the_briefing_is_dropped(
    make_window: WindowFactory, mini_briefing: Briefing, settings_file: Path
) -> None:
    settings = AppSettings(QSettings(str(settings_file), QSettings.Format.IniFormat))
    settings.bookmarks = ["voices/a-speaker-since-removed", BEAUCHERE]
    settings.sync()
    window = make_window(mini_briefing, settings_path=settings_file)
    feature = BookmarksFeature(window, window.settings)
    assert _listed(feature) == [BEAUCHERE]
    assert window.settings.bookmarks == [BEAUCHERE]
    assert "1 bookmark removed" in window.statusBar().currentMessage()
    # A damaged value is no list of ids: no bookmarks, no crash.
    window.settings.qsettings.setValue("bookmarks/sections", 42)
    assert _listed(feature) == []


def test_no_two_actions_share_a_shortcut(
    make_window: WindowFactory, mini_briefing: Briefing, tmp_path: Path
) -> None:
    from briefreader.ui.excerpts.feature import ExcerptFeature
    from briefreader.ui.figures.feature import FiguresFeature
    from briefreader.ui.printing.feature import PrintFeature

    window = make_window(mini_briefing)
    ExcerptFeature(window, window.settings)
    FiguresFeature(window)
    PrintFeature(window)
    BookmarksFeature(window, window.settings)
    owners: dict[str, str] = {}
    clashes = []
    # A disabled action holds no key (the tray's "cannot add here" stand-in for Ctrl+E is
    # enabled only while Add is disabled), so only enabled ones can clash.
    for action in window.actions():
        if not action.isEnabled():
            continue
        for key in action.shortcuts():
            name = key.toString()
            if name in owners and owners[name] != action.text():
                clashes.append(f"{name}: {owners[name]!r} and {action.text()!r}")
            owners.setdefault(name, action.text())
    assert clashes == []
    assert {"Ctrl+D", "Ctrl+P", "Ctrl+Shift+S"} <= owners.keys()
    # Help ▸ Keyboard shortcuts lists them, the features' menus included.
    window.help.show_shortcuts()
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert boxes
    listed = boxes[-1].text()
    for box in boxes:
        box.close()
    for label, typed in (("Print Theme…", "Ctrl+P"), ("Save Theme as PDF…", "Ctrl+Shift+S")):
        assert f"<tr><td>{label}</td><td><b>{typed}</b></td></tr>" in listed
    assert "<td><b>Ctrl+D</b></td>" in listed
