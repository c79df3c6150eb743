"""Bookmarks on sections: which are kept, in what order they are listed, which have gone.

A bookmark is a section id (``theme/anchor``, stable across runs and releases). The briefing
can change under a kept list (a new edition, a renamed heading): a bookmark to a section that
is no longer there is dropped, and said so, never an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from briefreader.core.model import Briefing


@dataclass(frozen=True, slots=True)
class Bookmark:
    section_id: str
    title: str  # the section's heading, the source's own
    theme_title: str


@dataclass(frozen=True, slots=True)
class ResolvedBookmarks:
    bookmarks: tuple[Bookmark, ...]  # in the briefing's reading order
    dropped: tuple[str, ...]  # kept ids with no section in this briefing

    @property
    def ids(self) -> list[str]:
        return [b.section_id for b in self.bookmarks]


def toggled(ids: Sequence[str], section_id: str) -> tuple[list[str], bool]:
    """The list with ``section_id`` added, or removed if it was there; and whether it is now
    bookmarked."""
    if section_id in ids:
        return [i for i in ids if i != section_id], False
    return [*ids, section_id], True


def resolve(briefing: Briefing, ids: Sequence[str]) -> ResolvedBookmarks:
    """The bookmarks that name a section of ``briefing``, in reading order, and those that
    do not."""
    wanted = set(ids)
    found: list[Bookmark] = []
    for theme in briefing.themes:
        for section in theme.sections:
            if section.id in wanted:
                found.append(Bookmark(section.id, section.title, theme.title))
    known = {b.section_id for b in found}
    dropped = tuple(dict.fromkeys(i for i in ids if i not in known))
    return ResolvedBookmarks(tuple(found), dropped)
