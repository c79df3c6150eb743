"""Checks of a content folder against the two source texts, as one function over a folder.

``check_content(folder)`` returns what is wrong, in words naming the file and section; an empty
list means the folder says what the sources say. The tests run it on ``content/``, and the
mutation tests run it on a temporary copy with one defect planted, to show that it fails.

It reads the folder itself (TOML, Markdown) and the sources through seedtext.py, independently
of briefreader's loader.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import seedtext as st

ANCHOR = re.compile(r"\s*\{#[^}]*\}")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
LIST_ITEM = re.compile(r"^\s*[-*+]\s+")
FRONT_MATTER = re.compile(r"\+\+\+\n(.*?)\n\+\+\+\n(.*)", re.DOTALL)
WORD = re.compile(r"[a-z0-9]+(?:[-'’][a-z0-9]+)*")

# Where each theme draws from in each source, by paragraph (seedtext's count): a passage moved
# to another theme lands outside its theme's places.
PLACES: dict[tuple[str, str], list[tuple[int, int]]] = {
    ("overview", "review"): [(1, 33), (94, 98)],
    ("collaboration", "review"): [(34, 43)],
    ("knowledge", "review"): [(44, 48), (50, 62)],
    ("empowerment", "review"): [(63, 77)],
    ("advocacy", "review"): [(78, 93)],
    ("recommendations", "review"): [(49, 49)],
    ("threat-assessment", "press-release"): [(1, 7), (15, 19), (119, 135)],
    ("recommendations", "press-release"): [(10, 14)],
    ("voices", "press-release"): [(8, 9), (20, 118)],
}
# Words an editors' label may use that its passage need not (the label's grammar).
LABEL_GLUE = {
    "a", "about", "ahead", "and", "by", "for", "in", "of", "on", "the", "to", "use", "with",
}  # fmt: skip


@dataclass
class Section:
    id: str
    theme: str
    document: str
    part: str
    path: str
    anchor: str
    title: str
    markdown: str
    entry: dict[str, Any]
    blocks: list[tuple[str, bool]] = field(default_factory=list)  # (plain text, is heading)

    @property
    def text(self) -> str:
        return " ".join(text for text, _ in self.blocks)


@dataclass
class Content:
    root: Path
    manifest: dict[str, Any]
    sections: dict[str, Section]
    figures: list[dict[str, Any]]
    marks: list[dict[str, Any]]
    notes: list[dict[str, Any]]
    links: list[dict[str, Any]]


def _toml(path: Path, key: str) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    value = tomllib.loads(path.read_text(encoding="utf-8")).get(key, [])
    return list(value)


def squash(text: str) -> str:
    return " ".join(text.split())


def read_content(root: Path) -> Content:
    manifest = tomllib.loads((root / "briefing.toml").read_text(encoding="utf-8"))
    marks = _toml(root / "notes.toml", "marks")
    mark_texts = sorted({m["mark"] for m in marks}, key=len, reverse=True)
    sections: dict[str, Section] = {}
    for theme in manifest["themes"]:
        for name in theme["files"]:
            match = FRONT_MATTER.fullmatch((root / "themes" / name).read_text(encoding="utf-8"))
            assert match, f"themes/{name}: no +++ front matter"
            front = tomllib.loads(match[1])
            entries = front.get("sections", {})
            current: Section | None = None
            lines: list[str] = []
            pending: list[Section] = []
            for line in [*match[2].splitlines(), "## end-of-file"]:
                heading = HEADING.match(line)
                if heading and len(heading[1]) == 2:
                    if current is not None:
                        current.markdown = "\n".join(lines)
                        pending.append(current)
                    explicit = re.search(r"\{#([^}]+)\}\s*$", heading[2])
                    title = ANCHOR.sub("", heading[2])
                    anchor = explicit[1] if explicit else st_slug(title)
                    current = Section(
                        id=f"{front['theme']}/{anchor}",
                        theme=front["theme"],
                        document=front["document"],
                        part=str(front.get("part", "")),
                        path=f"themes/{name}",
                        anchor=anchor,
                        title=title,
                        markdown="",
                        entry=dict(entries.get(anchor, {})),
                    )
                    lines = []
                else:
                    lines.append(line)
            for section in pending:
                section.blocks = blocks(section.markdown, mark_texts)
                sections[section.id] = section
    return Content(
        root=root,
        manifest=manifest,
        sections=sections,
        figures=_toml(root / "figures.toml", "figures"),
        marks=marks,
        notes=_toml(root / "notes.toml", "notes"),
        links=_toml(root / "links.toml", "links"),
    )


def st_slug(title: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def strip_marks(text: str, marks: list[str]) -> str:
    for mark in marks:
        text = text.replace(f"{mark} ", "").replace(f" {mark}", "").replace(mark, "")
    return text


def blocks(markdown: str, marks: list[str]) -> list[tuple[str, bool]]:
    """A section body's paragraphs, list items, quote paragraphs and sub-headings, plain,
    with the editor's marks taken out."""
    out: list[tuple[str, bool]] = []
    for block in re.split(r"\n\s*\n", markdown):
        lines = [re.sub(r"^>\s?", "", line) for line in block.splitlines()]
        lines = [line for line in lines if line.strip()]
        if not lines:
            continue
        if all(LIST_ITEM.match(line) or HEADING.match(line) for line in lines):
            out.extend((st.plain(line), bool(HEADING.match(line))) for line in lines)
        else:
            out.append((st.plain("\n".join(lines)), False))
    return [(strip_marks(text, marks).strip(), heading) for text, heading in out if text]


