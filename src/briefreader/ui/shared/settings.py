"""What the reader remembers between runs, read back with its type and checked.

One wrapper over ``QSettings`` so that every key, its type and its bounds are in one place:
an INI file in a new process hands back strings unless read with ``type=`` (as tried), and a
hand-edited or damaged value must fall back to the default, never crash the start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

if TYPE_CHECKING:
    # Imported where it is read: the excerpt code (about 6 ms to import) is not needed
    # before the window's first paint, which reads the settings.
    from briefreader.core.excerpts import CitationStyle

ZOOM_MIN = 60
ZOOM_MAX = 240
ZOOM_DEFAULT = 100
APPEARANCES = ("system", "light", "dark")
RECENT_MAX = 10
NOTE_FIELDS = ("title", "meeting", "author")
NOTE_FIELD_MAX = 200
BOOKMARKS_MAX = 200


class AppSettings:
    """Typed access to the reader's settings."""

    def __init__(self, settings: QSettings) -> None:
        self.qsettings = settings

    def file_name(self) -> str:
        return self.qsettings.fileName()

    def sync(self) -> None:
        self.qsettings.sync()

    def _bytes(self, key: str) -> QByteArray:
        value = self.qsettings.value(key, QByteArray(), type=QByteArray)
        return value if isinstance(value, QByteArray) else QByteArray()

    def _int(self, key: str, default: int, low: int, high: int) -> int:
        if not self.qsettings.contains(key):
            return default
        try:
            value = int(self.qsettings.value(key, default, type=int))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return default
        return value if low <= value <= high else default

    def _str(self, key: str, default: str = "") -> str:
        value = self.qsettings.value(key, default, type=str)
        return value if isinstance(value, str) else default

    # -- window ----------------------------------------------------------------------------

    @property
    def geometry(self) -> QByteArray:
        return self._bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self.qsettings.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray:
        """Docks and toolbars (``QMainWindow.saveState``), the excerpt tray's dock included."""
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self.qsettings.setValue("window/state", value)

    @property
    def splitter(self) -> QByteArray:
        """The table of contents' width beside the reader, shared by every tab."""
        return self._bytes("window/splitter")

    @splitter.setter
    def splitter(self, value: QByteArray) -> None:
        self.qsettings.setValue("window/splitter", value)

    # -- reading ---------------------------------------------------------------------------

    @property
    def tab(self) -> str:
        return self._str("reader/tab")

    @tab.setter
    def tab(self, theme_id: str) -> None:
        self.qsettings.setValue("reader/tab", theme_id)

    def scroll(self, theme_id: str) -> int:
        """The text position at the top of a tab's reader, or -1 if none is remembered."""
        return self._int(f"reader/scroll/{theme_id}", -1, 0, 10_000_000)

    def set_scroll(self, theme_id: str, position: int) -> None:
        self.qsettings.setValue(f"reader/scroll/{theme_id}", int(position))

    @property
    def zoom(self) -> int:
        return self._int("reader/zoom", ZOOM_DEFAULT, ZOOM_MIN, ZOOM_MAX)

    @zoom.setter
    def zoom(self, percent: int) -> None:
        self.qsettings.setValue("reader/zoom", int(percent))

    @property
    def appearance(self) -> str:
        value = self._str("reader/appearance", "system")
        return value if value in APPEARANCES else "system"

    @appearance.setter
    def appearance(self, value: str) -> None:
        if value not in APPEARANCES:
            raise ValueError(f"appearance must be one of {APPEARANCES}, not {value!r}")
        self.qsettings.setValue("reader/appearance", value)

    # -- search ----------------------------------------------------------------------------

    @property
    def recent_searches(self) -> list[str]:
        value = self.qsettings.value("search/recent", [], type=list)
        if not isinstance(value, list):
            return []
        return [v for v in value if isinstance(v, str) and v.strip()][:RECENT_MAX]

    def add_recent_search(self, text: str) -> list[str]:
        """Put ``text`` first in the recent searches (once) and return the new list."""
        text = " ".join(text.split())
        if not text:
            return self.recent_searches
        recent = [text] + [r for r in self.recent_searches if r.casefold() != text.casefold()]
        recent = recent[:RECENT_MAX]
        self.qsettings.setValue("search/recent", recent)
        return recent

    # -- excerpts --------------------------------------------------------------------------

    @property
    def citation_style(self) -> CitationStyle:
        """The style Copy with Citation uses; a missing or hand-edited value gives the full one."""
        from briefreader.core.excerpts import CitationStyle

        try:
            return CitationStyle(self._str("excerpts/citation-style", CitationStyle.FULL.value))
        except ValueError:
            return CitationStyle.FULL

    @citation_style.setter
    def citation_style(self, style: CitationStyle) -> None:
        self.qsettings.setValue("excerpts/citation-style", style.value)

    # -- briefing note ---------------------------------------------------------------------

    def note_field(self, name: str) -> str:
        """The briefing note's title, meeting or author, as last entered ("" if none)."""
        if name not in NOTE_FIELDS:
            raise ValueError(f"note field must be one of {NOTE_FIELDS}, not {name!r}")
        return self._str(f"note/{name}")[:NOTE_FIELD_MAX].strip()

    def set_note_field(self, name: str, value: str) -> None:
        if name not in NOTE_FIELDS:
            raise ValueError(f"note field must be one of {NOTE_FIELDS}, not {name!r}")
        self.qsettings.setValue(f"note/{name}", value.strip()[:NOTE_FIELD_MAX])

    # -- bookmarks -------------------------------------------------------------------------

    @property
    def bookmarks(self) -> list[str]:
        """Bookmarked section ids, in the order they were added (a damaged list gives [])."""
        value = self.qsettings.value("bookmarks/sections", [], type=list)
        if not isinstance(value, list):
            return []
        seen: list[str] = []
        for item in value:
            if isinstance(item, str) and item.strip() and item not in seen:
                seen.append(item)
        return seen[:BOOKMARKS_MAX]

    @bookmarks.setter
    def bookmarks(self, section_ids: list[str]) -> None:
        self.qsettings.setValue("bookmarks/sections", list(section_ids[:BOOKMARKS_MAX]))
