"""The index's folders across processes and users: concurrent builds, killed builds, links,
the in-memory fallback's temporary folder, odd permissions. Real processes, and a real other
user (``nobody``, through ``setpriv``) where being root would hide the failure."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from briefreader.core.content import load_briefing
from briefreader.core.locations import bundled_content_dir
from briefreader.core.search.index import LOCK_SUFFIX, POINTER
from briefreader.core.search.searcher import SearchIndex

REPO = Path(__file__).resolve().parents[3]
SRC = REPO / "src"


def _cli(cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BRIEFREADER_CACHE_DIR": str(cache)}
    return subprocess.run(
        [sys.executable, "-m", "briefreader", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _folders(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.is_dir())


def test_two_rebuilds_at_once_never_break_each_other(tmp_path: Path) -> None:
    # Before: one of two `index --rebuild` run together removed the other's live build
    # folder, which then fell back to memory with a false warning (15 trials of 15), or
    # raised FileNotFoundError / EmptyIndexError.
    cache = tmp_path / "cache"
    with ThreadPoolExecutor(2) as pool:
        for _ in range(10):
            runs = list(pool.map(lambda _: _cli(cache, "index", "--rebuild"), range(2)))
            for done in runs:
                assert done.returncode == 0, done.stderr
                assert done.stderr == ""  # no warning, no traceback
                assert done.stdout.startswith("Built the index of 92 sections")
                assert "memory" not in done.stdout
            root = cache / "index"
            current = (root / POINTER).read_text(encoding="utf-8")
            # No build folder left; the other's index is gone, or (if it was still open
            # when the last one cleaned) goes at the next open.
            assert current in _folders(root)
            assert all(name.startswith("idx-") for name in _folders(root))
    assert _cli(cache, "index").stdout.startswith("The index of 92 sections is current")
    assert _folders(cache / "index") == [(cache / "index" / POINTER).read_text(encoding="utf-8")]


def test_opening_and_searching_while_another_process_rebuilds(tmp_path: Path) -> None:
    # Before: under this, FileNotFoundError and EmptyIndexError escaped open_or_build().
    cache = tmp_path / "cache"
    assert _cli(cache, "index").returncode == 0
    env = {**os.environ, "BRIEFREADER_CACHE_DIR": str(cache)}
    loop = "for i in 1 2 3 4 5 6; do {python} -m briefreader index --rebuild || exit 1; done"
    rebuilding = subprocess.Popen(
        ["sh", "-c", loop.format(python=sys.executable)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    briefing = load_briefing(bundled_content_dir())
    opened = 0
    try:
        while rebuilding.poll() is None or opened < 10:
            search_index = SearchIndex(briefing, cache / "index")
            status = search_index.open_or_build()
            assert status.warning == "" and status.path is not None
            searcher = search_index.searcher()
            assert searcher.search("grooming").hits
            searcher.close()
            search_index.close()
            opened += 1
    finally:
        _, errors = rebuilding.communicate(timeout=300)
    assert rebuilding.returncode == 0, errors
    assert errors == ""


BUILDER = """
import sys, time
from pathlib import Path
sys.path.insert(0, {repo!r})
from bench.corpus import scaled_briefing
from briefreader.core.content import load_briefing
from briefreader.core.locations import bundled_content_dir
from briefreader.core.search.searcher import SearchIndex

briefing = scaled_briefing(load_briefing(bundled_content_dir()), 3)

def progress(done, total):
    print("building", flush=True)
    time.sleep(600)  # hold the build open until killed

