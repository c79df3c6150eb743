"""The one way the app replaces a file: whole or not at all."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from briefreader.core.atomic import write_atomic


def test_replaces_whole_files_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "note.md"
    write_atomic(target, "first")
    write_atomic(target, "second “quoted”")
    assert target.read_text(encoding="utf-8") == "second “quoted”"
    assert [p.name for p in tmp_path.iterdir()] == ["note.md"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_bytes_and_a_private_mode(tmp_path: Path) -> None:
    target = tmp_path / "pointer"
    write_atomic(target, b"\x00\xff", mode=0o600, durable=False)
    assert target.read_bytes() == b"\x00\xff"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "note.md"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(TypeError):
        write_atomic(target, 42)  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["note.md"]


def test_a_missing_folder_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="missing"):
        write_atomic(tmp_path / "missing" / "note.md", "text")
