"""The one place the reader gets rendered theme pages and the reader's stylesheet from.

Rendering imports Python-Markdown and nh3, which is slow, so this module imports ``core.render``
only when a page is first rendered, which the window does after its first paint. Each page
rendered is kept in the page cache (``core.page_cache``), from which the next start shows its
open tab right after the first paint: :meth:`PageSource.cached_html` reads it without
rendering.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from briefreader.core.locations import resources_dir
from briefreader.core.model import Briefing
from briefreader.core.page_cache import PageCache

if TYPE_CHECKING:
    from briefreader.core.render import RenderedTheme


class PageSource:
    """Rendered theme pages, each rendered once per run and kept in ``cache_folder``."""

    def __init__(self, briefing: Briefing, cache_folder: Path | None = None) -> None:
        self.briefing = briefing
        self._cache = (
            PageCache(cache_folder, briefing.fingerprint) if cache_folder is not None else None
        )
        self._pages: dict[str, RenderedTheme] = {}
        self._stylesheets: dict[bool, str] = {}

    def cached_html(self, theme_id: str) -> str | None:
        """A theme's page as rendered for this content by an earlier run, if it was kept."""
        return self._cache.read(theme_id) if self._cache is not None else None

    def anchors(self, theme_id: str) -> list[str]:
        """The page's section anchors in order (what its table of contents lists), without
        rendering: one per section, as ``core.render.render_theme`` writes them."""
        theme = self.briefing.theme(theme_id)
        return [section.anchor for section in theme.sections] if theme is not None else []

    def page(self, theme_id: str) -> RenderedTheme:
        found = self._pages.get(theme_id)
        if found is None:
            from briefreader.core.render import render_theme

            theme = self.briefing.theme(theme_id)
            if theme is None:
                raise KeyError(f"no theme {theme_id!r} in the briefing")
            found = self._pages[theme_id] = render_theme(self.briefing, theme)
            if self._cache is not None:
                self._cache.write(theme_id, found.html)
        return found

    def stylesheet(self, dark: bool) -> str:
        """The reader's stylesheet from ``resources/``; the dark variant overrides colours."""
        found = self._stylesheets.get(dark)
        if found is None:
            folder = resources_dir()
            css = (folder / "reader.css").read_text(encoding="utf-8")
            if dark:
                css += "\n" + (folder / "reader-dark.css").read_text(encoding="utf-8")
            found = self._stylesheets[dark] = css
        return found
