"""The excerpt and key-figure features talk to the window through ``WindowHost`` only, and
neither needs the other: read from their sources' imports, so a new import cannot slip by."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[3] / "src" / "briefreader" / "ui"
FEATURES = ("excerpts", "figures")


def imported(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function or TYPE_CHECKING block."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_features_never_import_the_window() -> None:
    files = [path for feature in FEATURES for path in sorted((UI / feature).glob("*.py"))]
    assert len(files) >= 10  # the packages are where this test looks
    for path in files:
        window = {
            m for m in imported(path) if "main_window" in m or m.startswith("briefreader.ui.window")
        }
        assert not window, f"{path.relative_to(UI)} imports {sorted(window)}"


def test_neither_feature_imports_the_other() -> None:
    for feature, other in (FEATURES, FEATURES[::-1]):
        for path in sorted((UI / feature).glob("*.py")):
            crossing = {m for m in imported(path) if m.startswith(f"briefreader.ui.{other}")}
            assert not crossing, f"{path.relative_to(UI)} imports {sorted(crossing)}"


def test_docks_made_before_the_first_paint_import_only_the_dock_widget() -> None:
    for feature in FEATURES:
        for path in (UI / feature / "dock.py", UI / feature / "__init__.py"):
            ours = {m for m in imported(path) if m.startswith("briefreader")}
            assert ours <= {"briefreader.ui.shared.side_dock"}, f"{path.relative_to(UI)}: {ours}"