# --- the checks -----------------------------------------------------------------------------


def check_content(root: Path) -> list[str]:
    content = read_content(root)
    problems = check_sections(content)
    problems += check_figures(content)
    problems += check_notes(content)
    problems += check_links(content)
    return problems


def check_sections(content: Content) -> list[str]:
    problems: list[str] = []
    for section in content.sections.values():
        problems += [f"{section.path} [{section.id}]: {p}" for p in check_section(section)]
    return problems


def _declared(section: Section) -> list[int]:
    paras = section.entry.get("paras", [])
    return [p for p in paras if isinstance(p, int)]


def check_section(section: Section) -> list[str]:
    problems: list[str] = []
    doc = section.document
    declared = _declared(section)
    if not declared:
        return ["no paragraph locator (paras)"]
    units = st.units(doc)
    numbers = {u.number for u in units if u.number is not None}
    if not set(declared) <= numbers:
        return [f"paras {declared} are not all paragraphs of the {doc}"]
    para_text = {u.number: u.text for u in units if u.number is not None}
    used: set[int] = set()
    for text, is_heading in section.blocks:
        runs = st.locate(doc, text, set(declared), heading=is_heading)
        if runs:
            used.update(runs[0])
            continue
        if is_heading and any(text.lower() in para_text[p].lower() for p in declared):
            continue  # an editors' sub-heading made of the passage's words (a report's title)
        problems.append(f"not verbatim in its paragraphs {declared} of the {doc}: {text[:70]!r}")
    if not problems and used != set(declared):
        problems.append(f"paras {sorted(set(declared) - used)} are named but not quoted")
    # The theme draws on its places in the source only.
    places = PLACES.get((section.theme, doc), [])
    if not all(any(a <= p <= b for a, b in places) for p in declared):
        problems.append(f"paras {declared} of the {doc} are not part of theme {section.theme!r}")
    problems += check_heading(section, declared)
    return problems


def _words(text: str) -> set[str]:
    """Words, compared by their first six letters ("reached" / "reach"), possessives dropped."""
    words = WORD.findall(text.lower().replace("’", "'"))
    return {re.sub(r"'s$", "", word)[:6] for word in words}


def check_heading(section: Section, declared: list[int]) -> list[str]:
    doc = section.document
    kind = section.entry.get("heading")
    title = squash(section.title)
    first = declared[0]
    if kind == "source":
        own = {text for text, is_heading in section.blocks if is_heading}
        return (
            []
            if _source_heading_of(doc, first, own) == title
            else [f"heading {title!r} is not the source's heading of its paragraph {first}"]
        )
    problems: list[str] = []
    under = section.entry.get("under")
    nearest = st.heading_before(doc, first)
    if under not in (nearest, ""):
        problems.append(f"under {under!r}: the source's heading above para {first} is {nearest!r}")
    if kind == "speaker":
        problems += check_speaker(section, declared)
    elif kind == "editors":
        extra = _words(title) - _words(section.text) - _words(st.TITLES[doc])
        extra -= _words(" ".join(LABEL_GLUE))
        if extra:
            problems.append(f"editors' label {title!r} says what its passage does not: {extra}")
    else:
        problems.append(f"heading must be 'source', 'speaker' or 'editors', not {kind!r}")
    return problems


