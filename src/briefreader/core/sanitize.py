"""The one path every piece of HTML the app writes goes through: nh3, with allow-lists.

The reader's pages (``core.render``), an excerpt on the clipboard (``core.excerpts``) and the
briefing note, exported as HTML, copied or laid out for the PDF (``core.export``), are all
cleaned here, so what may reach them is decided in one place:

- tags and attributes from a short allow-list per kind of output (a page; a note);
- scripts and styles removed with their content, comments removed;
- links (``href``) and quotation sources (``cite``) only to ``http``, ``https`` or ``mailto``
  addresses, or to an anchor in the same page (``#…``); the reader's pages, which the
  content folder fills, keep to ``https`` and anchors (as the manifest's addresses must).
  Anything else, including a relative address, is dropped: an address comes from the
  content folder or from the tray file, and either can be edited by hand (``javascript:``,
  ``data:`` and ``file:`` addresses were found reaching the clipboard and the exported note
  from a tampered tray).

Python-Markdown does not sanitise (its safe mode is gone since 3.0), and ``bleach`` is no
longer maintained; nh3 removed script with its content, frames, event handlers and
``javascript:``/``file:`` links while keeping tables, heading ids and ``#`` links.
"""

from __future__ import annotations

import re

import nh3

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
PAGE_LINK_SCHEMES = frozenset({"https"})
# Attributes that hold an address, in the tags either allow-list keeps.
_ADDRESS_ATTRIBUTES = frozenset({"href", "cite"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")

_PAGE_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "a", "blockquote", "ul", "ol", "li",
    "strong", "em", "b", "i", "table", "thead", "tbody", "tr", "th", "td", "br", "hr",
    "span", "div", "code", "pre", "cite", "sup", "sub",
}  # fmt: skip
_PAGE_ATTRIBUTES = {
    "a": {"href", "name", "title"},
    "th": {"align"},
    "td": {"align"},
    "*": {"class"},
}
_NOTE_TAGS = {
    "h1", "h2", "h3", "p", "a", "blockquote", "cite", "ol", "ul", "li", "br", "strong", "em",
    # The note laid out for paper draws each quotation as a one-cell table with a rule.
    "table", "tr", "td",
}  # fmt: skip
_NOTE_ATTRIBUTES = {
    "a": {"href"},
    "blockquote": {"cite"},
    "table": {"cellspacing", "cellpadding", "width"},
    "*": {"class", "id"},
}


def is_safe_address(address: str, schemes: frozenset[str] = LINK_SCHEMES) -> bool:
    """An address with one of ``schemes`` (``http``, ``https``, ``mailto``), or an anchor in
    the same page."""
    address = address.strip()
    if address.startswith("#"):
        return True
    scheme = _SCHEME.match(address)
    return scheme is not None and scheme.group(1).lower() in schemes


def _clean(
    fragment: str, tags: set[str], attributes: dict[str, set[str]], schemes: frozenset[str]
) -> str:
    def keep_safe_addresses(tag: str, attribute: str, value: str) -> str | None:
        if attribute in _ADDRESS_ATTRIBUTES and not is_safe_address(value, schemes):
            return None
        return value

    return str(
        nh3.clean(
            fragment,
            tags=tags,
            clean_content_tags={"script", "style"},
            attributes=attributes,
            attribute_filter=keep_safe_addresses,
            url_schemes=set(schemes),
            strip_comments=True,
            link_rel=None,
        )
    )


def clean_page(fragment: str) -> str:
    """HTML for the reader's pages (Qt's rich-text subset: headings, lists, tables…)."""
    return _clean(fragment, _PAGE_TAGS, _PAGE_ATTRIBUTES, PAGE_LINK_SCHEMES)


def clean_note(fragment: str) -> str:
    """HTML for an excerpt or a briefing note: on the clipboard, in a file, in a PDF."""
    return _clean(fragment, _NOTE_TAGS, _NOTE_ATTRIBUTES, LINK_SCHEMES)
