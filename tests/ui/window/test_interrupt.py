"""Ctrl+C in the terminal closes the reader cleanly: no traceback, the session saved."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def test_ctrl_c_closes_the_window_and_saves_the_session(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "BRIEFREADER_CACHE_DIR": str(tmp_path / "cache"),
        "BRIEFREADER_DATA_DIR": str(tmp_path / "data"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "briefreader"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        # Started when the page cache holds the open tab's page (written after the paint).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list((tmp_path / "cache").glob("pages/*")):
            assert process.poll() is None, process.communicate()
            time.sleep(0.2)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err
    settings = list((tmp_path / "config").rglob("*.conf"))
    assert settings and "geometry" in settings[0].read_text(encoding="utf-8", errors="replace")
