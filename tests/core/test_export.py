"""The briefing note: well-formed HTML, Markdown that renders back, numbered sources."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from briefreader.core.content import load_briefing
from briefreader.core.excerpts import Excerpt, excerpt_from_figure, excerpt_from_section
from briefreader.core.export import (
    CONTENT_NOTE,
    BriefingNote,
    html_body,
    print_stylesheet,
    to_clipboard,
    to_html,
    to_markdown,
)
from briefreader.core.locations import bundled_content_dir
from briefreader.core.model import Briefing
from briefreader.core.tray import TrayStore

MINI = Path(__file__).resolve().parent.parent / "data" / "mini"
VOID = {"br", "meta", "hr", "img", "link", "input"}


class _Checker(HTMLParser):
    """Fails on an unclosed, stray or misnested tag; collects the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:  # "<br />", as Python-Markdown writes it
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check_html(text: str) -> _Checker:
    checker = _Checker()
    checker.feed(text)
    checker.close()
    assert checker.stack == [], f"unclosed: {checker.stack}"
    return checker


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return load_briefing(bundled_content_dir())


@pytest.fixture(scope="module")
def note(briefing: Briefing) -> BriefingNote:
    """Ten excerpts from different themes, one source twice, a figure, notes with markup."""
    sections = [t.sections[0] for t in briefing.themes]
    excerpts: list[Excerpt] = [excerpt_from_section(briefing, s) for s in sections]
    excerpts.append(excerpt_from_section(briefing, sections[0]))  # the same source again
    chosen = {s.id for s in sections}
    figure = next(
        excerpt_from_figure(briefing, f) for f in briefing.figures if f.section_id not in chosen
    )
    assert figure is not None
    excerpts.append(figure)
    notes = ["Open with this.", "", "Compare <b>figures</b> & *check*\n\nSecond paragraph."]
    items = tuple((e, notes[n % 3]) for n, e in enumerate(excerpts))
    return BriefingNote(items, subtitle=briefing.title, exported=date(2024, 3, 5))


def _quoted_lines(excerpt: Excerpt) -> list[str]:
    """The quote's paragraphs and list items, without the list's dashes."""
    return [line.removeprefix("- ") for line in excerpt.quote.replace("\n\n", "\n").split("\n")]


def test_html_is_well_formed_and_holds_every_quote(note: BriefingNote) -> None:
    text = to_html(note)
    assert text.startswith("<!DOCTYPE html>\n")
    checker = check_html(text)
    words = " ".join("".join(checker.text).split())
    for excerpt, _ in note.items:
        for paragraph in _quoted_lines(excerpt):
            assert paragraph in words
    assert "Exported 5 March 2024" in words and CONTENT_NOTE in words
    assert "Compare <b>figures</b> & *check*" in words  # the note is text, not markup


def test_references_are_numbered_and_each_source_listed_once(note: BriefingNote) -> None:
    checker = check_html(to_html(note))
    sources = note.sources()
    assert len(sources) == len(note.items) - 1  # one source is quoted twice
    assert checker.ids == {f"source-{n}" for n in range(1, len(sources) + 1)}
    internal = [link for link in checker.links if link.startswith("#")]
    assert internal[0] == "#source-1" and internal[-2] == "#source-1"  # the repeat
    assert {link[1:] for link in internal} == checker.ids


def test_markdown_renders_back_with_the_same_words(note: BriefingNote) -> None:
    text = to_markdown(note)
    rendered = MarkdownIt("commonmark").render(text)
    checker = check_html(f"<div>{rendered}</div>")
    words = " ".join("".join(checker.text).split())
    for excerpt, _ in note.items:
        for paragraph in _quoted_lines(excerpt):
            assert paragraph in words
    assert "Compare <b>figures</b> & *check*" in words
    assert "[1]" in words and "## Sources" in text
    assert rendered.count("<blockquote>") == len(note.items)


def test_empty_tray_exports_a_note_that_says_so() -> None:
    empty = BriefingNote((), exported=date(2024, 3, 5))
    assert "no excerpts" in to_markdown(empty)
    check_html(to_html(empty))


