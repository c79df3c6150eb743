"""Excerpts with their citations, as plain text, Markdown and HTML.

Delegates quote these passages in public, so two rules hold everywhere:

- the quoted words are exactly the source's: only whitespace is tidied (runs collapsed, Qt's
  paragraph separators turned into paragraph breaks), nothing else is touched;
- every excerpt carries where it comes from. The plain-text form holds the whole citation,
  because most paste targets (mail, chat, Windows and macOS apps other than Qt's) read only
  ``text/plain``.

An :class:`Excerpt` keeps a snapshot of its sources (:class:`Source`), not just section ids, so
an excerpt saved in the tray still cites correctly if a later release renames a section.

The reader's selection is taken in whole words (:func:`widen_to_words`) and cut at the
sections' headings (:func:`selection_ranges`): each section it covers is its own excerpt, with
its own citation and its own speaker, so that two speakers' words never stand under one
citation (:func:`excerpts_from_pieces`, copied together by :func:`format_excerpts`). An
excerpt built from several sections at once (:func:`excerpt_from_selection` with several ids)
cites them all, grouped by document, one citation line per document in reading order.
"""

from __future__ import annotations

import dataclasses
import enum
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from briefreader.core.furniture import furniture_lines, part_text
from briefreader.core.model import Briefing, Figure, HeadingKind, Section, paragraph_locator

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
    """Where an excerpt comes from: one section of one document, as the briefing named it.

    The fields after ``speaker_label`` came with source locators; a tray saved before them
    reads back with their defaults (and cites without a paragraph).
    """

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
    document_kind: str = ""  # "annual review", "press release"
    url_label: str = ""  # what ``url`` is the address of: "full report"
    heading_kind: str = HeadingKind.EDITORS  # whose words section_title is
    source_heading: str = ""  # the source's own heading the section sits under, or ""
    paragraphs: tuple[int, ...] = ()  # paragraph numbers in the document

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {name: getattr(self, name) for name in self.__slots__}
        data["paragraphs"] = list(self.paragraphs)
        return data

    @classmethod
    def from_json(cls, data: object) -> Source:
        """Rebuild a source saved with :meth:`to_json`; ``ValueError`` names what is wrong."""
        if not isinstance(data, dict):
            raise ValueError("a source is not an object")
        values: dict[str, object] = {}
        for name in cls.__slots__:
            value = data.get(name)
            if name in _LATER_FIELDS and name not in data:
                continue  # saved before locators: the default stands
            if name == "paragraphs":
                if not isinstance(value, list) or not all(
                    isinstance(n, int) and not isinstance(n, bool) for n in value
                ):
                    raise ValueError("a source has no valid 'paragraphs'")
                values[name] = tuple(value)
                continue
            optional = name in ("url", "speaker_name", "speaker_label")
            if not (isinstance(value, str) or (optional and value is None)):
                raise ValueError(f"a source has no valid {name!r}")
            values[name] = value
        return cls(**values)  # type: ignore[arg-type]

    @property
    def locator(self) -> str:
        return paragraph_locator(self.paragraphs)


_LATER_FIELDS = ("document_kind", "url_label", "heading_kind", "source_heading", "paragraphs")


@dataclass(frozen=True, slots=True)
class Excerpt:
    """What a delegate copies or keeps: the quoted words and where they come from.

    For a figure, ``quote`` is the source's own sentence holding it; ``summary`` (the app's
    value, measure and period) and ``credit`` (who the text credits) are shown outside the
    quotation marks.
    """

    kind: ExcerptKind
    quote: str  # tidied; paragraphs separated by a blank line, list items by "\n- "
    sources: tuple[Source, ...]  # in reading order; the first is where the quote starts
    credit: str = ""  # for a figure: who the source credits for it
    summary: str = ""  # for a figure: the app's summary, "87% increase in … (since 2019)"

    @property
    def source(self) -> Source:
        return self.sources[0]


_SUMMARY_KEY = "figure_summary"


def sources_to_json(excerpt: Excerpt) -> list[dict[str, object]]:
    """An excerpt's sources for saving; a figure's summary rides along with its first source,
    so that a saved tray keeps it without a change of the tray's file format."""
    data = [s.to_json() for s in excerpt.sources]
    if excerpt.summary and data:
        data[0][_SUMMARY_KEY] = excerpt.summary
    return data


