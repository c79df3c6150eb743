"""Excerpts survive a lost WAL: what the tray acknowledged is in the tray file itself.

A writer is killed at a random moment, then its ``-wal`` file is deleted, cut short, damaged or
replaced with junk, as a copy to a USB stick, a cleaning tool or a failing disk might leave it.
Every excerpt the writer was told was saved must still be there; a damaged WAL is reported and
kept aside, never replayed or written over.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from briefreader.core.tray import FILE_NAME, TrayStore

MINI = Path(__file__).resolve().parent.parent / "data" / "mini"

# Adds excerpts and edits their notes as fast as it can; prints each number once both returned.
_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from briefreader.core.content import load_briefing
    from briefreader.core.excerpts import excerpt_from_section
    from briefreader.core.tray import TrayStore

    briefing = load_briefing(Path(sys.argv[2]))
    sections = briefing.sections
    store = TrayStore.open(Path(sys.argv[1]))
    assert store.writable, store.message
    number = 0
    while True:
        item = store.add(excerpt_from_section(briefing, sections[number % len(sections)]),
                         note=f"note {number}")
        store.set_note(item.id, f"note {number} edited")
        print(number, flush=True)
        number += 1
    """
)

DAMAGE = ("kept", "deleted", "cut short", "bytes flipped", "junk")


def _kill_while_writing(folder: Path, chance: random.Random) -> int:
    """Run a writer, kill it at a random moment; the last number it acknowledged."""
    target = chance.randrange(5, 120)
    acknowledged = -1
    with subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(folder), str(MINI)],
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
