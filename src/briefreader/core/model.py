"""The briefing as plain, frozen data: briefing → themes → sections, with documents and figures.

Everything the core hands to the UI, the command line or the tests is one of these: no
Whoosh objects, no generators, no Qt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Document:
    """A source document the briefing quotes from."""

    id: str
    title: str
    publisher: str
    date: str  # ISO 8601, as precise as the source: "2023-10-17" or "2023-12"
    date_text: str  # as a person writes it: "17 October 2023", "December 2023"
    kind: str = "document"  # what it is, in words: "annual review", "press release"
    url: str | None = None  # an address the text gives, for what url_label says it is
    url_label: str = ""  # what the address is the address of: "full report"


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who said a quoted passage, as the source gives it."""

    name: str
    role: str
    organisation: str

    def label(self) -> str:
        """'Name, Role, Organisation' without repeating an organisation the role names."""
        parts = [self.name]
        if self.role:
            parts.append(self.role)
        if self.organisation and self.organisation not in self.role:
            parts.append(self.organisation)
        return ", ".join(parts)


class HeadingKind:
    """Whose words a section's heading is (see content/FORMAT.md)."""

    SOURCE = "source"  # a heading of the source itself: may be quoted as the source's
    SPEAKER = "speaker"  # the source's line naming who speaks: cited as the speaker
    EDITORS = "editors"  # a label the editors wrote: never quoted as the source's

    ALL = (SOURCE, SPEAKER, EDITORS)


def paragraph_locator(paragraphs: tuple[int, ...]) -> str:
    """ "para. 14", "paras 14–16", "paras 12, 14–16": runs of consecutive numbers joined."""
    if not paragraphs:
        return ""
    numbers = sorted(set(paragraphs))
    runs: list[list[int]] = [[numbers[0], numbers[0]]]
    for number in numbers[1:]:
        if number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    text = ", ".join(f"{a}–{b}" if b > a else str(a) for a, b in runs)
    return f"para. {text}" if len(numbers) == 1 else f"paras {text}"


@dataclass(frozen=True, slots=True)
class EditorNote:
    """The editors' word on the text of a section: a known error of the source, kept verbatim."""

    section_id: str
    quote: str  # the source's words the note is about, as they stand in the section
    note: str  # the editors' note


@dataclass(frozen=True, slots=True)
class Repair:
    """Extraction damage put right: the source text as extracted, and as the briefing has it."""

    document_id: str
    damaged: str
    repaired: str
    reason: str


@dataclass(frozen=True, slots=True)
class EditorMark:
    """An editor's mark in square brackets put into the text where the source text is damaged."""

    section_id: str
    mark: str  # exactly as it stands in the text: "[number lost in the source text]"
    reason: str  # what happened to the source text there


@dataclass(frozen=True, slots=True)
class Section:
    """One passage under a heading: the unit of search, of the table of contents and of excerpts."""

    id: str  # "<theme>/<anchor>", stable across runs and releases
    anchor: str  # unique within its theme; derived from the heading
    theme_id: str
    document_id: str
    part: str  # the title of the file's part within the theme, or ""
    title: str
    markdown: str  # the section's Markdown body, without its heading
    text: str  # plain text of the body, for the index and for excerpts
    speaker: Speaker | None
    path: str  # content file, relative to the content folder
    line: int  # line of the heading in that file
    heading_kind: str = HeadingKind.EDITORS  # whose words `title` is (HeadingKind)
    source_heading: str = ""  # the source's own heading the section sits under, or ""
    paragraphs: tuple[int, ...] = ()  # where it is in its document (content/FORMAT.md)
    list_items: tuple[str, ...] = ()  # plain text of the body's list items, to keep lists

    @property
    def locator(self) -> str:
        """ "para. 14" / "paras 14–16": where the section's words are in its document."""
        return paragraph_locator(self.paragraphs)