def excerpt_from_saved(kind: str, quote: str, sources: object, credit: str) -> Excerpt:
    """An excerpt saved with :func:`sources_to_json`; ``ValueError`` says what is wrong."""
    if not isinstance(sources, list):
        raise ValueError("its sources are not a list")
    summary = sources[0].get(_SUMMARY_KEY, "") if sources and isinstance(sources[0], dict) else ""
    return Excerpt(
        ExcerptKind(kind),
        quote,
        tuple(Source.from_json(s) for s in sources),
        credit,
        summary if isinstance(summary, str) else "",
    )


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
        document_kind=document.kind if document is not None else "",
        url_label=document.url_label if document is not None else "",
        heading_kind=section.heading_kind,
        source_heading=section.source_heading,
        paragraphs=section.paragraphs,
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


LIST_MARK = "- "


def keep_lists(paragraphs: Sequence[str], items: Iterable[str]) -> str:
    """Paragraphs joined again, with those that are list items of the source kept as a list.

    An item is written "- item", and items in a row are one block, one item a line; the first
    or last paragraph of a selection may be the end or the start of an item.
    """
    known = [i for i in items if i]
    blocks: list[list[str]] = []
    last = len(paragraphs) - 1
    for index, paragraph in enumerate(paragraphs):
        is_item = any(
            paragraph == item
            or (index == 0 and item.endswith(paragraph))
            or (index == last and item.startswith(paragraph))
            for item in known
        )
        if is_item:
            if blocks and blocks[-1][0].startswith(LIST_MARK):
                blocks[-1].append(LIST_MARK + paragraph)
            else:
                blocks.append([LIST_MARK + paragraph])
        else:
            blocks.append([paragraph])
    return "\n\n".join("\n".join(block) for block in blocks)


def excerpt_from_selection(
    briefing: Briefing, text: str, section_ids: Sequence[str]
) -> Excerpt | None:
    """An excerpt of selected text; ``section_ids`` are the sections it covers, in order.

    None when the selection holds no words or names no known section: there is nothing to
    cite, and an excerpt without a source must not reach a clipboard.

    The page's furniture is left out (core.furniture), and so are the page's headings where
    a piece of a selection starts on one (the theme's title, the section's heading: the
    citation names them) and part lines where it ends on one (the next block's), whole or
    cut by the drag. The reader's selection is cut at headings first
    (:func:`selection_ranges`), so that each section is its own excerpt.
    """
    sections = [s for s in (briefing.section(i) for i in _unique(section_ids)) if s is not None]
    chrome = _page_chrome(briefing, sections)
    paragraphs = [p for p in tidy(text).split("\n\n") if p and p not in chrome]
    paragraphs = _trim_edges(briefing, sections, paragraphs, chrome)
    if not paragraphs or not sections:
        return None
    quote = keep_lists(paragraphs, (i for s in sections for i in s.list_items))
    return Excerpt(ExcerptKind.PASSAGE, quote, tuple(source_of(briefing, s) for s in sections))


def _page_chrome(briefing: Briefing, sections: Sequence[Section]) -> set[str]:
    """Lines the reader's page adds around the source's words (see core.furniture).

    A selection that takes in a speaker's attribution, a "From <document>" line or an editor's
    note would otherwise quote our page furniture as the source's words.
    """
    return furniture_lines(briefing, sections)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _trim_edges(
    briefing: Briefing, sections: Sequence[Section], paragraphs: list[str], chrome: set[str]
) -> list[str]:
    """``paragraphs`` without the page's lines at their two ends (see excerpt_from_selection).

    A line is only taken for the page's own when the sections' text does not hold it: the
    overview's strategy lists the themes' names, and a quote of them stays whole.
    """
    if not sections:
        return paragraphs
    body = [_flat(p) for s in sections for p in (*tidy(s.text).split("\n\n"), *s.list_items)]
    themes = [briefing.theme(s.theme_id) for s in sections]
    leading = chrome | {s.title for s in sections} | {t.title for t in themes if t is not None}
    trailing = chrome | {
        part_text(s.part) for t in themes if t is not None for s in t.sections if s.part
    }

    def is_page_line(paragraph: str, lines: set[str], first: bool) -> bool:
        # The first paragraph of a selection may be the end of one of the source's, and the
        # last the start of one: such a paragraph is the source's words.
        flat = _flat(paragraph)
        if any((p.endswith(flat) if first else p.startswith(flat)) for p in body):
            return False
        if paragraph in lines:
            return True
        # Cut by the drag: the end of a line where the selection starts, its start where it ends.
        return any(
            (line.endswith(paragraph) if first else line.startswith(paragraph)) for line in lines
        )

    while paragraphs and is_page_line(paragraphs[0], leading, first=True):
        paragraphs = paragraphs[1:]
    while paragraphs and is_page_line(paragraphs[-1], trailing, first=False):
        paragraphs = paragraphs[:-1]
    return paragraphs


