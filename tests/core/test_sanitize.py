"""Links checked: only http, https and mailto addresses (and the page's own anchors) reach any
HTML the app writes, whatever the tray file or the content folder says."""

from __future__ import annotations

import json
import sqlite3
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefreader.core.content import load_briefing
from briefreader.core.excerpts import CitationStyle, excerpt_from_section, format_excerpt
from briefreader.core.export import BriefingNote, html_body, to_clipboard, to_html
from briefreader.core.render import markdown_to_html
from briefreader.core.sanitize import clean_note, clean_page, is_safe_address
from briefreader.core.tray import FILE_NAME, TrayStore

MINI = Path(__file__).resolve().parent.parent / "data" / "mini"

HOSTILE = [
    "javascript:alert(1)",
    " JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "file:///etc/passwd",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "relative/page.html",
]


class _Addresses(HTMLParser):
    """Every href and cite value in a piece of HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [v or "" for k, v in attrs if k in ("href", "cite")]


def addresses(html: str) -> list[str]:
    parser = _Addresses()
    parser.feed(html)
    return parser.found


def tamper(folder: Path, url: str) -> None:
    """Set every saved excerpt's source address to ``url``, as a hand-edited tray would."""
    with sqlite3.connect(folder / FILE_NAME) as db:
        for item_id, sources in db.execute("SELECT id, sources FROM item").fetchall():
            changed = [dict(s, url=url) for s in json.loads(sources)]
            db.execute("UPDATE item SET sources = ? WHERE id = ?", (json.dumps(changed), item_id))
    db.close()


@pytest.mark.parametrize("url", HOSTILE)
def test_a_tampered_tray_address_reaches_no_href_or_cite(data_dir: Path, url: str) -> None:
    briefing = load_briefing(MINI)
    store = TrayStore.open(data_dir)
    for section in briefing.sections[:2]:
        store.add(excerpt_from_section(briefing, section))
    store.close()
    tamper(data_dir, url)

    store = TrayStore.open(data_dir)
    items = store.items()
    store.close()
    assert items and all(i.excerpt.source.url == url for i in items)  # the tampered value
    note = BriefingNote.from_tray(items)
    written = {
        "clipboard, one excerpt": format_excerpt(items[0].excerpt, CitationStyle.FULL).html,
        "clipboard, the tray": to_clipboard(note).html,
        "exported note": to_html(note),
        "PDF source": html_body(note),
    }
    for where, html in written.items():
        found = addresses(html)
        assert all(is_safe_address(a) for a in found), (where, found)
        assert not any(url.strip() in a for a in found), where
        # The #source-n links of the note survive.
        if where != "clipboard, one excerpt":
            assert "#source-1" in found, where


def test_the_allowed_schemes_and_anchors_pass() -> None:
    for address in ("https://example.org/a", "http://example.org", "mailto:a@example.org", "#x"):
        assert is_safe_address(address)
        assert f'href="{address}"' in clean_note(f'<a href="{address}">x</a>')
    assert 'cite="https://example.org/"' in clean_note(
        '<blockquote cite="https://example.org/"><p>x</p></blockquote>'
    )
    for address in HOSTILE:
        assert not is_safe_address(address)
        assert "href" not in clean_page(f'<a href="{address}">x</a>')
        assert "cite=" not in clean_note(f'<blockquote cite="{address}"><p>x</p></blockquote>')


def test_reader_pages_keep_only_safe_links() -> None:
    page = markdown_to_html(
        "[a](javascript:alert(1)) [b](data:text/html,x) [c](file:///etc/passwd) "
        "[d](https://example.org) [e](mailto:a@example.org) [f](#top) [g](http://example.org)"
    )
    # The content's own addresses must be https (the manifest says so); so must its links.
    assert addresses(page) == ["https://example.org", "#top"]
