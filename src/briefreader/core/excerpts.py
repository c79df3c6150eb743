"""Excerpts with their citations, as plain text, Markdown and HTML.

Delegates quote these passages in public, so two rules hold everywhere:

- the quoted words are exactly the source's: only whitespace is tidied (runs collapsed, Qt's
  paragraph separators turned into paragraph breaks), nothing else is touched;
- every excerpt carries where it comes from. The plain-text form holds the whole citation,
  because most paste targets (mail, chat, Windows and macOS apps other than Qt's) read only
  ``text/plain``.

An :class:`Excerpt` keeps a snapshot of its sources (:class:`Source`), not just section ids, so
an excerpt saved in the tray still cites correctly if a later release renames a section.

A selection may run over more than one section. The citation then names every section it
covers (the full style names the first and the last), grouped by document: a selection
that crosses from one document into another (the Recommendations theme holds two) gets one
citation line per document, in reading order.
"""

from __future__ import annotations

import enum
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from briefreader.core.furniture import furniture_lines
from briefreader.core.model import Briefing, Figure, Section

PARAGRAPH_SEPARATOR = "\u2029"  # what QTextCursor.selectedText() puts between blocks
LINE_SEPARATOR = "\u2028"  # what it puts for a <br>


class CitationStyle(enum.Enum):
    """How much of the source a citation names.

    Short: who said it (for a quote), the document, publisher and date. Full: adds the
    section (or the speaker's whole label) and the document's address where known.
    """

    SHORT = "short"
    FULL = "full"

    def other(self) -> CitationStyle:
        return CitationStyle.FULL if self is CitationStyle.SHORT else CitationStyle.SHORT


class ExcerptKind(enum.Enum):
    PASSAGE = "passage"  # words quoted from a section
    FIGURE = "figure"  # a headline figure: value, measure, credited organisation


@dataclass(frozen=True, slots=True)
class Source:
    """Where an excerpt comes from: one section of one document, as the briefing named it."""

    section_id: str
    section_title: str
    theme_title: str
    document_id: str
    document_title: str
    publisher: str
    date_text: str
    url: str | None
    speaker_name: str | None  # for a quoted person
    speaker_label: str | None  # "Name, Role, Organisation"

    def to_json(self) -> dict[str, str | None]:
        return {name: getattr(self, name) for name in self.__slots__}

    @classmethod
    def from_json(cls, data: object) -> Source:
        """Rebuild a source saved with :meth:`to_json`; ``ValueError`` names what is wrong."""
        if not isinstance(data, dict):
            raise ValueError("a source is not an object")
        values: dict[str, str | None] = {}
        for name in cls.__slots__:
            value = data.get(name)
            optional = name in ("url", "speaker_name", "speaker_label")
            if not (isinstance(value, str) or (optional and value is None)):
                raise ValueError(f"a source has no valid {name!r}")
            values[name] = value
        return cls(**values)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Excerpt:
    """What a delegate copies or keeps: the quoted words and where they come from."""

    kind: ExcerptKind
    quote: str  # tidied; paragraphs separated by a blank line
    sources: tuple[Source, ...]  # in reading order; the first is where the quote starts
    credit: str = ""  # for a figure: the organisation the source credits for it

    @property
    def source(self) -> Source:
        return self.sources[0]


@dataclass(frozen=True, slots=True)
class FormattedExcerpt:
    """One excerpt in the three forms the clipboard offers."""

    plain: str
    markdown: str
    html: str


# --- building excerpts ------------------------------------------------------------------------


def source_of(briefing: Briefing, section: Section) -> Source:
    """The citation data of a section. A section whose document is missing still cites itself."""
    document = briefing.document(section.document_id)
    theme = briefing.theme(section.theme_id)
    return Source(
        section_id=section.id,
        section_title=section.title,
        theme_title=theme.title if theme is not None else section.theme_id,
        document_id=section.document_id,
        document_title=document.title if document is not None else section.document_id,
        publisher=document.publisher if document is not None else "",
        date_text=document.date_text if document is not None else "",
        url=document.url if document is not None else None,
        speaker_name=section.speaker.name if section.speaker is not None else None,
        speaker_label=section.speaker.label() if section.speaker is not None else None,
    )


