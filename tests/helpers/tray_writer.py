"""A tray writer for the kill tests: run with ``python -c TRAY_WRITER DATA_FOLDER CONTENT``.

It adds excerpts and edits their notes as fast as it can, and prints each number once both
calls returned: a number printed is a change the tray acknowledged.
"""

from __future__ import annotations

import textwrap

TRAY_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from briefreader.core.content import load_briefing
    from briefreader.core.excerpts import excerpt_from_section
    from briefreader.core.tray import TrayStore

    briefing = load_briefing(Path(sys.argv[2]))
    sections = briefing.sections
    store = TrayStore.open(Path(sys.argv[1]))
    assert store.writable, store.message
    number = 0
    while True:
        item = store.add(excerpt_from_section(briefing, sections[number % len(sections)]),
                         note=f"note {number}")
        store.set_note(item.id, f"note {number} edited")
        print(number, flush=True)
        number += 1
    """
)
