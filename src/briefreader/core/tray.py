"""The excerpt tray: the delegate's own collection of excerpts and notes, kept in SQLite.

Every change (add, remove, move, note, clear) is one transaction committed before the call
returns, so a process killed at any moment loses nothing already acknowledged. The file is in
WAL mode with ``synchronous=FULL``, and each commit is checkpointed into the tray file with
``wal_checkpoint(TRUNCATE)`` before the call returns: what the delegate was told is saved is in
``tray.sqlite`` itself, so a lost or damaged ``-wal`` file loses nothing acknowledged. Measured
on an SSD over 200 adds: 0.3 ms per change in WAL alone, 0.9 ms with the checkpoint, 1.6 ms in
rollback-journal mode (DELETE, FULL), which would also have readers wait on the writer. Changes
come at a person's pace, so the price is not felt.

One process writes a tray: the first to open it holds an OS lock on ``tray.sqlite.lock``
(``flock``; ``msvcrt.locking`` on Windows), dropped by the system when the process ends, however
it ends. A second window opens the tray read-only, shows the saved excerpts and says why; every
change there raises :class:`TrayError`. A tray that cannot be written for another reason (file
or folder read-only, disk full, another program locking it, a newer BriefReader's schema) is
also shown read-only, never replaced by an empty one; a newer schema is left untouched.

Opening never fails. A file that is not a tray (not a database, another program's, an older
schema, a failed integrity check) is renamed aside to ``tray.sqlite.damaged-<timestamp>`` (with
its ``-wal`` and ``-shm`` files, which must not be replayed into a new database) and a fresh tray
is started. A leftover ``-wal`` that fails its checksums is kept aside with a copy of the tray,
and the tray is opened without it. A text value whose bytes are not UTF-8 (``PRAGMA
integrity_check`` does not look inside values) is shown with U+FFFD and a ``damaged`` reason on
its item, and left in the file as it is. Where nothing saved can be read, a tray in memory serves
the session. Either way :attr:`TrayStore.message` says what happened, in words for the delegate.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import struct
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from briefreader.core.excerpts import Excerpt, excerpt_from_saved, sources_to_json

FILE_NAME = "tray.sqlite"
# Held (flock / msvcrt.locking) by the one process that may write the tray.
LOCK_NAME = FILE_NAME + ".lock"
SCHEMA_VERSION = 1
# Written into the file header so that a stray SQLite file is not taken for a tray.
APPLICATION_ID = 0x42525452  # "BRTR"

_SCHEMA = """
CREATE TABLE item (
    id INTEGER PRIMARY KEY,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    quote TEXT NOT NULL,
    sources TEXT NOT NULL,  -- JSON list of Source
    credit TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    added TEXT NOT NULL  -- ISO 8601, UTC
);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_COLUMNS = ("id", "position", "kind", "quote", "sources", "credit", "note", "added")


# A change aimed at an item that another change has removed.
GONE = "This excerpt is no longer in the tray."


class TrayError(Exception):
    """A change could not be saved; the message is for the delegate."""


@dataclass(frozen=True, slots=True)
class TrayItem:
    id: int
    excerpt: Excerpt
    note: str
    added: str  # ISO 8601, UTC
    # Why this item cannot be trusted as saved (its stored text is damaged), or "": the UI
    # marks such an item. Its text shows U+FFFD where the damaged bytes are.
    damaged: str = ""


class _DamagedError(Exception):
    pass


class _NewerError(Exception):
    """The tray was written by a newer BriefReader: read it, never write or set it aside."""


