"""Nothing from the cache runs code: an index forged as an attacker would (payloads in every
pickle Whoosh writes, a manifest with the right key and every file rehashed) is refused and
rebuilt, and its payload never runs. And the allow-list is exactly what our index needs."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import uuid
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import whoosh.codec.whoosh3
import whoosh.columns
import whoosh.filedb.structfile
import whoosh.formats
import whoosh.index
from whoosh.codec.whoosh3 import W3Codec, W3TermInfo

from briefreader.core.content import load_briefing
from briefreader.core.locations import bundled_content_dir
from briefreader.core.model import Briefing
from briefreader.core.search import engine, unpickling
from briefreader.core.search import index as index_module
from briefreader.core.search.engine import Engine, memory_index
from briefreader.core.search.index import APP_MARK, MANIFEST, POINTER, schema, write_documents
from briefreader.core.search.searcher import SearchIndex

QUERIES = ["grooming", '"financial sexual extortion"', "sextorti*", "legislaton~", "zzqx"]


def _exercise(briefing: Briefing, root: Path) -> SearchIndex:
    """Build, open again from disk, and search with every kind of query."""
    SearchIndex(briefing, root).open_or_build()
    search_index = SearchIndex(briefing, root)
    assert search_index.open_or_build().reason == "reused"
    searcher = search_index.searcher()
    for text in QUERIES:
        searcher.search(text)
        searcher.search(text, as_you_type=True)
    while searcher.warm():
        pass
    searcher.close()
    return search_index


@pytest.fixture
def record(monkeypatch: pytest.MonkeyPatch) -> Counter[tuple[str, str]]:
    seen: Counter[tuple[str, str]] = Counter()
    real = unpickling.AllowListUnpickler.find_class

    def find_class(self: unpickling.AllowListUnpickler, module: str, name: str) -> Any:
        seen[(module, name)] += 1
        return real(self, module, name)

    monkeypatch.setattr(unpickling.AllowListUnpickler, "find_class", find_class)
    return seen


def test_the_allow_list_is_exactly_what_our_index_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, record: Counter[tuple[str, str]]
) -> None:
    # The bundled briefing, as one compound file and as separate files (as a large index
    # is), then in memory: every name asked for is allowed, and every allowed name is used.
    briefing = load_briefing(bundled_content_dir())
    _exercise(briefing, tmp_path / "compound")
    asked = set(record)
    assert asked <= set(unpickling.ALLOWED)
    monkeypatch.setattr(index_module, "COMPOUND_MAX_SECTIONS", 0)
    # A large index's writer fills its buffer and sorts through temporary files ("runs",
    # pickled): at about 25× the briefing with the app's 32 MB. A tiny buffer does it here.
    monkeypatch.setattr(
        engine,
        "new_writer",
        lambda ix, compound: ix.writer(
            limitmb=0.05, codec=W3Codec(compression=0), compound=compound
        ),
    )
    _exercise(briefing, tmp_path / "separate")
    ix = memory_index(schema(), lambda ix: write_documents(ix, briefing.sections, None))
    assert Engine(ix).scores(whoosh.query.Term("body", "groom"))
    assert set(record) == set(unpickling.ALLOWED)


def test_no_whoosh_module_keeps_pickles_own_loaders(mini_content: Path, tmp_path: Path) -> None:
    _exercise(load_briefing(mini_content), tmp_path / "index")
    assert unpickling.PATCHED
    assert unpickling.unsafe_bindings() == []
    # The rest of the program keeps the real pickle.
    assert pickle.loads(pickle.dumps(uuid.UUID(int=1))) == uuid.UUID(int=1)


def test_the_refusal_names_what_was_refused() -> None:
    with pytest.raises(unpickling.ForbiddenPickleError, match=r"names posix\.system|nt\.system"):
        unpickling.safe_loads(_payload(Path("never")) + pickle.dumps(1))
    with pytest.raises(unpickling.ForbiddenPickleError):
        unpickling.safe_loads(pickle.dumps(uuid.UUID(int=1)))
    assert unpickling.safe_loads(pickle.dumps([b"", b"\xff", 1], 2)) == [b"", b"\xff", 1]


# -- forging -----------------------------------------------------------------------------------


class _Run:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Callable[[str], int], tuple[str]]:
        return (os.system, (f"touch '{self.marker}'",))


def _payload(marker: Path) -> bytes:
    """Pickle opcodes that run ``touch marker`` and leave the stack as it was.

    Put before any pickle, the whole still loads as the original object.
    """
    return pickle.dumps(_Run(marker), 2)[:-1] + b"0"  # without STOP, then POP


def test_the_payload_runs_under_plain_pickle(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    assert pickle.loads(_payload(marker) + pickle.dumps({"a": 1}, 2)) == {"a": 1}
    assert marker.exists()


# Where Whoosh writes pickles, each planted alone: the table of contents' segment list
# ("toc") and schema ("schema"), a compound file's directory ("compound-dir"), posting blocks
# and inlined postings in term infos ("postings"), stored fields ("stored"), word positions
# ("positions"). The files they land in are in EXPECTED below.


@contextmanager
def _attackers_whoosh(site: str, marker: Path) -> Iterator[None]:
    """Plain Whoosh (pickle's own loaders), writing a payload before the pickles of ``site``."""
    prefix = _payload(marker)
    with pytest.MonkeyPatch.context() as patch:
        for module, name, real in unpickling.PATCHED:
            patch.setattr(module, name, real)

        def dumps(obj: object, protocol: int | None = None) -> bytes:
            return prefix + pickle.dumps(obj, protocol)

        if site in ("toc", "compound-dir"):
            suffix = ".toc" if site == "toc" else ".seg"

            def dump(obj: object, file: Any, protocol: int | None = None) -> None:
                name = str(getattr(file, "name", ""))
                file.write((prefix if suffix in name else b"") + pickle.dumps(obj, protocol))

            patch.setattr(whoosh.filedb.structfile, "dump_pickle", dump)
        elif site == "schema":

            class _Pickle:
                def __getattr__(self, name: str) -> Any:
                    return dumps if name == "dumps" else getattr(pickle, name)

            patch.setattr(whoosh.index, "pickle", _Pickle())
        elif site == "postings":
            patch.setattr(whoosh.codec.whoosh3, "dumps", dumps)
            # BriefReader's writer never inlines postings in the terms file, but Whoosh reads
            # inlined ones (unpickling them) when a term says so: the attacker inlines some
            # (working round Whoosh's own typo, which stops it writing them).
            patch.setattr(W3TermInfo, "set_inline", W3TermInfo.set_inlined, raising=False)
            patch.setattr(
                engine,
                "new_writer",
                lambda ix, compound: ix.writer(
                    codec=W3Codec(compression=0, inlinelimit=3), compound=compound
                ),
            )
        elif site == "stored":
            patch.setattr(whoosh.columns, "dumps", dumps)
        elif site == "positions":
            patch.setattr(whoosh.formats, "dumps", dumps)
            # The attacker writes with Whoosh's own writer (BriefReader's encodes positions
            # itself, core/search/writer.py, and would not carry the payload).
            patch.setattr(
                engine,
                "new_writer",
                lambda ix, compound: ix.writer(codec=W3Codec(compression=0), compound=compound),
            )
        yield


def _forge(briefing: Briefing, root: Path, site: str, marker: Path) -> Path:
    """Build an index with payloads at ``site``, sign it as BriefReader would, and point to it."""
    real = json.loads((root / (root / POINTER).read_text() / MANIFEST).read_text())
    building = root.parent / "forged"
    building.mkdir()
    with _attackers_whoosh(site, marker):
        ix = whoosh.index.create_in(str(building), schema())
        write_documents(ix, briefing.sections, None)
        ix.close()
    marker.unlink(missing_ok=True)  # the attacker's own build may have read some back
    files = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in building.iterdir()
        if p.is_file()
    }
    manifest = {"app": APP_MARK, "key": real["key"], "files": files}
    (building / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    name = f"idx-{real['key']}-{uuid.uuid4().hex[:8]}"
    shutil.move(building, root / name)
    (root / POINTER).write_text(name, encoding="utf-8")
    return root / name


def _carries(data: bytes, needle: bytes) -> bool:
    """Whether ``data`` holds ``needle``, as is or in a zlib stream (stored fields are)."""
    if needle in data:
        return True
    for start in range(len(data) - 1):
        if data[start] == 0x78 and data[start + 1] in (0x01, 0x5E, 0x9C, 0xDA):
            try:
                if needle in zlib.decompressobj().decompress(data[start:]):
                    return True
            except zlib.error:
                continue
    return False


def _planted(folder: Path, marker: Path) -> set[str]:
    """The kinds of file (suffix, or column) that carry the payload."""
    kinds = set()
    for path in folder.iterdir():
        if _carries(path.read_bytes(), str(marker).encode()):
            kinds.add(path.name.split(".", 1)[1] if "." in path.name else path.name)
    return kinds


EXPECTED = {  # layout → site → the file kinds it must have planted the payload in
    "compound": {
        "toc": {"toc"},
        "schema": {"toc"},
        "compound-dir": {"seg"},
        "postings": {"seg"},
        "stored": {"seg"},
        "positions": {"seg"},
    },
    "separate": {
        "toc": {"toc"},
        "schema": {"toc"},
        "postings": {"trm", "pst"},
        "stored": {"_stored.col"},
        "positions": {"pst"},
    },
}


@pytest.mark.parametrize(
    ("layout", "site"), [(layout, site) for layout in EXPECTED for site in EXPECTED[layout]]
)
def test_a_forged_index_never_runs_its_payload(
    mini_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: str, site: str
) -> None:
    if layout == "separate":
        monkeypatch.setattr(index_module, "COMPOUND_MAX_SECTIONS", 0)
    briefing = load_briefing(mini_content)
    root = tmp_path / "cache" / "index"
    SearchIndex(briefing, root).open_or_build()
    marker = tmp_path / "payload-ran"
    forged = _forge(briefing, root, site, marker)
    assert _planted(forged, marker) == EXPECTED[layout][site]
    assert not marker.exists()

    search_index = SearchIndex(briefing, root)
    status = search_index.open_or_build()
    searcher = search_index.searcher()
    results = {text: searcher.search(text) for text in QUERIES}
    searcher.close()

    assert not marker.exists(), "a pickle from the cache ran code"
    final = search_index.status
    assert final is not None
    if site == "schema":
        # Never read: the index is opened with the app's schema. Nothing else was changed,
        # so the index is used as it is.
        assert final.reason == "reused"
    else:
        # Refused at open (the table of contents) or at the first search that read it;
        # either way rebuilt, and the answers are the real ones.
        assert final.built
        assert status.built or final.reason.startswith("searching failed")
        assert "ForbiddenPickleError" in final.reason
        assert not forged.exists()  # the forged folder was cleaned away
    if site == "toc":
        assert status.built
    assert [h.id for h in results["grooming"].hits] == [
        "threat-assessment/grooming-on-social-gaming-platforms"
    ]
    assert results['"financial sexual extortion"'].hits


@pytest.mark.parametrize("name", ["../elsewhere.seg", "/etc/hostname.seg", "..", "a/b.toc"])
def test_an_index_never_reads_a_file_outside_its_folder(tmp_path: Path, name: str) -> None:
    # A segment id in a planted table of contents is a file name: never a path.
    (tmp_path / "elsewhere.seg").write_bytes(b"not an index")
    folder = tmp_path / "index"
    folder.mkdir()
    storage = engine._ReadStorage(str(folder), supports_mmap=False, readonly=True)
    with pytest.raises(ValueError, match="outside its folder"):
        storage.open_file(name)
