"""The README's content section lists every repair, editor's mark and note on the sources'
errors that the briefing makes: a repair added to content/notes.toml must be listed there."""

from __future__ import annotations

from pathlib import Path

from briefreader.core.content import load_briefing
from briefreader.core.locations import bundled_content_dir

README = Path(__file__).resolve().parents[2] / "README.md"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _shown(damaged: str) -> str:
    """Damaged text as the README (and the notes page) shows it: its breaks named."""
    return damaged.replace("\n\n", " [page break] ").replace("\n", " [line break] ")


def test_the_readme_lists_every_repair_mark_and_note() -> None:
    briefing = load_briefing(bundled_content_dir())
    text = README.read_text(encoding="utf-8")
    section = _flat(text[text.index("### Editor's marks and the notes on the text") :])
    assert briefing.repairs and briefing.marks and briefing.notes
    missing = [r.damaged for r in briefing.repairs if _flat(_shown(r.damaged)) not in section]
    missing += [m.mark for m in briefing.marks if m.mark not in section]
    missing += [n.quote for n in briefing.notes if _flat(n.quote) not in section]
    assert missing == []
