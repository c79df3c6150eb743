"""content/ against the sources: locators, headings, speakers, figures, marks, notes and links.

The checks themselves are in content_checks.py, as functions over a content folder, so that
test_content_mutations.py can run them on a copy with a defect planted.
"""

from __future__ import annotations

import pytest
from content_checks import check_figures, check_links, check_notes, check_sections, read_content
from seedtext import ROOT, locate, units

CONTENT = read_content(ROOT / "content")


def test_every_section_locator_heading_and_speaker_holds() -> None:
    problems = check_sections(CONTENT)
    assert not problems, "\n".join(problems)


def test_paragraph_counting_follows_the_documented_rule() -> None:
    press = [u for u in units("press-release") if u.number is not None]
    # The title line is not counted; the three bullets under it are paragraphs 1 to 3.
    assert press[0].text.startswith("WeProtect Global Alliance's latest report shows 87%")
    assert press[3].text.startswith("17 October 2023 - WeProtect Global Alliance has released")
    review = {u.number: u.text for u in units("review") if u.number is not None}
    # "# Our membership", "# 276 members" and "# 102 Country governments" are headings.
    assert review[17].startswith("Governments create and implement")
    assert locate("press-release", "Minority groups targeted: Vulnerable minority") == [[18]]


@pytest.mark.parametrize("section_id", sorted(CONTENT.sections))
def test_every_section_has_a_locator(section_id: str) -> None:
    entry = CONTENT.sections[section_id].entry
    assert entry.get("heading") in ("source", "speaker", "editors")
    assert entry.get("paras")


def test_every_figure_has_its_sentence_summary_and_credit() -> None:
    problems = check_figures(CONTENT)
    assert not problems, "\n".join(problems)


def test_every_mark_and_note_stands_in_its_section() -> None:
    problems = check_notes(CONTENT)
    assert not problems, "\n".join(problems)
    assert CONTENT.marks and CONTENT.notes


def test_every_link_from_a_finding_is_justified_in_the_source_s_words() -> None:
    problems = check_links(CONTENT)
    assert not problems, "\n".join(problems)
    statements = {link["label"] for link in CONTENT.links if link["kind"] == "statement"}
    assert statements == {
        "Susie Hargreaves OBE",
        "Maria Oliveira",
        "Dr Manjeer Mukherjee",
        "Juliet Ohahuru-Obiora",
    }
