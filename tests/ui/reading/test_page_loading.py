"""Pages are rendered off the GUI thread; a page an earlier run kept is shown at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from briefreader.core import render
from briefreader.core.model import Briefing, Theme
from briefreader.core.render import RenderedTheme
from briefreader.ui.window.main_window import MainWindow

WindowFactory = Callable[..., MainWindow]


def test_pages_are_rendered_on_a_worker_thread(
    qtbot: QtBot,
    make_window: WindowFactory,
    mini_briefing: Briefing,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: list[threading.Thread] = []
    original = render.render_theme

    def spy(briefing: Briefing, theme: Theme) -> RenderedTheme:
        threads.append(threading.current_thread())
        return original(briefing, theme)

    monkeypatch.setattr(render, "render_theme", spy)
    window = make_window(mini_briefing, cache=tmp_path / "fresh")  # no kept page
    qtbot.waitUntil(lambda: all(r.is_loaded for r in window.readers()), timeout=20000)
    assert len(threads) == len(mini_briefing.themes)  # each page once
    assert all(t is not threading.main_thread() for t in threads)


def test_a_kept_page_is_shown_in_the_first_step_without_waiting(
    qtbot: QtBot, make_window: WindowFactory, mini_briefing: Briefing, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = make_window(mini_briefing, cache=cache)
    qtbot.waitUntil(lambda: all(r.is_loaded for r in first.readers()), timeout=20000)
    first.close()

    again = make_window(mini_briefing, cache=cache, show=False)
    again.startup.run_through("open page")
    # From the page the first window kept: loaded in the step itself, on the GUI thread.
    assert again.current_tab().is_loaded
    assert again.startup.done == ["open page"]
