"""The three clipboard formats round-trip (offscreen: Qt's own clipboard, in the process)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from briefreader.core.content import load_briefing
from briefreader.core.excerpts import CitationStyle, format_section_excerpt
from briefreader.ui.shared.clipboard import HTML_PREFIX, MARKDOWN, copy_formatted

MINI = Path(__file__).resolve().parents[2] / "data" / "mini"


def test_three_formats_round_trip(qtbot: QtBot) -> None:
    briefing = load_briefing(MINI)
    section = briefing.section("voices/jacqueline-beauchere")
    assert section is not None
    formatted = format_section_excerpt(briefing, section, CitationStyle.FULL)
    clipboard = QGuiApplication.clipboard()
    assert copy_formatted(formatted, clipboard)
    data = clipboard.mimeData()
    assert data is not None
    assert data.text() == formatted.plain
    assert data.html() == HTML_PREFIX + formatted.html
    assert bytes(data.data(MARKDOWN).data()).decode("utf-8") == formatted.markdown
    assert set(data.formats()) >= {"text/plain", "text/html", MARKDOWN}
    # The plain form alone carries the whole citation (most paste targets read only it).
    assert "Jacqueline Beauchere" in data.text() and "17 October 2023" in data.text()
    assert "https://weprotect.org/global-threat-assessment-23/" in data.text()