def tidy(text: str) -> str:
    """Whitespace tidied, words untouched.

    Paragraph breaks (Qt's U+2029, or a blank line) become one blank line; any other run of
    whitespace, line breaks included, becomes one space; the ends are stripped.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = re.split(r"\u2029|\n[ \t\f\v\u2028]*\n", text)
    tidied = (" ".join(re.split(r"[ \t\n\f\v\u2028]+", p)).strip() for p in paragraphs)
    return "\n\n".join(p for p in tidied if p)


def excerpt_from_selection(
    briefing: Briefing, text: str, section_ids: Sequence[str]
) -> Excerpt | None:
    """An excerpt of selected text; ``section_ids`` are the sections it covers, in order.

    None when the selection holds no words or names no known section: there is nothing to
    cite, and an excerpt without a source must not reach a clipboard.
    """
    sections = [s for s in (briefing.section(i) for i in _unique(section_ids)) if s is not None]
    chrome = _page_chrome(briefing, sections)
    quote = "\n\n".join(p for p in tidy(text).split("\n\n") if p not in chrome)
    if not quote or not sections:
        return None
    return Excerpt(ExcerptKind.PASSAGE, quote, tuple(source_of(briefing, s) for s in sections))


def _page_chrome(briefing: Briefing, sections: Sequence[Section]) -> set[str]:
    """Lines the reader's page adds around the source's words (see core.furniture).

    A selection that takes in a speaker's attribution or a "From <document>" line would
    otherwise quote our page furniture as the source's words; the citation says it better.
    """
    return furniture_lines(
        briefing.documents,
        (s.speaker for s in sections if s.speaker is not None),
        (s.part for s in sections),
    )


def excerpt_from_section(briefing: Briefing, section: Section) -> Excerpt:
    """A whole section (from the table of contents, a search result or the command line)."""
    return Excerpt(ExcerptKind.PASSAGE, tidy(section.text), (source_of(briefing, section),))


def excerpt_from_figure(briefing: Briefing, figure: Figure) -> Excerpt | None:
    """A headline figure with the organisation credited for it; None if its section is gone."""
    section = briefing.section(figure.section_id)
    if section is None:
        return None
    statement = f"{figure.value}: {figure.measure}"
    if figure.period:
        statement += f", {figure.period}"
    return Excerpt(
        ExcerptKind.FIGURE, tidy(statement), (source_of(briefing, section),), figure.source
    )


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# --- citations --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _CitationParts:
    """One citation line in pieces, so each format can mark up the document title."""

    lead: str  # speaker or sections, ending in ", in " / ", quoted in ", or ""
    document: str
    tail: str  # ", Publisher, Date"
    url: str | None


def _citation_parts(sources: Sequence[Source], style: CitationStyle) -> list[_CitationParts]:
    groups: list[list[Source]] = []
    for source in sources:
        if groups and groups[-1][0].document_id == source.document_id:
            groups[-1].append(source)
        else:
            groups.append([source])
    lines = []
    for group in groups:
        first = group[0]
        lead = ""
        if style is CitationStyle.SHORT:
            if first.speaker_name:
                lead = f"{first.speaker_name}, in "
        elif len(group) == 1 and first.speaker_label:
            # A quote's heading is its speaker; the label names them without repeating it.
            lead = f"{first.speaker_label}, in "
        else:
            titles = [f"“{s.section_title}”" for s in group]
            if len(titles) == 1:
                lead = f"{titles[0]}, in "
            elif len(titles) == 2:
                lead = f"{titles[0]} and {titles[1]}, in "
            else:
                lead = f"{titles[0]} to {titles[-1]}, in "
        tail = "".join(f", {part}" for part in (first.publisher, first.date_text) if part)
        url = first.url if style is CitationStyle.FULL else None
        lines.append(_CitationParts(lead, first.document_title, tail, url))
    return lines


def citation(excerpt: Excerpt, style: CitationStyle) -> str:
    """The citation as plain text: one line per document, each starting with a dash."""
    return "\n".join(_plain_line(p) for p in _citation_parts(excerpt.sources, style))


def reference(source: Source) -> str:
    """A source in a list of references: the full citation without its dash."""
    return _plain_line(_citation_parts([source], CitationStyle.FULL)[0])[2:]


def _plain_line(p: _CitationParts) -> str:
    line = f"— {p.lead}{p.document}{p.tail}"
    return f"{line}, {p.url}" if p.url else line


def _statement(excerpt: Excerpt) -> str:
    """The excerpt's words as they appear in plain text: a passage in quotation marks."""
    if excerpt.kind is ExcerptKind.FIGURE:
        return f"{excerpt.quote} (source: {excerpt.credit})" if excerpt.credit else excerpt.quote
    return quoted(excerpt.quote)