class TrayStore:
    """The tray's items in order. Use :meth:`open`; one store per process and thread.

    Only one process writes a tray: the first to open it holds :data:`LOCK_NAME`. Any other
    opens it read-only (:attr:`writable` is False), shows the saved excerpts, and every change
    raises :class:`TrayError` with :attr:`message`.
    """

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path | None,
        message: str,
        *,
        writable: bool = True,
        lock: _WriterLock | None = None,
    ) -> None:
        self._db = connection
        self._lock = lock
        self.path = path  # None: kept in memory, lost at exit
        self.message = message  # what the delegate should know about opening, or ""
        self.writable = writable  # False: the saved excerpts are shown, nothing can change
        self.problems: list[str] = []  # items that could not be read back, for the log

    # --- opening ------------------------------------------------------------------------------

    @classmethod
    def open(cls, folder: Path) -> TrayStore:
        """The tray in ``folder`` (``Locations.data``). Never raises.

        Saved excerpts are never hidden: when the tray cannot be written (another window has
        it, the file or folder is read-only, the disk is full, another program locks it, a
        newer BriefReader wrote it) it is opened read-only, with :attr:`message` saying why.
        """
        path = folder / FILE_NAME
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            return cls._in_memory(_unwritable(folder, error))
        try:
            lock = _WriterLock.acquire(folder / LOCK_NAME)
        except OSError as error:
            return cls._read_only(path, f"its folder cannot be written ({error})")
        if lock is None:
            return cls._read_only(path, "", other_window=True)
        message = ""
        try:
            if newer := _newer_version(path):
                lock.release()
                return cls._read_only(path, str(newer), newer=True)
            for _attempt in range(2):
                try:
                    connection, note = _open_file(path)
                    return cls(connection, path, message or note, lock=lock)
                except _NewerError as version:
                    lock.release()
                    return cls._read_only(path, str(version), newer=True)
                except _DamagedError as why:
                    aside = _set_aside(path)
                    message = (
                        f"The saved excerpt tray could not be read ({why}). It was kept as "
                        f"{aside.name} in {folder} and a new, empty tray was started."
                    )
        except (sqlite3.Error, OSError) as error:
            lock.release()
            return cls._read_only(path, _why_not_writable(error, folder))
        lock.release()
        return cls._in_memory(message or f"The excerpt tray in {folder} cannot be used.")

    @classmethod
    def _read_only(
        cls, path: Path, why: str, *, other_window: bool = False, newer: bool = False
    ) -> TrayStore:
        """The saved tray, read-only; a tray in memory only if there is nothing to show."""
        folder = path.parent
        if other_window:
            message = (
                "The excerpt tray is open in another BriefReader window, so this window shows "
                "it read-only: excerpts cannot be added or changed here. Use the other window, "
                "or close it and open BriefReader again."
            )
        elif newer:
            message = (
                f"The excerpt tray in {folder} was saved by a newer version of BriefReader "
                f"(tray version {why}; this version reads version {SCHEMA_VERSION}). "
                "This version shows it read-only and leaves it untouched: excerpts cannot be "
                "added or changed here."
            )
        else:
            message = (
                f"The excerpt tray in {folder} cannot be changed: {why}. Your saved excerpts "
                "are shown read-only; excerpts cannot be added or changed until this is fixed."
            )
        try:
            if not path.exists():
                # Nothing saved to show: a tray for this session is better than none.
                return cls._in_memory(_unwritable(folder, why or "another window has it"))
            connection = _open_read_only(path)
        except (sqlite3.Error, OSError) as error:
            why = _plain(error)
            if not os.access(path, os.R_OK):
                why = f"permission denied: this user may not read it; {why}"
            return cls._in_memory(
                f"The excerpt tray file {path} cannot be read ({why}). Excerpts you "
                "collect now are kept only until BriefReader closes: export them before you quit."
            )
        return cls(connection, path, message, writable=False)

    @classmethod
    def _in_memory(cls, message: str) -> TrayStore:
        connection = sqlite3.connect(":memory:", isolation_level=None)
        connection.text_factory = _decode
        connection.executescript(_SCHEMA)
        return cls(connection, None, message)

    @property
    def persistent(self) -> bool:
        """True when the items come from a file (even a read-only one); False: in memory."""
        return self.path is not None

    def close(self) -> None:
        self._db.close()
        if self._lock is not None:
            self._lock.release()

    # --- reading ------------------------------------------------------------------------------

    def items(self) -> tuple[TrayItem, ...]:
        """Every item in order.

        An item whose stored text is not valid UTF-8 is shown with U+FFFD where the bytes were
        and a :attr:`TrayItem.damaged` reason; the file is left as it is. An item that cannot be
        read at all (no usable source) is skipped and noted in :attr:`problems`.
        """
        rows = self._db.execute(
            "SELECT id, kind, quote, sources, credit, note, added FROM item ORDER BY position, id"
        ).fetchall()
        items = []
        self.problems = []
        for item_id, kind, quote, sources, credit, note, added in rows:
            try:
                excerpt = excerpt_from_saved(kind, str(quote), json.loads(sources), str(credit))
                if not excerpt.sources:
                    raise ValueError("no source")
            except (ValueError, TypeError, AttributeError, KeyError) as error:
                self.problems.append(f"tray item {item_id} cannot be read: {error}")
                continue
            columns = {"quote": quote, "source": sources, "credit": credit, "note": note}
            bad = [name for name, value in columns.items() if isinstance(value, _Undecodable)]
            damaged = ""
            if bad or isinstance(added, _Undecodable):
                damaged = (
                    f"Part of this excerpt's saved text ({', '.join(bad) or 'date'}) is damaged: "
                    "characters that could not be read are shown as \ufffd. Check it against "
                    "the briefing before you quote it."
                )
                self.problems.append(f"tray item {item_id} has damaged text: {', '.join(bad)}")
            items.append(TrayItem(item_id, excerpt, str(note), str(added), damaged))
        return tuple(items)

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM item").fetchone()[0])

    # --- changing: each call is one committed transaction -------------------------------------

    def add(self, excerpt: Excerpt, note: str = "", index: int | None = None) -> TrayItem:
        """Add an excerpt at ``index`` (the end by default)."""
        added = datetime.now(UTC).isoformat(timespec="seconds")
        sources = json.dumps(sources_to_json(excerpt), ensure_ascii=False)
        with self._write():
            ids = self._ids()
            index = len(ids) if index is None else max(0, min(index, len(ids)))
            cursor = self._db.execute(
                "INSERT INTO item (position, kind, quote, sources, credit, note, added) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (index, excerpt.kind.value, excerpt.quote, sources, excerpt.credit, note, added),
            )
            item_id = int(cursor.lastrowid or 0)
            ids.insert(index, item_id)
            self._renumber(ids)
        return TrayItem(item_id, excerpt, note, added)

    def remove(self, item_id: int) -> None:
        with self._write():
            if self._db.execute("DELETE FROM item WHERE id = ?", (item_id,)).rowcount == 0:
                raise TrayError(GONE)
            self._renumber(self._ids())

    def move(self, item_id: int, index: int) -> None:
        """Put an item at ``index`` in the order (clamped to the ends)."""
        with self._write():
            ids = self._ids()
            if item_id not in ids:
                raise TrayError(GONE)
            ids.remove(item_id)
            ids.insert(max(0, min(index, len(ids))), item_id)
            self._renumber(ids)

    def set_note(self, item_id: int, note: str) -> None:
        with self._write():
            cursor = self._db.execute("UPDATE item SET note = ? WHERE id = ?", (note, item_id))
            if cursor.rowcount == 0:
                raise TrayError(GONE)

    def clear(self) -> tuple[TrayItem, ...]:
        """Remove everything; returns what was removed, for :meth:`restore` (undo)."""
        items = self.items()
        with self._write():
            self._db.execute("DELETE FROM item")
        return items

    def restore(self, items: tuple[TrayItem, ...]) -> tuple[TrayItem, ...]:
        """Put cleared items back in front of anything added since, keeping their notes.

        Returns them with their new ids.
        """
        restored = []
        with self._write():
            current = self._ids()
            for item in items:
                cursor = self._db.execute(
                    "INSERT INTO item (position, kind, quote, sources, credit, note, added) "
                    "VALUES (0, ?, ?, ?, ?, ?, ?)",
                    (
                        item.excerpt.kind.value,
                        item.excerpt.quote,
                        json.dumps(sources_to_json(item.excerpt), ensure_ascii=False),
                        item.excerpt.credit,
                        item.note,
                        item.added,
                    ),
                )
                restored.append(
                    TrayItem(int(cursor.lastrowid or 0), item.excerpt, item.note, item.added)
                )
            self._renumber([i.id for i in restored] + current)
        return tuple(restored)

    def _ids(self) -> list[int]:
        return [row[0] for row in self._db.execute("SELECT id FROM item ORDER BY position, id")]

    def _renumber(self, ids: list[int]) -> None:
        self._db.executemany(
            "UPDATE item SET position = ? WHERE id = ? AND position != ?",
            [(n, i, n) for n, i in enumerate(ids)],
        )

    def _write(self) -> _Transaction:
        if not self.writable:
            raise TrayError(self.message)
        return _Transaction(self._db, checkpoint=self.path is not None)


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, then a checkpoint; or ROLLBACK and a :class:`TrayError`."""

    def __init__(self, db: sqlite3.Connection, *, checkpoint: bool) -> None:
        self._db = db
        self._checkpoint = checkpoint

    def __enter__(self) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise TrayError(f"The excerpt tray cannot be changed: {error}.") from error

    def __exit__(self, kind: type[BaseException] | None, value: object, tb: object) -> None:
        try:
            self._db.execute("COMMIT" if kind is None else "ROLLBACK")
        except sqlite3.Error as error:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise TrayError(f"The change to the excerpt tray was not saved: {error}.") from error
        if isinstance(value, sqlite3.Error):
            raise TrayError(f"The change to the excerpt tray was not saved: {value}.") from value
        if kind is None and self._checkpoint:
            _checkpoint(self._db)


def _checkpoint(db: sqlite3.Connection) -> bool:
    """Copy what was just committed from the WAL into the tray file itself; True if all of it.

    The commit is already durable in the WAL (``synchronous=FULL``), but a WAL is a second file
    that can be lost or damaged on its own; once checkpointed, the tray file alone holds every
    acknowledged change. TRUNCATE also empties the WAL, so a WAL found non-empty at start means
    a write was cut short. It waits (``busy_timeout``) for a reader in another window to finish;
    should it still not complete, the next change's checkpoint takes both.
    """
    try:
        busy, _log, _done = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.Error:
        return False
    return int(busy) == 0


class _WriterLock:
    """An OS lock on ``tray.sqlite.lock``, held while this process may write the tray.

    ``flock`` (POSIX) and ``msvcrt.locking`` (Windows) belong to the open file: the system drops
    them when the process ends, however it ends, so a killed window leaves no stale lock. The
    lock file itself is never removed (removing it would let two processes lock two files).
    """

    def __init__(self, fd: int) -> None:
        self._fd = fd

    @classmethod
    def acquire(cls, path: Path) -> _WriterLock | None:
        """The lock, or None if another process holds it; OSError if it cannot be made."""
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            os.close(fd)
            if isinstance(error, BlockingIOError) or error.errno in _HELD:
                return None
            raise
        return cls(fd)

    def release(self) -> None:
        fd, self._fd = self._fd, -1
        if fd >= 0:
            # Closing the file drops the lock (on Windows too, where the region is unlocked
            # when its file is closed).
            os.close(fd)

    def __del__(self) -> None:
        # A store dropped without close() must not keep the tray locked for the process's life.
        self.release()


# What a non-blocking lock attempt reports when another process holds the lock.
_HELD = {errno.EAGAIN, errno.EACCES, getattr(errno, "EDEADLOCK", errno.EDEADLK)}


class _Undecodable(str):
    """Stored text that was not valid UTF-8, decoded with U+FFFD where the bad bytes were."""

    __slots__ = ()


def _decode(data: bytes) -> str:
    """The connection's ``text_factory``: one damaged value must not make the tray unreadable.

    ``PRAGMA integrity_check`` does not look inside text values, so a flipped byte in a quote
    passes it; Python's default factory would then fail the whole read with "Could not decode
    to UTF-8".
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _Undecodable(data.decode("utf-8", errors="replace"))


