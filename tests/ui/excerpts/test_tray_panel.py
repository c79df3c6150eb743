"""The tray's model and panel: saved as the reader works, keyboard-driven, undoable."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from briefreader.core.content import load_briefing
from briefreader.core.excerpts import Excerpt, excerpt_from_section
from briefreader.core.model import Briefing
from briefreader.core.tray import TrayStore
from briefreader.ui.excerpts.dock import TrayDock
from briefreader.ui.excerpts.tray_model import Role, TrayModel
from briefreader.ui.excerpts.tray_panel import NOTE_DELAY_MS, TrayPanel
from briefreader.ui.shared.clipboard import MARKDOWN
from briefreader.ui.shared.tasks import BackgroundTasks, Task

MINI = Path(__file__).resolve().parents[2] / "data" / "mini"


@pytest.fixture
def briefing() -> Briefing:
    return load_briefing(MINI)


@pytest.fixture
def excerpts(briefing: Briefing) -> list[Excerpt]:
    return [excerpt_from_section(briefing, s) for s in briefing.sections]


@pytest.fixture
def panel(
    qtbot: QtBot, data_dir: Path, excerpts: list[Excerpt], tasks: BackgroundTasks
) -> TrayPanel:
    model = TrayModel(TrayStore.open(data_dir))
    for excerpt in excerpts:
        model.add_excerpt(excerpt)
    widget = TrayPanel(model, tasks)
    qtbot.addWidget(widget)
    widget.resize(500, 700)
    widget.show()
    widget.select_row(0)
    return widget


def wait_for(qtbot: QtBot, task: Task[Path] | None) -> None:
    """Until an export has reported (on the GUI thread, as the reader sees it)."""
    assert task is not None
    qtbot.waitUntil(lambda: task.done, timeout=20_000)


def reopened_quotes(data_dir: Path) -> list[str]:
    store = TrayStore.open(data_dir)
    quotes = [i.excerpt.quote for i in store.items()]
    store.close()
    return quotes


def test_alt_arrows_reorder_and_the_order_is_saved(
    qtbot: QtBot, panel: TrayPanel, excerpts: list[Excerpt], data_dir: Path
) -> None:
    panel.list.setFocus()
    QTest.keyClick(panel.list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert panel.current_row() == 1
    QTest.keyClick(panel.list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    expected = [excerpts[i].quote for i in (1, 2, 0, 3)]
    assert [i.excerpt.quote for i in panel.model.items()] == expected
    assert reopened_quotes(data_dir) == expected
    QTest.keyClick(panel.list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert reopened_quotes(data_dir) == [excerpts[i].quote for i in (1, 0, 2, 3)]


def test_drag_move_through_the_model(
    panel: TrayPanel, excerpts: list[Excerpt], data_dir: Path
) -> None:
    model = panel.model
    data = model.mimeData([model.index(3, 0)])
    model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert reopened_quotes(data_dir)[0] == excerpts[3].quote
    assert model.moveRows(QModelIndex(), 0, 1, QModelIndex(), 4)
    assert reopened_quotes(data_dir)[-1] == excerpts[3].quote


def test_delete_removes_and_undo_brings_it_back(
    qtbot: QtBot, panel: TrayPanel, excerpts: list[Excerpt], data_dir: Path
) -> None:
    panel.select_row(1)
    panel.list.setFocus()
    QTest.keyClick(panel.list, Qt.Key.Key_Delete)
    assert len(reopened_quotes(data_dir)) == 3 and excerpts[1].quote not in reopened_quotes(
        data_dir
    )
    assert panel.undo_banner.isVisible()
    QTest.keyClick(panel.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert reopened_quotes(data_dir) == [e.quote for e in excerpts]


def test_clear_with_undo_keeps_notes(qtbot: QtBot, panel: TrayPanel, data_dir: Path) -> None:
    panel.model.set_note(2, "keep me")
    panel.clear()
    assert panel.model.rowCount() == 0 and reopened_quotes(data_dir) == []
    assert "Cleared 4 excerpts." in panel.undo_label.text()
    QTest.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    assert panel.model.rowCount() == 4
    assert panel.model.index(2, 0).data(Role.NOTE) == "keep me"


def test_note_is_saved_shortly_after_typing(qtbot: QtBot, panel: TrayPanel, data_dir: Path) -> None:
    panel.select_row(1)
    panel.note_editor.setFocus()
    QTest.keyClicks(panel.note_editor, "Ask the minister")
    store = TrayStore.open(data_dir)
    assert store.items()[1].note == ""  # not yet: the note is still being typed
    store.close()
    qtbot.waitUntil(lambda: panel.model.items()[1].note == "Ask the minister",
                    timeout=NOTE_DELAY_MS * 5)  # fmt: skip
    store = TrayStore.open(data_dir)
    assert store.items()[1].note == "Ask the minister"
    store.close()


def test_note_is_saved_when_another_item_is_chosen(qtbot: QtBot, panel: TrayPanel) -> None:
    panel.select_row(0)
    QTest.keyClicks(panel.note_editor, "first")
    panel.select_row(3)
    assert panel.model.items()[0].note == "first"
    assert panel.note_editor.toPlainText() == ""


def test_enter_asks_for_the_source(qtbot: QtBot, panel: TrayPanel, excerpts: list[Excerpt]) -> None:
    panel.select_row(2)
    panel.list.setFocus()
    with qtbot.waitSignal(panel.open_section_requested) as asked:
        QTest.keyClick(panel.list, Qt.Key.Key_Return)
    assert asked.args == [excerpts[2].source.section_id]


def test_ctrl_c_copies_the_item_with_citation_and_copy_all(qtbot: QtBot, panel: TrayPanel) -> None:
    panel.select_row(0)
    panel.list.setFocus()
    QTest.keyClick(panel.list, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    clipboard = QGuiApplication.clipboard()
    assert clipboard.text().startswith("“") and "\n— " in clipboard.text()
    panel.model.set_note(1, "for panel 2")
    panel.copy_all()
    text = clipboard.text()
    assert text.count("\n— ") == 4 and "Note: for panel 2" in text
    data = clipboard.mimeData()
    assert data is not None
    assert "## Sources" in bytes(data.data(MARKDOWN).data()).decode("utf-8")


def test_export_writes_three_files(qtbot: QtBot, panel: TrayPanel, tmp_path: Path) -> None:
    panel.model.set_note(0, "Opening line")
    messages: list[str] = []
    panel.status_message.connect(messages.append)
    for suffix in (".md", ".html", ".pdf"):
        wait_for(qtbot, panel.export_to(tmp_path / f"note{suffix}"))
        assert messages[-1] == f"Saved the briefing note as {tmp_path / f'note{suffix}'}"
    pdf = (tmp_path / "note.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert len(pdf) > 2000
    assert "Opening line" in (tmp_path / "note.md").read_text(encoding="utf-8")
    HTMLParser().feed((tmp_path / "note.html").read_text(encoding="utf-8"))
    assert panel.last_export_folder == tmp_path
    assert panel.export_to(tmp_path / "note.docx") is None
    assert messages[-1] == (
        "The briefing note was not saved: cannot export to note.docx: use .md, .html or .pdf"
    )
    assert not (tmp_path / "note.docx").exists()


def test_failed_export_names_the_file_and_keeps_the_old_one(
    qtbot: QtBot, panel: TrayPanel, tmp_path: Path
) -> None:
    target = tmp_path / "missing-folder" / "note.pdf"
    messages: list[str] = []
    panel.status_message.connect(messages.append)
    wait_for(qtbot, panel.export_to(target))
    assert messages[-1].startswith(f"The briefing note was not saved as {target}: ")
    assert "No such file or directory" in messages[-1]
    assert panel.last_export_folder is None


def test_restart_restores_the_tray(
    qtbot: QtBot, panel: TrayPanel, data_dir: Path, tasks: BackgroundTasks
) -> None:
    panel.model.set_note(3, "last")
    panel.model.store.close()
    again = TrayPanel(TrayModel(TrayStore.open(data_dir)), tasks)
    qtbot.addWidget(again)
    assert again.model.rowCount() == 4
    assert again.model.index(3, 0).data(Role.NOTE) == "last"
    assert again.count_label.text().startswith("4 excerpts")


def test_empty_tray_says_how_to_fill_it(
    qtbot: QtBot, data_dir: Path, tasks: BackgroundTasks
) -> None:
    panel = TrayPanel(TrayModel(TrayStore.open(data_dir)), tasks)
    qtbot.addWidget(panel)
    assert "Ctrl+E" in panel.count_label.text()
    assert not panel.export_button.isEnabled()


def test_dock_keeps_a_name_for_the_window_state(
    qtbot: QtBot, data_dir: Path, tasks: BackgroundTasks
) -> None:
    panel = TrayPanel(TrayModel(TrayStore.open(data_dir)), tasks)
    dock = TrayDock(panel)
    qtbot.addWidget(dock)
    assert dock.objectName() == "excerpt-tray" and dock.widget() is panel