def selection_ranges(
    start: int, end: int, headings: Sequence[tuple[int, str]]
) -> list[tuple[str, int, int]]:
    """A selection [start, end) of a page cut at its sections' headings.

    ``headings`` are (text position, section id) of each section's heading on the page. The
    answer is (section id, start, end) for each section the selection covers, in order; what
    lies above the first heading goes with the first section.
    """
    ordered = sorted(headings)
    ranges: list[tuple[str, int, int]] = []
    for number, (position, section_id) in enumerate(ordered):
        following = ordered[number + 1][0] if number + 1 < len(ordered) else None
        low = max(start, position) if number else start
        high = end if following is None else min(end, following)
        if low < high and (number or position < end):
            ranges.append((section_id, low, high))
    return ranges


# Characters that join the parts of one word: "7-10-year-olds", "Alliance’s", "10,000", "2.5".
_JOINERS = frozenset("-‐‑'’.,")


def _in_word(text: str, index: int) -> bool:
    """Whether the character at ``index`` belongs to a word (a joiner counts between two)."""
    if not 0 <= index < len(text):
        return False
    char = text[index]
    if char.isalnum() or (char == "%" and index > 0 and text[index - 1].isdigit()):
        return True
    return (
        char in _JOINERS
        and 0 < index < len(text) - 1
        and text[index - 1].isalnum()
        and text[index + 1].isalnum()
    )


def widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """A selection [start, end) of ``text`` widened so that it cuts no word in two.

    A loose drag that ends inside "just" copies "just", not "ju"; a selection that starts or
    ends between words is left as it is.
    """
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    if start < end and _in_word(text, start):
        while _in_word(text, start - 1):
            start -= 1
    if start < end and _in_word(text, end - 1):
        while _in_word(text, end):
            end += 1
    return start, end


def excerpts_from_pieces(
    briefing: Briefing, pieces: Sequence[tuple[str, str]]
) -> tuple[Excerpt, ...]:
    """One excerpt per section of a selection: ``pieces`` are (section id, selected text) as
    :func:`selection_ranges` cut it. Each excerpt has its own citation and its own speaker,
    so two speakers' words never stand under one citation."""
    found = (excerpt_from_selection(briefing, text, [section_id]) for section_id, text in pieces)
    return tuple(e for e in found if e is not None)


def excerpt_from_section(briefing: Briefing, section: Section) -> Excerpt:
    """A whole section (from the table of contents, a search result or the command line)."""
    quote = keep_lists(tidy(section.text).split("\n\n"), section.list_items)
    return Excerpt(ExcerptKind.PASSAGE, quote, (source_of(briefing, section),))


def excerpt_from_figure(briefing: Briefing, figure: Figure) -> Excerpt | None:
    """A figure: its sentence quoted, its summary and credit beside; None if its section is gone."""
    section = briefing.section(figure.section_id)
    if section is None:
        return None
    source = source_of(briefing, section)
    if figure.paragraphs:  # cite the sentence's own paragraph, not the whole section's
        source = dataclasses.replace(source, paragraphs=figure.paragraphs)
    return Excerpt(
        ExcerptKind.FIGURE,
        tidy(figure.quote) if figure.quote else "",
        (source,),
        figure.source,
        figure.summary(),
    )


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# --- citations --------------------------------------------------------------------------------

EDITORS_LABEL = "editors' label"


@dataclass(frozen=True, slots=True)
class _CitationParts:
    """One citation line in pieces, so each format can mark up the document title."""

    lead: str  # the speaker, ending in ", in ", or ""
    document: str  # the document's title
    tail: str  # " (kind), Publisher, Date, “Source heading”, para. 14 [editors' label: …]"
    url_label: str  # what the address is the address of
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
        speakers = _unique(s.speaker_name or "" for s in group)
        if speakers == [first.speaker_name] and first.speaker_name:
            label = first.speaker_label if style is CitationStyle.FULL else first.speaker_name
            lead = f"{label or first.speaker_name}, in "
        tail = f" ({first.document_kind})" if first.document_kind else ""
        tail += "".join(f", {part}" for part in (first.publisher, first.date_text) if part)
        headings = _unique(s.source_heading for s in group if s.source_heading)
        if headings:
            tail += ", " + " and ".join(f"“{h}”" for h in headings)
        locator = paragraph_locator(tuple(n for s in group for n in s.paragraphs))
        if locator:
            tail += f", {locator}"
        if style is CitationStyle.FULL:
            labels = _unique(
                s.section_title for s in group if s.heading_kind == HeadingKind.EDITORS
            )
            if labels:
                tail += f" [{EDITORS_LABEL}: {'; '.join(labels)}]"
        url = first.url if style is CitationStyle.FULL else None
        lines.append(_CitationParts(lead, first.document_title, tail, first.url_label, url))
    return lines


