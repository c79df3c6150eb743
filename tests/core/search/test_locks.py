"""The file locks that say which index folders are in use: shared, exclusive, gone with the
process that held them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from briefreader.core.search.locks import FileLock

HOLDER = """
import sys, time
from pathlib import Path
from briefreader.core.search.locks import FileLock
lock = FileLock(Path(sys.argv[1]))
assert lock.acquire(exclusive=sys.argv[2] == "exclusive", blocking=False)
print("held", flush=True)
time.sleep(600)
"""


def _holder(path: Path, kind: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), kind], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline() == "held\n"
    return process


def _stop(process: subprocess.Popen[str]) -> None:
    process.kill()  # a killed holder, as a killed build: the OS lets go of its lock
    process.wait()
    assert process.stdout is not None
    process.stdout.close()


def test_shared_holders_keep_out_an_exclusive_one_until_they_die(tmp_path: Path) -> None:
    path = tmp_path / "folder.lock"
    reader = _holder(path, "shared")
    try:
        mine = FileLock(path)
        assert not mine.acquire(exclusive=True, blocking=False)
        assert mine.acquire(exclusive=False, blocking=False)  # readers share
        mine.release()
    finally:
        _stop(reader)
    assert mine.acquire(exclusive=True, blocking=False)
    mine.release(unlink=True)
    assert not path.exists()


def test_an_exclusive_holder_keeps_out_everyone(tmp_path: Path) -> None:
    path = tmp_path / "folder.lock"
    builder = _holder(path, "exclusive")
    try:
        mine = FileLock(path)
        assert not mine.acquire(exclusive=False, blocking=False)
        assert not mine.acquire(exclusive=True, blocking=False)
    finally:
        _stop(builder)
    with FileLock(path) as again:
        assert again.acquire(exclusive=False, blocking=False)
        assert again.held
    assert not again.held


def test_a_lock_is_never_taken_through_a_link(tmp_path: Path) -> None:
    target = tmp_path / "someone-elses-file"
    target.write_text("kept", encoding="utf-8")
    (tmp_path / "folder.lock").symlink_to(target)
    try:
        FileLock(tmp_path / "folder.lock").acquire(exclusive=True, blocking=False)
    except OSError:
        pass
    else:
        raise AssertionError("a lock file that is a link was opened")
    assert target.read_text(encoding="utf-8") == "kept"
