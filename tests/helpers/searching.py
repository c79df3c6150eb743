"""Type into the real window's search field and wait for the answer it shows."""

from __future__ import annotations

from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from briefreader.core.search.results import SearchResult
from briefreader.ui.window.main_window import MainWindow


def type_search(
    qtbot: QtBot, window: MainWindow, text: str, *, clear: bool = False
) -> SearchResult:
    """Type ``text`` (after what is in the field, or into an emptied one with ``clear``) and
    return the answer shown for the whole field's text."""
    window.search.field.setFocus()
    if clear:
        window.search.field.clear()
    with qtbot.waitSignal(
        window.search.results_shown,
        timeout=20000,
        check_params_cb=lambda result: result.query == text,
    ) as blocker:
        QTest.keyClicks(window.search.field, text)
    result = blocker.args[0]
    assert isinstance(result, SearchResult)
    return result
