"""``briefreader --screenshot``: renders offscreen, saves a PNG, exits; never reads settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

REPO = Path(__file__).resolve().parents[3]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefreader", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        check=False,
    )


def test_a_dark_screenshot_of_a_tab(tmp_path: Path) -> None:
    shot = tmp_path / "voices-dark.png"
    done = _run("--screenshot", str(shot), "--tab", "Voices", "--dark")
    assert done.returncode == 0, done.stderr
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1440, 900)
    # The window and the reader's page are dark: most of the picture is dark.
    dark = sum(
        image.pixelColor(x, y).lightness() < 80
        for x in range(0, 1440, 40)
        for y in range(0, 900, 40)
    )
    assert dark > 0.8 * (1440 // 40) * (900 // 40)


def test_an_unknown_tab_is_a_usage_error_naming_the_themes(tmp_path: Path) -> None:
    done = _run("--screenshot", str(tmp_path / "x.png"), "--tab", "nowhere")
    assert done.returncode == 2
    assert "no theme 'nowhere'" in done.stderr and "voices" in done.stderr
    assert not (tmp_path / "x.png").exists()


def test_an_unwritable_destination_fails_with_a_message(tmp_path: Path) -> None:
    target = tmp_path / "missing-folder" / "shot.png"
    done = _run("--screenshot", str(target))
    assert done.returncode == 1
    assert f"cannot write the screenshot to {target}" in done.stderr
