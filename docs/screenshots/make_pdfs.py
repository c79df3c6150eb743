"""The README's PDF pictures: a seven-excerpt briefing note and a theme saved as PDF, made by
the app's own export code, then rendered by poppler's ``pdftoppm`` (run by ``make.sh``)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QGuiApplication

from briefreader.core.content import load_briefing
from briefreader.core.excerpts import excerpt_from_section
from briefreader.core.export import BriefingNote
from briefreader.core.locations import bundled_content_dir
from briefreader.ui.excerpts.export import write_note
from briefreader.ui.printing.theme_pdf import save_theme_pdf

SEVEN = [
    "threat-assessment/financial-sexual-extortion",
    "threat-assessment/generative-ai",
    "voices/etienne-krug",
    "knowledge/global-threat-assessment",
    "recommendations/safety-by-design",
    "voices/jacqueline-beauchere",
    "collaboration/new-members",
]


def main(folder: Path) -> None:
    app = QGuiApplication([])
    briefing = load_briefing(bundled_content_dir())
    items = []
    for section_id in SEVEN:
        section = briefing.section(section_id)
        assert section is not None, section_id
        note = "Lead with this in the opening remarks." if section_id.endswith("generative-ai") else ""
        items.append((excerpt_from_section(briefing, section), note))
    note = BriefingNote(
        tuple(items),
        title="Notes for the ministerial round table",
        subtitle=briefing.title,
        meeting="Round table on children's safety online",
        author="A. Delegate",
    )
    write_note(note, folder / "note.pdf")
    save_theme_pdf(briefing, "voices", folder / "theme.pdf")
    app.quit()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
