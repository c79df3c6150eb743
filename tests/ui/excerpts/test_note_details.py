"""The briefing note's title, meeting and author: asked before an export, from the keyboard,
remembered in the settings (read back with their type in a new settings object)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot

from briefreader.core.content import load_briefing
from briefreader.core.excerpts import excerpt_from_section
from briefreader.core.export import DEFAULT_TITLE
from briefreader.core.tray import TrayStore
from briefreader.ui.excerpts.note_details import NoteDetails, NoteDetailsDialog, ask_note_details
from briefreader.ui.excerpts.tray_model import TrayModel
from briefreader.ui.excerpts.tray_panel import TrayPanel
from briefreader.ui.shared.settings import NOTE_FIELD_MAX, AppSettings
from briefreader.ui.shared.tasks import BackgroundTasks

MINI = Path(__file__).resolve().parents[2] / "data" / "mini"


def _settings(path: Path) -> AppSettings:
    return AppSettings(QSettings(str(path), QSettings.Format.IniFormat))


def _when_shown(act: Callable[[NoteDetailsDialog], None], failures: list[BaseException]) -> None:
    """Run ``act`` on the dialog once it is up (it is modal: the test waits in exec());
    a failure closes it, so that the test ends and reports it."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, NoteDetailsDialog) or not dialog.isVisible():
            QTimer.singleShot(10, poll)
            return
        try:
            act(dialog)
        except BaseException as error:
            failures.append(error)
            dialog.reject()

    QTimer.singleShot(0, poll)


def test_typed_details_are_remembered_and_offered_next_time(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    settings = _settings(path)
    assert NoteDetails.remembered(settings) == NoteDetails(DEFAULT_TITLE, "", "")

    def type_and_accept(dialog: NoteDetailsDialog) -> None:
        dialog.activateWindow()
        QTest.qWaitForWindowActive(dialog)
        focus = dialog.focusWidget()
        assert focus is dialog.title_edit  # the first field has the focus, its text selected
        QTest.keyClicks(focus, "Notes for the minister")  # replaces the selected default
        QTest.keyClick(dialog, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
        assert dialog.focusWidget() is dialog.meeting_edit
        QTest.keyClicks(dialog.meeting_edit, "Round table, 4 March")
        QTest.keyClick(dialog, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
        QTest.keyClicks(dialog.author_edit, "A. Delegate")
        QTest.keyClick(dialog.author_edit, Qt.Key.Key_Return)  # Enter exports

    failures: list[BaseException] = []
    _when_shown(type_and_accept, failures)
    details = ask_note_details(settings, None)
    assert failures == []
    assert details == NoteDetails("Notes for the minister", "Round table, 4 March", "A. Delegate")
    settings.sync()

    again = _settings(path)  # a new settings object reads the file back
    assert NoteDetails.remembered(again) == details
    dialog = NoteDetailsDialog(NoteDetails.remembered(again))
    qtbot.addWidget(dialog)
    assert dialog.meeting_edit.text() == "Round table, 4 March"


def test_escape_cancels_and_keeps_what_was_remembered(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "settings.ini")
    NoteDetails("Kept", "Kept meeting", "Kept author").remember(settings)

    def type_and_cancel(dialog: NoteDetailsDialog) -> None:
        dialog.title_edit.setText("Not kept")
        QTest.keyClick(dialog, Qt.Key.Key_Escape)

    failures: list[BaseException] = []
    _when_shown(type_and_cancel, failures)
    assert ask_note_details(settings, None) is None
    assert failures == []
    assert NoteDetails.remembered(settings).title == "Kept"


def test_an_empty_title_gives_the_default_and_fields_are_bounded(qtbot: QtBot) -> None:
    dialog = NoteDetailsDialog(NoteDetails())
    qtbot.addWidget(dialog)
    dialog.title_edit.clear()
    assert dialog.details().title == DEFAULT_TITLE
    assert all(e.maxLength() == NOTE_FIELD_MAX for e in dialog.findChildren(QLineEdit))


def test_the_tray_asks_before_exporting_and_cancel_exports_nothing(
    qtbot: QtBot, data_dir: Path, tasks: BackgroundTasks, monkeypatch: pytest.MonkeyPatch
) -> None:
    briefing = load_briefing(MINI)
    model = TrayModel(TrayStore.open(data_dir))
    model.add_excerpt(excerpt_from_section(briefing, briefing.sections[0]))
    panel = TrayPanel(model, tasks)
    qtbot.addWidget(panel)
    asked_for_file: list[str] = []

    def no_dialog(*_args: object) -> tuple[str, str]:
        asked_for_file.append("asked")
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", no_dialog)
    panel.ask_details = lambda: None  # the reader pressed Esc
    panel.choose_export(".pdf")
    assert asked_for_file == []

    details = NoteDetails("Notes for the minister", "Round table", "A. Delegate")
    panel.ask_details = lambda: details
    panel.choose_export(".md")
    assert asked_for_file == ["asked"]
    note = panel.note()
    assert (note.title, note.meeting, note.author) == (
        "Notes for the minister",
        "Round table",
        "A. Delegate",
    )
