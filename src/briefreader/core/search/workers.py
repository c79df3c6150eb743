"""Index builds in separate processes: each started clean, fed its sections, one segment each.

A large briefing's index is written by worker processes, never by the process that asked for
it (in the app, a thread of the Qt process). Each worker is a new program, not a fork: the
frozen app's own executable, or this Python with ``-m briefreader``, run with the hidden
argument :data:`WORKER_FLAG`, which ``briefreader.cli.main`` hands to
:mod:`briefreader.core.search.build_worker` before it parses anything or imports Qt. (A fork
of a process with Qt's threads running copies their locks in whatever state they are;
``subprocess`` runs the new program at once, in C, before any of that can matter.)

What goes to a worker is data only, never a pickle: on its standard input, one line of JSON
with the number of sections, then one JSON array per section (the fields the index holds).
What comes back, on its standard output, is lines of text: ``progress N``, then ``done N``,
or ``error ERRNO MESSAGE``. Its standard error goes to a temporary file, read only to name
what failed. The parent watches the cancel check while it waits, and kills its workers when
it says so. A worker whose parent dies gets a broken pipe at its next progress line and
exits.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from briefreader.core.search.results import BuildCancelledError

if TYPE_CHECKING:
    import subprocess

WORKER_FLAG = "--build-index-part"  # hidden: ``briefreader --build-index-part FOLDER``
FORMAT = 1  # of what is sent on a worker's standard input
# A worker's section, as sent: id, theme, document, title, text, speaker's label.
Row = tuple[str, str, str, str, str, str]
ROW_FIELDS = 6
_POLL_SECONDS = 0.05  # how often the cancel check is asked while workers run
_BATCH = 256  # rows written to a worker's pipe at once
# Left out of a worker's environment: the bench's paint probe would start a window in it.
_NOT_INHERITED = ("BRIEFREADER_BENCH_PROBE",)


class BuildWorkerError(Exception):
    """A worker failed: it exited with an error, was killed, or could not be started."""

    def __init__(self, message: str, errno_: int = 0) -> None:
        super().__init__(message)
        self.errno = errno_


def worker_command(folder: Path) -> list[str]:
    """The command line of a worker writing its segment into ``folder``."""
    if getattr(sys, "frozen", False):
        # The frozen app: sys.executable is the briefreader program itself.
        return [sys.executable, WORKER_FLAG, str(folder)]
    # -P: the working folder is not put on the module path (it is the cache folder anyway).
    return [sys.executable, "-P", "-m", "briefreader", WORKER_FLAG, str(folder)]


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    if not getattr(sys, "frozen", False):
        # The worker imports this very briefreader, however this process found it (an
        # installed package, or PYTHONPATH=src as the bench and tests run it).
        # After the caller's own path, which the worker reads first as this process did.
        here = str(Path(__file__).resolve().parents[3])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH"), here) if p)
    return env


class _Worker:
    """One running worker: its process, the thread feeding it, the one reading it."""

    def __init__(
        self,
        number: int,
        folder: Path,
        count: int,
        rows: Iterable[Row],
        lines: queue.Queue[tuple[int, str | None]],
    ) -> None:
        import subprocess
        import tempfile

        self.number = number
        self.count = count
        self.done = 0
        self.finished = False
        self.error = ""
        self.errno = 0
        # Kept open while the worker runs, read only if it fails; closed in close().
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self.process: subprocess.Popen[bytes] = subprocess.Popen(
                worker_command(folder),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                cwd=folder,
                env=_environment(),
                close_fds=True,
            )
        except OSError as error:
            self._stderr.close()
            raise BuildWorkerError(
                f"the index build process could not be started ({error.strerror or error})",
                error.errno or 0,
            ) from error
        self._feeder = threading.Thread(
            target=self._feed, args=(rows,), name=f"briefreader-index-feed-{number}", daemon=True
        )
        self._reader = threading.Thread(
            target=self._read, args=(lines,), name=f"briefreader-index-read-{number}", daemon=True
        )
        self._feeder.start()
        self._reader.start()

    def _feed(self, rows: Iterable[Row]) -> None:
        # A batch at a time, so that the parent never holds more than a batch encoded.
        pipe = self.process.stdin
        assert pipe is not None
        try:
            pipe.write(json.dumps({"format": FORMAT, "sections": self.count}).encode() + b"\n")
            batch: list[str] = []
            for row in rows:
                batch.append(json.dumps(row))
                if len(batch) == _BATCH:
                    pipe.write(("\n".join(batch) + "\n").encode("utf-8"))
                    batch.clear()
            if batch:
                pipe.write(("\n".join(batch) + "\n").encode("utf-8"))
            pipe.close()
        except (OSError, ValueError):
            pass  # the worker died or was killed: its exit status says what happened

    def _read(self, lines: queue.Queue[tuple[int, str | None]]) -> None:
        pipe = self.process.stdout
        assert pipe is not None
        for raw in pipe:
            lines.put((self.number, raw.decode("utf-8", "replace").rstrip("\n")))
        lines.put((self.number, None))

    def stderr_tail(self) -> str:
        """The last line the worker wrote to its standard error (a traceback's last line)."""
        try:
            self._stderr.seek(0)
            text = self._stderr.read()[-4000:].decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""
        tail = [line.strip() for line in text.splitlines() if line.strip()]
        return tail[-1] if tail else ""

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()

    def close(self) -> None:
        self.process.wait()
        self._feeder.join()
        self._reader.join()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        self._stderr.close()


def run_workers(
    parts: Sequence[tuple[Path, int, Iterable[Row]]],
    progress: Callable[[int], None],
    cancelled: Callable[[], bool] | None,
    total: int,
) -> None:
    """Run one worker per ``(folder, count, rows)``, at once; return when each has written its
    segment. Tells ``progress`` the sections written by all, summed; kills them all and
    raises :class:`BuildCancelledError` when ``cancelled()`` says so, and
    :class:`BuildWorkerError` (naming which worker, and why) when one fails."""
    lines: queue.Queue[tuple[int, str | None]] = queue.Queue()
    workers: list[_Worker] = []
    try:
        for number, (folder, count, rows) in enumerate(parts):
            workers.append(_Worker(number, folder, count, rows, lines))
        open_pipes = len(workers)
        while open_pipes:
            if cancelled is not None and cancelled():
                done = sum(w.done for w in workers)
                raise BuildCancelledError(
                    f"The search index build was cancelled after {done} of {total} sections."
                )
            try:
                number, line = lines.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                continue
            worker = workers[number]
            if line is None:
                open_pipes -= 1
                _check_exit(worker, workers)
                continue
            _take(worker, line)
            if line.startswith("progress "):
                progress(sum(w.done for w in workers))
    finally:
        for worker in workers:
            worker.kill()
        for worker in workers:
            worker.close()


def _take(worker: _Worker, line: str) -> None:
    kind, _, rest = line.partition(" ")
    if kind in ("progress", "done"):
        try:
            worker.done = min(int(rest), worker.count)
        except ValueError:
            return
        worker.finished = kind == "done" and worker.done == worker.count
    elif kind == "error":
        code, _, message = rest.partition(" ")
        worker.errno = int(code) if code.isdigit() else 0
        worker.error = message


def _check_exit(worker: _Worker, workers: Sequence[_Worker]) -> None:
    """Called when a worker's output ends: raise unless it exited well, every section written."""
    started = time.monotonic()
    while (status := worker.process.poll()) is None and time.monotonic() - started < 5:
        time.sleep(0.01)
    if status is None:  # closed its output but runs on: not a worker of ours behaving
        worker.kill()
        status = worker.process.wait()
    if status == 0 and worker.finished:
        return
    if worker.error:
        why = worker.error
    elif status is not None and status < 0:
        why = f"it was killed by signal {-status}"
    else:
        why = f"it exited with status {status}"
        tail = worker.stderr_tail()
        if tail:
            why += f": {tail}"
    which = f"{worker.number + 1} of {len(workers)}" if len(workers) > 1 else "1"
    raise BuildWorkerError(
        f"index build process {which} failed after {worker.done} of its "
        f"{worker.count} sections: {why}",
        worker.errno,
    )


def split(total: int, count: int) -> list[tuple[int, int]]:
    """``count`` contiguous ranges covering ``range(total)``, as even as can be."""
    bounds = [total * n // count for n in range(count + 1)]
    return [(bounds[n], bounds[n + 1]) for n in range(count)]


def cpu_count() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def read_rows(stream: Iterable[bytes]) -> list[Row]:
    """What a worker reads from its standard input: the header, then exactly that many rows.

    Raises ValueError, naming the line, on anything else.
    """
    lines = iter(stream)
    try:
        header = json.loads(next(lines))
    except StopIteration:
        raise ValueError("no input") from None
    if (
        not isinstance(header, dict)
        or header.get("format") != FORMAT
        or not isinstance(header.get("sections"), int)
    ):
        raise ValueError(f"line 1 is not a header of format {FORMAT}")
    rows: list[Row] = []
    for number, line in enumerate(lines, start=2):
        row = json.loads(line)
        if (
            not isinstance(row, list)
            or len(row) != ROW_FIELDS
            or not all(isinstance(v, str) for v in row)
        ):
            raise ValueError(f"line {number} is not a list of {ROW_FIELDS} strings")
        rows.append((row[0], row[1], row[2], row[3], row[4], row[5]))
    if len(rows) != header["sections"]:
        raise ValueError(f"{len(rows)} sections sent of {header['sections']} announced")
    return rows


def os_error(error: BuildWorkerError) -> OSError | None:
    """The worker's failure as the OSError it was, when it was one (a full or read-only disk)."""
    if error.errno and error.errno in errno.errorcode:
        return OSError(error.errno, str(error))
    return None
