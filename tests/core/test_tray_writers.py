"""One tray, one writer: a second window shows the tray read-only and says so; nothing is lost.

Each window is its own process, as it is for the delegate; the first holds the tray's lock.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from briefreader.core.content import load_briefing
from briefreader.core.excerpts import Excerpt, excerpt_from_section
from briefreader.core.tray import GONE, TrayError, TrayStore

MINI = Path(__file__).resolve().parent.parent / "data" / "mini"

# A second window: opens the tray, reports what it sees, tries every change, reports each result.
_SECOND_WINDOW = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from briefreader.core.content import load_briefing
    from briefreader.core.excerpts import excerpt_from_section
    from briefreader.core.tray import TrayError, TrayStore

    store = TrayStore.open(Path(sys.argv[1]))
    briefing = load_briefing(Path(sys.argv[2]))
    items = store.items()
    seen = {"writable": store.writable, "persistent": store.persistent,
            "message": store.message, "quotes": [i.excerpt.quote for i in items]}
    changes = {
        "add": lambda: store.add(excerpt_from_section(briefing, briefing.sections[0])),
        "remove": lambda: store.remove(items[0].id),
        "move": lambda: store.move(items[0].id, 2),
        "set_note": lambda: store.set_note(items[0].id, "from the second window"),
        "clear": store.clear,
        "restore": lambda: store.restore(items),
    }
    for name, change in changes.items():
        try:
            change()
            seen[name] = "saved"
        except TrayError as error:
            seen[name] = str(error)
    store.close()
    print(json.dumps(seen))
    """
)

# A first window in another process: opens the tray, says so, then waits to be killed.
_FIRST_WINDOW = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from briefreader.core.tray import TrayStore

    store = TrayStore.open(Path(sys.argv[1]))
    print(store.writable, flush=True)
    sys.stdin.read()
    """
)


@pytest.fixture(scope="module")
def excerpts() -> list[Excerpt]:
    briefing = load_briefing(MINI)
    return [excerpt_from_section(briefing, s) for s in briefing.sections]


def quotes(store: TrayStore) -> list[str]:
    return [item.excerpt.quote for item in store.items()]


def second_window(folder: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", _SECOND_WINDOW, str(folder), str(MINI)],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    seen: dict[str, object] = json.loads(result.stdout)
    return seen


@contextmanager
def first_window(folder: Path) -> Iterator[subprocess.Popen[str]]:
    with subprocess.Popen(
        [sys.executable, "-c", _FIRST_WINDOW, str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as window:
        assert window.stdout is not None
        try:
            assert window.stdout.readline().strip() == "True"
            yield window
        finally:
            window.kill()
            window.wait(timeout=30)


def test_second_window_shows_the_tray_read_only_and_changes_nothing(
    data_dir: Path, excerpts: list[Excerpt]
) -> None:
    first = TrayStore.open(data_dir)
    added = [first.add(e, note=f"note {n}") for n, e in enumerate(excerpts)]
    assert first.writable

    seen = second_window(data_dir)
    assert seen["writable"] is False and seen["persistent"] is True
    assert seen["quotes"] == [e.quote for e in excerpts]
    message = str(seen["message"])
    assert "another BriefReader window" in message and "read-only" in message
    for change in ("add", "remove", "move", "set_note", "clear", "restore"):
        assert seen[change] == message, change  # refused, saying why; never silently dropped

    # The first window lost nothing and keeps working.
    assert quotes(first) == [e.quote for e in excerpts]
    assert [i.note for i in first.items()] == [f"note {n}" for n in range(len(excerpts))]
    first.set_note(added[0].id, "still mine")
    first.remove(added[1].id)
    first.close()
    again = TrayStore.open(data_dir)
    assert again.writable and again.message == ""
    assert again.items()[0].note == "still mine"
    assert len(again) == len(excerpts) - 1
    again.close()


def test_second_window_sees_the_first_windows_changes(
    data_dir: Path, excerpts: list[Excerpt]
) -> None:
    first = TrayStore.open(data_dir)
    first.add(excerpts[0])
    second = TrayStore.open(data_dir)  # in this process too, the lock admits one writer
    assert not second.writable and quotes(second) == [excerpts[0].quote]
    first.add(excerpts[1])
    assert quotes(second) == [excerpts[0].quote, excerpts[1].quote]
    with pytest.raises(TrayError, match="another BriefReader window"):
        second.clear()
    assert len(first) == 2
    second.close()
    first.close()


def test_window_in_another_process_keeps_this_one_read_only(
    data_dir: Path, excerpts: list[Excerpt]
) -> None:
    store = TrayStore.open(data_dir)
    store.add(excerpts[0])
    store.close()
    with first_window(data_dir):
        second = TrayStore.open(data_dir)
        assert not second.writable and "another BriefReader window" in second.message
        assert quotes(second) == [excerpts[0].quote]
        with pytest.raises(TrayError, match="read-only"):
            second.add(excerpts[1])
        second.close()


def test_killed_window_leaves_no_stale_lock(data_dir: Path, excerpts: list[Excerpt]) -> None:
    with first_window(data_dir) as window:
        window.send_signal(signal.SIGKILL)
        window.wait(timeout=30)
    store = TrayStore.open(data_dir)
    assert store.writable and store.message == ""
    store.add(excerpts[0])
    store.close()


def test_closing_the_writer_lets_the_next_window_write(
    data_dir: Path, excerpts: list[Excerpt]
) -> None:
    first = TrayStore.open(data_dir)
    first.close()
    second = TrayStore.open(data_dir)
    assert second.writable
    second.add(excerpts[0])
    # Dropped without close(): the lock goes with the store, not with the process.
    del second
    third = TrayStore.open(data_dir)
    assert third.writable and quotes(third) == [excerpts[0].quote]
    third.close()


def test_change_to_an_item_no_longer_there_says_so(data_dir: Path, excerpts: list[Excerpt]) -> None:
    store = TrayStore.open(data_dir)
    kept = store.add(excerpts[0])
    gone = store.add(excerpts[1])
    store.remove(gone.id)
    changes: tuple[Callable[[], None], ...] = (
        lambda: store.remove(gone.id),
        lambda: store.move(gone.id, 0),
        lambda: store.set_note(gone.id, "lost"),
    )
    for change in changes:
        with pytest.raises(TrayError) as raised:
            change()
        assert str(raised.value) == GONE
    assert [i.id for i in store.items()] == [kept.id] and store.items()[0].note == ""
    store.close()