def _source_heading_of(doc: str, first: int, own_subheadings: set[str]) -> str | None:
    """The source heading a section starting at paragraph ``first`` opens with, if any."""
    units = st.units(doc)
    index = next(i for i, u in enumerate(units) if u.number == first)
    lead = st.BOLD_LEAD.match(units[index].raw)
    if lead:
        return lead[1].strip().rstrip(":")
    for unit in reversed(units[:index]):
        if not unit.is_heading:
            return None
        if st.is_figure_heading(unit.text) or unit.text in own_subheadings:
            continue
        return unit.text
    return None


def _speaker_line(doc: str, declared: list[int]) -> str:
    """The source's line naming the speaker: just above the statement, or just below it."""
    para = {u.number: u.text for u in st.units(doc) if u.number is not None}
    above = para.get(declared[0] - 1, "")
    below = para.get(declared[-1] + 1, "")
    return above if doc == "press-release" else below


def check_speaker(section: Section, declared: list[int]) -> list[str]:
    entry = section.entry
    line = squash(_speaker_line(section.document, declared)).rstrip(":")
    problems = []
    if squash(section.title) != line:
        problems.append(f"speaker heading {section.title!r} is not the source's line {line!r}")
    for key in ("speaker", "role", "organisation"):
        value = str(entry.get(key, ""))
        if value and value not in line:
            problems.append(f"{key} {value!r} is not in the source's line {line!r}")
    if section.part:
        problems += check_part(section, declared)
    return problems


def check_part(section: Section, declared: list[int]) -> list[str]:
    """A statement sits in the sector the source groups it under."""
    labels = {
        u.number: u.text.rstrip(":")
        for u in st.units(section.document)
        if u.number is not None and len(u.text) < 40
    }
    before = [labels[n] for n in sorted(labels) if n < declared[0] and labels[n] in PART_LABELS]
    expected = before[-1] if before else "WeProtect Global Alliance"
    if section.part != expected:
        return [f"part {section.part!r}: the source places this statement under {expected!r}"]
    return []


# The press release's own group labels above its statements (its first two statements, from the
# Alliance itself, come before any label).
PART_LABELS = (
    "Intergovernmental Organisations",
    "Governments",
    "Technology companies",
    "Civil society",
    "Survivors",
)


def in_section(text: str, section: Section) -> bool:
    """In the section's words, or its heading (a statement's speaker line)."""
    return squash(text) in squash(f"{section.title} {st.plain(section.markdown)}")


def seed_text(doc: str) -> str:
    return st.joined(doc)


def check_figures(content: Content) -> list[str]:
    problems: list[str] = []
    ids = [f.get("id") for f in content.figures]
    if len(ids) != len(set(ids)):
        problems.append("figures.toml: figure ids are not unique")
    for figure in content.figures:
        where = f"figures.toml [{figure.get('id')}]"
        section = content.sections.get(str(figure.get("section")))
        if section is None:
            problems.append(f"{where}: no section {figure.get('section')!r}")
            continue
        quote = squash(str(figure.get("quote", "")))
        if not quote or not in_section(quote, section):
            problems.append(f"{where}: quote is not in its section: {quote[:60]!r}")
        if quote not in seed_text(section.document):
            problems.append(f"{where}: quote is not verbatim in the {section.document}")
        if st.locate(section.document, quote, set(_declared(section))) != [figure.get("paras")]:
            problems.append(f"{where}: paras is not the paragraph of its sentence")
        if figure.get("document") != section.document:
            problems.append(f"{where}: document is not its section's")
        value = str(figure.get("value", ""))
        if value not in quote:
            problems.append(f"{where}: value {value!r} is not in its sentence")
        summary = f"{figure.get('measure', '')} {figure.get('period', '')}"
        extra = _words(summary) - _words(quote) - _words(" ".join(LABEL_GLUE | SUMMARY_WORDS))
        if extra:
            problems.append(f"{where}: measure or period says what its sentence does not: {extra}")
        speaker = section.entry.get("speaker")
        credited = str(figure.get("source", ""))
        if speaker:
            organisation = str(section.entry.get("organisation", ""))
            if figure.get("speaker") != speaker:
                problems.append(f"{where}: stated by {speaker}, but speaker is not named")
            # A figure in a statement is the speaker's word: the credit names them (and their
            # organisation, or the source they name), never a body alone.
            if speaker not in credited and str(speaker).removeprefix("Dr ") not in credited:
                problems.append(f"{where}: source {credited!r} does not name the speaker")
            named = [n for n in credited.split(", ") if n in quote or n in organisation]
            if not named and organisation not in credited:
                problems.append(f"{where}: source {credited!r} names no organisation")
        elif figure.get("speaker"):
            problems.append(f"{where}: names a speaker, but its section is not a statement")
        else:
            publisher = {d["id"]: d["publisher"] for d in content.manifest["documents"]}
            names = [n for n in credited.split(", ") if n.strip()]
            for name in names:
                if name.strip() not in quote and name.strip() != publisher[section.document]:
                    problems.append(
                        f"{where}: source {name.strip()!r} is not named in the sentence"
                    )
    return problems


