"""Each defect the content checks must catch, planted in a copy of content/, makes them fail.

The defects are those a reviewer found passing the earlier tests: two statements' texts swapped
between speakers, a statement moved to the wrong sector, a speaker's role changed, a heading
replaced with a false claim, an invented line under 40 characters, a figure's measure,
organisation or period changed, and a passage moved to another theme.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from content_checks import check_content
from seedtext import ROOT

Mutation = Callable[[Path], None]


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _section_block(text: str, anchor: str) -> str:
    match = re.search(rf"(?ms)^## [^\n]*\{{#{re.escape(anchor)}\}}\n.*?(?=^## |\Z)", text)
    assert match, anchor
    return match[0]


def _entry(text: str, anchor: str) -> str:
    table = re.search(rf"(?ms)^\[sections\.{re.escape(anchor)}\]\n.*?(?=^\[|^\+\+\+)", text)
    if table:
        return table[0]
    inline = re.search(rf"(?m)^{re.escape(anchor)} = \{{.*\}}\n", text)
    assert inline, anchor
    return inline[0]


def _move_section(root: Path, source: str, target: str, anchor: str) -> None:
    """Move a section, with its front-matter entry, from one theme file to another."""
    themes = root / "themes"
    source_text = (themes / source).read_text(encoding="utf-8")
    block, entry = _section_block(source_text, anchor), _entry(source_text, anchor)
    (themes / source).write_text(
        source_text.replace(block, "").replace(entry, ""), encoding="utf-8"
    )
    target_text = (themes / target).read_text(encoding="utf-8")
    if entry.startswith("[sections."):
        target_text = target_text.replace("\n+++\n", f"\n\n{entry.rstrip()}\n+++\n", 1)
    else:
        target_text = target_text.replace("[sections]\n", f"[sections]\n{entry}", 1)
    (themes / target).write_text(target_text.rstrip("\n") + "\n\n" + block, encoding="utf-8")


def swap_statements(root: Path) -> None:
    path = root / "themes" / "voices-technology.md"
    text = path.read_text(encoding="utf-8")
    tiktok = _section_block(text, "cormac-keenan").split("\n", 1)[1]
    microsoft = _section_block(text, "courtney-gregoire").split("\n", 1)[1]
    text = text.replace(tiktok, "\0").replace(microsoft, tiktok).replace("\0", microsoft)
    path.write_text(text, encoding="utf-8")


def statement_in_wrong_sector(root: Path) -> None:
    _move_section(root, "voices-governments.md", "voices-technology.md", "sun-xueling")


def speaker_role_changed(root: Path) -> None:
    _edit(
        root / "themes" / "voices-governments.md",
        'role = "Minister of State in the Ministry of Home Affairs',
        'role = "Minister for Home Affairs in the Ministry of Home Affairs',
    )


def editors_heading_made_a_false_claim(root: Path) -> None:
    _edit(
        root / "themes" / "threat-assessment-press-release.md",
        "## Grooming on social gaming platforms {#",
        "## Grooming on social gaming platforms is declining {#",
    )


def source_heading_replaced(root: Path) -> None:
    _edit(
        root / "themes" / "overview-review.md",
        "## Key highlights {#key-highlights}",
        "## Key achievements {#key-highlights}",
    )


def short_line_invented(root: Path) -> None:
    line = "Most of it happens at night."
    assert len(line) < 40
    _edit(
        root / "themes" / "threat-assessment-press-release.md",
        "tragically taken their own lives.\n",
        f"tragically taken their own lives.\n\n{line}\n",
    )


def figure_measure_changed(root: Path) -> None:
    _edit(root / "figures.toml", 'measure = "reports globally"', 'measure = "reports in Europe"')


def figure_organisation_changed(root: Path) -> None:
    _edit(root / "figures.toml", 'source = "NCMEC"', 'source = "Thorn"')


def figure_credited_to_a_body_not_its_speaker(root: Path) -> None:
    _edit(
        root / "figures.toml",
        'source = "Etienne Krug, World Health Organisation, in his statement, which names no '
        'source for the figure"',
        'source = "World Health Organisation"',
    )


def figure_period_changed(root: Path) -> None:
    _edit(root / "figures.toml", 'period = "from 2020 to 2022"', 'period = "from 2019 to 2022"')


def passage_moved_to_another_theme(root: Path) -> None:
    _move_section(root, "knowledge-review.md", "empowerment-review.md", "model-national-response")


MUTATIONS: dict[str, tuple[Mutation, str]] = {
    "two statements swapped between speakers": (swap_statements, "not verbatim in its paragraphs"),
    "a statement moved to the wrong sector": (statement_in_wrong_sector, "the source places"),
    "a speaker's role changed": (speaker_role_changed, "role 'Minister for Home Affairs"),
    "an editors' heading replaced with a false claim": (
        editors_heading_made_a_false_claim,
        "says what its passage does not",
    ),
    "a source heading replaced": (source_heading_replaced, "is not the source's heading"),
    "an invented line under 40 characters": (short_line_invented, "Most of it happens at night"),
    "a figure's measure changed": (figure_measure_changed, "measure or period says what"),
    "a figure's organisation changed": (figure_organisation_changed, "'Thorn' is not named"),
    "a statement's figure credited to a body": (
        figure_credited_to_a_body_not_its_speaker,
        "does not name the speaker",
    ),
    "a figure's period changed": (figure_period_changed, "measure or period says what"),
    "a passage moved to another theme": (
        passage_moved_to_another_theme,
        "are not part of theme 'empowerment'",
    ),
}


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    return root


def test_the_unchanged_copy_passes(copy: Path) -> None:
    assert check_content(copy) == []


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_each_planted_defect_is_caught(copy: Path, name: str) -> None:
    mutate, expected = MUTATIONS[name]
    mutate(copy)
    problems = check_content(copy)
    assert any(expected in problem for problem in problems), "\n".join(problems) or "no problem"
