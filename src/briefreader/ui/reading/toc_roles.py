"""The item data role a table of contents keeps a section's id in.

Its own module, so that the view (in the first frame) and the model (filled after it) both
import it without importing each other.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

SECTION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
