"""The tray store: saved at once, survives restarts and kills, never fails at start-up."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from briefreader.core.content import load_briefing
from briefreader.core.excerpts import Excerpt, excerpt_from_figure, excerpt_from_section
from briefreader.core.model import Briefing
from briefreader.core.tray import FILE_NAME, TrayError, TrayStore
from helpers.tray_writer import TRAY_WRITER

MINI = Path(__file__).resolve().parent.parent / "data" / "mini"


@pytest.fixture(scope="module")
def mini() -> Briefing:
    return load_briefing(MINI)


@pytest.fixture
def excerpts(mini: Briefing) -> list[Excerpt]:
    found = [excerpt_from_section(mini, s) for s in mini.sections]
    figure = excerpt_from_figure(mini, mini.figures[0])
    assert figure is not None
    return [*found, figure]


def quotes(store: TrayStore) -> list[str]:
    return [item.excerpt.quote for item in store.items()]


def test_items_survive_a_restart_with_order_and_notes(
    data_dir: Path, excerpts: list[Excerpt]
) -> None:
    store = TrayStore.open(data_dir)
    assert store.message == "" and store.path == data_dir / FILE_NAME
    added = [store.add(e) for e in excerpts]
    store.set_note(added[1].id, "Use after the minister.\nCheck the date.")
    store.move(added[0].id, 3)
    store.remove(added[2].id)
    store.close()

    again = TrayStore.open(data_dir)
    items = again.items()
    assert [i.excerpt for i in items] == [excerpts[1], excerpts[3], excerpts[0], excerpts[4]]
    assert items[0].note == "Use after the minister.\nCheck the date."
    assert again.message == ""
    again.close()


def test_add_at_an_index_and_move_clamps(data_dir: Path, excerpts: list[Excerpt]) -> None:
    store = TrayStore.open(data_dir)
    first = store.add(excerpts[0])
    store.add(excerpts[1])
    store.add(excerpts[2], index=0)
    assert quotes(store) == [excerpts[i].quote for i in (2, 0, 1)]
    store.move(first.id, 99)
    assert quotes(store)[-1] == excerpts[0].quote
    store.move(first.id, -5)
    assert quotes(store)[0] == excerpts[0].quote
    store.close()


def test_clear_and_restore_keep_notes_and_order(data_dir: Path, excerpts: list[Excerpt]) -> None:
    store = TrayStore.open(data_dir)
    for number, excerpt in enumerate(excerpts[:3]):
        store.add(excerpt, note=f"note {number}")
    cleared = store.clear()
    assert len(store) == 0 and len(cleared) == 3
    newer = store.add(excerpts[3])
    store.restore(cleared)
    items = store.items()
    assert [i.note for i in items] == ["note 0", "note 1", "note 2", ""]
    assert items[-1].id == newer.id
    store.close()
    assert len(TrayStore.open(data_dir)) == 4


def test_uses_wal_and_records_schema_version(data_dir: Path) -> None:
    TrayStore.open(data_dir).close()
    with sqlite3.connect(data_dir / FILE_NAME) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    db.close()


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"this is not a database at all" * 100, "file is not a database"),
        (None, "it is not an excerpt tray"),  # another program's SQLite file
        ("version", "version 0"),  # older than any release: a newer one is read-only
        ("truncated", ""),
    ],
)
def test_damaged_store_is_set_aside_and_a_fresh_one_started(
    data_dir: Path, excerpts: list[Excerpt], content: bytes | str | None, why: str
) -> None:
    path = data_dir / FILE_NAME
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is None:
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE other (x)")
        db.close()
    else:
        store = TrayStore.open(data_dir)
        for excerpt in excerpts * 40:
            store.add(excerpt)
        store.close()
        if content == "version":
            with sqlite3.connect(path) as db:
                db.execute("PRAGMA user_version = 0")
            db.close()
        else:
            data = path.read_bytes()
            path.write_bytes(data[: len(data) // 2] + b"\xff" * 4096)
    store = TrayStore.open(data_dir)
    assert store.persistent
    assert "could not be read" in store.message and why in store.message
    assert "a new, empty tray was started" in store.message
    aside = list(data_dir.glob(f"{FILE_NAME}.damaged-*"))
    assert len(aside) == 1 and aside[0].name in store.message
    assert len(store) == 0
    store.add(excerpts[0])
    store.close()
    assert quotes(TrayStore.open(data_dir)) == [excerpts[0].quote]


def test_unwritable_folder_gives_a_tray_in_memory(tmp_path: Path, excerpts: list[Excerpt]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    store = TrayStore.open(blocker / "data")
    assert not store.persistent
    assert "cannot be saved" in store.message and "export them before you quit" in store.message
    store.add(excerpts[0])
    assert len(store) == 1
    store.close()


def test_failed_change_raises_a_message_not_a_traceback(
    data_dir: Path, excerpts: list[Excerpt]
) -> None:
    store = TrayStore.open(data_dir)
    store.close()
    with pytest.raises(TrayError, match="excerpt tray"):
        store.add(excerpts[0])


def test_killed_process_loses_nothing_it_committed(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    acknowledged = -1
    with subprocess.Popen(
        [sys.executable, "-c", TRAY_WRITER, str(folder), str(MINI)],
        stdout=subprocess.PIPE,
        text=True,
    ) as worker:
        assert worker.stdout is not None
        try:
            for line in worker.stdout:
                acknowledged = int(line)
                if acknowledged >= 150:
                    break
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    assert acknowledged >= 150

    store = TrayStore.open(folder)
    assert store.message == ""
    items = store.items()
    # Everything acknowledged is there, in order, with its edited note. The worker ran on
    # while we read, so more may follow: each whole, only the very last perhaps not yet edited.
    assert len(items) >= acknowledged + 1
    for number, item in enumerate(items[:-1]):
        assert item.note == f"note {number} edited"
    assert items[-1].note in (f"note {len(items) - 1}", f"note {len(items) - 1} edited")
    store.close()
