"""Rendered theme pages kept in the cache folder, so that a start shows its open tab at once.

Rendering a page needs Python-Markdown and nh3, whose import alone takes more than the
whole budget a start has beyond a bare Qt window (bench/README.md). So the window renders
after its first paint, and keeps what it rendered here; the next start reads the open tab's
page back (a small file, quick to read) and shows it right after its first frame, before
anything else is built.

A page is used only if it was written for this briefing's content (its fingerprint) and its
HTML still has the SHA-256 written beside it: a damaged, truncated, older or foreign file is
ignored, and rewritten once the page is rendered again. The window renders every page again
after its first paint and replaces a cached one that differs, so a page kept by an earlier
release of the renderer is on screen for a moment at most (the fingerprint covers the
content and how it is loaded, not the renderer). Like the search index, this is a
cache: deleted, it is written again; unwritable, the app renders as it did before.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from briefreader.core.atomic import write_atomic

# Bumped when the file's layout changes, so that files in an older layout are ignored.
FORMAT = "1"
_MAGIC = "BriefReader page"
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def _digest(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


class PageCache:
    """One file per theme, ``<theme id>.html``: a header line, then the page's HTML."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder = folder
        self.fingerprint = fingerprint

    def _path(self, theme_id: str) -> Path | None:
        # Theme ids come from the content's manifest: only plain names become file names.
        if not _SAFE_ID.fullmatch(theme_id):
            return None
        return self.folder / f"{theme_id}.html"

    def _header(self, theme_id: str, html: str) -> str:
        return f"<!-- {_MAGIC} {FORMAT} {theme_id} {self.fingerprint} {_digest(html)} -->\n"

    def read(self, theme_id: str) -> str | None:
        """The page kept for this theme and content, or None if there is none to trust."""
        path = self._path(theme_id)
        if path is None:
            return None
        try:
            # Bytes, decoded as they are: no newline translation may change what was hashed.
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        header, newline, html = text.partition("\n")
        if not newline or header + "\n" != self._header(theme_id, html):
            return None
        return html

    def write(self, theme_id: str, html: str) -> bool:
        """Keep a rendered page (unless the same one is kept already); False if it cannot be.

        Written to a temporary file and renamed over the old one, so that a reader never
        sees half a page (and if it did, the digest would not match).
        """
        path = self._path(theme_id)
        if path is None:
            return False
        if self.read(theme_id) == html:
            return True
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # A cache: no fsync, a page lost to a power cut is rendered again.
            write_atomic(path, self._header(theme_id, html) + html, durable=False)
        except OSError:
            return False  # a read-only or full cache folder: the page is rendered next time
        return True