def quoted(text: str) -> str:
    """Text in curly quotation marks, unless the source already opens a quotation there.

    A speaker's statement is printed in quotation marks by the source, sometimes several
    with narration between them ("“…” said Ernie Allen. “…”") or with the closing mark
    missing; another pair around it would read ““…””, and the words may not be changed.
    """
    if text.startswith("“"):
        return text
    return f"“{text}”"


# --- the three formats ------------------------------------------------------------------------


def format_excerpt(excerpt: Excerpt, style: CitationStyle) -> FormattedExcerpt:
    """The excerpt as plain text, Markdown and an HTML fragment, each with its citation."""
    return FormattedExcerpt(
        plain=f"{_statement(excerpt)}\n{citation(excerpt, style)}",
        markdown=_markdown(excerpt, style),
        html=_html(excerpt, style),
    )


def format_section_excerpt(
    briefing: Briefing, section: Section, style: CitationStyle
) -> FormattedExcerpt:
    """A whole section with its citation: what ``briefreader excerpt ID`` prints."""
    return format_excerpt(excerpt_from_section(briefing, section), style)


# Python-Markdown honours a backslash only before its own list of characters; "<" is not on
# it, so it becomes an entity (which renders back as "<").
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")
_MARKDOWN_ENTITY = re.compile(r"&(?=#?\w+;)")  # "&amp;" in the text must stay visible
_MARKDOWN_LINE_START = re.compile(r"^([#>+-])")
_MARKDOWN_NUMBERED = re.compile(r"^(\d+)([.)]\s)")


def markdown_escape(text: str) -> str:
    """Text that Markdown renders back exactly as written."""
    text = _MARKDOWN_ENTITY.sub("&amp;", _MARKDOWN_SPECIAL.sub(r"\\\1", text))
    text = text.replace("<", "&lt;")
    text = _MARKDOWN_LINE_START.sub(r"\\\1", text)
    return _MARKDOWN_NUMBERED.sub(r"\1\\\2", text)


def _markdown_line(p: _CitationParts) -> str:
    line = f"— {markdown_escape(p.lead)}*{markdown_escape(p.document)}*{markdown_escape(p.tail)}"
    return f"{line}, <{p.url}>" if p.url else line


def markdown_citation(sources: Sequence[Source], style: CitationStyle) -> str:
    return "  \n".join(_markdown_line(p) for p in _citation_parts(sources, style))


def markdown_quote(excerpt: Excerpt) -> str:
    """The excerpt's words as a Markdown block quote (a figure with its credit)."""
    text = excerpt.quote
    if excerpt.kind is ExcerptKind.FIGURE and excerpt.credit:
        text = f"{text} (source: {excerpt.credit})"
    paragraphs = [markdown_escape(p) for p in text.split("\n\n")]
    return "\n>\n".join(f"> {p}" for p in paragraphs)


def _markdown(excerpt: Excerpt, style: CitationStyle) -> str:
    return f"{markdown_quote(excerpt)}\n\n{markdown_citation(excerpt.sources, style)}"


def _html_line(p: _CitationParts) -> str:
    line = f"— {html.escape(p.lead)}<cite>{html.escape(p.document)}</cite>{html.escape(p.tail)}"
    if p.url:
        address = html.escape(p.url, quote=True)
        line += f', <a href="{address}">{address}</a>'
    return line


def html_citation(sources: Sequence[Source], style: CitationStyle) -> str:
    """The citation lines as HTML (no enclosing element)."""
    return "<br>".join(_html_line(p) for p in _citation_parts(sources, style))


def html_quote(excerpt: Excerpt) -> str:
    """The excerpt's words as an HTML block quote, citing the address where known."""
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in excerpt.quote.split("\n\n"))
    if excerpt.kind is ExcerptKind.FIGURE and excerpt.credit:
        paragraphs += f"<p>Source: {html.escape(excerpt.credit)}</p>"
    url = excerpt.source.url
    cite = f' cite="{html.escape(url, quote=True)}"' if url else ""
    return f"<blockquote{cite}>{paragraphs}</blockquote>"


def _html(excerpt: Excerpt, style: CitationStyle) -> str:
    # Sanitised like every HTML the app writes: the address comes from the tray file too.
    # Imported here: nh3 is not needed before the first paint, and the window imports this.
    from briefreader.core.sanitize import clean_note

    return clean_note(f"{html_quote(excerpt)}\n<p>{html_citation(excerpt.sources, style)}</p>")
