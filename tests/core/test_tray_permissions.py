"""A tray that cannot be written or read, checked as an unprivileged user (CI runs as root).

Saved excerpts are never hidden: a read-only file or folder shows them read-only, and a file
that cannot be read is named in the message and left alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefreader.core.content import load_briefing
from briefreader.core.excerpts import excerpt_from_section
from briefreader.core.tray import FILE_NAME, LOCK_NAME, TrayStore
from helpers.unprivileged import give, reachable_folder, run_unprivileged

MINI = Path(__file__).resolve().parent.parent / "data" / "mini"

# Opens the tray as the unprivileged user, tries a change, and reports what it saw.
_CHECK = """
import json, sys
from pathlib import Path
from briefreader.core.content import load_briefing
from briefreader.core.excerpts import excerpt_from_section
from briefreader.core.tray import TrayError, TrayStore

store = TrayStore.open(Path(sys.argv[1]))
seen = {
    "writable": store.writable,
    "persistent": store.persistent,
    "message": store.message,
    "quotes": [item.excerpt.quote for item in store.items()],
}
briefing = load_briefing(Path(sys.argv[2]))
try:
    store.add(excerpt_from_section(briefing, briefing.sections[0]))
    seen["add"] = "saved"
except TrayError as error:
    seen["add"] = str(error)
store.close()
print(json.dumps(seen))
"""


@pytest.fixture
def home() -> Iterator[Path]:
    with reachable_folder() as folder:
        yield folder


def _saved_tray(home: Path) -> tuple[Path, list[str]]:
    """A tray with three excerpts in ``home``/data, owned by the unprivileged user."""
    briefing = load_briefing(MINI)
    folder = home / "data"
    store = TrayStore.open(folder)
    for section in briefing.sections[:3]:
        store.add(excerpt_from_section(briefing, section))
    quotes = [item.excerpt.quote for item in store.items()]
    store.close()
    give(home)
    return folder, quotes


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check(home: Path, folder: Path) -> dict[str, object]:
    result = run_unprivileged(_CHECK, str(folder), str(MINI), home=home)
    seen: dict[str, object] = json.loads(result.stdout)
    return seen


def test_read_only_tray_file_shows_the_saved_excerpts_read_only(home: Path) -> None:
    folder, quotes = _saved_tray(home)
    path = folder / FILE_NAME
    path.chmod(0o444)
    before = _digest(path)
    seen = _check(home, folder)
    assert seen["quotes"] == quotes
    assert seen["writable"] is False and seen["persistent"] is True
    message = str(seen["message"])
    assert "read-only" in message and str(folder) in message
    assert seen["add"] == message  # the change is refused with the reason, not dropped
    assert _digest(path) == before


@pytest.mark.parametrize("lock_file", [True, False], ids=["lock-file-there", "no-lock-file"])
def test_read_only_folder_shows_the_saved_excerpts_read_only(home: Path, lock_file: bool) -> None:
    folder, quotes = _saved_tray(home)
    if not lock_file:
        (folder / LOCK_NAME).unlink()
    before = _digest(folder / FILE_NAME)
    folder.chmod(0o555)
    seen = _check(home, folder)
    assert seen["quotes"] == quotes
    assert seen["writable"] is False and seen["persistent"] is True
    message = str(seen["message"])
    assert "read-only" in message and str(folder) in message
    assert seen["add"] == message
    assert _digest(folder / FILE_NAME) == before


def test_unreadable_tray_file_is_named_and_left_alone(home: Path) -> None:
    folder, _quotes = _saved_tray(home)
    path = folder / FILE_NAME
    path.chmod(0o000)
    seen = _check(home, folder)
    message = str(seen["message"])
    assert str(path) in message and "cannot be read" in message
    assert "permission denied" in message.lower()
    # Nothing could be shown; a tray for the session, said to be one, rather than none.
    assert seen["persistent"] is False and seen["add"] == "saved"
    path.chmod(0o600)
    assert sorted(p.name for p in folder.iterdir()) == [FILE_NAME, LOCK_NAME]
    store = TrayStore.open(folder)
    assert [i.excerpt.quote for i in store.items()] == _quotes
    store.close()
