"""The Bookmarks menu, attached to the window through ``WindowHost``.

Ctrl+D (Bookmarks ▸ Bookmark This Section) toggles a bookmark on the section being read;
the menu lists the bookmarks in the briefing's order, each opening its section. They are
kept in the settings (``AppSettings.bookmarks``) as section ids, so they survive a restart;
one whose section has gone from the briefing is dropped at start, with a word in the status
bar (``core.bookmarks``).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QKeySequence

from briefreader.core.bookmarks import ResolvedBookmarks, resolve, toggled
from briefreader.ui.shared.host import WindowHost
from briefreader.ui.shared.settings import AppSettings

TOGGLE_SHORTCUT = "Ctrl+D"
EMPTY_TEXT = f"No bookmarks yet: {TOGGLE_SHORTCUT} bookmarks the section you are reading"


class BookmarksFeature(QObject):
    """Bookmarks on sections: the toggle, the menu, and the kept list."""

    def __init__(self, host: WindowHost, settings: AppSettings) -> None:
        window = host.widget()
        super().__init__(window)
        self.host = host
        self.settings = settings
        self.menu = host.add_menu("&Bookmarks")
        self.menu.setObjectName("bookmarks-menu")
        self.toggle_action = QAction("&Bookmark This Section", self)
        self.toggle_action.setShortcut(QKeySequence(TOGGLE_SHORTCUT))
        self.toggle_action.setStatusTip("Add or remove a bookmark on the section being read")
        self.toggle_action.setCheckable(True)
        self.toggle_action.triggered.connect(self.toggle_current)
        window.addAction(self.toggle_action)
        self.entries: list[QAction] = []  # the listed bookmarks' actions, in menu order
        self.menu.aboutToShow.connect(self.refresh)

        kept = settings.bookmarks
        resolved = resolve(host.briefing, kept)
        if resolved.dropped:
            settings.bookmarks = [i for i in kept if i not in resolved.dropped]
            count = len(resolved.dropped)
            host.show_status(
                f"{count} bookmark{'s' * (count != 1)} removed: "
                f"{'their sections are' if count != 1 else 'its section is'} no longer in "
                "the briefing",
                20000,
            )
        self.refresh()

    def resolved(self) -> ResolvedBookmarks:
        return resolve(self.host.briefing, self.settings.bookmarks)

    def ids(self) -> list[str]:
        return self.resolved().ids

    @Slot()
    def refresh(self) -> None:
        """Rebuild the menu: the toggle for the section being read, then the bookmarks."""
        self.menu.clear()
        self.entries = []
        current = self.host.current_section_id()
        section = self.host.briefing.section(current) if current else None
        resolved = self.resolved()
        marked = section is not None and section.id in resolved.ids
        # Never disabled: its shortcut must work whatever the menu last showed, and with no
        # section to mark it says so.
        self.toggle_action.setChecked(marked)
        if section is None:
            self.toggle_action.setText("&Bookmark This Section")
        elif marked:
            self.toggle_action.setText(f"Remove &Bookmark on “{section.title}”")
        else:
            self.toggle_action.setText(f"&Bookmark “{section.title}”")
        self.menu.addAction(self.toggle_action)
        self.menu.addSeparator()
        if not resolved.bookmarks:
            empty = self.menu.addAction(EMPTY_TEXT)
            empty.setEnabled(False)
            return
        for number, bookmark in enumerate(resolved.bookmarks, start=1):
            mnemonic = f"&{number} " if number <= 9 else ""
            title = bookmark.title.replace("&", "&&")
            theme = bookmark.theme_title.replace("&", "&&")
            action = self.menu.addAction(f"{mnemonic}{title} — {theme}")
            action.setData(bookmark.section_id)
            action.setStatusTip(f"Open “{bookmark.title}” in {bookmark.theme_title}")
            action.triggered.connect(
                lambda _=False, section_id=bookmark.section_id: self.open(section_id)
            )
            self.entries.append(action)

    def open(self, section_id: str) -> bool:
        if self.host.open_section(section_id):
            return True
        self.host.show_status("That bookmark's section is no longer in the briefing.")
        self.refresh()
        return False

    @Slot()
    def toggle_current(self) -> bool | None:
        """Bookmark the section being read, or remove its bookmark; whether it is now
        bookmarked (None: no section is being read)."""
        current = self.host.current_section_id()
        section = self.host.briefing.section(current) if current else None
        if section is None:
            self.host.show_status("There is no section here to bookmark.")
            self.refresh()
            return None
        ids, now = toggled(self.resolved().ids, section.id)
        self.settings.bookmarks = ids
        self.settings.sync()
        self.host.announce(
            f"Bookmarked “{section.title}”: Bookmarks menu (Alt+B) lists it"
            if now
            else f"Removed the bookmark on “{section.title}”"
        )
        self.refresh()
        return now
