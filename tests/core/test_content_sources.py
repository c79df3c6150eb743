"""The bundled briefing says what its two sources say: every passage, in their words, nothing added.

The sources are kept verbatim in tests/data/seeds/. This module deliberately does not import
briefreader: it reads content/ itself (front matter, Markdown) so that the text is checked
independently of the loader.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import seedtext

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
THEMES = CONTENT / "themes"
SEED_DIR = ROOT / "tests" / "data" / "seeds"
SEEDS = {
    "review": SEED_DIR / "000_51e5cac9e616082f.txt",
    "press-release": SEED_DIR / "001_8e00e3bfef33d018.txt",
}

# Extraction damage in the seeds: listed once, in content/notes.toml (read by seedtext.py).
REPAIRS = seedtext.REPAIRS
# Editor's marks in the content: not the source's words, so taken out before comparing.
MARKS = sorted({mark["mark"] for mark in seedtext.NOTES["marks"]}, key=len, reverse=True)

# Seed passages that are divided between two sections: (document, the words the second part
# starts with). Each part must appear in the content.
SPLITS: list[tuple[str, str]] = [
    # "…(Internet Watch Foundation). Shockingly, … 19 seconds …": imagery, then grooming.
    ("press-release", "Shockingly, it was also revealed"),
]

# Seed passages deliberately left out of the content: page furniture, labels, contacts.
EXCLUDED: dict[str, set[str]] = {
    "review": {
        "Toun",  # a stray fragment above the signature
        "OUR ACHIEVEMENTS",  # page header
        "STRATEGIC OUTCOME 1",  # page header
        "2023 Global Threat Assessment",  # the caption of a picture of the report's cover
        "www.weprotect",  # the back cover's address, truncated
        "in @WeProtect Global Alliance",  # social media handles
        "@WeProtect",
    },
    "press-release": {
        "Supporting quotes",  # label above the statements; they are the Voices theme
        "Additional findings:",  # label of a list; its four items are four sections
        "-Ends-",  # press-release furniture
        "Media enquiries",  # the press contacts block
        "Samuel Dean, TEAM LEWIS Foundation, International Hub",
        "TEAM LEWIS",
        "+44 (0) 7800 6661656",
        "WeProtectHub@teamlewis.com",
        "media@weprotectga.org",
        "Notes to Editors",  # label; the notes are the section "About the Global Threat Assessment"
    },
}

# Synonym group members that the sources never write, but readers search for.
ABSENT_SYNONYMS = {"GTA"}

LINK_A = re.compile(r'<a href="[^"]*">(.*?)</a>')
LINK_U = re.compile(r"<u>(.*?)</u>")
LINK_MD = re.compile(r"\[([^\]]*)\]\(#\)")
ANCHOR = re.compile(r"\s*\{#[^}]*\}")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
LIST_ITEM = re.compile(r"^\s*[-*+]\s+")
BOLD_LEAD = re.compile(r"^\s*[-*+]\s+\*\*(.+?)\*\*\s*(.*)$")
NUMBER = re.compile(r"\d+(?:[,./-]\d+)*")
FRONT_MATTER = re.compile(r"\+\+\+\n(.*?)\n\+\+\+\n(.*)", re.DOTALL)


def plain(text: str) -> str:
    """Text without Markdown/HTML markup and without the editor's marks, whitespace collapsed."""
    for mark in MARKS:
        text = text.replace(mark, "")
    text = LINK_U.sub(r"\1", LINK_MD.sub(r"\1", LINK_A.sub(r"\1", text)))
    text = ANCHOR.sub("", text)
    lines = []
    for raw in text.splitlines():
        line = raw.strip()
        line = re.sub(r"^#{1,6}\s+", "", line)
        while line.startswith(">"):
            line = line[1:].lstrip()
        lines.append(LIST_ITEM.sub("", line))
    return " ".join(" ".join(lines).replace("**", "").replace("*", "").split())


