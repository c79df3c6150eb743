"""The tray's panel follows its store: read-only in a second window, damaged items marked,
and every refused change told to the reader (status bar and screen readers), never silent."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from briefreader.core.content import load_briefing
from briefreader.core.excerpts import Excerpt, excerpt_from_section
from briefreader.core.model import Briefing
from briefreader.core.tray import FILE_NAME, TrayStore
from briefreader.ui.excerpts.feature import ExcerptFeature
from briefreader.ui.excerpts.tray_model import Role, TrayModel
from briefreader.ui.excerpts.tray_panel import TrayPanel
from briefreader.ui.excerpts.tray_widgets import DAMAGED_MARK
from briefreader.ui.shared.settings import AppSettings
from briefreader.ui.shared.tasks import BackgroundTasks
from briefreader.ui.window.main_window import MainWindow

MINI = Path(__file__).resolve().parents[2] / "data" / "mini"
WindowFactory = Callable[..., MainWindow]  # as in tests/ui/conftest.py
ANOTHER_WINDOW = "open in another BriefReader window"


@pytest.fixture
def excerpts() -> list[Excerpt]:
    briefing = load_briefing(MINI)
    return [excerpt_from_section(briefing, s) for s in briefing.sections]


@pytest.fixture
def first_window_store(data_dir: Path, excerpts: list[Excerpt]) -> Iterator[TrayStore]:
    """The tray as the first window holds it (the writer), with two excerpts saved."""
    store = TrayStore.open(data_dir)
    assert store.writable
    store.add(excerpts[0], "first note")
    store.add(excerpts[1])
    yield store
    store.close()


def attach(window: MainWindow, tmp_path: Path) -> ExcerptFeature:
    settings = QSettings(str(tmp_path / "excerpts.ini"), QSettings.Format.IniFormat)
    return ExcerptFeature(window, AppSettings(settings))


def damage_quote(folder: Path, quote: str) -> None:
    """Two bytes inside a saved quote become bytes no UTF-8 text can hold."""
    path = folder / FILE_NAME
    data = path.read_bytes()
    needle = quote[:40].encode()
    assert data.count(needle) == 1
    at = data.index(needle) + 10
    path.write_bytes(data[:at] + b"\xff\xfe" + data[at + 2 :])


def answer_the_warning(qtbot: QtBot, button_text: str, seen: list[str]) -> None:
    """Press a button of the damaged-text warning once it is up (it is modal)."""

    def press() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        chosen = next(b for b in box.buttons() if b.text().replace("&", "") == button_text)
        chosen.click()

    QTimer.singleShot(0, press)


def test_second_window_shows_the_saved_tray_read_only_and_says_why(
    qtbot: QtBot,
    make_window: WindowFactory,
    mini_briefing: Briefing,
    tmp_path: Path,
    excerpts: list[Excerpt],
) -> None:
    window = make_window(mini_briefing)
    first = TrayStore.open(window.locations.data)  # the other window, holding the tray
    first.add(excerpts[0], "first note")
    try:
        feature = attach(window, tmp_path)
        panel = feature.panel
        assert not feature.store.writable and feature.store.persistent
        # The saved excerpts are there, and the banner says why nothing can change.
        assert feature.model.rowCount() == 1
        assert not panel.notice.isHidden() and ANOTHER_WINDOW in panel.notice.text()
        assert ANOTHER_WINDOW in window.statusBar().currentMessage()
        assert "read-only" in panel.count_label.text()
        # What would change the tray is disabled, each saying why.
        add = feature.actions.add_action
        assert not add.isEnabled() and ANOTHER_WINDOW in add.statusTip()
        assert not panel.clear_button.isEnabled()
        assert ANOTHER_WINDOW in panel.clear_button.toolTip()
        assert panel.note_editor.isReadOnly() and ANOTHER_WINDOW in panel.note_editor.toolTip()
        assert not feature.model.flags(feature.model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled
        # Ctrl+E says so rather than doing nothing.
        window.activateWindow()
        feature.actions.refused_add_action.trigger()
        assert window.statusBar().currentMessage().startswith("Not added: ")
        # Delete in the list: refused, announced, nothing to undo, nothing lost.
        panel.select_row(0)
        panel.list.setFocus()
        QTest.keyClick(panel.list, Qt.Key.Key_Delete)
        message = window.statusBar().currentMessage()
        assert message.startswith("Not saved: ") and ANOTHER_WINDOW in message
        assert feature.model.rowCount() == 1 and not feature.model.undo_stack.canUndo()
        assert panel.undo_banner.isHidden()
        assert [i.note for i in first.items()] == ["first note"]
    finally:
        first.close()


def test_note_edit_on_a_read_only_tray_says_it_was_not_saved(
    qtbot: QtBot, first_window_store: TrayStore, data_dir: Path, tasks: BackgroundTasks
) -> None:
    panel = TrayPanel(TrayModel(TrayStore.open(data_dir)), tasks)
    qtbot.addWidget(panel)
    assert not panel.model.writable
    reported: list[str] = []
    panel.problem_reported.connect(reported.append)
    assert not panel.model.set_note(0, "changed here")
    assert reported and reported[-1].startswith("Your note was not saved: ")
    assert ANOTHER_WINDOW in reported[-1]
    # Nothing pretends to be saved: not the model, not the file.
    assert panel.model.items()[0].note == "first note"
    assert [i.note for i in first_window_store.items()] == ["first note", ""]
    panel.model.store.close()


def test_a_damaged_item_is_marked_and_copying_it_warns_first(
    qtbot: QtBot, data_dir: Path, excerpts: list[Excerpt], tasks: BackgroundTasks
) -> None:
    store = TrayStore.open(data_dir)
    for excerpt in excerpts[:2]:
        store.add(excerpt)
    store.close()
    damage_quote(data_dir, excerpts[1].quote)

    panel = TrayPanel(TrayModel(TrayStore.open(data_dir)), tasks)
    qtbot.addWidget(panel)
    model = panel.model
    damaged = model.index(1, 0)
    assert damaged.data(Role.DAMAGED) and not model.index(0, 0).data(Role.DAMAGED)
    spoken = str(damaged.data(Qt.ItemDataRole.AccessibleTextRole))
    assert spoken.startswith("Damaged excerpt: ")
    assert "Damaged" not in str(model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole))
    delegate = panel.list.itemDelegate()
    drawn = delegate._document(damaged, 400).toPlainText()  # type: ignore[attr-defined]
    assert DAMAGED_MARK in drawn

    # A note keeps the mark (set_note used to rebuild the item without it).
    assert model.set_note(1, "check this")
    assert model.item(1) is not None and model.index(1, 0).data(Role.DAMAGED)

    clipboard = QGuiApplication.clipboard()
    clipboard.setText("before")
    seen: list[str] = []
    answer_the_warning(qtbot, "Cancel", seen)
    panel.copy_row(1)
    assert seen and "damaged" in seen[0]
    assert clipboard.text() == "before"
    answer_the_warning(qtbot, "Copy Anyway", seen)
    panel.copy_row(1)
    assert len(seen) == 2 and "\ufffd" in clipboard.text()
    panel.copy_row(0)  # an undamaged one is copied without asking
    assert len(seen) == 2 and clipboard.text().startswith("“")

    # Exporting the tray asks too.
    answer_the_warning(qtbot, "Cancel", seen)
    assert panel.export_to(data_dir / "note.md") is None
    assert len(seen) == 3 and not (data_dir / "note.md").exists()

    # Clear and undo: the damaged one comes back still marked.
    assert panel.model.clear() == 2
    panel.undo()
    assert model.rowCount() == 2 and model.index(1, 0).data(Role.DAMAGED)
    model.store.close()
