"""The app's folders: the environment's overrides, else platformdirs' answer."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from briefreader.core import locations
from briefreader.core.locations import APP_NAME, Locations

HOMES = [None, "", "relative", "/", "/home/delegate", "/home/delegate/", "//home//delegate"]
LINUX = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the written-out answer is Linux's"
)
XDGS = [None, "", " ", "relative/cache", "/srv/xdg", "/srv/xdg/"]


def _platformdirs(kind: str) -> Path:
    if kind == "cache":
        return Path(platformdirs.user_cache_dir(APP_NAME, False))
    return Path(platformdirs.user_data_dir(APP_NAME, False))


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the written-out answer is Linux's"
)
@pytest.mark.parametrize("kind", ["cache", "data"])
@pytest.mark.parametrize("home", HOMES)
@pytest.mark.parametrize("xdg", XDGS)
def test_user_folder_is_platformdirs_answer(
    kind: str, home: str | None, xdg: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    variable = {"cache": "XDG_CACHE_HOME", "data": "XDG_DATA_HOME"}[kind]
    for name, value in (("HOME", home), (variable, xdg)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    try:
        expected = _platformdirs(kind)
    except RuntimeError:  # no usable home: platformdirs' own error, asked of it in both
        with pytest.raises(RuntimeError):
            locations._user_dir(kind)
        return
    assert locations._user_dir(kind) == expected


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the written-out answer is Linux's"
)
def test_a_usual_start_does_not_import_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/delegate")
    for name in (
        "XDG_CACHE_HOME",
        "XDG_DATA_HOME",
        "BRIEFREADER_CACHE_DIR",
        "BRIEFREADER_DATA_DIR",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("BRIEFREADER_DATA_DIR", raising=False)
    monkeypatch.setitem(sys.modules, "platformdirs", None)  # importing it raises ImportError
    found = Locations.resolve()
    assert found.cache == Path("/home/delegate/.cache/BriefReader")
    assert found.data == Path("/home/delegate/.local/share/BriefReader")


def test_environment_overrides_win(tmp_path: Path) -> None:
    found = Locations.resolve(
        {
            "BRIEFREADER_CONTENT_DIR": str(tmp_path / "content"),
            "BRIEFREADER_CACHE_DIR": str(tmp_path / "cache"),
            "BRIEFREADER_DATA_DIR": str(tmp_path / "data"),
        }
    )
    assert (found.content, found.cache, found.data) == (
        tmp_path / "content",
        tmp_path / "cache",
        tmp_path / "data",
    )
    assert found.index == tmp_path / "cache" / "index"
