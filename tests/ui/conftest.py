"""Fixtures for the reader window's tests: a window on a briefing with its own settings file.

Nothing here is autouse: the excerpt and tray tests in this folder are unaffected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from briefreader.core.content import load_briefing
from briefreader.core.locations import Locations, bundled_content_dir, resources_dir
from briefreader.core.model import Briefing
from briefreader.ui.shared.settings import AppSettings
from briefreader.ui.window.appearance import Appearance
from briefreader.ui.window.main_window import MainWindow

MINI = Path(__file__).resolve().parent.parent / "data" / "mini"

WindowFactory = Callable[..., MainWindow]


@pytest.fixture(scope="session")
def bundled_briefing() -> Briefing:
    return load_briefing(bundled_content_dir())


@pytest.fixture(scope="session")
def bundled_index_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index cache for the bundled briefing, shared by the tests (reused, not rebuilt)."""
    return tmp_path_factory.mktemp("bundled-cache")


@pytest.fixture
def mini_briefing() -> Briefing:
    return load_briefing(MINI)


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "settings" / "BriefReader.ini"


@pytest.fixture
def make_window(
    qtbot: QtBot, tmp_path: Path, settings_file: Path, bundled_index_cache: Path
) -> Iterator[WindowFactory]:
    """Make a shown, started main window; settings live in an INI file under tmp_path."""
    appearances: list[Appearance] = []

    def make(
        briefing: Briefing,
        *,
        settings_path: Path | None = None,
        cache: Path | None = None,
        show: bool = True,
    ) -> MainWindow:
        qsettings = QSettings(str(settings_path or settings_file), QSettings.Format.IniFormat)
        settings = AppSettings(qsettings)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        appearance = Appearance(app, settings.appearance)
        appearances.append(appearance)
        if cache is None:
            # The bundled briefing's index is built once for the session; others get their own.
            cache = tmp_path / "cache" if briefing.edition == "test" else bundled_index_cache
        locations = Locations(
            content=MINI, resources=resources_dir(), cache=cache, data=tmp_path / "data"
        )
        window = MainWindow(briefing, settings, appearance=appearance, locations=locations)
        qtbot.addWidget(window)
        window.restore_session()
        if show:
            window.show()
            qtbot.waitUntil(lambda: window.current_tab().is_loaded)
            qtbot.waitUntil(lambda: window.current_tab().has_been_shown)
            # Built right after the first paint: what the reader can press or open is there.
            qtbot.waitUntil(lambda: window.is_complete)
        return window

    yield make
    # The palette is the application's: put the system's back for the next test.
    for appearance in appearances:
        appearance.set_choice("system")
        appearance.deleteLater()
