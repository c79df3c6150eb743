"""Excerpts survive a lost WAL: what the tray acknowledged is in the tray file itself.

A writer is killed at a random moment, then its ``-wal`` file is deleted, cut short, damaged or
replaced with junk, as a copy to a USB stick, a cleaning tool or a failing disk might leave it.
Every excerpt the writer was told was saved must still be there; a damaged WAL is reported and
kept aside, never replayed or written over.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefreader.core.tray import FILE_NAME, TrayStore
from helpers.tray_writer import TRAY_WRITER

MINI = Path(__file__).resolve().parent.parent / "data" / "mini"

DAMAGE = ("kept", "deleted", "cut short", "bytes flipped", "junk")


def _kill_while_writing(folder: Path, chance: random.Random) -> int:
    """Run a writer, kill it at a random moment; the last number it acknowledged."""
    target = chance.randrange(5, 120)
    acknowledged = -1
    with subprocess.Popen(
        [sys.executable, "-c", TRAY_WRITER, str(folder), str(MINI)],
        stdout=subprocess.PIPE,
        text=True,
    ) as writer:
        assert writer.stdout is not None
        try:
            for line in writer.stdout:
                acknowledged = int(line)
                if acknowledged >= target:
                    break
            time.sleep(chance.uniform(0, 0.004))  # land anywhere in a change, not between
        finally:
            writer.send_signal(signal.SIGKILL)
            writer.wait(timeout=30)
        # What the writer printed before the kill and we had not read yet was acknowledged too.
        for line in writer.stdout.read().split():
            acknowledged = int(line)
    assert writer.returncode == -signal.SIGKILL
    return acknowledged


def _damage(wal: Path, how: str, chance: random.Random) -> None:
    if how == "kept":
        return
    if how == "deleted":
        wal.unlink(missing_ok=True)
    elif how == "cut short":
        if wal.exists():
            with wal.open("r+b") as file:
                file.truncate(wal.stat().st_size // 2)
    elif how == "bytes flipped":
        data = bytearray(wal.read_bytes() if wal.exists() else b"")
        for _ in range(min(len(data), 8)):
            data[chance.randrange(len(data))] ^= 0xFF
        wal.write_bytes(bytes(data))
    else:
        wal.write_bytes(chance.randbytes(5000))


@pytest.mark.parametrize("run", range(20))
def test_acknowledged_excerpts_survive_a_kill_and_a_lost_wal(tmp_path: Path, run: int) -> None:
    chance = random.Random(run)
    folder = tmp_path / "data"
    acknowledged = _kill_while_writing(folder, chance)
    how = DAMAGE[run % len(DAMAGE)]
    wal = folder / (FILE_NAME + "-wal")
    _damage(wal, how, chance)

    store = TrayStore.open(folder)
    assert store.writable and store.persistent
    items = store.items()
    # Every acknowledged excerpt, in order, with its edited note; the one being written when
    # the writer was killed may follow, with or without its edit.
    assert len(items) >= acknowledged + 1, (how, len(items), acknowledged)
    for number, item in enumerate(items[: acknowledged + 1]):
        assert item.note == f"note {number} edited", (how, number)
    assert len(items) <= acknowledged + 2
    if how == "junk":
        assert "journal" in store.message and "damaged" in store.message
    if "damaged" in store.message:
        # The WAL as it was is kept aside with a copy of the tray, and named in the message.
        aside = sorted(folder.glob(f"{FILE_NAME}.damaged-*"))
        assert [p.name for p in aside][-1].endswith("-wal")
        assert aside[0].name in store.message
    else:
        assert store.message == ""
    # And the tray goes on: a change after the recovery is saved.
    store.set_note(items[0].id, "after")
    store.close()
    again = TrayStore.open(folder)
    assert again.items()[0].note == "after" and len(again) == len(items)
    again.close()


def test_acknowledged_change_is_in_the_tray_file_itself(tmp_path: Path) -> None:
    from briefreader.core.content import load_briefing
    from briefreader.core.excerpts import excerpt_from_section

    briefing = load_briefing(MINI)
    folder = tmp_path / "data"
    store = TrayStore.open(folder)
    item = store.add(excerpt_from_section(briefing, briefing.sections[0]), note="kept")
    store.set_note(item.id, "edited")
    # While the store is still open: the tray file alone, without its WAL, has the change.
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / FILE_NAME).write_bytes((folder / FILE_NAME).read_bytes())
    wal = folder / (FILE_NAME + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    store.close()
    copy = TrayStore.open(alone)
    assert [(i.excerpt.quote, i.note) for i in copy.items()] == [(item.excerpt.quote, "edited")]
    copy.close()


def test_damaged_leftover_wal_is_kept_aside_not_replayed(tmp_path: Path) -> None:
    from briefreader.core.content import load_briefing
    from briefreader.core.excerpts import excerpt_from_section

    briefing = load_briefing(MINI)
    folder = tmp_path / "data"
    store = TrayStore.open(folder)
    saved = store.add(excerpt_from_section(briefing, briefing.sections[0]))
    store.close()
    # A change left in the WAL by a writer that never checkpointed it (as a kill would leave
    # it), then damaged: one byte of its first frame flipped.
    path = folder / FILE_NAME
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE item SET note = 'never acknowledged'")
    wal = folder / (FILE_NAME + "-wal")
    left = bytearray(wal.read_bytes())
    tray_bytes = path.read_bytes()
    writer.close()  # checkpoints on close: put back the files as they were before it
    path.write_bytes(tray_bytes)
    left[32 + 24 + 100] ^= 0xFF
    wal.write_bytes(bytes(left))

    store = TrayStore.open(folder)
    assert store.writable
    assert "journal" in store.message and "damaged" in store.message
    assert "does not match its checksum" in store.message
    items = store.items()
    assert [(i.id, i.note) for i in items] == [(saved.id, "")]
    aside = sorted(folder.glob(f"{FILE_NAME}.damaged-*"))
    assert len(aside) == 2 and aside[0].name in store.message
    # Kept as they were: the damaged WAL byte for byte, and the tray as it was found.
    assert aside[0].read_bytes() == tray_bytes
    assert aside[1].name == aside[0].name + "-wal" and aside[1].read_bytes() == bytes(left)
    store.close()
