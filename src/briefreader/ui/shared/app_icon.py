"""The application's icon, from the PNG sizes launchers use (resources/icons/).

PNGs rather than the SVG source: Qt's SVG plugin is loaded only after the first paint, and
QIcon reads each file only when a size is asked for, so this costs the start nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from briefreader.core.locations import resources_dir

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    icon = QIcon()
    folder = resources_dir() / "icons"
    for size in ICON_SIZES:
        icon.addFile(str(folder / f"briefreader-{size}.png"), QSize(size, size))
    return icon
