"""The two source texts, read the way content/FORMAT.md says paragraphs are counted.

Kept apart from the loader on purpose: the checks in content_checks.py compare content/ with
the sources by reading both independently of briefreader.

The counting rule (also in content/FORMAT.md):

- a paragraph is a run of non-blank lines (a line of only spaces is blank) of the source text
  (tests/data/seeds/), except that a line starting with "- " (after any spaces) is a list item
  and is a paragraph of its own;
- a heading is not counted: a line starting with "#", and the document's title line (the
  press release opens with its title);
- paragraphs are numbered from 1 at the start of the document, in the order they come.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = ROOT / "tests" / "data" / "seeds"
SEEDS = {
    "review": SEED_DIR / "000_51e5cac9e616082f.txt",
    "press-release": SEED_DIR / "001_8e00e3bfef33d018.txt",
}
TITLES = {
    "review": "Annual Review 2023",
    "press-release": (
        "Alarming escalation in child sexual abuse online revealed by Global Threat Assessment 2023"
    ),
}

# Extraction damage in the seeds, as (damaged, repaired) pairs, listed once, in content/notes.toml
# (where the "Notes on the text" page reads them too). Link markup (<a href="…">, <u>, [text](#))
# is stripped separately, by plain(). Everything else (typos, odd grammar, missing quote marks)
# is the source's and stays. Repairs across a blank line (a sentence cut by a page break) join
# two counted paragraphs; the locator then names both.
NOTES = tomllib.loads((ROOT / "content" / "notes.toml").read_text(encoding="utf-8"))
REPAIRS: dict[str, list[tuple[str, str]]] = {doc: [] for doc in SEEDS}
for _repair in NOTES["repairs"]:
    REPAIRS[_repair["document"]].append((_repair["damaged"], _repair["repaired"]))

LINK_A = re.compile(r'<a href="[^"]*">(.*?)</a>')
LINK_U = re.compile(r"<u>(.*?)</u>")
LINK_MD = re.compile(r"\[([^\]]*)\]\(#\)")
LIST_LINE = re.compile(r"^\s*- ")
BOLD_LEAD = re.compile(r"^\s*-\s+\*\*(.+?)\*\*")


def plain(text: str) -> str:
    """Text without Markdown/HTML markup, whitespace collapsed."""
    text = LINK_U.sub(r"\1", LINK_MD.sub(r"\1", LINK_A.sub(r"\1", text)))
    lines = []
    for raw in text.splitlines():
        line = re.sub(r"^#{1,6}\s+", "", raw.strip())
        while line.startswith(">"):
            line = line[1:].lstrip()
        lines.append(re.sub(r"^[-*+]\s+", "", line))
    return " ".join(" ".join(lines).replace("**", "").replace("*", "").split())


@dataclass(frozen=True, slots=True)
class Unit:
    """A heading or a counted paragraph of a source, in order."""

    number: int | None  # the paragraph number; None for a heading
    raw: str  # as in the seed
    text: str  # repaired (within the unit) and plain
    line: int  # first line in the seed file

    @property
    def is_heading(self) -> bool:
        return self.number is None


def units(doc: str) -> list[Unit]:
    """The document's headings and paragraphs, in order, numbered by the rule above."""
    return list(_units(doc))


@functools.cache
def _units(doc: str) -> tuple[Unit, ...]:
    lines = SEEDS[doc].read_text(encoding="utf-8").splitlines()
    groups: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for index, line in enumerate([*lines, ""]):
        if not line.strip():
            if current:
                groups.append((start, current))
            current = []
            continue
        if LIST_LINE.match(line) or line.lstrip().startswith("#"):
            if current:
                groups.append((start, current))
            groups.append((index + 1, [line]))
            current = []
            continue
        if current and (LIST_LINE.match(current[0]) or current[0].lstrip().startswith("#")):
            groups.append((start, current))
            current = []
        if not current:
            start = index + 1
        current.append(line)
    out: list[Unit] = []
    number = 0
    for first_line, group in groups:
        raw = "\n".join(group)
        text = raw
        for damaged, repaired in REPAIRS[doc]:
            if "\n\n" not in damaged:
                text = text.replace(damaged, repaired)
        heading = raw.lstrip().startswith("#") or plain(raw) == TITLES[doc]
        if heading:
            out.append(Unit(None, raw, plain(text), first_line))
        else:
            number += 1
            out.append(Unit(number, raw, plain(text), first_line))
    return tuple(out)


def headings(doc: str) -> list[str]:
    """The source's own headings: lines marked as headings, and bold run-in list leads."""
    found = [u.text for u in units(doc) if u.is_heading and u.text != TITLES[doc]]
    for unit in units(doc):
        lead = BOLD_LEAD.match(unit.raw)
        if lead:
            found.append(lead[1].strip().rstrip(":"))
    return found


def is_figure_heading(text: str) -> bool:
    """A heading that is a figure printed large ("276 members"), not a section heading."""
    return text[:1].isdigit()


def heading_before(doc: str, paragraph: int) -> str:
    """The source's nearest own heading before a paragraph (figures printed large skipped)."""
    last = ""
    for unit in units(doc):
        if unit.number == paragraph:
            return last
        if unit.is_heading and not is_figure_heading(unit.text) and unit.text != TITLES[doc]:
            last = unit.text
    raise ValueError(f"{doc} has no paragraph {paragraph}")


@functools.cache
def joined(doc: str) -> str:
    return " ".join(u.text for u in _units(doc))


def locate(
    doc: str, block: str, within: set[int] | None = None, *, heading: bool = False
) -> list[list[int]]:
    """Every run of consecutive paragraphs (headings between them allowed) holding ``block``.

    Each run is the smallest one that holds it: a single paragraph where one does, else two or
    more consecutive ones (a sentence cut by a page break, a figure printed as a heading). A
    block that is one of the source's headings gives one empty run. A ``heading`` (a content
    sub-heading) is found only as a whole heading or a whole paragraph of the source.
    """
    seq = units(doc)
    if heading:
        if any(u.is_heading and u.text == block for u in seq):
            return [[]]  # one of the source's headings: no paragraph of its own
        return [
            [u.number]
            for u in seq
            if u.number is not None
            and u.text.rstrip(":") == block
            and (within is None or u.number in within)
        ]
    runs: list[list[int]] = []
    for start in range(len(seq)):
        joined = ""
        numbers: list[int] = []
        for unit in seq[start : start + 4]:
            joined = f"{joined} {unit.text}".strip()
            if unit.number is not None:
                numbers.append(unit.number)
            if block in joined:
                if numbers and (within is None or set(numbers) <= within):
                    runs.append(numbers)
                break
    # Keep only the smallest runs: a run containing another found run is redundant.
    smallest = [r for r in runs if not any(o != r and set(o) < set(r) for o in runs)]
    return [list(r) for r in dict.fromkeys(tuple(r) for r in smallest)]