@dataclass(frozen=True, slots=True)
class Theme:
    id: str
    title: str
    sections: tuple[Section, ...]


@dataclass(frozen=True, slots=True)
class Figure:
    """A headline statistic, with the source's own sentence and who the source credits.

    ``quote`` is the only part in the source's words; ``value``, ``measure`` and ``period``
    are the app's summary of it and are never shown in quotation marks.
    """

    id: str
    value: str  # as the source writes it: "87%", "over 32 million", "19 seconds"
    measure: str  # the app's summary of what it measures
    source: str  # who the text credits for the figure (an organisation, or a speaker's)
    period: str  # the period the text gives, or ""
    document_id: str
    section_id: str
    quote: str = ""  # the source's sentence holding the figure, verbatim
    speaker: str = ""  # who states it, when it is stated in someone's statement
    paragraphs: tuple[int, ...] = ()  # the paragraph(s) of the document holding ``quote``

    def summary(self) -> str:
        """The app's one-line summary: value, measure and period, never quoted."""
        text = f"{self.value} {self.measure}"
        return f"{text}, {self.period}" if self.period else text


@dataclass(frozen=True, slots=True)
class ResponseLink:
    """From a finding of the threat assessment to a response, as the source itself ties them.

    ``kind`` is "report" (the report's own words urging the responses) or "statement" (a named
    person's statement tying the finding to a response). ``justification`` is the source's
    words that make the tie, verbatim: one passage, or several from one statement (shown with
    an editor's "[…]" between them); ``response_ids`` are the sections it points to.
    """

    finding_id: str
    kind: str
    label: str  # the report's own words, or the speaker's name
    justification: tuple[str, ...]
    response_ids: tuple[str, ...]  # sections: recommendations, or the statement itself


class ContentError(Exception):
    """The manifest itself cannot be used: nothing of the briefing can be shown.

    Defined here, beside the model, so that the app can catch it without importing the
    loader, which a start whose briefing comes from the cache never needs."""


@dataclass(frozen=True, slots=True)
class ContentProblem:
    """Something wrong in a content file; the rest of the briefing still loads."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Briefing:
    title: str
    edition: str
    documents: tuple[Document, ...]
    themes: tuple[Theme, ...]
    figures: tuple[Figure, ...]
    synonyms: tuple[tuple[str, ...], ...]  # groups of words and phrases that name one thing
    problems: tuple[ContentProblem, ...]
    fingerprint: str  # hash of every content file the briefing was loaded from
    repairs: tuple[Repair, ...] = ()
    marks: tuple[EditorMark, ...] = ()
    notes: tuple[EditorNote, ...] = ()
    links: tuple[ResponseLink, ...] = ()
    _sections: dict[str, Section] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {s.id: s for t in self.themes for s in t.sections}
        object.__setattr__(self, "_sections", index)

    @property
    def sections(self) -> tuple[Section, ...]:
        return tuple(s for t in self.themes for s in t.sections)

    def section(self, section_id: str) -> Section | None:
        return self._sections.get(section_id)

    def theme(self, theme_id: str) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)

    def find_theme(self, wanted: str) -> Theme | None:
        """The theme a person means: its id, its title, or the start of exactly one id."""
        key = re.sub(r"[\s_-]+", "-", wanted.lower()).strip("-")
        if not key:
            return None
        for theme in self.themes:
            if key in (theme.id, re.sub(r"\s+", "-", theme.title.lower())):
                return theme
        starts = [t for t in self.themes if t.id.startswith(key)]
        return starts[0] if len(starts) == 1 else None

    def notes_for(self, section_id: str) -> tuple[EditorNote, ...]:
        return tuple(n for n in self.notes if n.section_id == section_id)

    def links_for(self, section_id: str) -> tuple[ResponseLink, ...]:
        return tuple(link for link in self.links if link.finding_id == section_id)

    def document(self, document_id: str) -> Document | None:
        return next((d for d in self.documents if d.id == document_id), None)
