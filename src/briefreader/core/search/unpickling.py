"""Every pickle Whoosh reads, in this process, through an allow-list: the cache runs no code.

Whoosh keeps its table of contents (the segment list), block headers, posting blocks and
stored fields as pickles, and unpickles them when it opens and searches an index. A pickle
can name any function and call it (``os.system``…): an index planted in the cache folder
would run code as soon as it is opened, and a hash manifest does not stop it, since whoever
can write the folder can hash their own files. So every unpickle goes through
:class:`AllowListUnpickler`, whose ``find_class`` gives only the few objects BriefReader's
own index holds, and refuses anything else with :class:`ForbiddenPickleError` (an
``UnpicklingError``): the index is then treated as damaged and rebuilt.

The allow-list was found, not guessed: with ``sys.addaudithook`` watching the
``pickle.find_class`` event, building, opening and searching the bundled index (one compound
file) and one 25× its size (separate files), including the in-memory index, named exactly:

- ``whoosh.codec.whoosh3.W3Segment`` and ``W3Codec``: the segment list in the table of contents;
- ``collections.defaultdict`` and ``builtins.int``: a segment's field lengths
  (``defaultdict(int)``);
- ``_codecs.encode`` and ``__builtin__.bytes``: how a protocol-2 pickle spells bytes:
  ``encode(text, "latin1")``, and ``bytes()`` for empty bytes. Only a build reads these:
  when the writer's buffer is full (about 25× the briefing), it sorts postings through
  temporary files it pickles and reads back (325,613 and 6,900 times at 25×). These two
  are replaced by functions that do only that and refuse any other arguments.

The schema is pickled in the table of contents too (analyzers, a compiled regular
expression, the stemmer): it is never read, because the index is opened with the app's own
schema (``engine.open_index``), so Whoosh skips it, and none of its classes are allowed.

How: Whoosh calls ``pickle.load`` and ``pickle.loads`` through names bound in its modules at
their import (``whoosh.compat.load``, ``whoosh.filedb.structfile.load_pickle``,
``whoosh.codec.whoosh3.loads``, ``whoosh.index.pickle.loads``…). :func:`install`, run once
when this module is imported (``engine`` imports it, and every index is opened through
``engine``), imports the Whoosh modules that read pickles and rebinds every such name in
every loaded ``whoosh`` module to the allow-listed versions; ``pickle`` itself is untouched
for the rest of the program. tests/core/search/test_unpickling.py checks that no Whoosh
module keeps a name bound to the real functions after a build, an open and searches.
"""

from __future__ import annotations

import codecs
import collections
import importlib
import io
import pickle
import sys
from types import ModuleType
from typing import IO, Any

# The Whoosh modules that read pickles (or bind pickle's functions under their own names),
# imported before patching so that a later lazy import cannot bring back the real ones.
WHOOSH_MODULES = (
    "whoosh.compat",
    "whoosh.filedb.structfile",
    "whoosh.filedb.compound",
    "whoosh.filedb.filetables",
    "whoosh.codec.base",
    "whoosh.codec.whoosh3",
    "whoosh.columns",
    "whoosh.formats",
    "whoosh.index",
    "whoosh.externalsort",
    "whoosh.automata.fst",
    "whoosh.filedb.fileindex",
    "whoosh.codec.plaintext",
    "whoosh.legacy",
    "whoosh.util.loading",
    "whoosh.multiproc",
)
# (whoosh.filedb.misc and whoosh.filedb.pools also bind pickle.loads, but are dead code in
# Whoosh-Reloaded 2.7.5: they fail to import, so nothing can call them.)


class ForbiddenPickleError(pickle.UnpicklingError):
    """A pickle in the index named something BriefReader's index never holds."""


def _latin1_encode(text: object, encoding: object = "latin1") -> bytes:
    # How protocol 2 pickles bytes: codecs.encode(str(b, "latin1"), "latin1"), nothing else.
    if type(text) is not str or encoding != "latin1":
        raise ForbiddenPickleError("the index asked for _codecs.encode with other arguments")
    return codecs.encode(text, "latin1")


