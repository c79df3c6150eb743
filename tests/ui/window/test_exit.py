"""The app exits cleanly after a copy: no crash on the offscreen platform's clipboard."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
from PySide6.QtCore import QMimeData, QTimer
from briefreader.app import application

app = application()
data = QMimeData()
data.setText("a quote")
app.clipboard().setMimeData(data)
QTimer.singleShot(0, app.quit)
raise SystemExit(app.exec())
"""


def test_quitting_after_a_copy_exits_with_status_zero() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
