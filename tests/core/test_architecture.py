"""The lines the codebase keeps: core never imports Qt; Whoosh lives in one module."""

from __future__ import annotations

import ast
import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "briefreader"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted((SRC / "core").glob("*.py")), ids=lambda p: p.name)
def test_core_never_imports_qt(path: Path) -> None:
    assert not {n for n in _imports(path) if n.split(".")[0] in {"PySide6", "shiboken6"}}


def test_importing_all_of_core_loads_no_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, briefreader.core as c\n"
        "for m in pkgutil.iter_modules(c.__path__):\n"
        "    importlib.import_module('briefreader.core.' + m.name)\n"
        "print(sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_whoosh_is_used_in_one_module_only() -> None:
    users = sorted(
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if any(n.split(".")[0] == "whoosh" for n in _imports(p))
    )
    assert users and all(user.startswith("core/search/") for user in users), users


def test_the_2016_whoosh_release_is_not_installed() -> None:
    # Whoosh 2.7.4 and Whoosh-Reloaded both install the package "whoosh"; with both present,
    # removing one breaks the other, and 2.7.4 raises SyntaxWarnings on new Pythons.
    installed = {d.metadata["Name"].lower() for d in importlib.metadata.distributions()}
    assert "whoosh-reloaded" in installed
    assert "whoosh" not in installed
