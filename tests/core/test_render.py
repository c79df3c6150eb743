"""Rendering: Markdown to the HTML subset Qt reads, sanitised."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from briefreader.core.content import load_briefing
from briefreader.core.locations import bundled_content_dir
from briefreader.core.render import markdown_to_html, render_theme, sanitise, section_html


def test_markdown_renders_expected_html() -> None:
    md = "Para with **bold** and [a link](https://weprotect.org/).\n\n- one\n- two\n\n> quoted"
    assert markdown_to_html(md) == (
        "<p>Para with <strong>bold</strong> and "
        '<a href="https://weprotect.org/">a link</a>.</p>\n'
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
        "<blockquote>\n<p>quoted</p>\n</blockquote>"
    )


def test_tables_render() -> None:
    html = markdown_to_html("| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<table>" in html and "<td>1</td>" in html


@pytest.mark.parametrize(
    ("dirty", "forbidden"),
    [
        ("<script>alert(1)</script>Hi", "alert"),
        ('<p onclick="steal()">Hi</p>', "onclick"),
        ('<img src="https://tracker.example/x.png">', "<img"),
        ('<a href="javascript:alert(1)">x</a>', "javascript"),
        ('<a href="file:///etc/passwd">x</a>', "file:"),
        ('<a href="http://insecure.example/">x</a>', "http://"),
        ('<iframe src="https://x.example"></iframe>', "iframe"),
        ("<style>body{display:none}</style>Hi", "display"),
        ('<a href="data:text/html,x">x</a>', "data:"),
    ],
)
def test_sanitiser_removes_dangerous_markup(dirty: str, forbidden: str) -> None:
    assert forbidden not in sanitise(dirty)
    assert forbidden not in markdown_to_html(dirty)


def test_sanitiser_keeps_https_and_in_page_links_and_anchors() -> None:
    html = sanitise('<a href="https://weprotect.org/">w</a><a href="#top">t</a><a name="x"></a>')
    assert 'href="https://weprotect.org/"' in html
    assert 'href="#top"' in html
    assert 'name="x"' in html


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.anchors += [v for k, v in attrs if k == "name" and v]


def test_every_theme_renders_with_an_anchor_per_section() -> None:
    briefing = load_briefing(bundled_content_dir())
    for theme in briefing.themes:
        rendered = render_theme(briefing, theme)
        collector = _Collector()
        collector.feed(rendered.html)
        assert collector.anchors == [s.anchor for s in theme.sections]
        assert [e.section_id for e in rendered.toc] == [s.id for s in theme.sections]
        assert "<script" not in rendered.html


def test_quote_section_shows_its_speaker() -> None:
    briefing = load_briefing(bundled_content_dir())
    section = briefing.section("voices/ernie-allen")
    assert section is not None
    html = section_html(section)
    assert "<blockquote>" in html
    assert '<p class="attribution">— Ernie Allen, Chair of the WeProtect Global Alliance' in html


def _text(fragment: str) -> str:
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def test_editors_notes_are_shown_under_their_section_marked_as_the_editors() -> None:
    briefing = load_briefing(bundled_content_dir())
    assert len(briefing.notes) == 6
    for note in briefing.notes:
        section = briefing.section(note.section_id)
        assert section is not None
        html = section_html(section, briefing)
        assert (
            f'<p class="editors-note"><b>Editors\' note:</b> {note.note}</p>' in html
            or note.note.replace("'", "&#x27;") in html
        )
    # The source's words stay as published.
    verdier = briefing.section("voices/henri-verdier")
    assert verdier is not None and "The 2023 sets out a clear path" in verdier.text


def test_editor_s_marks_are_part_of_the_text_wherever_it_is_shown() -> None:
    briefing = load_briefing(bundled_content_dir())
    section = briefing.section("overview/key-highlights")
    assert section is not None
    assert section.text.count("[number lost in the source text]") == 5
    assert _text(section_html(section)).count("[number lost in the source text]") == 5
    membership = briefing.section("overview/our-membership")
    assert membership is not None
    assert membership.text.count("[two columns of the original merged in this sentence]") == 2


def test_notes_on_the_text_lists_every_repair_mark_and_note() -> None:
    from briefreader.core.render import notes_on_the_text, render_notes

    briefing = load_briefing(bundled_content_dir())
    page = _text(render_notes(briefing))
    plain = notes_on_the_text(briefing)
    assert page.startswith("Notes on the text")
    for mark in briefing.marks:
        assert mark.mark in page and mark.mark in plain
    for note in briefing.notes:
        assert note.quote in page and note.note in plain
    for repair in briefing.repairs:
        assert repair.repaired in page and repair.repaired in plain
    assert "“child and survivor [page break] participation”" in plain


def test_a_finding_shows_the_report_s_call_and_the_statements_that_tie_it() -> None:
    briefing = load_briefing(bundled_content_dir())
    section = briefing.section("threat-assessment/generative-ai")
    assert section is not None
    page = section_html(section, briefing)
    text = _text(page)
    assert (
        "In response, the report urges: “To fight back, all stakeholders, including governments, "
        "online service providers, civil society organisations, and responders, are urged to:”"
    ) in text
    for anchor, title in (
        ("public-health-approaches", "Invest in Public Health Approaches"),
        ("childrens-rights-and-perspectives", "Centre Children's Rights and Perspectives"),
        ("globally-aligned-legislation", "Implement Globally Aligned Legislation"),
        ("safety-by-design", "Adopt a Safety by Design Approach"),
    ):
        # Each recommendation's name, as the source's bold lead, links to its section.
        link = f'<a href="#recommendations/{anchor}">{title}</a>:'
        assert link in page.replace("&#x27;", "'")
    assert "— Susie Hargreaves OBE, CEO - Internet Watch Foundation" in text
    assert '<a href="#voices/susie-hargreaves' in page
    # Every finding links to the four responses; only the source's statements tie one.
    theme = briefing.theme("threat-assessment")
    assert theme is not None
    findings = [s for s in theme.sections if s.anchor != "about-the-gta"]
    for finding in findings:
        kinds = [link.kind for link in briefing.links_for(finding.id)]
        assert kinds.count("report") == 1


def test_a_selection_over_a_finding_s_page_furniture_quotes_only_the_finding() -> None:
    from briefreader.core.excerpts import excerpt_from_selection
    from briefreader.core.furniture import responses_text

    briefing = load_briefing(bundled_content_dir())
    section = briefing.section("threat-assessment/minority-groups-targeted")
    assert section is not None
    selected = "\u2029".join([section.text, *responses_text(briefing, section)])
    excerpt = excerpt_from_selection(briefing, selected, [section.id])
    assert excerpt is not None and excerpt.quote == section.text
