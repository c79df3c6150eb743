"""The index's schema and life cycle: built into a temporary folder, verified, swapped in.

One index document per section, so that a hit is a passage. Fields:

- ``title`` (stemmed, boosted) and ``body`` (stemmed) carry the ranking (BM25F);
- ``speaker``: the name, role and organisation of a quote's speaker (stemmed, boosted);
- ``exact``: title, body and speaker again, lower-cased but *not* stemmed. Prefixes
  (``sextorti*``) and fuzzy terms (``legislaton~``) are matched here, because Whoosh expands
  them against the field's own terms, and a stemmed field holds "sextort", which
  "sextorti*" does not match; "did you mean" draws on its vocabulary too, so that
  suggestions are real words.
- ``theme`` and ``document``: ids, for filters and per-theme counts.

The index is a cache in the user's cache folder. It is built into a fresh folder, verified
by a manifest of SHA-256 hashes written after the build, and swapped in by rewriting a small
pointer file atomically. An index is opened only when its folder is a real folder of this
user's (not a link) named by the pointer, and its manifest says this app built it from this
content with this schema and every file hashes as written. Anything else (missing, damaged,
older, other content, odd permissions) is rebuilt. The manifest catches damage, not an
attacker (who can hash their own files): what keeps a planted index from running code is
that every pickle Whoosh reads goes through an allow-list (``unpickling``).

A large index is written by worker processes, a segment each, never by the process that
asks for it (in the app, a thread of the Qt process): see :data:`IN_PROCESS_MAX_SECTIONS`
and ``workers``.

Several processes may share the folder: builds and open indexes hold OS locks on their
folders, and cleaning removes only folders nobody holds (:meth:`IndexStore._clean`).
"""

from __future__ import annotations

import errno
import hashlib
import json
import math
import os
import re
import shutil
import stat
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from whoosh import index
from whoosh.analysis import RegexTokenizer, StemmingAnalyzer
from whoosh.analysis.filters import LowercaseFilter
from whoosh.fields import ID, TEXT, Schema

from briefreader.core.atomic import write_atomic
from briefreader.core.model import Briefing, Section
from briefreader.core.search import engine
from briefreader.core.search.locks import FileLock
from briefreader.core.search.results import (
    BuildCancelledError,
    CancelCheck,
    IndexStatus,
    Progress,
)
from briefreader.core.search.workers import (
    BuildWorkerError,
    Row,
    cpu_count,
    os_error,
    run_workers,
    split,
)

# Bump when the schema or what is indexed changes: older indexes are then rebuilt.
SCHEMA_VERSION = "2"
APP_MARK = "briefreader-index"
POINTER = "CURRENT"
SWAP_LOCK = "swap.lock"  # held to move the pointer, and to clean (see IndexStore._clean)
LOCK_SUFFIX = ".lock"  # <folder>.lock: held by whoever builds or has open that folder
MANIFEST = "briefreader-manifest.json"
# A build that fails with these cannot write the cache folder: the index is kept in memory.
_CANNOT_WRITE = {
    getattr(errno, name)
    for name in ("EACCES", "EPERM", "EROFS", "ENOSPC", "EDQUOT", "ENOTDIR")
    if hasattr(errno, name)
}
# One compound file for a small index only, about 20× the briefing (see write_documents).
COMPOUND_MAX_SECTIONS = 2_000
# Builds of more sections than this run in worker processes (workers.py), never in the process
# that asks (in the app, a thread of the Qt process). Smaller ones stay in-process, which is
# safe: a thread is not a fork (the danger of Whoosh's own multiprocessing writer, which forks
# the calling process with Qt's threads running), and what it costs the app is small. Measured
# (bench/README.md): a worker costs 0.2-0.3 s to start (Python and Whoosh imported; the
# frozen executable the same), against 165 ms for the bundled briefing's whole build in-process;
# what an in-process build leaves in the app's memory grows with the sections (92: 3 MiB,
# 460: 15 MiB, 1,840: 41 MiB; a worker's build leaves under 1 MiB), and it holds the
# interpreter's lock against the window's thread for as long as it runs. Up to 250 sections
# (under 10 MiB and half a second) the in-process build is the faster and costs little.
IN_PROCESS_MAX_SECTIONS = 250
# At most this many workers at once, each with more sections than a compound index holds (so
# that no part is a compound file, read whole into memory: see write_documents). At 1000×
# the larger of two workers peaked at 207 MiB, the two together at 361 MiB (the budget is
# 400): each worker holds about 35 MiB before its first section, and the vocabulary its
# sections share with the others', so more workers would hold more in all; and each segment
# is one more for every search to read. Two, until more is measured on more cores.
MAX_PROCESSES = 2
MIN_SECTIONS_PER_PROCESS = COMPOUND_MAX_SECTIONS + 1
PROGRESS_STEP = 0.01  # progress is told at most once per 1% of the sections…
PROGRESS_SECONDS = 0.1  # …and once per 100 ms

