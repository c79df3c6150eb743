"""The loaded briefing kept in the cache folder as JSON, so that a start skips the loader.

Loading the bundled briefing parses 20 TOML files and checks every figure, note and link
against the text: about 18 ms, and importing the loader (tomllib, hashlib, its regular
expressions) about 15 ms more, all before the window's first paint (bench/README.md,
"Starting"). Reading the same briefing back from JSON takes about 2 ms, with nothing
imported but ``json``, whose parser is written in C.

The kept briefing is used only if nothing it was loaded from has changed: every file the
loader looked for (the manifest, each theme file it names, the optional files, missing ones
included) must have the same size, modification and change time and inode as when the
loader read it. A write to a file always moves its change time, which no program can set
back, so an edited content file is never served stale; a file changed within two seconds
of being read is not trusted to show it (timestamps are coarser than an edit; git's "racy"
rule), and such a briefing is not kept. The app's version, the cache's format and the
loader's and model's own files are part of the key too, so that a new release, or a
loader changed in a checkout, loads again.

A briefing with problems is not kept: the content is being written, and every start
reports its problems afresh. A damaged, truncated or foreign file (its CRC-32 is checked
before it is parsed) is ignored, without a word to the reader, and written again. Like the
search index and the page cache, this is a cache: deleted, it is written again;
unwritable, every start loads the content as before.
"""

from __future__ import annotations

import os
import time
import zlib
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from briefreader import __version__
from briefreader.core.model import (
    Briefing,
    Document,
    EditorMark,
    EditorNote,
    Figure,
    Repair,
    ResponseLink,
    Section,
    Speaker,
    Theme,
)

FILE_NAME = "briefing.json"
# Bumped when the file's layout changes, so that files in an older layout are ignored.
FORMAT = "1"
_MAGIC = "BriefReader briefing"
# A file changed this recently when it was read may change again within the same tick of
# the file system's clock, unseen: such a briefing is loaded again next time (nanoseconds).
_RACY_NS = 2_000_000_000
_MODEL = (
    Briefing,
    Document,
    EditorMark,
    EditorNote,
    Figure,
    Repair,
    ResponseLink,
    Section,
    Speaker,
    Theme,
)
_CODE = ("content.py", "content_cache.py", "limits.py", "model.py")


def _signature(stat: os.stat_result | None) -> list[int] | None:
    if stat is None:
        return None
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def _code_key() -> list[Any]:
    """The loader's and model's files (absent in a frozen build: its version says it) and the
    model's fields, so that a changed loader or model never reads what an older one kept."""
    here = Path(__file__).parent
    code = [[name, _signature(_stat(here / name))] for name in _CODE]
    model = [[cls.__name__, [f.name for f in fields(cls) if f.init]] for cls in _MODEL]
    return [__version__, FORMAT, code, model]


def _encode(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return [_encode(getattr(value, f.name)) for f in fields(value) if f.init]
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    return value


def _section(row: list[Any]) -> Section:
    speaker = Speaker(*row[8]) if row[8] is not None else None
    r = row
    return Section(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], speaker,
        r[9], r[10], r[11], r[12], tuple(r[13]), tuple(r[14]),
    )  # fmt: skip


def _decode(row: list[Any]) -> Briefing:
    """The briefing from its JSON rows (fields in the model's order, which the key holds)."""
    (title, edition, documents, themes, figures, synonyms, problems, fingerprint, *rest) = row
    repairs, marks, notes, links = rest
    if problems:
        raise ValueError("a briefing with problems is never kept")
    return Briefing(
        title=title,
        edition=edition,
        documents=tuple(Document(*d) for d in documents),
        themes=tuple(Theme(t[0], t[1], tuple(_section(s) for s in t[2])) for t in themes),
        figures=tuple(
            Figure(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], tuple(f[9]))
            for f in figures
        ),
        synonyms=tuple(tuple(group) for group in synonyms),
        problems=(),
        fingerprint=fingerprint,
        repairs=tuple(Repair(*r) for r in repairs),
        marks=tuple(EditorMark(*m) for m in marks),
        notes=tuple(EditorNote(*n) for n in notes),
        links=tuple(ResponseLink(k[0], k[1], k[2], tuple(k[3]), tuple(k[4])) for k in links),
    )


class BriefingCache:
    """One file, ``briefing.json`` in the cache folder: a header line, then the JSON."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE_NAME
        self._pending: tuple[list[Any], Briefing] | None = None

    def load(self, root: Path) -> Briefing:
        """The briefing in the content folder ``root``: kept, if nothing changed, else loaded
        (raises ``ContentError`` as the loader does) and kept by the next :meth:`save`."""
        self._pending = None
        kept = self._read(root)
        if kept is not None:
            return kept
        from briefreader.core.content import load_briefing_consulted

        started = time.time_ns()
        briefing, consulted = load_briefing_consulted(root)
        if not briefing.problems and not any(
            stat is not None and max(stat.st_mtime_ns, stat.st_ctime_ns) > started - _RACY_NS
            for _, stat in consulted
        ):
            files = [[rel, _signature(stat)] for rel, stat in consulted]
            self._pending = (self._key(root, files), briefing)
        return briefing

    @property
    def has_pending(self) -> bool:
        """A briefing was loaded, not read back, and can be kept."""
        return self._pending is not None

    def save(self) -> None:
        """Keep the briefing :meth:`load` loaded, if it should be; a failure is ignored (the
        next start loads the content again)."""
        if self._pending is None:
            return
        key, briefing = self._pending
        self._pending = None
        import json

        from briefreader.core.atomic import write_atomic

        body = json.dumps(
            {"key": key, "briefing": _encode(briefing)}, ensure_ascii=False, separators=(",", ":")
        )
        data = body.encode("utf-8")
        header = f"{_MAGIC} {FORMAT} {zlib.crc32(data):08x}\n".encode("ascii")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, header + data, durable=False)
        except OSError:
            pass

    def _key(self, root: Path, files: list[Any]) -> list[Any]:
        return [_code_key(), str(root.absolute()), files]

    def _read(self, root: Path) -> Briefing | None:
        try:
            data = self.path.read_bytes()
        except OSError:
            return None
        header, _, body = data.partition(b"\n")
        if header != f"{_MAGIC} {FORMAT} {zlib.crc32(body):08x}".encode("ascii"):
            return None
        import json

        try:
            kept = json.loads(body)
            files = kept["key"][2]
            if kept["key"] != self._key(root, files):
                return None
            for rel, signature in files:
                if _signature(_stat(root / rel)) != signature:
                    return None
            return _decode(kept["briefing"])
        except (ValueError, TypeError, KeyError, IndexError, RecursionError):
            return None
