"""Citations and the three excerpt formats: exact strings for known passages."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from briefreader.core.content import load_briefing
from briefreader.core.excerpts import (
    CitationStyle,
    Excerpt,
    ExcerptKind,
    Source,
    citation,
    excerpt_from_figure,
    excerpt_from_section,
    excerpt_from_selection,
    format_excerpt,
    format_section_excerpt,
    markdown_escape,
    quoted,
    tidy,
)
from briefreader.core.locations import bundled_content_dir
from briefreader.core.model import Briefing

MINI = Path(__file__).resolve().parent.parent / "data" / "mini"
PRESS = "Alarming escalation in child sexual abuse online revealed by Global Threat Assessment 2023"
URL = "https://weprotect.org/global-threat-assessment-23/"
PR = f"{PRESS} (press release), WeProtect Global Alliance, 17 October 2023"


@pytest.fixture(scope="module")
def mini() -> Briefing:
    return load_briefing(MINI)


@pytest.fixture(scope="module")
def bundled() -> Briefing:
    return load_briefing(bundled_content_dir())


def test_short_citation_of_a_known_passage(mini: Briefing) -> None:
    section = mini.section("threat-assessment/financial-sexual-extortion")
    assert section is not None
    formatted = format_section_excerpt(mini, section, CitationStyle.SHORT)
    assert formatted.plain == (
        "“The research found a significant rise in financial sexual extortion, with reports of "
        "the harm jumping from 139 in 2021 to over 10,000 reports in 2022.”\n"
        f"— {PR}, para. 6"
    )


def test_full_citation_gives_an_editors_label_as_ours_and_the_address_for_what_it_is(
    mini: Briefing,
) -> None:
    section = mini.section("threat-assessment/financial-sexual-extortion")
    assert section is not None
    text = citation(excerpt_from_section(mini, section), CitationStyle.FULL)
    assert text == (
        f"— {PR}, para. 6 [editors' label: Financial sexual extortion]; full report: {URL}"
    )
    assert "“Financial sexual extortion”" not in text


def test_a_heading_of_the_source_is_quoted_as_the_source_s(mini: Briefing) -> None:
    section = mini.section("threat-assessment/safety-by-design")
    assert section is not None
    assert citation(excerpt_from_section(mini, section), CitationStyle.SHORT) == (
        f"— {PR}, “Adopt a Safety by Design Approach”, para. 14"
    )


def test_quote_from_a_speaker_names_them_and_keeps_its_own_quotation_marks(
    mini: Briefing,
) -> None:
    section = mini.section("voices/jacqueline-beauchere")
    assert section is not None
    short = format_section_excerpt(mini, section, CitationStyle.SHORT).plain
    full = format_section_excerpt(mini, section, CitationStyle.FULL).plain
    quote = (
        "“Online child sexual exploitation and abuse continue to morph and evolve, with new "
        "threats and harms presenting regularly. Sextortion, and financial sextortion in "
        "particular, is on the rise.”"
    )
    assert short == f"{quote}\n— Jacqueline Beauchere, in {PR}, para. 72"
    assert full == (
        f"{quote}\n— Jacqueline Beauchere, Global Head of Platform Safety at Snap Inc and "
        f"WeProtect Global Alliance Board Member, in {PR}, para. 72; full report: {URL}"
    )


def test_annual_review_citations(bundled: Briefing) -> None:
    section = bundled.section("collaboration/link-sharing-roundtable")
    assert section is not None
    excerpt = excerpt_from_section(bundled, section)
    review = "Annual Review 2023 (annual review), WeProtect Global Alliance, December 2023"
    assert citation(excerpt, CitationStyle.SHORT) == f"— {review}, “Collaboration”, para. 40"
    # The review gives no address; the editors' label is given as ours, never quoted.
    assert citation(excerpt, CitationStyle.FULL) == (
        f"— {review}, “Collaboration”, para. 40 [editors' label: Link-sharing roundtable with GCHQ]"
    )


def test_markdown_and_html_forms(mini: Briefing) -> None:
    section = mini.section("threat-assessment/grooming-on-social-gaming-platforms")
    assert section is not None
    formatted = format_section_excerpt(mini, section, CitationStyle.FULL)
    text = section.text
    tail = (
        "(press release), WeProtect Global Alliance, 17 October 2023, para. 5 "
        "[editors' label: Grooming on social gaming platforms]; full report: "
    )
    escaped = tail.replace("[", "\\[").replace("]", "\\]")
    assert formatted.markdown == f"> {text}\n\n— *{PRESS}* {escaped}<{URL}>"
    # No cite="…" on the quote: the address is the full report's, not that of these words.
    assert formatted.html == (
        f"<blockquote><p>{text}</p></blockquote>\n"
        f'<p>— <cite>{PRESS}</cite> {tail}<a href="{URL}">{URL}</a></p>'
    )


COMMONMARK = MarkdownIt("commonmark")


def _rendered_text(markdown_text: str) -> str:
    """What a CommonMark reader shows: the HTML it makes, and that it makes only paragraphs."""
    rendered: str = COMMONMARK.render(markdown_text)
    return rendered


@pytest.mark.parametrize(
    "text",
    [
        "A *starred* _word_, [brackets], a back\\slash, <tag> & &amp; `ticks` ~x~ ^y^ $z$",
        "# not a heading",
        "- not a list",
        "+ not a list",
        "* not a list",
        "12. not a list",
        "3) not a list",
        "> not nested",
        "---",
        "    not code",
        "line one\n# line two\n1. line three\n- line four\n> line five\n===",
        "trailing\\",
    ],
)
def test_markdown_renders_back_to_the_exact_words_on_every_line(text: str) -> None:
    import html

    rendered = _rendered_text(markdown_escape(text))
    lines = [line.strip() for line in text.split("\n")]
    expected = "<p>" + "\n".join(html.escape(line, quote=False) for line in lines) + "</p>\n"
    assert rendered == expected, text


def test_selection_whitespace_is_tidied_and_words_kept(mini: Briefing) -> None:
    selected = "  Shockingly,   it was\nalso revealed\u2029\u2029that conversations\u2028with  "
    excerpt = excerpt_from_selection(
        mini, selected, ["threat-assessment/grooming-on-social-gaming-platforms"]
    )
    assert excerpt is not None
    assert excerpt.quote == "Shockingly, it was also revealed\n\nthat conversations with"
    assert format_excerpt(excerpt, CitationStyle.SHORT).plain.startswith(
        "“Shockingly, it was also revealed\n\n“that conversations with”\n— "
    )
    html = format_excerpt(excerpt, CitationStyle.SHORT).html
    assert "<p>Shockingly, it was also revealed</p><p>that conversations with</p>" in html


def test_selection_across_two_sections_cites_both(mini: Briefing) -> None:
    excerpt = excerpt_from_selection(
        mini,
        "10,000 reports in 2022.\u2029Adopt a Safety by Design Approach",
        ["threat-assessment/financial-sexual-extortion", "threat-assessment/safety-by-design"],
    )
    assert excerpt is not None
    assert excerpt.source.section_id == "threat-assessment/financial-sexual-extortion"
    assert citation(excerpt, CitationStyle.FULL) == (
        f"— {PR}, “Adopt a Safety by Design Approach”, paras 6, 14 "
        f"[editors' label: Financial sexual extortion]; full report: {URL}"
    )


def test_selection_without_words_or_known_section_gives_nothing(mini: Briefing) -> None:
    assert excerpt_from_selection(mini, " \u2029 ", ["voices/jacqueline-beauchere"]) is None
    assert excerpt_from_selection(mini, "words", ["no/such-section"]) is None


def test_figure_quotes_its_sentence_with_its_summary_outside_the_quote(mini: Briefing) -> None:
    excerpt = excerpt_from_figure(mini, mini.figures[0])
    assert excerpt is not None and excerpt.kind is ExcerptKind.FIGURE
    formatted = format_excerpt(excerpt, CitationStyle.SHORT)
    sentence = (
        "Shockingly, it was also revealed that conversations with children on social gaming "
        "platforms can escalate into high-risk grooming situations within 19 seconds, with an "
        "average grooming time of just 45 minutes."
    )
    summary = (
        "19 seconds within which conversations with children on social gaming platforms can "
        "escalate into high-risk grooming situations (source: WeProtect Global Alliance)"
    )
    assert formatted.plain == f"{summary}\n“{sentence}”\n— {PR}, para. 5"
    assert formatted.markdown.startswith(f"{summary}\n\n> {sentence}\n\n— ")
    assert formatted.html.startswith(
        f'<p class="figure">{summary}</p><blockquote><p>{sentence}</p></blockquote>'
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain words", "“plain words”"),
        ("“already quoted”", "“already quoted”"),
        # Statements with narration between them: the source's own marks are enough.
        ("“one” and “two”", "“one” and “two”"),
        # A statement the source opens with a straight mark: no second pair.
        ('"Ensuring safety." said she.', '"Ensuring safety." said she.'),
        # Several paragraphs: an opening mark at each, the closing mark only at the end.
        ("one\n\ntwo\n\nthree", "“one\n\n“two\n\n“three”"),
        ("Highlights:\n\n- a\n- b", "“Highlights:\n\n- “a\n- b”"),
        # The end of a statement, selected from inside it: the source's mark closes it.
        ("protect children.”", "“protect children.”"),
        ("one\n\ntwo.”", "“one\n\n“two.”"),
        ("“inner” words", "“inner” words"),
        ("said “inner” words", "“said “inner” words”"),
    ],
)
def test_quotation_marks(text: str, expected: str) -> None:
    assert quoted(text) == expected


def test_tidy_keeps_non_breaking_spaces_and_punctuation() -> None:
    assert tidy("10\u00a0000 — “yes”\r\n\r\nnext") == "10\u00a0000 — “yes”\n\nnext"


def test_source_round_trips_through_json(mini: Briefing) -> None:
    source = excerpt_from_section(mini, mini.sections[-1]).source
    assert Source.from_json(source.to_json()) == source
    with pytest.raises(ValueError, match="document_title"):
        Source.from_json({**source.to_json(), "document_title": 3})


def test_every_bundled_section_formats_with_its_document(bundled: Briefing) -> None:
    for section in bundled.sections:
        formatted = format_section_excerpt(bundled, section, CitationStyle.FULL)
        document = bundled.document(section.document_id)
        assert document is not None
        assert f"{document.title} ({document.kind}), {document.publisher}, " in formatted.plain
        assert section.locator and section.locator in formatted.plain
        assert formatted.plain.count("\n— ") == 1
        if section.heading_kind != "source":
            assert f"“{section.title}”" not in formatted.plain.split("\n— ")[1]


def test_page_furniture_in_a_selection_is_not_quoted(mini: Briefing) -> None:
    # What the reader's page adds: the part title, the "From" line and the attribution.
    selected = (
        "Technology companies\u2029"
        f"From {PRESS}, WeProtect Global Alliance, 17 October 2023\u2029"
        "“Sextortion, and financial sextortion in particular, is on the rise.”\u2029"
        "— Jacqueline Beauchere, Global Head of Platform Safety at Snap Inc and WeProtect "
        "Global Alliance Board Member"
    )
    excerpt = excerpt_from_selection(mini, selected, ["voices/jacqueline-beauchere"])
    assert excerpt is not None
    assert excerpt.quote == "“Sextortion, and financial sextortion in particular, is on the rise.”"


def test_a_statement_the_source_already_quotes_is_not_quoted_twice() -> None:
    from briefreader.core.excerpts import quoted

    statement = "“It is no longer enough.” said Ernie Allen. “We must act.”"
    assert quoted(statement) == statement
    assert quoted("“An opening mark the source never closes") == (
        "“An opening mark the source never closes"
    )
    assert quoted("plain words") == "“plain words”"


def test_a_source_saved_before_locators_still_reads(mini: Briefing) -> None:
    source = excerpt_from_section(mini, mini.sections[0]).source
    old = {
        key: value
        for key, value in source.to_json().items()
        if key not in ("document_kind", "url_label", "heading_kind", "source_heading", "paragraphs")
    }
    restored = Source.from_json(old)
    assert restored.section_id == source.section_id and restored.paragraphs == ()
    # An editors' label from before is never quoted as the source's heading.
    assert citation(Excerpt(ExcerptKind.PASSAGE, "words", (restored,)), CitationStyle.SHORT) == (
        f"— {PRESS}, WeProtect Global Alliance, 17 October 2023"
    )


def test_a_figure_keeps_its_summary_through_a_saved_tray(mini: Briefing) -> None:
    from briefreader.core.excerpts import excerpt_from_saved, sources_to_json

    excerpt = excerpt_from_figure(mini, mini.figures[0])
    assert excerpt is not None and excerpt.summary
    saved = sources_to_json(excerpt)
    assert excerpt_from_saved("figure", excerpt.quote, saved, excerpt.credit) == excerpt
