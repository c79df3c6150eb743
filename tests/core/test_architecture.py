"""The lines the codebase keeps, read from the source's imports (its AST):

- core never imports Qt, and importing all of it loads none;
- Whoosh is imported only under ``core/search/``, and its internals only in
  ``core/search/engine.py``. Internals means anything beyond the public modules an
  application is documented to use: ``whoosh.index`` (create, open), ``whoosh.fields`` (the
  schema), ``whoosh.analysis`` (analyzers, stop words), ``whoosh.lang`` (the stemmer the
  analyzers use), ``whoosh.qparser`` and ``whoosh.query`` (parsing and query objects).
  Codecs, matchers, readers, scoring, searching, storage and writing are internals: the
  engine reads postings straight from them, and nothing else may depend on how it does.
  Two exceptions, named here: ``core/search/writer.py`` writes the index's segment in the
  format the engine reads, byte for byte as Whoosh's own writer does but without its
  per-posting costs, so it drives Whoosh's codec, writer and storage classes directly
  (kept out of the engine, which reads); and ``core/search/unpickling.py`` rebinds the
  pickle loaders in Whoosh's modules (so that no pickle from the cache can run code), and
  may import those modules for that, and only the classes it allows out of a pickle;
- ``core/search/results.py`` and ``core/search/query.py`` import no Whoosh at all (the
  window imports results before its first paint; query planning is tested without an index);
- each other third-party library stays in its module: nh3 in ``core/sanitize.py``, the one
  path every HTML the app writes is cleaned through, Python-Markdown in ``core/render.py``,
  sqlite3 in ``core/tray.py``;
- no import cycles among BriefReader's modules (imports inside functions count; imports
  only for type checking, under ``if TYPE_CHECKING:``, do not).
"""

from __future__ import annotations

import ast
import importlib.metadata
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "briefreader"

WHOOSH_PUBLIC = {"index", "fields", "analysis", "lang", "qparser", "query"}
ENGINE = "core/search/engine.py"
WRITER = "core/search/writer.py"  # Whoosh's writing internals (see the module docstring)
UNPICKLING = "core/search/unpickling.py"
# What the unpickling module may import from Whoosh: the segment classes it allows, and the
# legacy reader it disables. (The modules it patches it imports by name, with importlib.)
UNPICKLING_IMPORTS = {
    "whoosh.codec.whoosh3",
    "whoosh.codec.whoosh3.W3Codec",
    "whoosh.codec.whoosh3.W3Segment",
    "whoosh",
    "whoosh.legacy",
    "whoosh.util",
    "whoosh.util.loading",
}
OWNERS = {
    "nh3": ["core/sanitize.py"],
    "markdown": ["core/render.py"],
    "sqlite3": ["core/tray.py"],
}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(
    tree: ast.AST, *, with_type_only: bool = True
) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node) and not with_type_only:
            yield from _import_nodes(
                ast.Module(body=node.orelse, type_ignores=[]), with_type_only=False
            )
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        yield from _import_nodes(node, with_type_only=with_type_only)


def _imported(path: Path, *, with_type_only: bool = True) -> set[str]:
    """Every module ``path`` imports; ``from a import b`` counts as ``a`` and ``a.b``."""
    names: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in _import_nodes(tree, with_type_only=with_type_only):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _imports(path: Path) -> set[str]:
    """The modules ``path`` imports by name (``from a import b`` counts as ``a`` only)."""
    names: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif node.module:
            names.add(node.module)
    return names


def _sources() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _name(path: Path) -> str:
    return str(path.relative_to(SRC))


def _users(library: str) -> list[str]:
    return sorted(
        _name(p) for p in _sources() if any(n.split(".")[0] == library for n in _imports(p))
    )


@pytest.mark.parametrize("path", sorted((SRC / "core").rglob("*.py")), ids=_name)
def test_core_never_imports_qt(path: Path) -> None:
    assert not {n for n in _imported(path) if n.split(".")[0] in {"PySide6", "shiboken6"}}


def test_importing_all_of_core_loads_no_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, briefreader.core as c\n"
        "for m in pkgutil.walk_packages(c.__path__, 'briefreader.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_whoosh_is_used_under_core_search_only() -> None:
    users = _users("whoosh")
    assert ENGINE in users
    assert all(user.startswith("core/search/") for user in users), users


def test_whoosh_internals_are_used_in_the_engine_and_the_writer_only() -> None:
    engine = {n for n in _imported(SRC / ENGINE) if n.startswith("whoosh.")}
    assert {n.split(".")[1] for n in engine} - WHOOSH_PUBLIC  # the rule has something to keep
    for path in _sources():
        if _name(path) in (ENGINE, WRITER):
            continue
        if _name(path) == UNPICKLING:
            whoosh = {n for n in _imported(path) if n.split(".")[0] == "whoosh"}
            assert whoosh <= UNPICKLING_IMPORTS, sorted(whoosh - UNPICKLING_IMPORTS)
            continue
        used = {n for n in _imported(path) if n.split(".")[0] == "whoosh" and n != "whoosh"}
        beyond = sorted(n for n in used if n.split(".")[1] not in WHOOSH_PUBLIC)
        assert not beyond, (_name(path), beyond)


@pytest.mark.parametrize("module", ["core/search/results.py", "core/search/query.py"])
def test_results_and_query_planning_import_no_whoosh(module: str) -> None:
    assert not {n for n in _imported(SRC / module) if n.split(".")[0] == "whoosh"}


def test_the_search_package_itself_imports_nothing() -> None:
    assert _imported(SRC / "core" / "search" / "__init__.py") == set()


@pytest.mark.parametrize("library", sorted(OWNERS))
def test_each_library_stays_in_its_modules(library: str) -> None:
    assert _users(library) == OWNERS[library]


def _module_name(path: Path) -> str:
    parts = ["briefreader", *path.relative_to(SRC).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in _sources()}
    return {
        name: {n for n in _imported(path, with_type_only=False) if n in modules and n != name}
        for name, path in modules.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected group of more than one module (Tarjan's algorithm)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        order[node] = low[node] = len(order)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in order:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], order[target])
        if low[node] == order[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in order:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


# The one cycle left, closed by a lazy import: ui/toc_model.py takes a role from ui/toc.py.
# The window's move to feature packages (issue 9) removes it; then this list is emptied.
KNOWN_UI_CYCLES = [["briefreader.ui.reading.toc", "briefreader.ui.reading.toc_model"]]


def test_no_import_cycles() -> None:
    graph = _graph()
    assert "briefreader.core.search.engine" in graph["briefreader.core.search.index"]
    assert [c for c in _cycles(graph) if c not in KNOWN_UI_CYCLES] == []


def test_the_2016_whoosh_release_is_not_installed() -> None:
    # Whoosh 2.7.4 and Whoosh-Reloaded both install the package "whoosh"; with both present,
    # removing one breaks the other, and 2.7.4 raises SyntaxWarnings on new Pythons.
    installed = {d.metadata["Name"].lower() for d in importlib.metadata.distributions()}
    assert "whoosh-reloaded" in installed
    assert "whoosh" not in installed
