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
    url: str | None = None


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


@dataclass(frozen=True, slots=True)
class Theme:
    id: str
    title: str
    sections: tuple[Section, ...]


@dataclass(frozen=True, slots=True)
class Figure:
    """A headline statistic, with where it comes from."""

    id: str
    value: str  # exactly as the source writes it: "87%", "over 32 million", "19 seconds"
    measure: str  # what it measures, in the source's words
    source: str  # the organisation the source credits for the figure
    period: str  # the period the source gives, or ""
    document_id: str
    section_id: str


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

    def document(self, document_id: str) -> Document | None:
        return next((d for d in self.documents if d.id == document_id), None)
