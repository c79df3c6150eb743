"""The item data role a table of contents keeps a section's id in.

Its own module, so that the view (in the first frame) and the model (filled after it) both
import it without importing each other.
"""

from __future__ import annotations

# Qt::UserRole + 1, as a number: Qt's enums are not set up before the first paint
# (ui/shared/lazy_qt.py); a test holds it to Qt's.
SECTION_ID_ROLE = 0x0100 + 1
