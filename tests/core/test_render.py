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
