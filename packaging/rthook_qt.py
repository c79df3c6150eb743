"""Run-time hook of the frozen BriefReader, in place of PyInstaller's PySide6 hook.

Qt must load its plugins (platform, SVG, input methods) from the bundle, never from a Qt the
laptop has (QT_PLUGIN_PATH set by a desktop session could point at another Qt 6 version).
PyInstaller's own hook does this too, but imports shiboken6 and PySide6 to do it, at every
start: 80 ms that ``briefreader --version`` and the other commands do not need, and that the
window pays anyway when it imports Qt. PySide6's wheel makes its Qt relocatable itself (an
embedded qt.conf), so the plugin path is all that is left to set.
"""

import os
import sys
from pathlib import Path

_qt = Path(sys._MEIPASS) / "PySide6"  # type: ignore[attr-defined]
if not sys.platform.startswith("win"):
    _qt = _qt / "Qt"
os.environ["QT_PLUGIN_PATH"] = str(_qt / "plugins")
