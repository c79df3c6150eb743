"""The one place the reader gets rendered theme pages and the reader's stylesheet from.

Rendering imports Python-Markdown, so this module imports ``core.render`` only when a page
is first asked for, which the window does after its first paint. A cache of rendered HTML
(a later optimisation) belongs here and nowhere else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefreader.core.model import Briefing

if TYPE_CHECKING:
    from briefreader.core.render import RenderedTheme


class PageSource:
    """Rendered theme pages, each rendered once per run."""

    def __init__(self, briefing: Briefing) -> None:
        self.briefing = briefing
        self._pages: dict[str, RenderedTheme] = {}
        self._stylesheets: dict[bool, str] = {}

    def page(self, theme_id: str) -> RenderedTheme:
        found = self._pages.get(theme_id)
        if found is None:
            from briefreader.core.render import render_theme

            theme = self.briefing.theme(theme_id)
            if theme is None:
                raise KeyError(f"no theme {theme_id!r} in the briefing")
            found = self._pages[theme_id] = render_theme(self.briefing, theme)
        return found

    def stylesheet(self, dark: bool) -> str:
        found = self._stylesheets.get(dark)
        if found is None:
            from briefreader.core.render import stylesheet

            found = self._stylesheets[dark] = stylesheet(dark)
        return found
