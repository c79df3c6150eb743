"""A wheel built from the checkout carries the briefing and resources, and works outside it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_wheel_ships_content_and_resources_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
            "--no-index", "-q", "-w", str(tmp_path), str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("briefreader-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = {p.relative_to(REPO / "content").as_posix() for p in (REPO / "content").rglob("*.*")}
    assert {f"briefreader/content/{n}" for n in bundled} <= names
    assert "briefreader/resources/reader.css" in names
    # Every module of the package, those in its sub-packages too (each is listed by name).
    modules = {p.relative_to(REPO / "src").as_posix() for p in (REPO / "src").rglob("*.py")}
    assert modules <= names, sorted(modules - names)
    # The application icon, for the window and the About box (resources/icons/).
    assert "briefreader/resources/icons/briefreader.svg" in names
    assert {f"briefreader/resources/icons/briefreader-{n}.png" for n in (16, 32, 256)} <= names

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("BRIEFREADER_CONTENT_DIR", None)
    code = (
        "import briefreader.core.locations as p, briefreader.core.content as c\n"
        "b = c.load_briefing(p.Locations.resolve().content)\n"
        "print(p.Locations.resolve().content); print(len(b.sections), len(b.problems))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    folder, counts = done.stdout.splitlines()
    assert Path(folder) == site / "briefreader" / "content"
    sections, problems = counts.split()
    assert int(sections) > 60 and problems == "0"
