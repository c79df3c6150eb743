"""The Linux desktop files and the icon: valid for the real validators, and consistent.

``desktop-file-validate`` (Debian: desktop-file-utils) and ``appstreamcli`` (appstream) are
the checkers launchers and software centres trust; each test that needs one skips, naming
the package, where it is not installed. The consistency checks need nothing.
"""

from __future__ import annotations

import configparser
import shutil
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
APP_ID = "io.github.briefreader.BriefReader"
DESKTOP = REPO / "packaging" / "linux" / f"{APP_ID}.desktop"
METAINFO = REPO / "packaging" / "linux" / f"{APP_ID}.metainfo.xml"
ICONS = REPO / "resources" / "icons"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def _tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (Debian package {package})")
    return found


def test_desktop_entry_passes_desktop_file_validate() -> None:
    tool = _tool("desktop-file-validate", "desktop-file-utils")
    done = subprocess.run(
        [tool, str(DESKTOP)], check=False, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_metainfo_passes_appstreamcli_validate() -> None:
    tool = _tool("appstreamcli", "appstream")
    done = subprocess.run(
        [tool, "validate", "--no-net", str(METAINFO)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # Errors and warnings fail; infos and pedantic notes (such as the unknown <developer> tag
    # of older appstream releases) are allowed.
    assert not any(line.startswith(("E:", "W:")) for line in done.stdout.splitlines())


def test_desktop_entry_starts_the_command_with_the_app_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    section = entry["Desktop Entry"]
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "scripts"
    ]
    assert section["Exec"].split()[0] in scripts
    assert section["Icon"] == APP_ID
    assert section["Terminal"] == "false"


def test_metainfo_names_the_desktop_entry_and_the_current_version() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]
    releases = [release.get("version") for release in root.iter("release")]
    assert releases and releases[0] == version, "add a <release> for the new version"


@pytest.mark.parametrize("size", ICON_SIZES)
def test_icon_png_has_its_size_and_an_alpha_channel(size: int) -> None:
    data = (ICONS / f"briefreader-{size}.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (width, height) == (size, size)
    assert colour == 6 and depth == 8  # RGBA: the tile's rounded corners are transparent


def test_icon_svg_is_square_and_has_no_text() -> None:
    root = ET.parse(ICONS / "briefreader.svg").getroot()
    assert root.get("viewBox") == "0 0 256 256"
    assert not [e for e in root.iter() if e.tag.endswith("}text")]
