"""The lines the ui/ packages keep: features never reach for the window, shared code for no
feature, and no module imports itself back round a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "briefreader"
UI = SRC / "ui"
FEATURES = ("search", "reading", "excerpts", "figures", "printing", "bookmarks")
# Flat modules being moved into feature packages (ui/excerpts/, ui/figures/), which still name
# the window's class in annotations: the move replaces it with the host protocol.
PENDING: set[str] = set()


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test: ast.expr = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path, *, runtime_only: bool = False) -> set[str]:
    """Modules ``path`` imports (with ``runtime_only``, not those for annotations only)."""
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        if runtime_only and isinstance(node, ast.If) and _is_type_checking(node):
            for statement in node.orelse:
                visit(statement)
            return
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return names


def _ours(names: set[str]) -> set[str]:
    return {n for n in names if n.startswith("briefreader")}


def _in(names: set[str], package: str) -> set[str]:
    return {n for n in names if n == package or n.startswith(package + ".")}


def _files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def _pending(path: Path) -> bool:
    return str(path.relative_to(SRC)) in PENDING


def _feature_files() -> list[Path]:
    found: list[Path] = []
    for feature in FEATURES:
        package, module = UI / feature, UI / f"{feature}.py"
        found += _files(package) if package.is_dir() else [module] if module.is_file() else []
    return [path for path in found if not _pending(path)]


def test_the_pending_modules_still_exist() -> None:
    # Once moved, a module leaves PENDING, and the rules below hold for its package.
    assert sorted(p for p in PENDING if not (SRC / p).is_file()) == []


@pytest.mark.parametrize("path", _feature_files(), ids=lambda p: str(p.relative_to(UI)))
def test_no_feature_imports_the_window(path: Path) -> None:
    # Features reach the window through the protocols in ui/shared/host.py (and their own).
    assert not _in(_ours(_imports(path)), "briefreader.ui.window")


@pytest.mark.parametrize("path", _files(UI / "shared"), ids=lambda p: p.name)
def test_shared_code_imports_no_feature_and_not_the_window(path: Path) -> None:
    # At run time: the host protocol names the features' widget classes in annotations.
    imported = _ours(_imports(path, runtime_only=True))
    for package in (*FEATURES, "window"):
        assert not _in(imported, f"briefreader.ui.{package}"), package


def test_search_and_reading_do_not_import_each_other() -> None:
    # They meet in the window, which hands a hit from one to the other (open_section).
    for one, other in (("search", "reading"), ("reading", "search")):
        for path in _files(UI / one):
            assert not _in(_ours(_imports(path)), f"briefreader.ui.{other}"), path.name


def test_only_the_app_imports_the_window_from_outside_it() -> None:
    users = sorted(
        _module(path)
        for path in _files(SRC)
        if not path.is_relative_to(UI / "window")
        and not _pending(path)
        and _in(_ours(_imports(path)), "briefreader.ui.window")
    )
    assert users == ["briefreader.app"]


@pytest.mark.parametrize("path", _files(SRC / "core"), ids=lambda p: p.name)
def test_core_imports_nothing_of_ui_or_the_app(path: Path) -> None:
    imported = _ours(_imports(path))
    assert not _in(imported, "briefreader.ui")
    assert not _in(imported, "briefreader.app")


def test_no_import_cycles_at_run_time() -> None:
    modules = {_module(path): path for path in _files(SRC)}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        # "from a.b import c" names a.b.c, which is a module or a name in a.b.
        targets = {
            t if t in modules else t.rpartition(".")[0] for t in _imports(path, runtime_only=True)
        }
        graph[name] = {t for t in targets if t in modules and t != name}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def walk(name: str, trail: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                cycles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                walk(target, [*trail, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name, [name])
    # A package's __init__ importing its own modules is not a cycle worth naming.
    cycles = [c for c in cycles if not any(c[0].startswith(m + ".") for m in c[1:])]
    assert cycles == []