SearchIndex(briefing, Path({root!r})).rebuild(progress=progress)
"""


@pytest.fixture
def builder(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """A process building a (3×) index into the cache, paused mid-build."""
    root = tmp_path / "cache" / "index"
    code = BUILDER.format(repo=str(REPO), root=str(root))
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "building\n", process.stderr
        yield root, process
    finally:
        process.kill()
        process.wait()
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        process.stderr.close()


def test_a_live_build_is_kept_and_a_killed_ones_folder_cleaned_on_next_open(
    builder: tuple[Path, subprocess.Popen[str]],
) -> None:
    root, process = builder
    building = [name for name in _folders(root) if name.startswith("building-")]
    assert len(building) == 1
    briefing = load_briefing(bundled_content_dir())

    # Another process (here, this one) builds and cleans meanwhile: the live build stays.
    SearchIndex(briefing, root).rebuild()
    assert building[0] in _folders(root)
    SearchIndex(briefing, root).open_or_build()
    assert building[0] in _folders(root)

    process.send_signal(signal.SIGKILL)
    process.wait()
    status = SearchIndex(briefing, root).open_or_build()
    assert status.reason == "reused"
    assert _folders(root) == [(root / POINTER).read_text(encoding="utf-8")]
    assert not (root / f"{building[0]}{LOCK_SUFFIX}").exists()


def test_an_index_open_in_another_store_is_not_cleaned_under_it(tmp_path: Path) -> None:
    briefing = load_briefing(bundled_content_dir())
    root = tmp_path / "index"
    reader = SearchIndex(briefing, root)
    first = reader.open_or_build().path
    searcher = reader.searcher()
    assert searcher.search("grooming").hits
    second = SearchIndex(briefing, root)
    second.rebuild()  # swaps in a new folder and cleans: the reader's folder is held
    assert first is not None and first.is_dir()
    assert searcher.search("sextortion").hits
    searcher.close()
    reader.close()
    third = SearchIndex(briefing, root)
    third.open_or_build()
    assert not first.exists()  # let go, it is cleaned by the next one that looks


def test_a_linked_index_folder_is_refused_and_its_target_left_alone(tmp_path: Path) -> None:
    briefing = load_briefing(bundled_content_dir())
    root = tmp_path / "cache" / "index"
    folder = SearchIndex(briefing, root).open_or_build().path
    assert folder is not None
    # An index (with its valid manifest) moved outside the cache, linked in its place.
    outside = tmp_path / "elsewhere"
    shutil.move(folder, outside)
    folder.symlink_to(outside, target_is_directory=True)
    status = SearchIndex(briefing, root).open_or_build()
    assert status.built and status.reason == "the index folder is not a folder BriefReader made"
    assert not folder.is_symlink()  # the link was cleaned…
    assert sorted(p.name for p in outside.iterdir())  # …not what it pointed to
    assert (outside / "briefreader-manifest.json").is_file()


def _mini(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(REPO / "tests" / "data" / "mini", target)
    return target


def test_the_memory_fallback_leaves_a_planted_main_tmp_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: with the cache unwritable, Whoosh wrote its scratch files into the fixed
    # $TMPDIR/MAIN.tmp, and then emptied it: through a symlink, any folder.
    shared = tmp_path / "tmp"
    victim = tmp_path / "victim"
    shared.mkdir()
    victim.mkdir()
    (victim / "notes.txt").write_text("someone's notes", encoding="utf-8")
    (shared / "MAIN.tmp").symlink_to(victim, target_is_directory=True)
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")

    search_index = SearchIndex(load_briefing(_mini(tmp_path)), blocker / "index")
    status = search_index.open_or_build()
    assert status.path is None and "kept in memory" in status.warning
    assert search_index.searcher().search("grooming").hits
    assert [p.name for p in victim.iterdir()] == ["notes.txt"]
    assert (shared / "MAIN.tmp").is_symlink()
    assert sorted(p.name for p in shared.iterdir()) == ["MAIN.tmp"]  # private folders gone


def test_two_memory_fallbacks_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: both used $TMPDIR/MAIN.tmp, and one removed the other's files.
    shared = tmp_path / "tmp"
    shared.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    briefing = load_briefing(_mini(tmp_path))

    def build(_: int) -> int:
        search_index = SearchIndex(briefing, blocker / "index")
        search_index.open_or_build()
        return len(search_index.searcher().search("grooming").hits)

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(build, range(8))) == [1] * 8
    assert list(shared.iterdir()) == []


# -- as another user ---------------------------------------------------------------------------


def _python_for_nobody() -> list[str] | None:
    """An interpreter the ``nobody`` user can run, with this checkout and its libraries."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("setpriv") is None:
        return None
    import site

    import whoosh

    paths = [str(SRC), str(Path(whoosh.__file__).parent.parent), *site.getsitepackages()]
    for python in (
        sys.executable,
        shutil.which(f"python{sys.version_info[0]}.{sys.version_info[1]}"),
    ):
        if python is None:
            continue
        command = [
            "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", python, "-c",
            f"import sys; sys.path[:0] = {paths!r}; import briefreader.core.search.searcher",
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, timeout=60, check=False)
        if done.returncode == 0:
            return [*command[:5], "-c", f"import sys; sys.path[:0] = {paths!r}\n"]
    return None


