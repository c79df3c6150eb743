"""Large builds in worker processes: started clean (never with Qt), fed JSON, a segment each,
joined in section order; their progress, cancellation, failures and fallbacks. Real processes
throughout: the thresholds are lowered so that a small briefing takes the workers' path."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from whoosh import query

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.corpus import scaled_briefing  # noqa: E402

from briefreader import cli  # noqa: E402
from briefreader.core.model import Briefing  # noqa: E402
from briefreader.core.search import build_worker, workers  # noqa: E402
from briefreader.core.search import index as index_module  # noqa: E402
from briefreader.core.search.index import POINTER  # noqa: E402
from briefreader.core.search.results import BuildCancelledError  # noqa: E402
from briefreader.core.search.searcher import SearchIndex  # noqa: E402

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)])}


@pytest.fixture
def scaled(briefing: Briefing) -> Briefing:
    return scaled_briefing(briefing, 5)  # 460 sections


def _use_workers(monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    """Every build goes to ``count`` workers (or fewer, for a small briefing)."""
    monkeypatch.setattr(index_module, "IN_PROCESS_MAX_SECTIONS", 0)
    monkeypatch.setattr(index_module, "MIN_SECTIONS_PER_PROCESS", 10)
    monkeypatch.setattr(index_module, "MAX_PROCESSES", count)
    monkeypatch.setattr(index_module, "cpu_count", lambda: 8)


def _ids_in_order(search_index: SearchIndex) -> list[str]:
    ix, _ = search_index.whoosh_index()
    with ix.searcher() as searcher:
        return [searcher.stored_fields(n)["id"] for n in range(searcher.doc_count_all())]


def _worker_processes(folder: Path) -> list[int]:
    """Live processes whose command line names ``folder`` after the worker flag."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if workers.WORKER_FLAG.encode() in args and str(folder).encode() in b" ".join(args):
            found.append(int(entry.name))
    return found


def test_the_workers_count_follows_size_processors_and_cap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(index_module, "cpu_count", lambda: 8)
    smallest = index_module.IN_PROCESS_MAX_SECTIONS
    assert index_module.worker_count(92) == 0
    assert index_module.worker_count(smallest) == 0
    assert index_module.worker_count(smallest + 1) == 1
    assert index_module.worker_count(10**7) == index_module.MAX_PROCESSES
    monkeypatch.setattr(index_module, "cpu_count", lambda: 1)
    assert index_module.worker_count(10**7) == 1
    assert workers.split(10, 3) == [(0, 3), (3, 6), (6, 10)]