def excerpt_heading(excerpt: Excerpt) -> str:
    """What an excerpt goes by in the tray and the note: the figure's summary, the speaker,
    the source's own heading, or a label the editors wrote, marked as theirs."""
    source = excerpt.source
    if excerpt.kind is ExcerptKind.FIGURE:
        return f"Figure: {excerpt.summary or source.section_title}"
    if source.speaker_name:
        return source.speaker_name
    if source.heading_kind == HeadingKind.SOURCE:
        return source.section_title
    return f"{source.theme_title}: {source.section_title} ({EDITORS_LABEL})"


def citation(excerpt: Excerpt, style: CitationStyle) -> str:
    """The citation as plain text: one line per document, each starting with a dash."""
    return "\n".join(_plain_line(p) for p in _citation_parts(excerpt.sources, style))


def reference(source: Source) -> str:
    """A source in a list of references: the full citation without its dash."""
    return _plain_line(_citation_parts([source], CitationStyle.FULL)[0])[2:]


def _address(p: _CitationParts) -> str:
    return f"{p.url_label}: {p.url}" if p.url_label else str(p.url)


def _plain_line(p: _CitationParts) -> str:
    line = f"— {p.lead}{p.document}{p.tail}"
    return f"{line}; {_address(p)}" if p.url else line


def figure_line(excerpt: Excerpt) -> str:
    """A figure's summary and credit, in the app's words: never inside quotation marks."""
    line = excerpt.summary or ""
    if excerpt.credit:
        line = f"{line} (source: {excerpt.credit})" if line else f"Source: {excerpt.credit}"
    return line


def _statement(excerpt: Excerpt) -> str:
    """The excerpt's words as they appear in plain text: the source's words in quotation marks,
    and for a figure its summary and credit on a line of their own above them."""
    if excerpt.kind is ExcerptKind.FIGURE:
        head = figure_line(excerpt)
        if not excerpt.quote:
            return head
        return f"{head}\n{quoted(excerpt.quote)}" if head else quoted(excerpt.quote)
    return quoted(excerpt.quote)


def quoted(text: str) -> str:
    """Text in curly quotation marks, one pair, by the usual convention.

    A speaker's statement is printed in quotation marks by the source (curly or straight),
    sometimes several with narration between them ("“…” said Ernie Allen. “…”") or with the
    closing mark missing; another pair around it would read “"…"”, and the words may not be
    changed, so such a text is left as it is. Otherwise each paragraph opens with “ and only
    the last one closes with ”, unless the text ends with the source's own closing mark (a
    selection from inside a statement to its end); in a list the mark goes after the item's
    dash.
    """
    if not text or text.startswith(("“", '"')):
        return text
    blocks = text.split("\n\n")
    opened = [_open(block) for block in blocks]
    if text.endswith("”") and text.count("”") > text.count("“"):
        # The end of a statement selected from inside it: the source's own closing mark
        # closes the quotation, so another would read “…””.
        return "\n\n".join(opened)
    return "\n\n".join(opened) + "”"


def _open(block: str) -> str:
    if block.startswith(LIST_MARK):
        return LIST_MARK + "“" + block[len(LIST_MARK) :]
    return "“" + block


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


def format_excerpts(excerpts: Sequence[Excerpt], style: CitationStyle) -> FormattedExcerpt:
    """Several excerpts, one after another, each with its own citation: what a selection over
    several sections copies."""
    parts = [format_excerpt(e, style) for e in excerpts]
    return FormattedExcerpt(
        plain="\n\n".join(p.plain for p in parts),
        markdown="\n\n".join(p.markdown for p in parts),
        html="\n".join(p.html for p in parts),
    )


# CommonMark lets a backslash escape any ASCII punctuation, so everything that could start
# markup is escaped: inline (emphasis, code, links, and the "~ ^ $" of pandoc's extensions) on
# every line, and at the start of every line whatever opens a block (heading, quote, list,
# rule, setext underline). "<" and an "&" that would start an entity become entities, which
# every Markdown reader renders back as "<" and "&". Python-Markdown shows a backslash before
# "~ ^ $ =" as written; the export is for CommonMark readers (pandoc, mail, wikis).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]~^$])")
_MARKDOWN_ENTITY = re.compile(r"&(?=#?\w+;)")  # "&amp;" in the text must stay visible
_MARKDOWN_LINE_START = re.compile(r"^([#>+=-])")
_MARKDOWN_NUMBERED = re.compile(r"^(\d{1,9})([.)])")