def _connect(target: str | Path, *, uri: bool = False) -> sqlite3.Connection:
    # Autocommit mode: transactions are explicit (see _Transaction), nothing is left pending.
    connection = sqlite3.connect(target, isolation_level=None, uri=uri)
    connection.text_factory = _decode
    connection.execute("PRAGMA busy_timeout = 2000")
    return connection


def _open_file(path: Path) -> tuple[sqlite3.Connection, str]:
    """Open (or create) the tray file for writing, with a message for the delegate or "".

    ``_DamagedError`` if it is not a usable tray, ``_NewerError`` for a newer schema.
    """
    message = _set_aside_damaged_wal(path)
    connection = _connect(path)
    try:
        try:
            empty = _check(connection)
            mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.DatabaseError as error:
            if isinstance(error, sqlite3.OperationalError) and _is_access_problem(error):
                raise
            raise _DamagedError(str(error)) from error
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"the file system does not allow WAL ({mode})")
        connection.execute("PRAGMA synchronous = FULL")
        if empty:
            connection.executescript(
                f"BEGIN IMMEDIATE; {_SCHEMA}"
                f"PRAGMA application_id = {APPLICATION_ID};"
                f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            )
        # A real write at every start: a tray that cannot be saved is found now, not when the
        # delegate's first excerpt would be lost. Its checkpoint also moves whatever a killed
        # process left in the WAL into the tray file.
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('opened', ?)",
            (datetime.now(UTC).isoformat(timespec="seconds"),),
        )
        connection.execute("COMMIT")
        if not _checkpoint(connection):
            raise sqlite3.OperationalError("the tray file could not be brought up to date")
    except BaseException:
        connection.close()
        raise
    return connection, message


