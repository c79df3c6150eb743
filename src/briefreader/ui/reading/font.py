"""The reader's body font, at a reading size and zoomed."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QFont

# Body text size in points at 100 %: 12 pt is 16 px on Windows and Linux; macOS counts 1 pt
# as 1 px, so the same reading size needs more points there.
BASE_POINT_SIZE = 15.0 if sys.platform == "darwin" else 12.0


def reading_font(zoom_percent: int) -> QFont:
    """The reader's body font: the platform's UI sans at a reading size, zoomed."""
    # Imported here: used after the window's first paint, and QFontDatabase has a list of
    # writing systems to set up on first use.
    from PySide6.QtGui import QFont, QFontDatabase

    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    font.setPointSizeF(BASE_POINT_SIZE * zoom_percent / 100)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    return font
