"""File ▸ Print Theme and File ▸ Save Theme as PDF, attached to the real main window.

Save as PDF runs as the reader runs it (the file dialog answered by the test). Print is
tested for its wiring: the action, and the theme painted on the device the print dialog
would return; a QPdfWriter stands in for the printer, since a real QPrinter goes through the
print system (libcups connects to a print server), which a test must not reach.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPagedPaintDevice, QPdfWriter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from briefreader.core.model import Briefing
from briefreader.ui.printing.feature import PrintFeature
from briefreader.ui.window.main_window import MainWindow

WindowFactory = Callable[..., MainWindow]  # as in tests/ui/conftest.py


def _messages(window: MainWindow) -> list[str]:
    """Every status-bar message from now on (another may replace one before it is read)."""
    seen: list[str] = []
    window.statusBar().messageChanged.connect(seen.append)
    return seen


def _said(seen: list[str], words: str) -> str | None:
    return next((m for m in seen if words in m), None)


def _text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("needs pdftotext to read the PDF back (apt-get install poppler-utils)")
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return " ".join(out.split())


def test_the_file_menu_offers_print_and_save_as_pdf_before_quit(
    make_window: WindowFactory, mini_briefing: Briefing
) -> None:
    window = make_window(mini_briefing)
    feature = PrintFeature(window)
    texts = [a.text() for a in window.file_menu.actions() if not a.isSeparator()]
    assert texts == ["&Print Theme…", "Save Theme as P&DF…", "&Quit"]
    assert feature.print_action.shortcut() == QKeySequence("Ctrl+P")
    assert feature.save_pdf_action.shortcut() == QKeySequence("Ctrl+Shift+S")


def test_save_theme_as_pdf_writes_the_open_theme_with_its_citation(
    qtbot: QtBot, make_window: WindowFactory, mini_briefing: Briefing, tmp_path: Path
) -> None:
    window = make_window(mini_briefing)
    feature = PrintFeature(window)
    window.open_theme("voices")
    suggested: list[Path] = []

    def choose(path: Path) -> Path:
        suggested.append(path)
        return tmp_path / "voices.pdf"

    feature.choose_path = choose
    seen = _messages(window)
    feature.save_pdf_action.trigger()  # as Ctrl+Shift+S or the menu does
    qtbot.waitUntil(lambda: _said(seen, "Saved the theme as") is not None, timeout=30_000)
    assert _said(seen, "Saved the theme as") == f"Saved the theme as {tmp_path / 'voices.pdf'}"
    assert suggested[0].name.startswith("voices-") and suggested[0].suffix == ".pdf"
    words = _text(tmp_path / "voices.pdf")
    theme = mini_briefing.theme("voices")
    assert theme is not None
    first = theme.sections[0]
    document = mini_briefing.document(first.document_id)
    assert document is not None
    assert first.title in words
    assert " ".join(first.text.split())[:60] in words
    assert f"From {document.title}, {document.publisher}, {document.date_text}" in words
    assert "Page 1 of 1" in words


def test_a_failed_save_says_which_file(
    qtbot: QtBot, make_window: WindowFactory, mini_briefing: Briefing, tmp_path: Path
) -> None:
    window = make_window(mini_briefing)
    feature = PrintFeature(window)
    target = tmp_path / "no such folder" / "theme.pdf"
    feature.choose_path = lambda _suggested: target
    seen = _messages(window)
    feature.save_current_as_pdf()
    qtbot.waitUntil(lambda: _said(seen, "was not saved") is not None, timeout=30_000)
    assert str(target) in (_said(seen, "was not saved") or "")
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert boxes and str(target) in boxes[-1].text()
    for box in boxes:
        box.close()
    assert not target.exists()


def test_cancelling_the_file_dialog_writes_nothing(
    make_window: WindowFactory, mini_briefing: Briefing
) -> None:
    window = make_window(mini_briefing)
    feature = PrintFeature(window)
    feature.choose_path = lambda _suggested: None
    assert feature.save_current_as_pdf() is None


def test_print_paints_the_open_theme_on_the_chosen_printer(
    qtbot: QtBot, make_window: WindowFactory, mini_briefing: Briefing, tmp_path: Path
) -> None:
    window = make_window(mini_briefing)
    feature = PrintFeature(window)
    window.open_theme("threat-assessment")
    target = tmp_path / "printed.pdf"
    asked: list[str] = []

    def printer(title: str) -> QPagedPaintDevice:
        asked.append(title)
        return QPdfWriter(str(target))

    feature.choose_printer = printer
    seen = _messages(window)
    feature.print_action.trigger()
    qtbot.waitUntil(lambda: _said(seen, "to the printer") is not None, timeout=30_000)
    assert asked == ["Threat assessment"]
    words = _text(target)
    theme = mini_briefing.theme("threat-assessment")
    assert theme is not None
    assert theme.sections[0].title in words


def test_ctrl_p_triggers_print(
    qtbot: QtBot, make_window: WindowFactory, mini_briefing: Briefing
) -> None:
    window = make_window(mini_briefing)
    feature = PrintFeature(window)
    asked: list[str] = []

    def printer(title: str) -> None:
        asked.append(title)  # and cancelled, as the print dialog's Cancel does

    feature.choose_printer = printer
    window.activateWindow()
    QTest.keyClick(window.current_reader(), Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert asked == [window.current_tab().theme.title]
