"""Load the briefing from ``content/``: manifest, theme files, figures and synonyms.

A broken theme file is reported as a :class:`ContentProblem` (file and line) and left out;
the rest of the briefing still loads. Only a manifest that cannot be read at all is fatal,
because without it there is nothing to show: that raises :class:`ContentError`.
The format is described in ``content/FORMAT.md``.
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefreader.core.limits import file_size_excess, theme_excess
from briefreader.core.model import (
    Briefing,
    ContentError,
    ContentProblem,
    Document,
    EditorMark,
    EditorNote,
    Figure,
    HeadingKind,
    Repair,
    ResponseLink,
    Section,
    Speaker,
    Theme,
)

MANIFEST = "briefing.toml"
FIGURES = "figures.toml"
SYNONYMS = "synonyms.toml"
NOTES = "notes.toml"
LINKS = "links.toml"
THEMES_DIR = "themes"
# Part of the fingerprint: a change in how files are read invalidates what was built from them.
LOADER_VERSION = "2"

_HEADING = re.compile(r"^## +(?P<title>.+?)(?: +\{#(?P<anchor>[A-Za-z0-9][\w-]*)\})? *$")
_TOML_LINE = re.compile(r"at line (\d+)")
_FENCE = "+++"


def slugify(text: str) -> str:
    """A stable, readable anchor: ASCII, lower case, words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > 60:
            break
        slug = candidate
    return slug or "section"


# *emphasis*: a "*" not after a word character or "*" and not before a space opens; a "*" not
# after a space and not before a word character or "*" closes. Written with the "*" first
# and the look-behind after it (the same matches) so that the search skips to each "*".
_EMPHASIS_OPEN = re.compile(r"\*(?<![\w*]\*)(?!\s)")
_EMPHASIS_CLOSE = re.compile(r"(?<!\s)\*(?![\w*])")


def _strip_emphasis(text: str) -> str:
    """``*words*`` → ``words``: the pairs ``\\*(?!\\s)(.+?)(?<!\\s)\\*`` (with the rules above)
    finds, in linear time. That pattern scans to the line's end from every "*" that opens
    nothing: 20,000 unclosed "*" in a paragraph took 19 s before the first paint."""
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if "*" not in line:
            continue
        closers = [m.start() for m in _EMPHASIS_CLOSE.finditer(line)]
        out: list[str] = []
        done = next_closer = 0
        for opener in _EMPHASIS_OPEN.finditer(line):
            start = opener.start()
            if start < done:
                continue  # inside the last pair
            while next_closer < len(closers) and closers[next_closer] < start + 2:
                next_closer += 1
            if next_closer == len(closers):
                break  # no closer after this "*", so none after any later one either
            end = closers[next_closer]
            out += [line[done:start], line[start + 1 : end]]
            done = end + 1
        lines[number] = "".join(out) + line[done:]
    return "\n".join(lines)


_LINK = re.compile(r"\[([^\[\]\n]*)\]\([^()\n]*\)")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")
_INLINE: tuple[Callable[[str], str], ...] = (
    # [text](target) → text. Neither part may hold "[" or "(", so that each is scanned once
    # (any "[" scanned to the next "]" made 20,000 "[" quadratic).
    lambda text: _LINK.sub(r"\1", text),
    lambda text: _STRONG.sub(r"\1", text),
    _strip_emphasis,
    lambda text: _ESCAPE.sub(r"\1", text),
)
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)]) +")


def markdown_to_text(markdown: str) -> str:
    """Plain text of a section body: paragraphs separated by a blank line, list items by one.

    Regular expressions rather than a render, because the loader runs before the first paint
    and the content uses a small subset of Markdown (paragraphs, quotes, lists, emphasis).
    """
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(" ".join(current))
            current.clear()

    for raw in markdown.splitlines():
        line = raw.strip()
        while line.startswith(">"):
            line = line[1:].lstrip()
        if not line:
            flush()
            continue
        if line.startswith("#"):
            flush()
            blocks.append(line.lstrip("#").strip())
            continue
        if _LIST_ITEM.match(line):
            flush()
            line = _LIST_ITEM.sub("", line)
        current.append(line)
    flush()
    text = "\n\n".join(blocks)
    for step in _INLINE:
        text = step(text)
    return text