def _open_read_only(path: Path) -> sqlite3.Connection:
    """The tray file opened so that nothing can be written to it; sqlite3.Error if unreadable.

    A WAL database needs its ``-shm`` file even to read; where that cannot be made (a read-only
    folder), the file is read as immutable: no WAL, no locks. Every acknowledged change is in
    the tray file itself (see :func:`_checkpoint`), so nothing saved is missed.
    """
    uri = path.absolute().as_uri()
    error: sqlite3.Error | None = None
    for query in ("?mode=ro", "?mode=ro&immutable=1"):
        connection = _connect(uri + query, uri=True)
        try:
            if connection.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                raise sqlite3.DatabaseError("it is not an excerpt tray")
            connection.execute(
                "SELECT id, kind, quote, sources, credit, note, added FROM item LIMIT 1"
            ).fetchall()
        except sqlite3.Error as why:
            connection.close()
            error = why
            continue
        return connection
    assert error is not None
    raise error


def _check(connection: sqlite3.Connection) -> bool:
    """True for a new, empty database; ``_DamagedError`` for anything that is not our tray."""
    # An empty file, or one whose creation was cut short before its first commit, is new.
    if connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
        return True
    application_id = connection.execute("PRAGMA application_id").fetchone()[0]
    if application_id != APPLICATION_ID:
        raise _DamagedError("it is not an excerpt tray")
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise _NewerError(str(version))
    if version != SCHEMA_VERSION:
        raise _DamagedError(
            f"it has version {version}; this BriefReader reads version {SCHEMA_VERSION}"
        )
    result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        raise _DamagedError(f"the integrity check failed: {'; '.join(result[:3])}")
    columns = tuple(row[1] for row in connection.execute("PRAGMA table_info(item)"))
    if columns != _COLUMNS:
        raise _DamagedError("its table of items has other columns")
    return False


