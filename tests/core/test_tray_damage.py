"""Saved excerpts survive one bad value, a newer release, a lock or a full disk, never hidden."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from briefreader.core.content import load_briefing
from briefreader.core.excerpts import Excerpt, excerpt_from_section
from briefreader.core.tray import FILE_NAME, TrayError, TrayStore

MINI = Path(__file__).resolve().parent.parent / "data" / "mini"


@pytest.fixture(scope="module")
def excerpts() -> list[Excerpt]:
    briefing = load_briefing(MINI)
    return [excerpt_from_section(briefing, s) for s in briefing.sections]


def saved(folder: Path, excerpts: list[Excerpt]) -> list[str]:
    store = TrayStore.open(folder)
    for number, excerpt in enumerate(excerpts):
        store.add(excerpt, note=f"note {number}")
    store.close()
    return [e.quote for e in excerpts]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- one bad text value ----------------------------------------------------------------------


def test_undecodable_quote_is_shown_as_damaged_and_kept(
    data_dir: Path, excerpts: list[Excerpt]
) -> None:
    saved(data_dir, excerpts[:3])
    path = data_dir / FILE_NAME
    data = path.read_bytes()
    # Two bytes inside the second quote become bytes no UTF-8 text can hold.
    needle = excerpts[1].quote[:40].encode()
    assert data.count(needle) == 1
    at = data.index(needle) + 10
    damaged = data[:at] + b"\xff\xfe" + data[at + 2 :]
    path.write_bytes(damaged)
    with sqlite3.connect(path) as db:  # the damage is one SQLite cannot see
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()

    store = TrayStore.open(data_dir)
    assert store.writable and store.message == ""
    items = store.items()
    assert [i.excerpt.quote for i in items][::2] == [excerpts[0].quote, excerpts[2].quote]
    assert not items[0].damaged and not items[2].damaged
    assert "\ufffd" in items[1].excerpt.quote and "quote" in items[1].damaged
    assert items[1].excerpt.sources == excerpts[1].sources and items[1].note == "note 1"
    # The window goes on; the damaged row stays in the file byte for byte.
    store.add(excerpts[3])
    store.move(items[1].id, 0)
    store.set_note(items[1].id, "check this one")
    store.close()
    assert b"\xff\xfe" + needle[12:] in path.read_bytes()
    again = TrayStore.open(data_dir)
    assert again.items()[0].damaged and again.items()[0].note == "check this one"
    again.close()


# --- a newer release's tray ------------------------------------------------------------------


def test_newer_schema_is_shown_read_only_and_left_untouched(
    data_dir: Path, excerpts: list[Excerpt]
) -> None:
    quotes = saved(data_dir, excerpts[:3])
    path = data_dir / FILE_NAME
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 2")
        db.execute("ALTER TABLE item ADD COLUMN colour TEXT")  # what a newer release might do
    db.close()
    before = digest(path)

    store = TrayStore.open(data_dir)
    assert not store.writable and store.persistent
    assert [i.excerpt.quote for i in store.items()] == quotes
    assert "newer version of BriefReader" in store.message and "version 2" in store.message
    assert str(data_dir) in store.message and "read-only" in store.message
    with pytest.raises(TrayError, match="newer version"):
        store.add(excerpts[3])
    with pytest.raises(TrayError, match="newer version"):
        store.clear()
    store.close()
    assert digest(path) == before
    # Nothing renamed aside as "damaged" (SQLite may have made its -wal/-shm files to read).
    assert not list(data_dir.glob(f"{FILE_NAME}.damaged-*")) and path.exists()


# --- locked by another program ---------------------------------------------------------------

# Another program (not BriefReader) holds the tray file's write lock until told to let go.
_LOCKER = textwrap.dedent(
    """
    import sqlite3, sys
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.execute("BEGIN EXCLUSIVE")
    print("locked", flush=True)
    sys.stdin.read()
    db.execute("ROLLBACK")
    """
)


def test_store_locked_by_another_program_is_shown_read_only(
    data_dir: Path, excerpts: list[Excerpt]
) -> None:
    quotes = saved(data_dir, excerpts[:2])
    with subprocess.Popen(
        [sys.executable, "-c", _LOCKER, str(data_dir / FILE_NAME)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as locker:
        assert locker.stdout is not None and locker.stdin is not None
        assert locker.stdout.readline().strip() == "locked"
        store = TrayStore.open(data_dir)
        locker.stdin.close()
        locker.wait(timeout=30)
    assert not store.writable and store.persistent
    assert [i.excerpt.quote for i in store.items()] == quotes
    assert "another program" in store.message and str(data_dir) in store.message
    with pytest.raises(TrayError, match="read-only"):
        store.add(excerpts[2])
    store.close()
    again = TrayStore.open(data_dir)  # once the other program lets go, the tray is writable
    assert again.writable and [i.excerpt.quote for i in again.items()] == quotes
    again.close()


# --- a full disk -----------------------------------------------------------------------------

# Runs in its own mount namespace on a small tmpfs: fills a tray, fills the disk, opens again.
_FULL_DISK = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from briefreader.core.content import load_briefing
    from briefreader.core.excerpts import excerpt_from_section
    from briefreader.core.tray import TrayError, TrayStore

    folder = Path(sys.argv[1]) / "data"
    briefing = load_briefing(Path(sys.argv[2]))
    store = TrayStore.open(folder)
    for section in briefing.sections[:3]:
        store.add(excerpt_from_section(briefing, section))
    quotes = [i.excerpt.quote for i in store.items()]
    store.close()
    with open(Path(sys.argv[1]) / "filler", "wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"x" * 4096)
        except OSError:
            pass
    store = TrayStore.open(folder)
    seen = {"writable": store.writable, "persistent": store.persistent,
            "message": store.message, "same": [i.excerpt.quote for i in store.items()] == quotes}
    try:
        store.add(excerpt_from_section(briefing, briefing.sections[0]))
        seen["add"] = "saved"
    except TrayError as error:
        seen["add"] = str(error)
    print(json.dumps(seen))
    """
)


def test_full_disk_at_start_shows_the_saved_excerpts_read_only(tmp_path: Path) -> None:
    unshare = shutil.which("unshare")
    if unshare is None or os.name != "posix":
        pytest.skip("needs unshare (util-linux) to give the test its own small file system")
    disk = tmp_path / "disk"
    disk.mkdir()
    namespace = [unshare, "--mount"] if os.geteuid() == 0 else [unshare, "-r", "--mount"]
    script = 'mount -t tmpfs -o size=256k tmpfs "$1" && exec "$2" -c "$3" "$1" "$4"'
    result = subprocess.run(
        [*namespace, "sh", "-c", script, "sh", str(disk), sys.executable, _FULL_DISK, str(MINI)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0 and "mount" in result.stderr and not result.stdout:
        pytest.skip(f"cannot mount a small file system here: {result.stderr.strip()[-200:]}")
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["same"] is True
    assert seen["writable"] is False and seen["persistent"] is True
    assert "disk is full" in seen["message"] and "read-only" in seen["message"]
    assert seen["add"] == seen["message"]
