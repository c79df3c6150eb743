"""``python -m bench --frozen DIR``: skipped with a reason without a build; figures from one."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import gui  # noqa: E402


def test_a_folder_without_the_executable_is_named_as_the_reason(tmp_path: Path) -> None:
    problem = gui.frozen_problem(tmp_path)
    assert problem is not None and str(tmp_path) in problem and "packaging/build.sh" in problem
    (tmp_path / gui.FROZEN_EXECUTABLE).write_bytes(b"")
    assert gui.frozen_problem(tmp_path) is None


def test_summary_puts_the_frozen_start_against_the_installed_and_bare_ones() -> None:
    figures = {
        "bare_qt_ms": [200.0, 210.0, 190.0],
        "start_ms": [300.0, 280.0, 290.0],
        "first_start_ms": [300.0, 310.0, 320.0],
        "frozen_start_ms": [270.0, 260.0, 500.0],
        "frozen_sizes_mib": {"folder": 145.2, "tar_gz": 59.4},
        "rss_mib": 100.0,
    }
    out = gui.summary(figures)
    assert out["frozen_start_ms"] == 270.0  # a median: the one slow start does not count
    assert out["frozen_vs_installed_start"] == round(270 / 290, 2)
    assert out["frozen_vs_bare_qt"] == round(270 / 200, 2)
    assert out["frozen_folder_mib"] == 145.2 and out["frozen_tar_gz_mib"] == 59.4


def test_sizes_count_the_folder_and_the_installers_beside_it(tmp_path: Path) -> None:
    folder = tmp_path / "briefreader"
    folder.mkdir()
    (folder / "briefreader").write_bytes(b"x" * 1024 * 1024)
    (tmp_path / "briefreader-0.1.0-linux-x86_64.tar.gz").write_bytes(b"x" * 512 * 1024)
    assert gui._sizes(folder) == {"folder": 1.0, "tar_gz": 0.5}