_stemmed = StemmingAnalyzer()
_plain = RegexTokenizer() | LowercaseFilter()


def schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        theme=ID(stored=True),
        document=ID(stored=True),
        title=TEXT(analyzer=_stemmed, field_boost=3.0),
        body=TEXT(analyzer=_stemmed),
        speaker=TEXT(analyzer=_stemmed, field_boost=2.0),
        # No positions: phrases are matched on the stemmed fields (see parsing.restrict), and
        # storing them made the build and the index bigger for nothing (bench/README.md).
        exact=TEXT(analyzer=_plain, phrase=False),
    )


def _hash_file(path: Path) -> str:
    # Streamed, not read whole: a large index is one big file, and reading it into memory to
    # hash it (after a build, and on every open) doubled peak memory.
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


class IndexStore:
    """The briefing's index: opened or (re)built on demand, swapped in whole.

    Thread-safe: build it on a background thread, then give each thread its own searcher.
    Process-safe: several windows and commands may open, build and clean the same cache
    folder at once (see :meth:`_clean` for the locks).
    """

    def __init__(self, briefing: Briefing, index_dir: Path) -> None:
        self.briefing = briefing
        self.root = index_dir
        self.key = f"{briefing.fingerprint}-s{SCHEMA_VERSION}"
        self._lock = threading.RLock()
        self._index: index.Index | None = None
        self._held: FileLock | None = None  # a shared lock on the open folder: not cleaned
        self._generation = 0
        self.status: IndexStatus | None = None

    @property
    def generation(self) -> int:
        """Goes up each time a new index is swapped in; searchers reopen when it does."""
        return self._generation

    def whoosh_index(self) -> tuple[index.Index, int]:
        with self._lock:
            if self._index is None:
                self.open_or_build()
            assert self._index is not None
            return self._index, self._generation

    def close(self) -> None:
        """Let other processes clean the folder this store had open."""
        with self._lock:
            if self._held is not None:
                self._held.release()
                self._held = None

    # -- opening ---------------------------------------------------------------------------

    def open_or_build(
        self, progress: Progress | None = None, *, cancelled: CancelCheck | None = None
    ) -> IndexStatus:
        """Open the cached index if it is ours, whole and current; otherwise build it.

        A build tells ``progress`` how far it is now and then, asks ``cancelled`` between
        documents (or every 50 ms while worker processes write it, which are then killed),
        and raises :class:`BuildCancelledError` when that says so.
        """
        with self._lock:
            started = time.perf_counter()
            reason = "no index yet"
            # Twice: another process may swap in a new index (and clean the one we found)
            # between our reading the pointer and our locking its folder.
            for _ in range(2):
                name = self._current_name()
                if name is None:
                    break
                held = self._hold(name)
                reason = self._verify(self.root / name) or ""
                if not reason:
                    try:
                        ix = engine.open_index(str(self.root / name), schema())
                        count = ix.doc_count()
                    except Exception as error:  # Whoosh raises a dozen types on damage
                        reason = f"the index could not be opened ({type(error).__name__})"
                    else:
                        self._swap_in(ix, held)
                        self._clean(blocking=False)  # e.g. a killed build's folder
                        self.status = IndexStatus(
                            self.root / name, False, "reused", time.perf_counter() - started, count
                        )
                        return self.status
                if held is not None:
                    held.release()
                if self._current_name() == name:
                    break
            return self._build(reason, progress, cancelled, started)

    def rebuild(
        self,
        reason: str = "asked to",
        progress: Progress | None = None,
        *,
        cancelled: CancelCheck | None = None,
    ) -> IndexStatus:
        with self._lock:
            return self._build(reason, progress, cancelled, time.perf_counter())

    def _current_name(self) -> str | None:
        try:
            name = (self.root / POINTER).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        # Only a plain name made by _build: never follow a pointer out of our folder.
        if not re.fullmatch(r"idx-[0-9a-f]{16}-s\w+-[0-9a-f]{8}", name):
            return None
        return name

    def _hold(self, name: str) -> FileLock | None:
        """A shared lock on a folder's lock file, so that no cleaner removes it while open.

        None where the lock file cannot be made (a read-only cache folder, which nobody
        can clean either).
        """
        held = FileLock(self.root / f"{name}{LOCK_SUFFIX}")
        try:
            if held.acquire(exclusive=False, blocking=False):
                return held
        except OSError:
            pass
        return None

    def _verify(self, folder: Path) -> str | None:
        """None if the index in ``folder`` can be opened safely, else why it must be rebuilt."""
        try:
            return self._check(folder)
        except OSError as error:  # odd permissions, a folder removed meanwhile
            return f"the index folder cannot be read ({error.strerror or error})"

    def _check(self, folder: Path) -> str | None:
        try:
            info = folder.lstat()
        except FileNotFoundError:
            return "no index yet"
        if not _ours(info, directory=True):
            # A link (to a folder anywhere), or a folder someone else made: never opened.
            return "the index folder is not a folder BriefReader made"
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return "the index has no valid manifest"
        if not isinstance(manifest, dict) or manifest.get("app") != APP_MARK:
            return "the index was not written by BriefReader"
        if manifest.get("key") != self.key:
            return "the content or the index format changed"
        files = manifest.get("files")
        if not isinstance(files, dict) or not files:
            return "the index manifest lists no files"
        present = {p.name: p for p in folder.iterdir() if p.name != MANIFEST}
        if set(present) != set(files):
            return "the index files differ from those written"
        for name, digest in files.items():
            if not _ours(present[name].lstat(), directory=False):
                return f"the index file {name} is not a file BriefReader wrote"
            try:
                if _hash_file(present[name]) != digest:
                    return f"the index file {name} is damaged"
            except OSError:
                return f"the index file {name} cannot be read"
        return None

    # -- building --------------------------------------------------------------------------

    def _build(
        self,
        reason: str,
        progress: Progress | None,
        cancelled: CancelCheck | None,
        started: float,
    ) -> IndexStatus:
        sections = self.briefing.sections
        failure: BaseException | None = None
        processes = worker_count(len(sections))
        note = ""
        for _ in range(2):  # once more if something else got in the way of the first
            try:
                folder, held = self._build_on_disk(sections, progress, cancelled, processes)
                ix = engine.open_index(str(folder), schema())
            except BuildCancelledError:
                raise
            except BuildWorkerError as error:
                failure = os_error(error) or error
                if isinstance(failure, OSError) and failure.errno in _CANNOT_WRITE:
                    break
                # Once more in this process: slower, and its memory stays with this process,
                # but search works (the status says why).
                note = f"The search index could not be built in a separate process ({error}); "
                note += "it was built in this one."
                processes = 0
                continue
            except Exception as error:  # a file system error, or Whoosh's on one
                failure = error
                if isinstance(error, OSError) and error.errno in _CANNOT_WRITE:
                    break  # it will not go better a second time
                continue
            self._swap_in(ix, held)
            self._clean(blocking=True)
            self.status = IndexStatus(
                folder, True, reason, time.perf_counter() - started, len(sections), note
            )
            return self.status
        # A read-only or full cache folder: search still works, from memory, this session.
        ix = engine.memory_index(
            schema(), lambda ix: write_documents(ix, sections, progress, cancelled)
        )
        self._swap_in(ix, None)
        detail = (
            failure.strerror
            if isinstance(failure, OSError) and failure.strerror
            else f"{type(failure).__name__}: {failure}"
        )
        warning = (
            f"The search index could not be saved in {self.root} "
            f"({detail}); it is kept in memory for this session."
        )
        self.status = IndexStatus(
            None, True, reason, time.perf_counter() - started, len(sections), warning
        )
        return self.status

    def _build_on_disk(
        self,
        sections: tuple[Section, ...],
        progress: Progress | None,
        cancelled: CancelCheck | None,
        processes: int = 0,
    ) -> tuple[Path, FileLock | None]:
        """Build into ``building-…`` and swap it in as ``idx-…``; its folder, held.

        With ``processes`` > 0, that many worker processes write a segment each (see
        :func:`worker_count`); with 0, this process writes the one segment.

        The building folder's lock is taken before the folder exists and let go after it is
        renamed, so a cleaner never sees a live build's folder unlocked.
        """
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        token = uuid.uuid4().hex[:8]
        building = self.root / f"building-{token}"
        name = f"idx-{self.key}-{token}"
        building_lock = FileLock(self.root / f"{building.name}{LOCK_SUFFIX}")
        if not building_lock.acquire(exclusive=True, blocking=False):  # a new name…
            raise FileExistsError(f"{building_lock.path} is held by another process")
        try:
            building.mkdir(mode=0o700)
            if processes:
                _write_in_processes(building, sections, processes, progress, cancelled)
            else:
                ix = engine.create_index(str(building), schema())
                write_documents(ix, sections, progress, cancelled)
                ix.close()
            files = {p.name: _hash_file(p) for p in building.iterdir() if p.is_file()}
            # Whoosh's lock file is empty and may be recreated; it carries no data.
            manifest = {"app": APP_MARK, "key": self.key, "files": files}
            (building / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
            held = self._hold(name)
            with FileLock(self.root / SWAP_LOCK) as swap:
                swap.acquire(exclusive=True, blocking=True)
                building.rename(self.root / name)
                write_atomic(self.root / POINTER, name, mode=0o600, durable=False)
        except BaseException:
            # A cancelled or failed build leaves nothing behind, and the pointer unchanged.
            shutil.rmtree(building, ignore_errors=True)
            raise
        finally:
            building_lock.release(unlink=True)
        return self.root / name, held

    def _swap_in(self, ix: index.Index, held: FileLock | None) -> None:
        if self._held is not None and self._held is not held:
            self._held.release()
        self._held = held
        self._index = ix
        self._generation += 1

    def _clean(self, *, blocking: bool) -> None:
        """Remove the folders nobody holds: old indexes, killed builds', strangers.

        Who holds what: a build holds its ``building-…`` folder's lock exclusively from
        before the folder exists until it is renamed; every process with an index open
        holds that folder's lock shared. The cleaner takes the swap lock (so the pointer
        cannot move while it looks), then each folder's lock exclusively without waiting:
        a folder whose lock it gets is nobody's, and goes. A killed process holds no lock,
        so what it left is removed by the next process that opens or builds the index.
        """
        swap = FileLock(self.root / SWAP_LOCK)
        try:
            if not swap.acquire(exclusive=True, blocking=blocking):
                return  # another process is swapping or cleaning: it will do it
        except OSError:
            return  # a read-only cache folder: nothing can be cleaned, nor needs to be
        try:
            current = self._current_name()
            for path in list(self.root.iterdir()):
                if path.name in (current, POINTER, SWAP_LOCK) or path.name.startswith("."):
                    continue
                if path.name.endswith(LOCK_SUFFIX):
                    if (self.root / path.name[: -len(LOCK_SUFFIX)]).exists():
                        continue  # cleaned with its folder, below
                    name = path.name[: -len(LOCK_SUFFIX)]
                    if name == current:
                        continue
                else:
                    name = path.name
                self._remove_unless_held(name)
        except OSError:
            pass  # best effort: on Windows a folder another process reads cannot go yet
        finally:
            swap.release()

    def _remove_unless_held(self, name: str) -> None:
        lock = FileLock(self.root / f"{name}{LOCK_SUFFIX}")
        try:
            if not lock.acquire(exclusive=True, blocking=False):
                return  # a live build, or an index another process has open
        except OSError:
            return
        try:
            path = self.root / name
            if path.is_symlink() or path.is_file():
                path.unlink(missing_ok=True)  # a link planted here: the link, not its target
            elif path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
        finally:
            lock.release(unlink=True)


def _ours(info: os.stat_result, *, directory: bool) -> bool:
    """A real folder or file (not a link), owned by this user (where owners exist)."""
    kind = stat.S_ISDIR if directory else stat.S_ISREG
    if not kind(info.st_mode):
        return False
    return not hasattr(os, "getuid") or info.st_uid == os.getuid()


class ProgressThrottle:
    """Passes on a build's progress at most once per 1% of the sections and per 100 ms.

    Told once per section, a window queued one signal per section for its progress bar
    (one per section of the largest corpus); this keeps it to about a hundred, plus the last.
    """

    def __init__(
        self, progress: Progress | None, total: int, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        self._progress = progress
        self._total = total
        self._step = max(1, math.ceil(total * PROGRESS_STEP))
        self._next = self._step
        self._clock = clock
        self._last = clock()

    def __call__(self, done: int) -> None:
        if self._progress is None:
            return
        if done >= self._total:
            self._progress(done, self._total)
        elif done >= self._next:
            now = self._clock()
            if now - self._last >= PROGRESS_SECONDS:
                self._progress(done, self._total)
                self._last = now
                self._next = done + self._step


def worker_count(sections: int) -> int:
    """How many worker processes build an index of ``sections``: 0 for in this process."""
    if sections <= IN_PROCESS_MAX_SECTIONS:
        return 0
    return max(1, min(MAX_PROCESSES, cpu_count(), sections // MIN_SECTIONS_PER_PROCESS))


def _write_in_processes(
    folder: Path,
    sections: tuple[Section, ...],
    processes: int,
    progress: Progress | None,
    cancelled: CancelCheck | None,
) -> None:
    """Write ``sections`` into ``folder`` with ``processes`` workers, a segment each of a
    contiguous range, then join the segments in order, so that documents stay numbered in
    section order."""
    parts = []
    for number, (start, stop) in enumerate(split(len(sections), processes)):
        part = folder / f"part-{number}"
        part.mkdir(mode=0o700)
        parts.append((part, stop - start, map(_row, sections[start:stop])))
    tell = ProgressThrottle(progress, len(sections))
    run_workers(parts, tell, _as_function(cancelled), len(sections))
    engine.join_segments(str(folder), [str(part) for part, _, _ in parts], schema())
    for part, _, _ in parts:
        shutil.rmtree(part)


def _row(section: Section) -> Row:
    """What a worker is sent of a section: what ``_add_documents`` writes."""
    speaker = section.speaker.label() if section.speaker else ""
    return (
        section.id,
        section.theme_id,
        section.document_id,
        section.title,
        section.text,
        speaker,
    )


def write_documents(
    ix: index.Index,
    sections: tuple[Section, ...],
    progress: Progress | None,
    cancelled: CancelCheck | None = None,
) -> None:
    # One segment per call: an in-process build writes the whole index with it, a worker
    # (workers.py) its contiguous share, and the segments are joined under one table of
    # contents, which the engine reads as one index. Whoosh's own multiprocessing writer is
    # not used: it forks from the calling process, which in the app has Qt's threads
    # running, and held over twice the memory budget at 1000×. Figures in bench/README.md.
    compound = len(sections) <= COMPOUND_MAX_SECTIONS
    writer = engine.new_writer(ix, compound=compound)
    try:
        _add_documents(writer, sections, progress, cancelled)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def _add_documents(
    writer: engine.IndexWriter,
    sections: tuple[Section, ...],
    progress: Progress | None,
    cancelled: CancelCheck | None,
) -> None:
    tell = ProgressThrottle(progress, len(sections))
    stop = _as_function(cancelled)
    for number, section in enumerate(sections, start=1):
        if stop is not None and stop():
            raise BuildCancelledError(
                f"The search index build was cancelled after {number - 1} of "
                f"{len(sections)} sections."
            )
        speaker = section.speaker.label() if section.speaker else ""
        writer.add_document(
            id=section.id,
            theme=section.theme_id,
            document=section.document_id,
            title=section.title,
            body=section.text,
            speaker=speaker,
            exact=f"{section.title}\n{speaker}\n{section.text}",
        )
        tell(number)


def _as_function(cancelled: CancelCheck | None) -> Callable[[], bool] | None:
    if cancelled is None or callable(cancelled):
        return cancelled
    token = cancelled
    return lambda: token.cancelled
