"""Copy with citation and the tray, attached to the real main window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from briefreader.core.model import Briefing
from briefreader.core.tray import FILE_NAME, TrayStore
from briefreader.ui.excerpts.feature import ExcerptFeature
from briefreader.ui.shared.settings import AppSettings
from briefreader.ui.window.main_window import MainWindow

WindowFactory = Callable[..., MainWindow]  # as in tests/ui/conftest.py

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
PRESS = "Alarming escalation in child sexual abuse online revealed by Global Threat Assessment 2023"


def attach(window: MainWindow, tmp_path: Path) -> ExcerptFeature:
    settings = QSettings(str(tmp_path / "excerpts.ini"), QSettings.Format.IniFormat)
    return ExcerptFeature(window, AppSettings(settings))


def select(window: MainWindow, words: str) -> None:
    reader = window.current_reader()
    start = reader.document().toPlainText().index(words)
    cursor = QTextCursor(reader.document())
    cursor.setPosition(start)
    cursor.setPosition(start + len(words), QTextCursor.MoveMode.KeepAnchor)
    reader.setTextCursor(cursor)
    reader.setFocus()


def test_select_copy_and_collect(
    qtbot: QtBot, make_window: WindowFactory, mini_briefing: Briefing, tmp_path: Path
) -> None:
    window = make_window(mini_briefing)
    feature = attach(window, tmp_path)
    window.open_theme("threat-assessment")
    qtbot.waitUntil(lambda: window.current_tab().is_loaded)
    select(window, "an average grooming time of just 45 minutes.")

    QTest.keyClick(window.current_reader(), Qt.Key.Key_C, CTRL_SHIFT)
    text = QGuiApplication.clipboard().text()
    assert text.startswith("“an average grooming time of just 45 minutes.”\n— ")
    assert PRESS in text

    QTest.keyClick(window.current_reader(), Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert feature.model.rowCount() == 1
    assert feature.dock.isVisible()
    store = TrayStore.open(window.locations.data)
    assert [i.excerpt.quote for i in store.items()] == [
        "an average grooming time of just 45 minutes."
    ]
    store.close()
    assert (window.locations.data / FILE_NAME).exists()


def test_tray_item_goes_back_to_its_source(
    qtbot: QtBot, make_window: WindowFactory, mini_briefing: Briefing, tmp_path: Path
) -> None:
    window = make_window(mini_briefing)
    feature = attach(window, tmp_path)
    window.open_theme("threat-assessment")
    qtbot.waitUntil(lambda: window.current_tab().is_loaded)
    select(window, "The research found a significant rise")
    feature.actions.add_action.trigger()
    window.open_theme("voices")
    with qtbot.waitSignal(window.section_opened) as opened:
        feature.panel.select_row(0)
        feature.panel.source_button.click()
    assert opened.args == ["threat-assessment/financial-sexual-extortion"]
    assert window.current_tab().theme.id == "threat-assessment"


def test_reader_context_menu_offers_copy_and_tray(
    qtbot: QtBot, make_window: WindowFactory, mini_briefing: Briefing, tmp_path: Path
) -> None:
    window = make_window(mini_briefing)
    attach(window, tmp_path)
    reader = window.current_reader()
    menu = QMenu()
    reader.context_menu_about_to_show.emit(menu, 5)
    texts = [a.text() for a in menu.actions() if a.text()]
    assert "Add Section to Excerpt Tray" in texts
    select(window, "it was also revealed")
    menu = QMenu()
    reader.context_menu_about_to_show.emit(menu, 5)
    assert "Add Selection to Excerpt Tray" in [a.text() for a in menu.actions()]


def test_damaged_tray_is_reported_in_the_window(
    make_window: WindowFactory, mini_briefing: Briefing, tmp_path: Path
) -> None:
    window = make_window(mini_briefing)
    window.locations.data.mkdir(parents=True, exist_ok=True)
    (window.locations.data / FILE_NAME).write_bytes(b"not a database" * 200)
    feature = attach(window, tmp_path)
    assert "could not be read" in feature.panel.notice.text()
    assert "could not be read" in window.statusBar().currentMessage()
    assert feature.store.persistent


def test_edit_menu_lists_the_actions(
    make_window: WindowFactory, mini_briefing: Briefing, tmp_path: Path
) -> None:
    window = make_window(mini_briefing)
    attach(window, tmp_path)
    texts = [a.text() for a in window.edit_menu.actions()]
    assert "Copy with &Citation" in texts and "Add to &Excerpt Tray" in texts
    assert any(a.menu() is not None and "Citation" in a.text() for a in window.edit_menu.actions())


def test_export_runs_on_the_windows_pool(
    qtbot: QtBot, make_window: WindowFactory, mini_briefing: Briefing, tmp_path: Path
) -> None:
    window = make_window(mini_briefing)
    feature = attach(window, tmp_path)
    assert feature.panel.tasks is window.tasks  # cancelled and waited for when it closes
    window.open_theme("threat-assessment")
    qtbot.waitUntil(lambda: window.current_tab().is_loaded)
    select(window, "an average grooming time of just 45 minutes.")
    feature.actions.add_action.trigger()
    target = tmp_path / "note.pdf"
    # What the panel says, not the status bar: another message (the index is ready) may
    # replace it there before this test looks.
    said: list[str] = []
    feature.panel.status_message.connect(said.append)
    task = feature.panel.export_to(target)
    assert task is not None
    qtbot.waitUntil(lambda: task.done, timeout=20_000)
    qtbot.waitUntil(lambda: f"Saved the briefing note as {target}" in said)
    assert target.read_bytes().startswith(b"%PDF-")


def test_a_selection_over_two_statements_gives_each_its_speaker_and_citation(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing, tmp_path: Path
) -> None:
    from markdown_it import MarkdownIt

    from briefreader.ui.shared.clipboard import MARKDOWN

    window = make_window(bundled_briefing)
    feature = attach(window, tmp_path)
    window.open_theme("voices")
    qtbot.waitUntil(lambda: window.current_tab().is_loaded)
    first, second = (
        bundled_briefing.section("voices/iain-drennan"),
        bundled_briefing.section("voices/ernie-allen"),
    )
    assert first is not None and second is not None
    assert first.speaker is not None and second.speaker is not None
    # A loose drag: from inside a word near the end of Drennan's statement, over his
    # attribution and Allen's heading, to inside a word of Allen's statement.
    reader = window.current_reader()
    page = reader.document().toPlainText()
    start = page.index("to drive change and protect children") + 4  # inside "drive"
    end = page.index(second.text[:30], start) + 26  # inside a word of Allen's first line
    cursor = QTextCursor(reader.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    reader.setTextCursor(cursor)
    reader.setFocus()

    QTest.keyClick(reader, Qt.Key.Key_C, CTRL_SHIFT)
    text = QGuiApplication.clipboard().text()
    blocks = text.split("\n\n")
    assert len(blocks) == 2, text
    drennan, allen = blocks
    assert drennan.startswith("“drive change and protect children.”")  # widened: "drive"
    assert first.speaker.name in drennan and second.speaker.name not in drennan
    assert second.speaker.name in allen and first.speaker.name not in allen
    assert first.speaker.label() not in text.split("\n— ")[0]  # the attribution is not quoted
    # Allen's part starts with his words, not with the heading above them.
    assert allen.startswith(second.text[:20]), allen
    data = QGuiApplication.clipboard().mimeData()
    assert data is not None
    markdown = bytes(data.data(MARKDOWN).data()).decode("utf-8")
    rendered = MarkdownIt("commonmark").render(markdown)
    assert rendered.count("<blockquote>") == 2
    assert data.html().count("<blockquote>") == 2

    QTest.keyClick(reader, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert feature.model.rowCount() == 2  # one tray item per section
    items = [feature.model.item(row) for row in range(2)]
    assert [i.excerpt.source.speaker_name for i in items if i is not None] == [
        first.speaker.name,
        second.speaker.name,
    ]
