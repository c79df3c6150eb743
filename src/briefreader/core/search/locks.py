"""Advisory file locks between processes: which index folders are in use, and who cleans.

An OS lock, not a lock file's existence: a killed process holds nothing, so its folders
can be cleaned by the next process that looks. POSIX uses ``fcntl.flock`` (shared and
exclusive); Windows uses ``msvcrt.locking``, which has exclusive locks only: a shared lock
there is not taken, which is safe because Windows does not let a process delete files
another process has open (the cleaner's removal fails, and is retried later).

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

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int, exclusive: bool) -> bool:
        if not exclusive:
            return True
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def _try_lock(fd: int, exclusive: bool) -> bool:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class FileLock:
    """A lock on ``path`` (created if missing, mode 0600), held until :meth:`release`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(
        self,
        *,
        exclusive: bool,
        blocking: bool,
        cancelled: object = None,
    ) -> bool:
        """Take the lock; False if ``blocking`` is False and someone holds it.

        Raises OSError when the lock file cannot be opened or created (a read-only folder).
        A blocking wait polls, and gives up (False) when ``cancelled()`` says so.
        """
        if self._fd is not None:
            raise RuntimeError(f"{self.path} is already locked by this object")
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(self.path, flags, 0o600)
        try:
            while not _try_lock(fd, exclusive):
                if not blocking or (callable(cancelled) and cancelled()):
                    os.close(fd)
                    return False
                time.sleep(POLL_SECONDS)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return True

    def release(self, *, unlink: bool = False) -> None:
        """Let go (and first remove the lock file, if asked: only when it is no longer needed)."""
        if self._fd is None:
            return
        if unlink:
            with contextlib.suppress(OSError):
                self.path.unlink()
        try:
            _unlock(self._fd)
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
