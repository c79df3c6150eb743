"""Building the index for the window: progress told a bounded number of times, and a build
that can be cancelled between documents, leaving nothing of itself behind."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.corpus import scaled_briefing  # noqa: E402

from briefreader.core.model import Briefing  # noqa: E402
from briefreader.core.search import index as index_module  # noqa: E402
from briefreader.core.search.index import POINTER, ProgressThrottle  # noqa: E402
from briefreader.core.search.results import BuildCancelledError  # noqa: E402
from briefreader.core.search.searcher import SearchIndex  # noqa: E402


class _CancelAfter:
    """Says "cancel" once it has been asked ``count`` times, and counts the questions."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.asked = 0

    def __call__(self) -> bool:
        self.asked += 1
        return self.asked > self.count


def test_progress_is_told_once_per_percent_not_once_per_section(
    briefing: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without the 100 ms gap, only the 1% step limits the calls: about a hundred. (In this
    # process: workers have their own gap; test_build_workers.py checks their progress.)
    monkeypatch.setattr(index_module, "PROGRESS_SECONDS", 0.0)
    monkeypatch.setattr(index_module, "IN_PROCESS_MAX_SECTIONS", 10**6)
    scaled = scaled_briefing(briefing, 5)
    total = len(scaled.sections)
    assert total > 400
    calls: list[tuple[int, int]] = []
    status = SearchIndex(scaled, tmp_path / "index").open_or_build(
        lambda done, of: calls.append((done, of))
    )
    assert status.built and status.documents == total
    assert 50 <= len(calls) <= 101
    assert calls[-1] == (total, total)
    assert all(of == total for _, of in calls)
    done = [d for d, _ in calls]
    assert done == sorted(set(done))  # always forward, never twice


def test_progress_waits_100_ms_between_calls() -> None:
    now = [0.0]
    calls: list[int] = []
    tell = ProgressThrottle(lambda done, _: calls.append(done), 10_000, clock=lambda: now[0])
    for done in range(1, 10_001):
        now[0] += 0.001  # a section a millisecond: 10 s in all
        tell(done)
    # One call per 100 ms (a 1% step is 100 sections, also 100 ms here), and the last.
    assert 95 <= len(calls) <= 101
    assert calls[-1] == 10_000
    calls.clear()
    slow = ProgressThrottle(lambda done, _: calls.append(done), 10_000, clock=lambda: now[0])
    for done in range(1, 10_001):
        now[0] += 0.00001  # 0.1 s in all: only the last is told
        slow(done)
    assert calls == [10_000]


def test_a_cancelled_build_leaves_no_folder_and_the_index_in_use(
    briefing: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # In this process, where the check is asked between documents (a build in workers is
    # cancelled by killing them: test_build_workers.py).
    monkeypatch.setattr(index_module, "IN_PROCESS_MAX_SECTIONS", 10**6)
    root = tmp_path / "index"
    first = SearchIndex(briefing, root).open_or_build()
    pointer = (root / POINTER).read_text(encoding="utf-8")
    before = sorted(p.name for p in root.iterdir())

    scaled = scaled_briefing(briefing, 10)
    building = SearchIndex(scaled, root)
    cancel = _CancelAfter(300)
    with pytest.raises(BuildCancelledError, match="cancelled after 300 of"):
        building.open_or_build(cancelled=cancel)
    assert cancel.asked == 301  # asked between documents, and stopped when told to
    assert building.status is None
    assert (root / POINTER).read_text(encoding="utf-8") == pointer
    assert sorted(p.name for p in root.iterdir()) == before  # no "building-" folder left
    again = SearchIndex(briefing, root).open_or_build()
    assert not again.built and again.path == first.path


def test_a_cancelled_rebuild_keeps_searching_the_old_index(
    briefing: Briefing, tmp_path: Path
) -> None:
    search_index = SearchIndex(briefing, tmp_path / "index")
    status = search_index.open_or_build()
    searcher = search_index.searcher()
    found = searcher.search("grooming").total
    generation = search_index.generation
    with pytest.raises(BuildCancelledError):
        search_index.rebuild("asked to", cancelled=_CancelAfter(10))
    assert search_index.generation == generation and search_index.status == status
    assert searcher.search("grooming").total == found
    searcher.close()


class _Token:
    """A cancel token like the window's: cancelled is a property, set from another thread."""

    def __init__(self) -> None:
        self._cancelled = False

    def cancel(self) -> None:
        self._cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._cancelled


def test_a_token_cancels_a_build_from_its_progress(
    briefing: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "PROGRESS_SECONDS", 0.0)  # told at the first 1%
    # In this process, where the token is asked between documents; a worker build, which the
    # faster writer can finish between two of the parent's checks, is cancelled in
    # test_build_workers.py.
    monkeypatch.setattr(index_module, "IN_PROCESS_MAX_SECTIONS", 10**6)
    token = _Token()
    told: list[int] = []

    def progress(done: int, _: int) -> None:
        told.append(done)
        token.cancel()  # as a window closing while the build runs

    root = tmp_path / "index"
    scaled = scaled_briefing(briefing, 3)
    with pytest.raises(BuildCancelledError):
        SearchIndex(scaled, root).open_or_build(progress, cancelled=token)
    assert told and told[-1] < len(scaled.sections)
    assert not (root / POINTER).exists()
    assert [p for p in root.iterdir() if p.is_dir()] == []


def test_a_build_told_to_cancel_at_once_writes_nothing(briefing: Briefing, tmp_path: Path) -> None:
    root = tmp_path / "index"
    with pytest.raises(BuildCancelledError):
        SearchIndex(briefing, root).open_or_build(cancelled=lambda: True)
    assert not (root / POINTER).exists()
    assert [p for p in root.iterdir() if p.is_dir()] == []