def test_html_drops_anything_unsafe_in_a_note(briefing: Briefing) -> None:
    excerpt = excerpt_from_section(briefing, briefing.sections[0])
    body = html_body(BriefingNote(((excerpt, '<script>alert(1)</script><a href="x">'),)))
    assert "<script" not in body and '<a href="x"' not in body


def test_clipboard_form_of_the_whole_tray(note: BriefingNote) -> None:
    formatted = to_clipboard(note)
    assert formatted.plain.count("\n— ") == len(note.items)
    assert "Note: Open with this." in formatted.plain
    check_html(f"<div>{formatted.html}</div>")


def test_from_tray_keeps_order_and_notes(data_dir: Path) -> None:
    mini = load_briefing(MINI)
    store = TrayStore.open(data_dir)
    for section in mini.sections:
        store.add(excerpt_from_section(mini, section), note=section.title)
    note = BriefingNote.from_tray(store.items(), title="Panel 2")
    store.close()
    assert [n for _, n in note.items] == [s.title for s in mini.sections]
    assert to_markdown(note).startswith("# Panel 2\n")


def test_a_note_s_lines_stay_text_for_a_commonmark_reader(briefing: Briefing) -> None:
    excerpt = excerpt_from_section(briefing, briefing.sections[0])
    remark = "My plan:\n# not a heading\n1. not a list\n- nor this\n> nor a quote\n---\nend"
    text = to_markdown(BriefingNote(((excerpt, remark),), exported=date(2024, 3, 5)))
    rendered = MarkdownIt("commonmark").render(text)
    body = rendered.split("<h2>Sources</h2>")[0].split("</blockquote>")[-1]
    for tag in ("<h1>", "<ol", "<ul>", "<blockquote>", "<hr"):
        assert tag not in body, tag
    words = "".join(check_html(f"<div>{body}</div>").text)
    for line in remark.split("\n"):
        assert line in words, line


def test_lists_stay_lists_in_the_note(briefing: Briefing) -> None:
    section = briefing.section("advocacy/emerging-threats")
    assert section is not None
    excerpt = excerpt_from_section(briefing, section)
    note = BriefingNote(((excerpt, ""),), exported=date(2024, 3, 5))
    assert html_body(note).count("<li>") == len(section.list_items) == 8
    rendered = MarkdownIt("commonmark").render(to_markdown(note))
    assert rendered.count("<li>") == 8 + 1  # the eight items, and the one source
    plain = to_clipboard(note).plain
    assert "\n- “Sharing lessons from global trends" in plain
    assert "\n- Speaking at the 2023 Paris Peace Forum" in plain


def test_an_editors_label_heads_an_excerpt_only_as_the_editors(briefing: Briefing) -> None:
    section = briefing.section("collaboration/link-sharing-roundtable")
    own = briefing.section("overview/key-highlights")
    assert section is not None and own is not None
    note = BriefingNote(
        ((excerpt_from_section(briefing, section), ""), (excerpt_from_section(briefing, own), "")),
        exported=date(2024, 3, 5),
    )
    text = to_markdown(note)
    assert "### 1. Collaboration: Link-sharing roundtable with GCHQ (editors' label)" in text
    assert "### 2. Key highlights" in text


def test_the_note_carries_its_title_meeting_and_author(note: BriefingNote) -> None:
    from dataclasses import replace

    named = replace(
        note, title="Notes for the minister", meeting="Round table, 4 March", author="A. Delegate"
    )
    words = " ".join("".join(check_html(to_html(named)).text).split())
    assert "Notes for the minister" in words
    assert "For: Round table, 4 March" in words and "Prepared by A. Delegate" in words
    markdown = to_markdown(named)
    assert markdown.startswith("# Notes for the minister\n")
    assert "For: Round table, 4 March  \nPrepared by A. Delegate  \nExported 5 March 2024" in (
        markdown
    )
    # Empty fields are left out, not printed as empty labels.
    assert "For:" not in to_markdown(note) and "Prepared by" not in to_markdown(note)


def test_for_print_each_quote_is_a_table_cell_with_a_rule(note: BriefingNote) -> None:
    printed = html_body(note, for_print=True)
    assert "<blockquote" not in printed
    assert printed.count('<td class="quote">') == len(note.items)
    assert "td.quote { border-left:" in print_stylesheet()
    assert "<blockquote" in html_body(note)  # a web page keeps its block quotes
