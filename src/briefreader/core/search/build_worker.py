"""The index build worker: one segment of the index, written in a process of its own.

Run as ``briefreader --build-index-part FOLDER`` (``workers.WORKER_FLAG``; the CLI hands it
here before it parses anything else or imports Qt). It reads its sections from standard input
(``workers.read_rows``: JSON, never a pickle), writes them into a new index in FOLDER with the
same writer as an in-process build (``index.write_documents``, one segment), and tells the
parent on standard output how far it is (``progress N``), then ``done N``, or
``error ERRNO MESSAGE`` and exit status 1. It never prints a traceback: the parent names the
failure in its own words.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from briefreader.core.model import Section, Speaker
from briefreader.core.search import engine
from briefreader.core.search.index import schema, write_documents
from briefreader.core.search.workers import Row, read_rows

WORKER_NICENESS = 10  # added to the parent's: see _yield_to_the_reader


def sections_from(rows: list[Row]) -> tuple[Section, ...]:
    """The rows as the sections ``write_documents`` takes: only what the index holds is set
    (the speaker's label stands whole as its name, which is what ``label()`` returns)."""
    return tuple(
        Section(
            id=sid,
            anchor="",
            theme_id=theme,
            document_id=document,
            part="",
            title=title,
            markdown="",
            text=text,
            speaker=Speaker(speaker, "", "") if speaker else None,
            path="",
            line=0,
        )
        for sid, theme, document, title, text, speaker in rows
    )


def main(argv: list[str], stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> int:
    source = stdin if stdin is not None else sys.stdin.buffer
    out = stdout if stdout is not None else sys.stdout.buffer

    def say(line: str) -> None:
        out.write(line.encode("utf-8", "backslashreplace") + b"\n")
        out.flush()

    _die_with_parent()
    _yield_to_the_reader()
    try:
        if len(argv) != 1:
            raise ValueError("expected one argument: the folder to write the segment in")
        folder = Path(argv[0])
        try:
            rows = read_rows(source)
        except ValueError as error:
            raise ValueError(f"bad input from the parent: {error}") from None
        sections = sections_from(rows)
        del rows
        ix = engine.create_index(str(folder), schema())
        write_documents(ix, sections, lambda done, _total: say(f"progress {done}"))
        ix.close()
        say(f"done {len(sections)}")
    except BrokenPipeError:
        return 1  # the parent is gone: nobody is waiting for this segment
    except OSError as error:
        _report(say, error.errno or 0, error.strerror or str(error))
        return 1
    except Exception as error:  # said to the parent, which names it; never a traceback
        _report(say, 0, f"{type(error).__name__}: {error}")
        return 1
    return 0


def _die_with_parent() -> None:
    """Have Linux kill this worker when the thread that started it ends (with its process).

    Otherwise a killed app's workers would write on into a folder the next start removes,
    until their next progress line found the pipe broken (at 1000×, Whoosh's commit is
    minutes without one). The parent waits for its workers on the thread that started them,
    so that thread outlives them. Elsewhere, the broken pipe alone ends them.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # no prctl: the broken pipe still ends it


def _yield_to_the_reader() -> None:
    """Run at a lower priority than the app: a large build keeps both cores of a small laptop
    busy for a minute, and the delegate reads and types meanwhile. On an idle machine it
    costs the build nothing (the scheduler gives an idle core to whoever asks)."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(WORKER_NICENESS)


def _report(say: Callable[[str], None], code: int, message: str) -> None:
    with contextlib.suppress(OSError):  # the parent is gone
        say(f"error {code} {' '.join(message.split())}")