def seed_passages(doc: str) -> list[str]:
    """The seed's paragraphs and list items, repaired, as plain text."""
    text = SEEDS[doc].read_text(encoding="utf-8")
    for damaged, repaired in REPAIRS[doc]:
        text = text.replace(damaged, repaired)
    passages: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if line.strip()]
        if lines and all(LIST_ITEM.match(line) for line in lines):
            for line in lines:
                lead = BOLD_LEAD.match(line)
                # A bold lead ("**Adopt a Safety by Design Approach:** …") heads its own section.
                parts = [lead[1].rstrip(":"), lead[2]] if lead else [line]
                passages.extend(plain(part) for part in parts)
        elif lines:
            passages.append(plain(" ".join(lines)))
    for split_doc, marker in SPLITS:
        if split_doc == doc:
            passages = [
                piece.strip()
                for passage in passages
                for piece in (
                    [passage[: passage.index(marker)], passage[passage.index(marker) :]]
                    if marker in passage
                    else [passage]
                )
            ]
    return [passage for passage in passages if passage]


def read_theme_file(name: str) -> tuple[dict[str, Any], str]:
    match = FRONT_MATTER.fullmatch((THEMES / name).read_text(encoding="utf-8"))
    assert match, f"{name}: no +++ front matter"
    return tomllib.loads(match[1]), match[2]