def _as_nobody(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    python = _python_for_nobody()
    if python is None:
        pytest.skip("needs root, setpriv, and an interpreter the nobody user can run")
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(cwd), "TMPDIR": str(cwd / "tmp")}
    return subprocess.run(
        [*python[:-1], python[-1] + code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
        env=env,
    )


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder outside pytest's private ones, that ``nobody`` can enter."""
    folder = Path(tempfile.mkdtemp(prefix="briefreader-nobody-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


SETUP = """
from pathlib import Path
from briefreader.core.content import load_briefing
from briefreader.core.locations import bundled_content_dir
from briefreader.core.search.searcher import SearchIndex
briefing = load_briefing(bundled_content_dir())
"""


def test_as_another_user_a_main_tmp_of_someone_else_does_not_stop_search(
    shared_tmp: Path,
) -> None:
    # Before: MAIN.tmp made by another user (root here) in the shared temporary folder made
    # the in-memory fallback fail with a traceback: search was unavailable.
    (shared_tmp / "tmp").mkdir(mode=0o1777)
    (shared_tmp / "tmp").chmod(0o1777)
    (shared_tmp / "tmp" / "MAIN.tmp").mkdir(mode=0o700)
    (shared_tmp / "cache").mkdir(mode=0o755)  # root's: nobody cannot write the cache
    code = SETUP + (
        "import tempfile; tempfile.tempdir = None\n"
        "search_index = SearchIndex(briefing, Path('cache') / 'index')\n"
        "status = search_index.open_or_build()\n"
        "print(status.path, bool(status.warning))\n"
        "print(len(search_index.searcher().search('grooming').hits))\n"
    )
    done = _as_nobody(code, shared_tmp)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    path, warned, hits = done.stdout.split()
    assert (path, warned) == ("None", "True") and int(hits) > 0
    assert (shared_tmp / "tmp" / "MAIN.tmp").is_dir()  # untouched
    assert [p.name for p in (shared_tmp / "tmp").iterdir()] == ["MAIN.tmp"]


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        (0o000, "the index has no valid manifest"),
        (0o100, "the index folder cannot be read (Permission denied)"),  # enter, not list
    ],
)
def test_as_another_user_an_index_folder_with_odd_permissions_is_rebuilt(
    shared_tmp: Path, mode: int, reason: str
) -> None:
    # Before: _verify raised PermissionError out of open_or_build.
    (shared_tmp / "tmp").mkdir(mode=0o1777)
    (shared_tmp / "tmp").chmod(0o1777)
    (shared_tmp / "cache").mkdir(mode=0o700)
    os.chown(shared_tmp / "cache", 65534, 65534)
    code = SETUP + (
        "root = Path('cache') / 'index'\n"
        "first = SearchIndex(briefing, root).open_or_build().path\n"
        f"first.chmod({mode})\n"
        "status = SearchIndex(briefing, root).open_or_build()\n"
        "print(status.built, status.path != first)\n"
        "print(status.reason)\n"
        "first.chmod(0o700)\n"
    )
    done = _as_nobody(code, shared_tmp)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    built, said = done.stdout.splitlines()
    assert built == "True True"
    assert said == reason
