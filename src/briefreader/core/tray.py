"""The excerpt tray: the delegate's own collection of excerpts and notes, kept in SQLite.

Every change (add, remove, move, note, clear) is one transaction committed before the call
returns, so a process killed at any moment loses nothing already acknowledged. The file is
in WAL mode with ``synchronous=FULL``: WAL alone survives a killed process, FULL also
survives the laptop losing power (a delegate's battery running out), at the price of one
fsync per change. Changes come at the pace of a person, and a commit measured about a
millisecond on an SSD, so that price is not felt.

Opening never fails. A file that is not a tray (not a database, another schema, a failed
integrity check) is renamed aside to ``tray.sqlite.damaged-<timestamp>`` (with its ``-wal``
and ``-shm`` files, which must not be replayed into a new database) and a fresh tray is
started; a folder that cannot be written gives a tray in memory for the session. Either way
:attr:`TrayStore.message` says what happened, in words for the delegate.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from briefreader.core.excerpts import Excerpt, excerpt_from_saved, sources_to_json

FILE_NAME = "tray.sqlite"
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


class TrayError(Exception):
    """A change could not be saved; the message is for the delegate."""


@dataclass(frozen=True, slots=True)
class TrayItem:
    id: int
    excerpt: Excerpt
    note: str
    added: str  # ISO 8601, UTC


class _DamagedError(Exception):
    pass


class TrayStore:
    """The tray's items in order. Use :meth:`open`; one store per process and thread."""

    def __init__(self, connection: sqlite3.Connection, path: Path | None, message: str) -> None:
        self._db = connection
        self.path = path  # None: kept in memory, lost at exit
        self.message = message  # what the delegate should know about opening, or ""
        self.problems: list[str] = []  # items that could not be read back, for the log

    # --- opening ------------------------------------------------------------------------------

    @classmethod
    def open(cls, folder: Path) -> TrayStore:
        """The tray in ``folder`` (``Locations.data``). Never raises."""
        path = folder / FILE_NAME
        message = ""
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            return cls._in_memory(_unwritable(folder, error))
        for _attempt in range(2):
            try:
                return cls(_open_file(path), path, message)
            except _DamagedError as why:
                try:
                    aside = _set_aside(path)
                except OSError as error:
                    return cls._in_memory(_unwritable(folder, error))
                message = (
                    f"The saved excerpt tray could not be read ({why}). It was kept as "
                    f"{aside.name} in {folder} and a new, empty tray was started."
                )
            except (sqlite3.Error, OSError) as error:
                return cls._in_memory(_unwritable(folder, error))
        return cls._in_memory(message or f"The excerpt tray in {folder} cannot be used.")

    @classmethod
    def _in_memory(cls, message: str) -> TrayStore:
        connection = sqlite3.connect(":memory:", isolation_level=None)
        connection.executescript(_SCHEMA)
        return cls(connection, None, message)

    @property
    def persistent(self) -> bool:
        return self.path is not None

    def close(self) -> None:
        self._db.close()

    # --- reading ------------------------------------------------------------------------------

    def items(self) -> tuple[TrayItem, ...]:
        """Every item in order. An item that cannot be read is skipped and noted in problems."""
        rows = self._db.execute(
            "SELECT id, kind, quote, sources, credit, note, added FROM item ORDER BY position, id"
        ).fetchall()
        items = []
        self.problems = []
        for item_id, kind, quote, sources, credit, note, added in rows:
            try:
                excerpt = excerpt_from_saved(kind, quote, json.loads(sources), credit)
                if not excerpt.sources:
                    raise ValueError("no source")
            except (ValueError, TypeError) as error:
                self.problems.append(f"tray item {item_id} cannot be read: {error}")
                continue
            items.append(TrayItem(item_id, excerpt, note, added))
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
            self._db.execute("DELETE FROM item WHERE id = ?", (item_id,))
            self._renumber(self._ids())

    def move(self, item_id: int, index: int) -> None:
        """Put an item at ``index`` in the order (clamped to the ends)."""
        with self._write():
            ids = self._ids()
            if item_id not in ids:
                return
            ids.remove(item_id)
            ids.insert(max(0, min(index, len(ids))), item_id)
            self._renumber(ids)

    def set_note(self, item_id: int, note: str) -> None:
        with self._write():
            self._db.execute("UPDATE item SET note = ? WHERE id = ?", (note, item_id))

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
        return _Transaction(self._db)


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK and a :class:`TrayError` for the delegate."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

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


def _open_file(path: Path) -> sqlite3.Connection:
    """Open (or create) the tray file; ``_DamagedError`` if it is not a usable tray."""
    # Autocommit mode: transactions are explicit (see _Transaction), nothing is left pending.
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA busy_timeout = 2000")
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
        # delegate's first excerpt would be lost.
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('opened', ?)",
            (datetime.now(UTC).isoformat(timespec="seconds"),),
        )
        connection.execute("COMMIT")
    except BaseException:
        connection.close()
        raise
    return connection


def _check(connection: sqlite3.Connection) -> bool:
    """True for a new, empty database; ``_DamagedError`` for anything that is not our tray."""
    # An empty file, or one whose creation was cut short before its first commit, is new.
    if connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
        return True
    application_id = connection.execute("PRAGMA application_id").fetchone()[0]
    if application_id != APPLICATION_ID:
        raise _DamagedError("it is not an excerpt tray")
    version = connection.execute("PRAGMA user_version").fetchone()[0]
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


def _is_access_problem(error: sqlite3.OperationalError) -> bool:
    text = str(error).lower()
    return any(
        words in text
        for words in ("unable to open", "readonly", "read-only", "disk i/o", "locked", "full")
    )


def _set_aside(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    number = 1
    while aside.exists():
        number += 1
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{number}")
    path.rename(aside)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(aside.with_name(aside.name + suffix))
    return aside


def _unwritable(folder: Path, error: BaseException) -> str:
    return (
        f"The excerpt tray cannot be saved in {folder} ({error}). Excerpts you collect now "
        "are kept only until BriefReader closes: export them before you quit."
    )