def slugify(heading: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")


def split_sections(body: str) -> tuple[str, list[tuple[str, str, str]]]:
    """(text before the first ## heading, [(anchor, heading, section markdown)])."""
    preamble: list[str] = []
    sections: list[tuple[str, str, list[str]]] = []
    for line in body.splitlines():
        heading = HEADING.match(line)
        if heading and len(heading[1]) == 2:
            explicit = re.search(r"\{#([^}]+)\}\s*$", heading[2])
            title = ANCHOR.sub("", heading[2])
            sections.append((explicit[1] if explicit else slugify(title), title, [line]))
        elif sections:
            sections[-1][2].append(line)
        else:
            preamble.append(line)
    return "\n".join(preamble), [(a, t, "\n".join(lines)) for a, t, lines in sections]


def blocks(markdown: str) -> list[str]:
    """Body paragraphs and list items (not headings) as plain text."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", markdown):
        lines = [line for line in block.splitlines() if line.strip() and not HEADING.match(line)]
        if lines and all(LIST_ITEM.match(line) for line in lines):
            out.extend(plain(line) for line in lines)
        elif lines:
            out.append(plain("\n".join(lines)))
    return [text for text in out if text]


MANIFEST = tomllib.loads((CONTENT / "briefing.toml").read_text(encoding="utf-8"))
LISTED = [(theme["id"], name) for theme in MANIFEST["themes"] for name in theme["files"]]
FILES = {name: read_theme_file(name) for _, name in LISTED if (THEMES / name).is_file()}
# Everything a reader sees: each file's part heading and body, in reading order.
CONTENT_TEXT = " ".join(
    plain(str(front.get("part", "")) + "\n\n" + body) for front, body in FILES.values()
)
DOCUMENT_TEXT = {
    doc["id"]: " ".join(
        plain(body) for front, body in FILES.values() if front.get("document") == doc["id"]
    )
    for doc in MANIFEST["documents"]
}
SECTIONS = {
    f"{front['theme']}/{anchor}": (front, plain(markdown))
    for front, body in FILES.values()
    for anchor, _, markdown in split_sections(body)[1]
}
PASSAGES = {doc: seed_passages(doc) for doc in SEEDS}
SEED_TEXT = " ".join(
    passage for doc in SEEDS for passage in PASSAGES[doc] if passage not in EXCLUDED[doc]
)
# The manifest carries each document's title and date as written.
MANIFEST_TEXT = {doc[key] for doc in MANIFEST["documents"] for key in ("title", "date_text")}
FIGURES = tomllib.loads((CONTENT / "figures.toml").read_text(encoding="utf-8"))["figures"]
SYNONYMS = tomllib.loads((CONTENT / "synonyms.toml").read_text(encoding="utf-8"))["groups"]


@pytest.mark.parametrize(
    ("doc", "damaged"),
    [(doc, damaged) for doc, pairs in REPAIRS.items() for damaged, _ in pairs],
)
def test_repair_targets_real_damage(doc: str, damaged: str) -> None:
    assert damaged in SEEDS[doc].read_text(encoding="utf-8")


@pytest.mark.parametrize(("doc", "passage"), [(d, p) for d, ps in EXCLUDED.items() for p in ps])
def test_excluded_passage_is_in_its_seed(doc: str, passage: str) -> None:
    assert passage in PASSAGES[doc]


@pytest.mark.parametrize(
    "passage",
    [
        pytest.param(passage, id=f"{doc}-{index:03d}-{passage[:50]}")
        for doc in SEEDS
        for index, passage in enumerate(PASSAGES[doc])
        if passage not in EXCLUDED[doc]
    ],
)
def test_seed_passage_is_in_content(passage: str) -> None:
    # A speaker line or group label keeps its words but loses its colon as a heading.
    found = passage in CONTENT_TEXT or (passage.endswith(":") and passage[:-1] in CONTENT_TEXT)
    assert found or passage in MANIFEST_TEXT, f"missing from content: {passage!r}"


def test_every_number_in_content_is_in_the_seeds() -> None:
    seed_numbers = set(NUMBER.findall(SEED_TEXT))
    figure_text = " ".join(
        f"{figure['value']} {figure['measure']} {figure['period']} {figure['quote']}"
        for figure in FIGURES
    )
    invented = sorted(set(NUMBER.findall(CONTENT_TEXT + " " + figure_text)) - seed_numbers)
    assert not invented, f"numbers not in the sources: {invented}"


def test_no_passage_appears_more_often_than_in_the_seeds() -> None:
    repeated = sorted(
        {
            block
            for _, body in FILES.values()
            for block in blocks(body)
            if len(block) >= 40 and CONTENT_TEXT.count(block) > SEED_TEXT.count(block)
        }
    )
    assert not repeated, f"passages repeated in content: {repeated}"


def test_manifest_lists_exactly_the_theme_files() -> None:
    listed = [name for _, name in LISTED]
    assert len(listed) == len(set(listed)), "a file is listed twice"
    assert set(listed) == {path.name for path in THEMES.glob("*.md")}
    assert [theme["id"] for theme in MANIFEST["themes"]] == [
        "overview",
        "collaboration",
        "knowledge",
        "empowerment",
        "advocacy",
        "threat-assessment",
        "recommendations",
        "voices",
    ]


@pytest.mark.parametrize(("theme", "name"), LISTED)
def test_theme_file_structure(theme: str, name: str) -> None:
    front, body = FILES[name]
    assert front["theme"] == theme
    assert front["document"] in DOCUMENT_TEXT
    preamble, sections = split_sections(body)
    assert not preamble.strip(), "text before the first ## heading"
    anchors = [anchor for anchor, _, _ in sections]
    quoted = {anchor for anchor, _, markdown in sections if re.search(r"(?m)^>", markdown)}
    entries = front.get("sections", {})
    assert set(entries) == set(anchors), "every section has one [sections] entry, and only they"
    speakers = {anchor: entry for anchor, entry in entries.items() if "speaker" in entry}
    assert quoted == set(speakers), "block quotes and speaker entries do not match"
    for anchor, title, _ in sections:
        assert speakers.get(anchor, {}).get("speaker", "") in title
    siblings = [
        anchor
        for other_theme, other in LISTED
        if other_theme == theme
        for anchor, _, _ in split_sections(FILES[other][1])[1]
    ]
    assert len(siblings) == len(set(siblings)), "an anchor is used twice in this theme"


@pytest.mark.parametrize("figure", FIGURES, ids=[figure["id"] for figure in FIGURES])
def test_figure_is_in_its_section_with_its_source(figure: dict[str, str]) -> None:
    keys = {"id", "value", "measure", "source", "period", "document", "section", "quote"}
    assert keys <= set(figure) <= {*keys, "speaker", "paras"}
    front, text = SECTIONS[figure["section"]]
    assert front["document"] == figure["document"]
    assert figure["value"] in text
    assert " ".join(figure["quote"].split()) in text


def test_figure_ids_are_unique() -> None:
    ids = [figure["id"] for figure in FIGURES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("group", SYNONYMS, ids=[group[0] for group in SYNONYMS])
def test_synonym_group_members_are_in_content(group: list[str]) -> None:
    assert len(group) >= 2
    for member in group:
        written = re.search(rf"(?<!\w){re.escape(member)}(?!\w)", CONTENT_TEXT, re.IGNORECASE)
        assert bool(written) != (member in ABSENT_SYNONYMS), member


def test_synonym_members_belong_to_one_group() -> None:
    members = [member.lower() for group in SYNONYMS for member in group]
    assert len(members) == len(set(members))
