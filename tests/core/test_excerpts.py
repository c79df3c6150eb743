"""Citations and the three excerpt formats: exact strings for known passages."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from briefreader.core.content import load_briefing
from briefreader.core.excerpts import (
    CitationStyle,
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
        f"— {PRESS}, WeProtect Global Alliance, 17 October 2023"
    )


def test_full_citation_names_section_and_address(mini: Briefing) -> None:
    section = mini.section("threat-assessment/financial-sexual-extortion")
    assert section is not None
    assert citation(excerpt_from_section(mini, section), CitationStyle.FULL) == (
        f"— “Financial sexual extortion”, in {PRESS}, WeProtect Global Alliance, "
        f"17 October 2023, {URL}"
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
    assert short == (
        f"{quote}\n— Jacqueline Beauchere, in {PRESS}, WeProtect Global Alliance, 17 October 2023"
    )
    assert full == (
        f"{quote}\n— Jacqueline Beauchere, Global Head of Platform Safety at Snap Inc and "
        f"WeProtect Global Alliance Board Member, in {PRESS}, WeProtect Global Alliance, "
        f"17 October 2023, {URL}"
    )


def test_annual_review_short_form_matches_the_agreed_example(bundled: Briefing) -> None:
    section = next(s for s in bundled.sections if s.document_id == "review" and not s.speaker)
    excerpt = excerpt_from_section(bundled, section)
    assert citation(excerpt, CitationStyle.SHORT) == (
        "— Annual Review 2023, WeProtect Global Alliance, December 2023"
    )
    # The review has no address, so the full form ends with the date.
    assert citation(excerpt, CitationStyle.FULL) == (
        f"— “{section.title}”, in Annual Review 2023, WeProtect Global Alliance, December 2023"
    )


def test_markdown_and_html_forms(mini: Briefing) -> None:
    section = mini.section("threat-assessment/grooming-on-social-gaming-platforms")
    assert section is not None
    formatted = format_section_excerpt(mini, section, CitationStyle.FULL)
    text = section.text
    assert formatted.markdown == (
        f"> {text}\n\n— “Grooming on social gaming platforms”, in *{PRESS}*, "
        f"WeProtect Global Alliance, 17 October 2023, <{URL}>"
    )
    assert formatted.html == (
        f'<blockquote cite="{URL}"><p>{text}</p></blockquote>\n'
        f"<p>— “Grooming on social gaming platforms”, in <cite>{PRESS}</cite>, "
        f'WeProtect Global Alliance, 17 October 2023, <a href="{URL}">{URL}</a></p>'
    )


def test_markdown_renders_back_to_the_exact_words() -> None:
    tricky = "A *starred* _word_, [brackets], a back\\slash, <tag> & &amp; `ticks`"
    for text in (tricky, "# not a heading", "- not a list", "12. not a list", "> not nested"):
        rendered = markdown.markdown(markdown_escape(text))
        expected = (
            text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        )  # what html.escape(quote=False) gives, as Python-Markdown writes it
        assert rendered == f"<p>{expected}</p>", text


def test_selection_whitespace_is_tidied_and_words_kept(mini: Briefing) -> None:
    selected = "  Shockingly,   it was\nalso revealed\u2029\u2029that conversations\u2028with  "
    excerpt = excerpt_from_selection(
        mini, selected, ["threat-assessment/grooming-on-social-gaming-platforms"]
    )
    assert excerpt is not None
    assert excerpt.quote == "Shockingly, it was also revealed\n\nthat conversations with"
    assert format_excerpt(excerpt, CitationStyle.SHORT).plain.startswith(
        "“Shockingly, it was also revealed\n\nthat conversations with”\n— "
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
        "— “Financial sexual extortion” and “Adopt a Safety by Design Approach”, in "
        f"{PRESS}, WeProtect Global Alliance, 17 October 2023, {URL}"
    )


def test_selection_without_words_or_known_section_gives_nothing(mini: Briefing) -> None:
    assert excerpt_from_selection(mini, " \u2029 ", ["voices/jacqueline-beauchere"]) is None
    assert excerpt_from_selection(mini, "words", ["no/such-section"]) is None


def test_figure_carries_value_measure_credit_and_document(mini: Briefing) -> None:
    excerpt = excerpt_from_figure(mini, mini.figures[0])
    assert excerpt is not None and excerpt.kind is ExcerptKind.FIGURE
    assert format_excerpt(excerpt, CitationStyle.SHORT).plain == (
        "19 seconds: conversations with children on social gaming platforms can escalate into "
        "high-risk grooming situations within (source: WeProtect Global Alliance, Global Threat "
        f"Assessment 2023)\n— {PRESS}, WeProtect Global Alliance, 17 October 2023"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain words", "“plain words”"),
        ("“already quoted”", "“already quoted”"),
        # Statements with narration between them: the source's own marks are enough.
        ("“one” and “two”", "“one” and “two”"),
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
        assert f"{document.title}, {document.publisher}, {document.date_text}" in formatted.plain
        assert formatted.plain.count("\n— ") == 1


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
