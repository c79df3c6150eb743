"""Advisory file locks between processes: which index folders are in use, and who cleans.

An OS lock, not a lock file's existence: a killed process holds nothing, so its folders
can be cleaned by the next process that looks. POSIX uses ``fcntl.flock`` (shared and
exclusive); Windows uses ``msvcrt.locking``, which locks byte ranges exclusively: a shared
holder there locks one byte of a range, an exclusive one the whole range.

Locks are per open file, not per process: two stores in one process that lock the same
file exclude each other like two processes would.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path
from types import TracebackType

POLL_SECONDS = 0.05  # how often a blocking lock is retried (a build holds one for seconds)

Span = tuple[int, int]  # (offset, length) of the bytes locked (Windows locks byte ranges)

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt
    import random

    # Windows has no shared lock: a shared holder locks one byte of its choosing in
    # 1..WINDOWS_SPAN, and an exclusive one locks them all, so it fails while any is held.
    WINDOWS_SPAN = 1 << 20

    def _try_lock(fd: int, exclusive: bool) -> Span | None:
        if exclusive:
            spans = [(0, WINDOWS_SPAN + 1)]
        else:
            spans = [(1 + random.randrange(WINDOWS_SPAN), 1) for _ in range(8)]
        for offset, length in spans:
            try:
                os.lseek(fd, offset, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_NBLCK, length)
            except OSError:
                continue
            return offset, length
        return None

    def _unlock(fd: int, span: Span) -> None:
        with contextlib.suppress(OSError):
            os.lseek(fd, span[0], os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, span[1])

else:
    import fcntl

    def _try_lock(fd: int, exclusive: bool) -> Span | None:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            return None
        return 0, 0

    def _unlock(fd: int, span: Span) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class FileLock:
    """A lock on ``path`` (created if missing, mode 0600), held until :meth:`release`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._span: Span = (0, 0)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, *, exclusive: bool, blocking: bool) -> bool:
        """Take the lock; False if ``blocking`` is False and someone holds it.

        Raises OSError when the lock file cannot be opened or created (a read-only folder).
        """
        if self._fd is not None:
            raise RuntimeError(f"{self.path} is already locked by this object")
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(self.path, flags, 0o600)
        try:
            while (span := _try_lock(fd, exclusive)) is None:
                if not blocking:
                    os.close(fd)
                    return False
                time.sleep(POLL_SECONDS)
        except BaseException:
            os.close(fd)
            raise
        self._fd, self._span = fd, span
        return True

    def release(self, *, unlink: bool = False) -> None:
        """Let go (and first remove the lock file, if asked: only when it is no longer needed)."""
        if self._fd is None:
            return
        if unlink:
            with contextlib.suppress(OSError):
                self.path.unlink()
        try:
            _unlock(self._fd, self._span)
        finally:
            os.close(self._fd)
            self._fd = None

    def __del__(self) -> None:
        # A store dropped without close() must not keep its folder from being cleaned.
        with contextlib.suppress(Exception):
            self.release()

    def __enter__(self) -> FileLock:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