def _empty_bytes(*args: object) -> bytes:
    # How protocol 2 pickles b"": bytes(), with no argument.
    if args:
        raise ForbiddenPickleError("the index asked for bytes() with arguments")
    return b""


def _allowed() -> dict[tuple[str, str], object]:
    from whoosh.codec.whoosh3 import W3Codec, W3Segment

    return {
        ("whoosh.codec.whoosh3", "W3Segment"): W3Segment,
        ("whoosh.codec.whoosh3", "W3Codec"): W3Codec,
        ("collections", "defaultdict"): collections.defaultdict,
        ("builtins", "int"): int,
        ("_codecs", "encode"): _latin1_encode,
        ("__builtin__", "bytes"): _empty_bytes,
    }


ALLOWED: dict[tuple[str, str], object] = {}


class AllowListUnpickler(pickle.Unpickler):
    """An unpickler that can build only what BriefReader's Whoosh index holds."""

    def find_class(self, module: str, name: str, /) -> Any:
        found = ALLOWED.get((module, name))
        if found is None:
            raise ForbiddenPickleError(
                f"the search index names {module}.{name}, which BriefReader's index never "
                "holds: it was not written by BriefReader, and is not opened"
            )
        return found


def safe_loads(data: bytes | bytearray | memoryview, /, **options: Any) -> Any:
    """``pickle.loads`` through the allow-list."""
    return AllowListUnpickler(io.BytesIO(data), **options).load()


def safe_load(file: IO[bytes], /, **options: Any) -> Any:
    """``pickle.load`` through the allow-list."""
    return AllowListUnpickler(file, **options).load()


class _PickleModule(ModuleType):
    """``pickle`` as the Whoosh modules that use ``pickle.loads`` see it."""

    load = staticmethod(safe_load)
    loads = staticmethod(safe_loads)
    Unpickler = AllowListUnpickler

    def __getattr__(self, name: str) -> Any:
        return getattr(pickle, name)


_SAFE_PICKLE = _PickleModule("pickle")
# What each real object is replaced with, wherever a Whoosh module binds it.
REPLACEMENTS: dict[int, tuple[object, object]] = {
    id(pickle.load): (pickle.load, safe_load),
    id(pickle.loads): (pickle.loads, safe_loads),
    id(pickle.Unpickler): (pickle.Unpickler, AllowListUnpickler),
    id(pickle): (pickle, _SAFE_PICKLE),
}
PATCHED: list[tuple[ModuleType, str, object]] = []  # (module, name, the real object it held)


def unsafe_bindings() -> list[str]:
    """Names in loaded Whoosh modules still bound to pickle's own loaders ("module.name")."""
    found = []
    for module_name, module in list(sys.modules.items()):
        if module is None or not (module_name == "whoosh" or module_name.startswith("whoosh.")):
            continue
        for name, value in list(vars(module).items()):
            entry = REPLACEMENTS.get(id(value))
            if entry is not None and entry[0] is value:
                found.append(f"{module_name}.{name}")
    return found


def install() -> None:
    """Rebind every pickle loader name in Whoosh's modules to the allow-listed ones (once)."""
    if ALLOWED:
        return
    for name in WHOOSH_MODULES:
        importlib.import_module(name)
    ALLOWED.update(_allowed())
    # An index of Whoosh's 2010 format (table-of-contents version -110) is read by another
    # unpickler, which renames classes and allows any: BriefReader never writes that
    # format, so it is not read at all (Whoosh then raises IndexVersionError: a rebuild).
    from whoosh import legacy
    from whoosh.util import loading

    legacy.toc_loaders.clear()
    loading.RenamingUnpickler.find_class = AllowListUnpickler.find_class
    for module_name, module in list(sys.modules.items()):
        if module is None or not (module_name == "whoosh" or module_name.startswith("whoosh.")):
            continue
        for name, value in list(vars(module).items()):
            entry = REPLACEMENTS.get(id(value))
            if entry is not None and entry[0] is value:
                setattr(module, name, entry[1])
                PATCHED.append((module, name, value))


install()