def test_workers_write_a_segment_each_numbered_in_section_order(
    scaled: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = SearchIndex(scaled, tmp_path / "alone")
    alone.open_or_build()
    _use_workers(monkeypatch, 3)
    calls: list[tuple[int, int]] = []
    split = SearchIndex(scaled, tmp_path / "split")
    status = split.open_or_build(lambda done, of: calls.append((done, of)))
    assert status.built and status.path is not None and not status.warning
    assert status.documents == len(scaled.sections)
    ix, _ = split.whoosh_index()
    assert not ix.reader().is_atomic()  # several segments…
    segments = {p.name.split(".")[0] for p in status.path.iterdir() if p.name.count(".") == 1}
    assert len({s for s in segments if s.startswith("MAIN_")}) == 3
    assert not [p for p in status.path.iterdir() if p.is_dir()]  # the parts' folders are gone
    # …numbered as the sections are, and scored as one segment is (statistics over all).
    assert _ids_in_order(split) == [s.id for s in scaled.sections] == _ids_in_order(alone)
    for word in ("groom", "sextort", "children"):
        scores = []
        for search_index in (alone, split):
            whoosh, _ = search_index.whoosh_index()
            with whoosh.searcher() as searcher:
                hits = searcher.search(query.Term("body", word), limit=None)
                scores.append({hit.docnum: round(hit.score, 9) for hit in hits})
        assert scores[0] and scores[0] == scores[1]
    # Progress: the workers' sums, forward only, ending at the total.
    done = [d for d, _ in calls]
    assert done == sorted(set(done)) and calls[-1] == (len(scaled.sections),) * 2
    # The manifest lists every segment's files: opened again, it is reused, not rebuilt.
    again = SearchIndex(scaled, tmp_path / "split").open_or_build()
    assert not again.built and again.reason == "reused"


def test_one_worker_writes_one_segment_that_searches_as_an_in_process_build(
    scaled: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = SearchIndex(scaled, tmp_path / "alone")
    alone.open_or_build()
    _use_workers(monkeypatch, 1)
    worker = SearchIndex(scaled, tmp_path / "worker")
    status = worker.open_or_build()
    assert status.built and not status.warning
    assert worker.whoosh_index()[0].reader().is_atomic()
    for text in ("grooming", "sextortion", '"online safety"', "regulat*", "legislaton~"):
        expected = alone.searcher().search(text, limit=20)
        found = worker.searcher().search(text, limit=20)
        assert found.total == expected.total > 0
        assert [h.id for h in found.hits] == [h.id for h in expected.hits]


def test_the_worker_entry_never_imports_qt(tmp_path: Path) -> None:
    # The CLI's main, as the frozen app runs it, with the hidden argument.
    code = (
        "import sys\n"
        "from briefreader.cli import main\n"
        f"status = main([{workers.WORKER_FLAG!r}, sys.argv[1]])\n"
        "qt = sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken')))\n"
        "print('qt', qt, file=sys.stderr)\n"
        "import os\n"
        "print('niceness', os.nice(0), file=sys.stderr)\n"
        "sys.exit(status)\n"
    )
    rows = [["a/1", "a", "doc", "Grooming", "Online grooming of children.", "Ann, Chair"]]
    sent = json.dumps({"format": workers.FORMAT, "sections": 1}) + "\n" + json.dumps(rows[0])
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        input=sent + "\n",
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "done 1"
    # Below the app's priority, so that a delegate's typing wins a core during a build.
    niceness = os.nice(0) + build_worker.WORKER_NICENESS
    assert done.stderr.split("\n")[:2] == ["qt []", f"niceness {min(niceness, 19)}"]
    assert any(p.name.endswith(".toc") for p in tmp_path.iterdir())


def test_the_hidden_argument_is_the_same_in_the_cli_and_the_workers() -> None:
    assert cli.WORKER_FLAG == workers.WORKER_FLAG
    assert workers.WORKER_FLAG not in cli._build_parser().format_help()


def test_the_frozen_app_starts_itself_as_the_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setenv("BRIEFREADER_BENCH_PROBE", "1")
    assert workers.worker_command(tmp_path) == [sys.executable, workers.WORKER_FLAG, str(tmp_path)]
    assert "BRIEFREADER_BENCH_PROBE" not in workers._environment()


@pytest.mark.parametrize(
    ("sent", "said"),
    [
        ("", "no input"),
        ('{"format": 99, "sections": 1}\n', "line 1 is not a header of format 1"),
        ('{"format": 1, "sections": 1}\n["a", "b"]\n', "line 2 is not a list of 6 strings"),
        ('{"format": 1, "sections": 2}\n["a", "b", "c", "d", "e", "f"]\n', "1 sections sent of 2"),
        ('{"format": 1, "sections": 1}\n{"__reduce__": 1}\n', "line 2 is not a list"),
    ],
)
def test_a_worker_refuses_bad_input_with_a_message_and_no_traceback(
    tmp_path: Path, sent: str, said: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "briefreader", workers.WORKER_FLAG, str(tmp_path)],
        input=sent,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout.startswith("error 0 ValueError: bad input from the parent: ")
    assert said in done.stdout
    assert done.stderr == ""


def test_a_cancelled_build_kills_its_workers_and_leaves_nothing(
    scaled: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not Path("/proc/self/cmdline").exists():
        pytest.skip("needs /proc to find the workers")
    root = tmp_path / "index"
    first = SearchIndex(scaled_briefing(scaled, 1), root).open_or_build()
    before = sorted(p.name for p in root.iterdir())
    _use_workers(monkeypatch, 2)
    seen: list[int] = []
    live: list[list[int]] = []

    def told(done: int, _total: int) -> None:
        seen.append(done)
        live.append(_worker_processes(root))

    bigger = scaled_briefing(scaled, 3)  # 1,380 sections: workers well under way when told
    with pytest.raises(BuildCancelledError, match=r"cancelled after \d+ of 1380 sections"):
        SearchIndex(bigger, root).rebuild(progress=told, cancelled=lambda: bool(seen))
    assert live and len(live[0]) == 2  # the workers were running when it was cancelled
    assert _worker_processes(root) == []  # and are gone now
    assert sorted(p.name for p in root.iterdir()) == before  # no building folder, no part
    again = SearchIndex(scaled, root).open_or_build()
    assert not again.built and again.path == first.path


def _failing(monkeypatch: pytest.MonkeyPatch, code: str) -> None:
    monkeypatch.setattr(
        workers, "worker_command", lambda folder: [sys.executable, "-c", code, str(folder)]
    )


@pytest.mark.parametrize(
    ("code", "named"),
    [
        ("import sys; sys.exit(3)", "it exited with status 3"),
        ("import os, signal; os.kill(os.getpid(), signal.SIGKILL)", "killed by signal 9"),
        ("raise RuntimeError('the disk caught fire')", "RuntimeError: the disk caught fire"),
        ("print('error 0 MemoryError: out of memory', flush=True)", "MemoryError: out of memory"),
        ("print('done 1', flush=True)", "failed after 1 of its 460 sections"),
    ],
)
def test_a_failed_worker_is_named_and_the_build_done_in_process(
    scaled: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str, named: str
) -> None:
    _use_workers(monkeypatch, 1)
    _failing(monkeypatch, code)
    search_index = SearchIndex(scaled, tmp_path / "index")
    status = search_index.open_or_build()
    assert status.built and status.path is not None  # on disk, built by this process
    assert status.warning.startswith("The search index could not be built in a separate process")
    assert named in status.warning
    assert "Traceback" not in status.warning
    assert search_index.searcher().search("grooming").total > 0
    assert _ids_in_order(search_index) == [s.id for s in scaled.sections]
    # Nothing of the failed attempt is left: the index's folder and its lock only.
    root = tmp_path / "index"
    names = sorted(p.name for p in root.iterdir())
    current = (root / POINTER).read_text(encoding="utf-8")
    assert [n for n in names if n.startswith(("building-", "idx-"))] == [current, f"{current}.lock"]


def test_a_worker_that_cannot_write_falls_back_to_memory(
    scaled: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A full disk seen by the worker: the same fallback as when this process cannot write.
    _use_workers(monkeypatch, 1)
    _failing(monkeypatch, "print('error 28 No space left on device', flush=True); exit(1)")
    search_index = SearchIndex(scaled, tmp_path / "index")
    status = search_index.open_or_build()
    assert status.path is None
    assert "No space left on device" in status.warning and "kept in memory" in status.warning
    assert search_index.searcher().search("grooming").total > 0


def test_the_workers_of_a_killed_build_die_with_it(briefing: Briefing, tmp_path: Path) -> None:
    # An app killed mid-build: its workers must not write on into a folder the next start
    # cleans (at 1000×, Whoosh's commit runs for minutes without a progress line).
    if not sys.platform.startswith("linux"):
        pytest.skip("the kernel's parent-death signal is Linux's")
    root = tmp_path / "index"
    code = (
        "import sys\n"
        "from bench.corpus import scaled_briefing\n"
        "from briefreader.core.content import load_briefing\n"
        "from briefreader.core.locations import bundled_content_dir\n"
        "from briefreader.core.search import index\n"
        "from briefreader.core.search.searcher import SearchIndex\n"
        "index.IN_PROCESS_MAX_SECTIONS, index.MIN_SECTIONS_PER_PROCESS = 0, 10\n"
        "index.cpu_count = lambda: 2\n"
        "big = scaled_briefing(load_briefing(bundled_content_dir()), 10)\n"
        "def told(done, total):\n"
        "    print(done, flush=True)\n"
        "SearchIndex(big, __import__('pathlib').Path(sys.argv[1])).open_or_build(told)\n"
    )
    builder = subprocess.Popen(
        [sys.executable, "-c", code, str(root)],
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
        cwd=REPO,
    )
    try:
        assert builder.stdout is not None
        assert builder.stdout.readline()  # the workers are writing
        assert len(_worker_processes(root)) == 2
        builder.kill()
        builder.wait()
        for _ in range(100):
            if not _worker_processes(root):
                break
            time.sleep(0.02)
        assert _worker_processes(root) == []
    finally:
        builder.kill()
        builder.wait()
        if builder.stdout is not None:
            builder.stdout.close()
    # What the killed build left is cleaned by the next one, which builds afresh.
    status = SearchIndex(scaled_briefing(briefing, 10), root).open_or_build()
    assert status.built and status.path is not None
    assert sorted(p.name for p in root.iterdir() if p.is_dir()) == [status.path.name]


def test_several_segments_search_as_an_in_process_build(
    scaled: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = SearchIndex(scaled, tmp_path / "alone")
    alone.open_or_build()
    _use_workers(monkeypatch, 3)
    split = SearchIndex(scaled, tmp_path / "split")
    split.open_or_build()
    for text in ("grooming", "sextortion", '"online safety"', "regulat*", "legislaton~"):
        expected = alone.searcher().search(text, limit=20)
        found = split.searcher().search(text, limit=20)
        assert found.total == expected.total > 0 and not found.message
        assert [h.id for h in found.hits] == [h.id for h in expected.hits]
        assert [h.snippet for h in found.hits] == [h.snippet for h in expected.hits]


@pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace")
def test_a_worker_opens_no_network_socket(tmp_path: Path) -> None:
    strace = shutil.which("strace")
    assert strace is not None
    trace = tmp_path / "trace.txt"
    part = tmp_path / "part"
    part.mkdir()
    row = ["a/1", "a", "doc", "Grooming", "Online grooming of children.", ""]
    traced = [strace, "-f", "-qq", "-e", "trace=socket,connect,sendto,sendmsg", "-o", str(trace)]
    done = subprocess.run(
        [*traced, sys.executable, "-m", "briefreader", workers.WORKER_FLAG, str(part)],
        input=json.dumps({"format": workers.FORMAT, "sections": 1}) + "\n" + json.dumps(row),
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.endswith("done 1\n"), done.stdout
    network = re.compile(r"\b(?:socket|connect|sendto|sendmsg)\(.*\bAF_(?:INET6?|PACKET|NETLINK)\b")
    assert trace.is_file()
    assert [line for line in trace.read_text().splitlines() if network.search(line)] == []
