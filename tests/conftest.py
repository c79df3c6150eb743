"""Test-wide set-up: no real home folder, no display, no network.

Everything the app writes (settings, index cache, excerpt tray) goes to a temporary folder
made for the session, set before Qt or the app is imported, and tests that need a clean
slate get their own folders from the fixtures below.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_SESSION_HOME = Path(tempfile.mkdtemp(prefix="briefreader-tests-"))
for _name, _sub in {
    "HOME": "home",
    "XDG_CONFIG_HOME": "home/.config",
    "XDG_CACHE_HOME": "home/.cache",
    "XDG_DATA_HOME": "home/.local/share",
    "XDG_RUNTIME_DIR": "runtime",
    "BRIEFREADER_CACHE_DIR": "cache",
    "BRIEFREADER_DATA_DIR": "data",
}.items():
    (_SESSION_HOME / _sub).mkdir(parents=True, exist_ok=True, mode=0o700)
    os.environ[_name] = str(_SESSION_HOME / _sub)
os.environ.pop("BRIEFREADER_CONTENT_DIR", None)
# Qt aborts without a display; tests run offscreen unless a test starts its own X server.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

REPO = Path(__file__).resolve().parent.parent
MINI_CONTENT = REPO / "tests" / "data" / "mini"

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _guard(address: object) -> None:
    raise AssertionError(f"a test opened a network connection (to {address!r}); the app is offline")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test in which the app connects to an internet (or local IP) address."""

    def connect(self: socket.socket, address: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _guard(address)
        _real_connect(self, address)  # type: ignore[arg-type]

    def connect_ex(self: socket.socket, address: object) -> int:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _guard(address)
        return _real_connect_ex(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty cache folder (the index lives here)."""
    folder = tmp_path / "cache"
    folder.mkdir()
    monkeypatch.setenv("BRIEFREADER_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty user-data folder (the excerpt tray lives here)."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("BRIEFREADER_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def mini_content(tmp_path: Path) -> Path:
    """A writable copy of the small test briefing, to break on purpose."""
    target = tmp_path / "content"
    shutil.copytree(MINI_CONTENT, target)
    return target


@pytest.fixture(scope="session", autouse=True)
def clear_offscreen_clipboard() -> Iterator[None]:
    """Empty the clipboard before the interpreter exits.

    Qt 6.11's offscreen clipboard crashes the process at exit (status 139, after every test
    passed) if it still holds data; the app does the same on quit (app.application).
    """
    yield
    if "PySide6.QtGui" in sys.modules:
        from PySide6.QtGui import QGuiApplication

        if QGuiApplication.instance() is not None:
            QGuiApplication.clipboard().clear()
