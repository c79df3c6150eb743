"""The print system stays out of the app's exports and out of the suite's network.

``QPrinter`` (PDF output included) goes through libcups, which opens TCP connections to a print
server (port 631, or wherever ``CUPS_SERVER`` points); the suite's no-network guard patches
Python's ``socket`` and cannot see them. So exports use ``QPdfWriter``, and a test that makes a
``QPrinter`` or a print dialog must run it in a network namespace (``unshare -n``).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRINT_SYSTEM = {"QPrinter", "QPrintDialog", "QPrintPreviewDialog", "QPrintPreviewWidget"}


def _print_names(path: Path) -> set[str]:
    """The print-system classes a module's code names (comments and strings do not count)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Name) and node.id in PRINT_SYSTEM:
            found.add(node.id)
        elif isinstance(node, ast.Attribute) and node.attr in PRINT_SYSTEM:
            found.add(node.attr)
        elif isinstance(node, ast.alias) and node.name in PRINT_SYSTEM:
            found.add(node.name)
    return found


def test_exports_never_use_the_print_system() -> None:
    export = ROOT / "src" / "briefreader" / "ui" / "excerpts" / "export.py"
    assert _print_names(export) == set()
    assert "QPdfWriter" in export.read_text(encoding="utf-8")


def test_a_test_that_prints_runs_without_a_network() -> None:
    tests = sorted((ROOT / "tests").rglob("*.py"))
    printing = [p for p in tests if _print_names(p)]
    unguarded = [
        str(p.relative_to(ROOT))
        for p in printing
        if not ("unshare" in (text := p.read_text(encoding="utf-8")) and '"-n"' in text)
    ]
    assert unguarded == [], "these make a QPrinter or a print dialog: run it under unshare -n"