def _newer_version(path: Path) -> int:
    """The schema version of a tray written by a newer BriefReader (else 0), from the header.

    Checked before SQLite opens the file for writing, so that nothing (not even a WAL replay)
    touches a newer release's tray. OSError if the file exists but cannot be read.
    """
    try:
        with path.open("rb") as file:
            header = file.read(100)
    except FileNotFoundError:
        return 0
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return 0
    version = int.from_bytes(header[60:64], "big")
    application_id = int.from_bytes(header[68:72], "big")
    return version if application_id == APPLICATION_ID and version > SCHEMA_VERSION else 0


_WAL_MAGIC = (0x377F0682, 0x377F0683)


def _wal_damage(data: bytes) -> str:
    """Why a leftover WAL is damaged, or "" if it is a clean prefix of what SQLite wrote.

    The format (sqlite.org/fileformat2.html, "WAL file format"): a 32-byte header whose last
    8 bytes checksum its first 24, then frames of a 24-byte header and one page, each frame's
    checksum continuing the previous one. A frame cut short at the end is what a killed write
    leaves and is not damage; a full frame whose checksum fails, or a broken header, is.
    """
    if not data:
        return ""
    if len(data) < 32:
        return "it is cut short"
    magic, _version, page_size, _seq, salt1, salt2, sum1, sum2 = struct.unpack(">8I", data[:32])
    if magic not in _WAL_MAGIC or not 512 <= page_size <= 65536:
        return "it is not a SQLite journal"
    order = ">" if magic & 1 else "<"
    sums = _wal_checksum(data[:24], (0, 0), order)
    if sums != (sum1, sum2):
        return "its header does not match its checksum"
    offset, frame = 32, 24 + page_size
    while offset + frame <= len(data):
        page, _size, frame_salt1, frame_salt2, want1, want2 = struct.unpack(
            ">6I", data[offset : offset + 24]
        )
        if (frame_salt1, frame_salt2) != (salt1, salt2):
            break  # frames left from before the WAL was restarted: not part of this log
        sums = _wal_checksum(data[offset : offset + 8], sums, order)
        sums = _wal_checksum(data[offset + 24 : offset + frame], sums, order)
        if sums != (want1, want2) or page == 0:
            return f"its frame {(offset - 32) // frame + 1} does not match its checksum"
        offset += frame
    return ""


