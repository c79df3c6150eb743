"""What leaves the app quotes the sources verbatim, in every copy format.

For every section, figure and link, in plain text, Markdown (read back by a CommonMark parser)
and HTML, the words inside the quotation are in the source texts word for word, once the
documented repairs (content/notes.toml) are made and the listed editor's marks taken out; and
every title a citation puts in quotation marks is a heading of the source.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import seedtext as st
from markdown_it import MarkdownIt

from briefreader.core.content import load_briefing
from briefreader.core.excerpts import (
    CitationStyle,
    Excerpt,
    citation,
    excerpt_from_figure,
    excerpt_from_section,
    format_excerpt,
)
from briefreader.core.locations import bundled_content_dir
from briefreader.core.render import section_html

BRIEFING = load_briefing(bundled_content_dir())
MARKS = sorted({m.mark for m in BRIEFING.marks}, key=len, reverse=True)
COMMONMARK = MarkdownIt("commonmark")


def _squash(text: str) -> str:
    return " ".join(text.split())


def _unmarked(text: str) -> str:
    for mark in MARKS:
        text = text.replace(f"{mark} ", "").replace(mark, "")
    return _squash(text)


def _verbatim(doc: str, words: str) -> bool:
    return _unmarked(words) in st.joined(doc)


class _Blocks(HTMLParser):
    """The text of each <p> and <li> inside <blockquote>, and of each <cite>'s line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.blocks: list[str] = []
        self.current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "blockquote":
            self.depth += 1
        elif tag in ("p", "li") and self.depth:
            self.current = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "blockquote":
            self.depth -= 1
        elif tag in ("p", "li") and self.current is not None:
            self.blocks.append(_squash("".join(self.current)))
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.current.append(data)


def _quoted_blocks(fragment: str) -> list[str]:
    parser = _Blocks()
    parser.feed(fragment)
    return [b for b in parser.blocks if b]


def _plain_quote_lines(excerpt: Excerpt, plain: str) -> list[str]:
    """The quotation's lines in plain text, with the quotation marks the app added taken off."""
    body = plain.split("\n— ", maxsplit=1)[0]
    if excerpt.summary or excerpt.credit:
        body = body.split("\n", 1)[1]  # the figure's summary line, in the app's words
    lines = [line for line in re.split(r"\n\n|\n", body) if line]
    if excerpt.quote.startswith(("“", '"')):
        return lines  # the source's own marks: quoted as the source prints them
    stripped = []
    for number, line in enumerate(lines):
        words = line.removeprefix("- ").removeprefix("“")
        if number == len(lines) - 1:
            assert words.endswith("”"), words
            words = words[:-1]
        stripped.append(words)
    return stripped


def _citation_titles(text: str) -> list[str]:
    return re.findall(r"“([^”]*)”", text)


@pytest.mark.parametrize("section", BRIEFING.sections, ids=[s.id for s in BRIEFING.sections])
def test_every_section_is_verbatim_in_every_format(section: object) -> None:
    from briefreader.core.model import Section

    assert isinstance(section, Section)
    excerpt = excerpt_from_section(BRIEFING, section)
    headings = st.headings(section.document_id)
    for style in CitationStyle:
        formatted = format_excerpt(excerpt, style)
        for line in _plain_quote_lines(excerpt, formatted.plain):
            assert _verbatim(section.document_id, line), line
        for form in (formatted.html, COMMONMARK.render(formatted.markdown)):
            blocks = _quoted_blocks(form)
            assert blocks
            for block in blocks:
                assert _verbatim(section.document_id, block), block
        for title in _citation_titles(citation(excerpt, style)):
            assert title in headings, f"{title!r} is quoted as a heading of the source"


@pytest.mark.parametrize("figure", BRIEFING.figures, ids=[f.id for f in BRIEFING.figures])
def test_every_figure_quotes_its_sentence_verbatim_and_its_summary_unquoted(
    figure: object,
) -> None:
    from briefreader.core.model import Figure

    assert isinstance(figure, Figure)
    excerpt = excerpt_from_figure(BRIEFING, figure)
    assert excerpt is not None
    for style in CitationStyle:
        formatted = format_excerpt(excerpt, style)
        summary_line, rest = formatted.plain.split("\n", 1)
        assert "“" not in summary_line and figure.summary() in summary_line
        assert rest.startswith(f"“{excerpt.quote.split(chr(10))[0]}")
        for line in _plain_quote_lines(excerpt, formatted.plain):
            assert _verbatim(figure.document_id, line), line
        for form in (formatted.html, COMMONMARK.render(formatted.markdown)):
            blocks = _quoted_blocks(form)
            for block in blocks:
                assert _verbatim(figure.document_id, block), block
            # The quotation holds the sentence and nothing else: the summary stands outside it.
            assert " ".join(blocks) == _squash(figure.quote)
        for title in _citation_titles(citation(excerpt, style)):
            assert title in st.headings(figure.document_id)


def test_every_link_quotes_the_source_and_names_its_speaker() -> None:
    assert BRIEFING.links
    for link in BRIEFING.links:
        finding = BRIEFING.section(link.finding_id)
        assert finding is not None
        page = _squash(re.sub(r"<[^>]+>", " ", section_html(finding, BRIEFING)))
        for passage in link.justification:
            assert _verbatim("press-release", passage), passage
        shown = re.findall(r"“([^”]*)”", page)
        joined = " […] ".join(_squash(p) for p in link.justification).replace("'", "&#x27;")
        assert any(joined.replace("&#x27;", "'") == s.replace("&#x27;", "'") for s in shown)
        if link.kind == "statement":
            holder = BRIEFING.section(link.response_ids[0])
            assert holder is not None and holder.speaker is not None
            assert f"— {holder.speaker.label()}" in page