def _toml_line(error: tomllib.TOMLDecodeError) -> int | None:
    match = _TOML_LINE.search(str(error))
    return int(match.group(1)) if match else None


def _toml_reason(error: tomllib.TOMLDecodeError) -> str:
    return re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))


def _line_of(text: str, needle: str) -> int | None:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def _read_text(path: Path, rel: str) -> tuple[str | None, ContentProblem | None]:
    try:
        if excess := file_size_excess(path.stat().st_size):  # before reading any of it
            return None, ContentProblem(rel, None, excess.message)
        data = path.read_bytes()
    except FileNotFoundError:
        return None, ContentProblem(rel, None, "file not found")
    except OSError as error:
        return None, ContentProblem(rel, None, f"cannot be read ({error.strerror or error})")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, ContentProblem(rel, line, "is not valid UTF-8 text")


def _require_str(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _FieldError(f"{where}: missing or empty field '{key}'")
    return value.strip()


def _optional_str(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise _FieldError(f"{where}: field '{key}' must be text")
    return value.strip()


class _FieldError(Exception):
    pass


def _paragraphs(table: dict[str, Any], where: str) -> tuple[int, ...]:
    paras = table.get("paras")
    if (
        not isinstance(paras, list)
        or not paras
        or not all(isinstance(p, int) and not isinstance(p, bool) for p in paras)
        or any(p < 1 for p in paras)
        or paras != sorted(set(paras))
    ):
        raise _FieldError(f"{where}: 'paras' must list the paragraph numbers, from 1, ascending")
    return tuple(paras)


def _squash(text: str) -> str:
    return " ".join(text.split())


def list_items(markdown: str) -> tuple[str, ...]:
    """Plain text of each list item of a section body, so copies can keep the list a list."""
    items = [line for line in markdown.splitlines() if _LIST_ITEM.match(line.strip())]
    return tuple(markdown_to_text(line.strip()) for line in items)


@dataclass(frozen=True, slots=True)
class _SectionMeta:
    heading: str
    under: str | None
    paras: tuple[int, ...]
    speaker: Speaker | None
    line: int | None


@dataclass(frozen=True, slots=True)
class _ThemeEntry:
    id: str
    title: str
    files: tuple[str, ...]


def load_briefing(root: Path) -> Briefing:
    """Load the briefing in the content folder ``root`` (``Locations.content``)."""
    return _Loader(root).load()


def load_briefing_consulted(
    root: Path,
) -> tuple[Briefing, tuple[tuple[str, os.stat_result | None], ...]]:
    """The briefing, and every file (relative to ``root``) the loader looked for, in order,
    with its ``os.stat`` taken before it was read (None: missing or unreadable), so that a
    cache of the briefing can tell whether any of them changed since (core/content_cache.py).
    """
    loader = _Loader(root)
    briefing = loader.load()
    return briefing, tuple(loader.consulted)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[ContentProblem] = []
        self.consulted: list[tuple[str, os.stat_result | None]] = []
        self.digest = hashlib.sha256(f"loader {LOADER_VERSION}\n".encode())

    def problem(self, path: str, line: int | None, message: str) -> None:
        self.problems.append(ContentProblem(path, line, message))

    def read_toml(self, rel: str, *, required: bool) -> tuple[dict[str, Any], str] | None:
        self.consulted.append((rel, _stat(self.root / rel)))
        text, problem = _read_text(self.root / rel, rel)
        if text is None:
            assert problem is not None
            if required:
                raise ContentError(f"{problem} (in {self.root})")
            if problem.message != "file not found":
                self.problems.append(problem)
            return None
        self.digest.update(f"{rel}\n".encode() + text.encode())
        try:
            return tomllib.loads(text), text
        except tomllib.TOMLDecodeError as error:
            found = ContentProblem(rel, _toml_line(error), _toml_reason(error))
            if required:
                raise ContentError(f"{found} (in {self.root})") from None
            self.problems.append(found)
            return None

    def load(self) -> Briefing:
        loaded = self.read_toml(MANIFEST, required=True)
        assert loaded is not None
        manifest, manifest_text = loaded
        try:
            title = _require_str(manifest, "title", MANIFEST)
            edition = _optional_str(manifest, "edition", MANIFEST)
        except _FieldError as error:
            raise ContentError(str(error)) from None
        documents = self.documents(manifest, manifest_text)
        entries = self.theme_entries(manifest, manifest_text)
        if not entries:
            raise ContentError(f"{MANIFEST}: no usable [[themes]] entry (in {self.root})")
        doc_ids = {d.id for d in documents}
        theme_ids = {e.id for e in entries}
        themes = tuple(self.theme(e, doc_ids, theme_ids) for e in entries)
        by_id = {s.id: s for t in themes for s in t.sections}
        figures = self.figures(doc_ids, by_id)
        synonyms = self.synonyms()
        repairs, marks, notes = self.notes(doc_ids, by_id)
        links = self.links(by_id)
        return Briefing(
            title=title,
            edition=edition,
            documents=documents,
            themes=themes,
            figures=figures,
            synonyms=synonyms,
            problems=tuple(self.problems),
            fingerprint=self.digest.hexdigest()[:16],
            repairs=repairs,
            marks=marks,
            notes=notes,
            links=links,
        )

    def documents(self, manifest: dict[str, Any], text: str) -> tuple[Document, ...]:
        documents: list[Document] = []
        raw = manifest.get("documents")
        if not isinstance(raw, list):
            raise ContentError(f"{MANIFEST}: no [[documents]] list (in {self.root})")
        for number, table in enumerate(raw, start=1):
            where = f"[[documents]] entry {number}"
            try:
                if not isinstance(table, dict):
                    raise _FieldError(f"{where} is not a table")
                doc_id = _require_str(table, "id", where)
                url = _optional_str(table, "url", where) or None
                url_label = _optional_str(table, "url_label", where)
                if url is not None and not url.startswith("https://"):
                    raise _FieldError(f"{where}: url must start with https://")
                if url is not None and not url_label:
                    raise _FieldError(
                        f"{where}: 'url_label' must say what the url is the address of"
                    )
                documents.append(
                    Document(
                        id=doc_id,
                        title=_require_str(table, "title", where),
                        publisher=_require_str(table, "publisher", where),
                        date=_require_str(table, "date", where),
                        date_text=_require_str(table, "date_text", where),
                        kind=_require_str(table, "kind", where),
                        url=url,
                        url_label=url_label if url else "",
                    )
                )
            except _FieldError as error:
                line = _line_of(text, str(table.get("id", ""))) if isinstance(table, dict) else None
                self.problem(MANIFEST, line, str(error))
        return tuple(documents)

    def theme_entries(self, manifest: dict[str, Any], text: str) -> list[_ThemeEntry]:
        entries: list[_ThemeEntry] = []
        raw = manifest.get("themes")
        if not isinstance(raw, list):
            raise ContentError(f"{MANIFEST}: no [[themes]] list (in {self.root})")
        seen: set[str] = set()
        for number, table in enumerate(raw, start=1):
            where = f"[[themes]] entry {number}"
            line = None
            try:
                if not isinstance(table, dict):
                    raise _FieldError(f"{where} is not a table")
                theme_id = _require_str(table, "id", where)
                line = _line_of(text, f'"{theme_id}"')
                files = table.get("files")
                if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
                    raise _FieldError(f"{where} ('{theme_id}'): 'files' must be a list of names")
                if theme_id in seen:
                    raise _FieldError(f"{where}: duplicate theme id '{theme_id}'")
                seen.add(theme_id)
                entries.append(
                    _ThemeEntry(theme_id, _require_str(table, "title", where), tuple(files))
                )
            except _FieldError as error:
                self.problem(MANIFEST, line, str(error))
        return entries

    def theme(self, entry: _ThemeEntry, doc_ids: set[str], theme_ids: set[str]) -> Theme:
        sections: list[Section] = []
        anchors: dict[str, str] = {}
        for name in entry.files:
            rel = f"{THEMES_DIR}/{name}"
            self.consulted.append((rel, _stat(self.root / rel)))
            text, problem = _read_text(self.root / rel, rel)
            if text is None:
                assert problem is not None
                if problem.message == "file not found":
                    problem = ContentProblem(
                        MANIFEST, None, f"theme '{entry.id}' names {rel}, which does not exist"
                    )
                self.problems.append(problem)
                continue
            self.digest.update(f"{rel}\n".encode() + text.encode())
            if excess := theme_excess(text):  # what would take too long to parse or show
                self.problem(rel, excess.line, excess.message)
                continue
            for section in self.theme_file(rel, text, entry, doc_ids, theme_ids):
                if section.anchor in anchors:
                    self.problem(
                        rel,
                        section.line,
                        f"duplicate section id '{section.id}' (first in {anchors[section.anchor]})",
                    )
                    continue
                anchors[section.anchor] = f"{section.path}:{section.line}"
                sections.append(section)
        return Theme(entry.id, entry.title, tuple(sections))

    def theme_file(
        self,
        rel: str,
        text: str,
        entry: _ThemeEntry,
        doc_ids: set[str],
        theme_ids: set[str],
    ) -> list[Section]:
        lines = text.splitlines()
        if not lines or lines[0].strip() != _FENCE:
            self.problem(rel, 1, "must start with front matter between '+++' lines")
            return []
        try:
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == _FENCE)
        except StopIteration:
            self.problem(rel, 1, "front matter is not closed by a '+++' line")
            return []
        try:
            meta = tomllib.loads("\n".join(lines[1:end]) + "\n")
        except tomllib.TOMLDecodeError as error:
            line = _toml_line(error)
            self.problem(rel, line + 1 if line else end, f"front matter: {_toml_reason(error)}")
            return []
        try:
            theme_id = _require_str(meta, "theme", "front matter")
            document_id = _require_str(meta, "document", "front matter")
            part = _optional_str(meta, "part", "front matter")
            speakers_raw = meta.get("sections", {})
            if not isinstance(speakers_raw, dict):
                raise _FieldError("front matter: [sections] must be a table")
        except _FieldError as error:
            self.problem(rel, 1, str(error))
            return []
        if theme_id not in theme_ids:
            self.problem(rel, _line_of(text, "theme"), f"unknown theme '{theme_id}'")
            return []
        if theme_id != entry.id:
            self.problem(
                rel,
                _line_of(text, "theme"),
                f"says theme '{theme_id}' but the manifest lists it under '{entry.id}'",
            )
            return []
        if document_id not in doc_ids:
            self.problem(rel, _line_of(text, "document"), f"unknown document '{document_id}'")
            return []
        metas = self.section_metas(rel, text, speakers_raw)

        sections: list[Section] = []
        used: set[str] = set()
        heading: tuple[str, str, int] | None = None
        body: list[str] = []
        stray_line: int | None = None

        def close() -> None:
            if heading is None:
                return
            title, anchor, line = heading
            markdown = "\n".join(body).strip()
            if not markdown:
                self.problem(rel, line, f"section '{title}' has no text")
                return
            entry = metas.get(anchor)
            used.add(anchor)
            if entry is None:
                self.problem(
                    rel,
                    line,
                    f"section '{anchor}' has no [sections] entry (heading, paras: see FORMAT.md)",
                )
                entry = _SectionMeta(HeadingKind.EDITORS, "", (), None, None)
            source_heading = self.check_meta(rel, title, anchor, entry, markdown)
            sections.append(
                Section(
                    id=f"{theme_id}/{anchor}",
                    anchor=anchor,
                    theme_id=theme_id,
                    document_id=document_id,
                    part=part,
                    title=title,
                    markdown=markdown,
                    text=markdown_to_text(markdown),
                    speaker=entry.speaker,
                    path=rel,
                    line=line,
                    heading_kind=entry.heading,
                    source_heading=source_heading,
                    paragraphs=entry.paras,
                    list_items=list_items(markdown),
                )
            )

        for number in range(end + 1, len(lines)):
            text_line = lines[number]
            match = _HEADING.match(text_line)
            if match:
                close()
                title = match.group("title").strip()
                heading = (title, match.group("anchor") or slugify(title), number + 1)
                body = []
            elif heading is None:
                if text_line.strip() and stray_line is None:
                    stray_line = number + 1
            else:
                body.append(text_line)
        close()
        if stray_line is not None:
            self.problem(rel, stray_line, "text before the first '## ' heading is not shown")
        for anchor, unused in metas.items():
            if anchor not in used:
                self.problem(
                    rel, unused.line, f"[sections] names '{anchor}': there is no such section"
                )
        if not sections and stray_line is None:
            self.problem(rel, end + 2, "has no '## ' section")
        return sections

    def section_metas(self, rel: str, text: str, raw: dict[str, Any]) -> dict[str, _SectionMeta]:
        """Each section's entry: whose words its heading is, where it is, who speaks."""
        metas: dict[str, _SectionMeta] = {}
        for anchor, table in raw.items():
            where = f"[sections.{anchor}]"
            line = _line_of(text, where) or _line_of(text, f"\n{anchor} =")
            if line is not None and _line_of(text, where) is None:
                line += 1  # found by the newline before the key
            try:
                if not isinstance(table, dict):
                    raise _FieldError(f"{where} must be a table")
                heading = _require_str(table, "heading", where)
                if heading not in HeadingKind.ALL:
                    choices = ", ".join(f"'{k}'" for k in HeadingKind.ALL)
                    raise _FieldError(f"{where}: heading must be one of {choices}, not '{heading}'")
                under = table.get("under")
                if under is not None and not isinstance(under, str):
                    raise _FieldError(f"{where}: 'under' must be text")
                paras = _paragraphs(table, where)
                speaker = None
                if "speaker" in table:
                    speaker = Speaker(
                        name=_require_str(table, "speaker", where),
                        role=_optional_str(table, "role", where),
                        organisation=_optional_str(table, "organisation", where),
                    )
                if (speaker is not None) != (heading == HeadingKind.SPEAKER):
                    raise _FieldError(
                        f"{where}: a statement has heading = 'speaker' and a speaker; "
                        "other sections have neither"
                    )
                metas[anchor] = _SectionMeta(heading, under, tuple(paras), speaker, line)
            except _FieldError as error:
                self.problem(rel, line, str(error))
        return metas

    def check_meta(
        self, rel: str, title: str, anchor: str, meta: _SectionMeta, markdown: str
    ) -> str:
        """The source heading the section cites, checking the entry against the section."""
        where = f"[sections.{anchor}]"
        quoted = bool(re.search(r"(?m)^\s*>", markdown))
        if quoted != (meta.speaker is not None) and meta.line is not None:
            self.problem(
                rel, meta.line, f"{where}: a block quote needs a speaker, and a speaker a quote"
            )
        if meta.heading == HeadingKind.SOURCE:
            if meta.under not in (None, title):
                self.problem(
                    rel, meta.line, f"{where}: a source heading is its own 'under'; leave it out"
                )
            return title
        if meta.under is None and meta.line is not None:
            self.problem(
                rel,
                meta.line,
                f"{where}: 'under' must name the source's heading above it (\"\" for none)",
            )
        return (meta.under or "").strip()

    def figures(self, doc_ids: set[str], sections: dict[str, Section]) -> tuple[Figure, ...]:
        loaded = self.read_toml(FIGURES, required=False)
        if loaded is None:
            return ()
        data, text = loaded
        figures: list[Figure] = []
        raw = data.get("figures", [])
        if not isinstance(raw, list):
            self.problem(FIGURES, None, "'figures' must be a list of [[figures]] tables")
            return ()
        for number, table in enumerate(raw, start=1):
            where = f"[[figures]] entry {number}"
            line = _line_of(text, f'"{table.get("id")}"') if isinstance(table, dict) else None
            try:
                if not isinstance(table, dict):
                    raise _FieldError(f"{where} is not a table")
                figure = Figure(
                    id=_require_str(table, "id", where),
                    value=_require_str(table, "value", where),
                    measure=_require_str(table, "measure", where),
                    source=_require_str(table, "source", where),
                    period=_optional_str(table, "period", where),
                    document_id=_require_str(table, "document", where),
                    section_id=_require_str(table, "section", where),
                    quote=_require_str(table, "quote", where),
                    speaker=_optional_str(table, "speaker", where),
                    paragraphs=_paragraphs(table, where),
                )
                if figure.document_id not in doc_ids:
                    raise _FieldError(f"{where}: unknown document '{figure.document_id}'")
                section = sections.get(figure.section_id)
                if section is None:
                    raise _FieldError(f"{where}: unknown section '{figure.section_id}'")
                if _squash(figure.quote) not in _squash(section.text):
                    raise _FieldError(
                        f"{where}: 'quote' is not the text of section '{figure.section_id}'"
                    )
                if not set(figure.paragraphs) <= set(section.paragraphs):
                    raise _FieldError(
                        f"{where}: 'paras' must be paragraphs of section '{figure.section_id}'"
                    )
                if figure.value not in figure.quote:
                    raise _FieldError(f"{where}: value '{figure.value}' is not in its 'quote'")
                speaker = section.speaker.name if section.speaker is not None else ""
                if figure.speaker != speaker:
                    raise _FieldError(
                        f"{where}: 'speaker' must name who says it ('{speaker}')"
                        if speaker
                        else f"{where}: 'speaker' is only for a figure in a statement"
                    )
                figures.append(figure)
            except _FieldError as error:
                self.problem(FIGURES, line, str(error))
        return tuple(figures)

    def _tables(self, data: dict[str, Any], key: str, rel: str) -> list[dict[str, Any]]:
        raw = data.get(key, [])
        if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
            self.problem(rel, None, f"'{key}' must be a list of [[{key}]] tables")
            return []
        return raw

    def notes(
        self, doc_ids: set[str], sections: dict[str, Section]
    ) -> tuple[tuple[Repair, ...], tuple[EditorMark, ...], tuple[EditorNote, ...]]:
        """The notes on the text: repairs, editor's marks in the text, notes on source errors."""
        loaded = self.read_toml(NOTES, required=False)
        if loaded is None:
            return (), (), ()
        data, text = loaded
        repairs: list[Repair] = []
        marks: list[EditorMark] = []
        notes: list[EditorNote] = []
        for number, table in enumerate(self._tables(data, "repairs", NOTES), start=1):
            where = f"[[repairs]] entry {number}"
            try:
                repair = Repair(
                    document_id=_require_str(table, "document", where),
                    damaged=str(table.get("damaged", "")),
                    repaired=_require_str(table, "repaired", where),
                    reason=_require_str(table, "reason", where),
                )
                if repair.document_id not in doc_ids:
                    raise _FieldError(f"{where}: unknown document '{repair.document_id}'")
                if not repair.damaged.strip():
                    raise _FieldError(f"{where}: missing or empty field 'damaged'")
                repairs.append(repair)
            except _FieldError as error:
                self.problem(NOTES, _line_of(text, str(table.get("damaged", ""))), str(error))
        for kind, key in (("marks", "mark"), ("notes", "quote")):
            for number, table in enumerate(self._tables(data, kind, NOTES), start=1):
                where = f"[[{kind}]] entry {number}"
                line = _line_of(text, str(table.get(key, "")))
                try:
                    section_id = _require_str(table, "section", where)
                    words = _require_str(table, key, where)
                    section = sections.get(section_id)
                    if section is None:
                        raise _FieldError(f"{where}: unknown section '{section_id}'")
                    speaker = section.speaker.label() if section.speaker is not None else ""
                    if words not in f"{section.title}\n{speaker}\n{section.text}":
                        raise _FieldError(f"{where}: '{words}' is not in section '{section_id}'")
                    if kind == "marks":
                        if not (words.startswith("[") and words.endswith("]")):
                            raise _FieldError(f"{where}: a mark is written in square brackets")
                        reason = _require_str(table, "reason", where)
                        marks.append(EditorMark(section_id, words, reason))
                    else:
                        note = _require_str(table, "note", where)
                        notes.append(EditorNote(section_id, words, note))
                except _FieldError as error:
                    self.problem(NOTES, line, str(error))
        return tuple(repairs), tuple(marks), tuple(notes)

    def links(self, sections: dict[str, Section]) -> tuple[ResponseLink, ...]:
        """Findings tied to responses, each as the source itself ties them."""
        loaded = self.read_toml(LINKS, required=False)
        if loaded is None:
            return ()
        data, text = loaded
        links: list[ResponseLink] = []
        for number, table in enumerate(self._tables(data, "links", LINKS), start=1):
            where = f"[[links]] entry {number}"
            passages = table.get("justification")
            if isinstance(passages, str):
                passages = [passages]
            first = passages[0] if isinstance(passages, list) and passages else ""
            line = _line_of(text, str(first)[:40])
            try:
                finding = _require_str(table, "finding", where)
                kind = _require_str(table, "kind", where)
                label = _require_str(table, "label", where)
                if (
                    not isinstance(passages, list)
                    or not passages
                    or not all(isinstance(p, str) and p.strip() for p in passages)
                ):
                    raise _FieldError(f"{where}: 'justification' must give the source's words")
                justification = tuple(p.strip() for p in passages)
                responses = table.get("responses")
                if not isinstance(responses, list) or not responses:
                    raise _FieldError(f"{where}: 'responses' must list section ids")
                if finding not in sections:
                    raise _FieldError(f"{where}: unknown section '{finding}'")
                for response in responses:
                    if not isinstance(response, str) or response not in sections:
                        raise _FieldError(f"{where}: unknown section '{response}'")
                if kind not in ("report", "statement"):
                    raise _FieldError(f"{where}: kind must be 'report' or 'statement'")
                holder = sections[responses[0]]
                if kind == "statement":
                    if holder.speaker is None or holder.speaker.name != label:
                        raise _FieldError(
                            f"{where}: a statement link's label is its speaker's name"
                        )
                    if len(responses) != 1:
                        raise _FieldError(f"{where}: a statement link names one statement")
                    source_text = holder.text
                else:
                    source_text = " ".join(s.text for s in sections.values())
                for passage in justification:
                    if _squash(passage) not in _squash(source_text):
                        raise _FieldError(f"{where}: 'justification' is not the source's words")
                links.append(ResponseLink(finding, kind, label, justification, tuple(responses)))
            except _FieldError as error:
                self.problem(LINKS, line, str(error))
        return tuple(links)

    def synonyms(self) -> tuple[tuple[str, ...], ...]:
        loaded = self.read_toml(SYNONYMS, required=False)
        if loaded is None:
            return ()
        data, _ = loaded
        raw = data.get("groups", [])
        groups: list[tuple[str, ...]] = []
        if not isinstance(raw, list):
            self.problem(SYNONYMS, None, "'groups' must be a list of lists of terms")
            return ()
        for number, group in enumerate(raw, start=1):
            if (
                not isinstance(group, list)
                or len(group) < 2
                or not all(isinstance(t, str) and t.strip() for t in group)
            ):
                self.problem(SYNONYMS, None, f"group {number} must list two or more terms")
                continue
            groups.append(tuple(t.strip() for t in group))
        return tuple(groups)