def _wal_checksum(data: bytes, sums: tuple[int, int], order: str) -> tuple[int, int]:
    words = struct.unpack(f"{order}{len(data) // 4}I", data)
    first, second = sums
    for index in range(0, len(words), 2):
        first = (first + words[index] + second) & 0xFFFFFFFF
        second = (second + words[index + 1] + first) & 0xFFFFFFFF
    return first, second


def _set_aside_damaged_wal(path: Path) -> str:
    """Keep a damaged leftover WAL, with a copy of the tray, before SQLite can replay it.

    SQLite would silently stop at the damage; the delegate is told instead, and the WAL as it
    was is kept beside a copy of the tray file (never written over). The tray file itself holds
    every acknowledged change (see :func:`_checkpoint`) and is opened without the WAL.
    """
    wal = path.with_name(path.name + "-wal")
    try:
        why = _wal_damage(wal.read_bytes())
    except FileNotFoundError:
        return ""
    if not why:
        return ""
    aside = _aside_name(path)
    if path.exists():
        shutil.copy2(path, aside)
    wal.rename(aside.with_name(aside.name + "-wal"))
    shm = path.with_name(path.name + "-shm")
    if shm.exists():
        shm.rename(aside.with_name(aside.name + "-shm"))
    return (
        f"The excerpt tray's journal ({wal.name}) was damaged ({why}), probably when "
        f"BriefReader was stopped while saving. Your saved excerpts were read from the tray "
        f"itself; the journal as it was, with a copy of the tray, is kept as {aside.name} "
        f"in {path.parent}."
    )


def _is_access_problem(error: sqlite3.OperationalError) -> bool:
    text = str(error).lower()
    return any(
        words in text
        for words in ("unable to open", "readonly", "read-only", "disk i/o", "locked", "full")
    )


def _why_not_writable(error: BaseException, folder: Path) -> str:
    """The reason a tray cannot be written, in the delegate's words."""
    text = str(error).lower()
    if isinstance(error, PermissionError) or "readonly" in text or "read-only" in text:
        reason = "the file or its folder is read-only"
    elif "full" in text or getattr(error, "errno", None) == errno.ENOSPC or _disk_full(folder):
        reason = "the disk is full"
    elif "locked" in text or "busy" in text:
        reason = "another program is using the tray file"
    else:
        reason = "it cannot be written"
    return f"{reason} ({_plain(error)})"


def _disk_full(folder: Path) -> bool:
    # A full disk often reaches SQLite as "disk I/O error" (it cannot grow the -shm file).
    try:
        return shutil.disk_usage(folder).free < 64 * 1024
    except OSError:
        return False


def _plain(error: BaseException) -> str:
    return str(error) or type(error).__name__


def _aside_name(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    number = 1
    while any(aside.with_name(aside.name + suffix).exists() for suffix in ("", "-wal", "-shm")):
        number += 1
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{number}")
    return aside


def _set_aside(path: Path) -> Path:
    aside = _aside_name(path)
    path.rename(aside)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(aside.with_name(aside.name + suffix))
    return aside


def _unwritable(folder: Path, error: BaseException | str) -> str:
    return (
        f"The excerpt tray cannot be saved in {folder} ({error}). Excerpts you collect now "
        "are kept only until BriefReader closes: export them before you quit."
    )