def _escape_inline(text: str) -> str:
    return _MARKDOWN_ENTITY.sub("&amp;", _MARKDOWN_SPECIAL.sub(r"\\\1", text)).replace("<", "&lt;")


def _escape_line(line: str) -> str:
    # Leading spaces would make an indented code block; trailing ones a hard line break.
    # Neither is visible in the rendered text, so both go.
    line = _escape_inline(line.strip(" \t"))
    line = _MARKDOWN_LINE_START.sub(r"\\\1", line)
    return _MARKDOWN_NUMBERED.sub(r"\1\\\2", line)


def markdown_escape(text: str) -> str:
    """Text that a CommonMark reader renders back exactly as written, every line of it."""
    return "\n".join(_escape_line(line) for line in text.split("\n"))


def _markdown_line(p: _CitationParts) -> str:
    line = f"— {_escape_inline(p.lead)}*{_escape_inline(p.document)}*{_escape_inline(p.tail)}"
    if not p.url:
        return line
    label = f"{_escape_inline(p.url_label)}: " if p.url_label else ""
    return f"{line}; {label}<{p.url}>"


def markdown_citation(sources: Sequence[Source], style: CitationStyle) -> str:
    return "  \n".join(_markdown_line(p) for p in _citation_parts(sources, style))


def markdown_quote(excerpt: Excerpt) -> str:
    """The excerpt's words as a Markdown block quote, lists kept; a figure's summary and credit
    come first, outside the quote."""
    parts = []
    if excerpt.kind is ExcerptKind.FIGURE and figure_line(excerpt):
        parts.append(markdown_escape(figure_line(excerpt)))
    if excerpt.quote:
        blocks = []
        for block in excerpt.quote.split("\n\n"):
            if block.startswith(LIST_MARK):
                items = block.split("\n")
                blocks.append(
                    "\n".join(f"> - {markdown_escape(i[len(LIST_MARK) :])}" for i in items)
                )
            else:
                blocks.append("\n".join(f"> {markdown_escape(line)}" for line in block.split("\n")))
        parts.append("\n>\n".join(blocks))
    return "\n\n".join(parts)


def _markdown(excerpt: Excerpt, style: CitationStyle) -> str:
    return f"{markdown_quote(excerpt)}\n\n{markdown_citation(excerpt.sources, style)}"


def _html_line(p: _CitationParts) -> str:
    lead, document, tail = (html.escape(t, quote=False) for t in (p.lead, p.document, p.tail))
    line = f"— {lead}<cite>{document}</cite>{tail}"
    if p.url:
        address = html.escape(p.url, quote=True)
        label = f"{html.escape(p.url_label, quote=False)}: " if p.url_label else ""
        line += f'; {label}<a href="{address}">{address}</a>'
    return line


def html_citation(sources: Sequence[Source], style: CitationStyle) -> str:
    """The citation lines as HTML (no enclosing element)."""
    return "<br>".join(_html_line(p) for p in _citation_parts(sources, style))


def html_quote(excerpt: Excerpt) -> str:
    """The excerpt's words as an HTML block quote, lists kept; a figure's summary and credit
    come first, outside the quote. No ``cite`` address: the only one the sources give is the
    full report's, not that of the words quoted."""
    out = ""
    if excerpt.kind is ExcerptKind.FIGURE and figure_line(excerpt):
        out += f'<p class="figure">{html.escape(figure_line(excerpt), quote=False)}</p>'
    if excerpt.quote:
        body = ""
        for block in excerpt.quote.split("\n\n"):
            if block.startswith(LIST_MARK):
                items = "".join(
                    f"<li>{html.escape(i[len(LIST_MARK) :], quote=False)}</li>"
                    for i in block.split("\n")
                )
                body += f"<ul>{items}</ul>"
            else:
                body += f"<p>{html.escape(block, quote=False)}</p>"
        out += f"<blockquote>{body}</blockquote>"
    return out


def _html(excerpt: Excerpt, style: CitationStyle) -> str:
    # Sanitised like every HTML the app writes: the address comes from the tray file too.
    # Imported here: nh3 is not needed before the first paint, and the window imports this.
    from briefreader.core.sanitize import clean_note

    return clean_note(f"{html_quote(excerpt)}\n<p>{html_citation(excerpt.sources, style)}</p>")