# Words the app's summary of a figure may add to its sentence's: what kind of number it is, and
# the grammar that turns a sentence into a summary.
SUMMARY_WORDS = {
    "alliance", "are", "from", "in", "is", "its", "running", "share", "since", "that", "the",
    "their", "time", "total", "which", "within",
}  # fmt: skip


def check_notes(content: Content) -> list[str]:
    problems: list[str] = []
    for kind, items, key in (("marks", content.marks, "mark"), ("notes", content.notes, "quote")):
        for item in items:
            where = f"notes.toml [[{kind}]] {item.get(key)!r}"
            section = content.sections.get(str(item.get("section")))
            if section is None:
                problems.append(f"{where}: no section {item.get('section')!r}")
            elif not in_section(str(item.get(key, "")), section):
                problems.append(f"{where}: not in section {section.id}")
    for mark in content.marks:
        text = str(mark.get("mark", ""))
        if not (text.startswith("[") and text.endswith("]")):
            problems.append(f"notes.toml: mark {text!r} is not in square brackets")
    for section in content.sections.values():
        listed = {m["mark"] for m in content.marks if m.get("section") == section.id}
        found = set(re.findall(r"\[[^\]]*\](?!\()", st.plain(section.markdown)))
        unlisted = found - listed
        if unlisted:
            problems.append(f"{section.path} [{section.id}]: marks not in notes.toml: {unlisted}")
    return problems


def check_links(content: Content) -> list[str]:
    problems: list[str] = []
    for link in content.links:
        where = f"links.toml [{link.get('finding')} → {link.get('responses')}]"
        finding = content.sections.get(str(link.get("finding")))
        if finding is None or finding.theme != "threat-assessment":
            problems.append(f"{where}: finding is not a section of the threat assessment")
        responses = [content.sections.get(str(r)) for r in link.get("responses", [])]
        if not responses or None in responses:
            problems.append(f"{where}: names a response that is not a section")
            continue
        raw = link.get("justification", [])
        passages = [squash(p) for p in ([raw] if isinstance(raw, str) else raw)]
        justification = " ".join(passages)
        holder = responses[0] if link.get("kind") == "statement" else None
        if link.get("kind") == "statement":
            assert holder is not None
            if not all(in_section(p, holder) for p in passages):
                problems.append(f"{where}: justification is not in the statement")
            if holder.entry.get("speaker") != link.get("label"):
                problems.append(f"{where}: label is not the statement's speaker")
        elif link.get("kind") == "report":
            if not all(r is not None and r.theme == "recommendations" for r in responses):
                problems.append(f"{where}: a report link points to the recommendations")
            if squash(str(link.get("label", ""))) not in justification:
                problems.append(f"{where}: label is not the report's words")
        else:
            problems.append(f"{where}: kind must be 'report' or 'statement'")
        if not all(p in seed_text("press-release") for p in passages):
            problems.append(f"{where}: justification is not verbatim in the press release")
    return problems
