"""Fixtures for the excerpt feature's tests: a pool for work off the GUI thread."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from briefreader.ui.shared.tasks import BackgroundTasks


@pytest.fixture
def tasks(qtbot: QtBot) -> Iterator[BackgroundTasks]:
    """The pool the window would give the panel; shut down (and waited for) after the test."""
    pool = BackgroundTasks()
    yield pool
    assert pool.shutdown(10_000)
    pool.deleteLater()
