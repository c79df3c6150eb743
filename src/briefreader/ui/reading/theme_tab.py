"""One tab: a theme's table of contents beside its reader.

A tab is made empty and builds its contents list and reader when it is first needed
(:meth:`ThemeTab.build`): the window builds the open tab before its first paint and the
others right after it: building the tabs nobody sees yet made the first paint measurably
later (bench/README.md), for nothing on screen.

A page is laid out for the width it is shown at, so anything that needs positions in pixels
(restoring the scroll position, landing on a passage) waits until the tab is loaded and on
screen: :meth:`ThemeTab.when_ready` runs it then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QSplitter, QWidget

from briefreader.core.model import Theme
from briefreader.ui.reading.reader import ReaderView
from briefreader.ui.reading.toc import TocView

if TYPE_CHECKING:
    from PySide6.QtGui import QFont, QShowEvent


# px: about 40 characters at 100 %; with the contents, the results panel and a side panel
# the window still fits a 1024-pixel screen.
READER_MIN_WIDTH = 280


class ThemeTab(QSplitter):
    """[table of contents | reader] for one theme (a horizontal splitter)."""

    # The section being read changed (id, or "" above the first section).
    reading_section_changed = Signal(str)
    built = Signal()  # the contents list and the reader now exist

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        # By keyword: given by position, PySide tells it from QSplitter(orientation, parent)
        # by setting up Qt's enums, which the first frame does without (lazy_qt.py).
        super().__init__(parent=parent)
        self.theme = theme
        self.setObjectName(f"tab-{theme.id}")
        self._toc: TocView | None = None
        self._reader: ReaderView | None = None
        self._waiting: list[Callable[[], None]] = []
        self._settled = False

    def build(self) -> None:
        """Make the contents list and the reader (once)."""
        if self._reader is not None:
            return
        toc = self._toc = TocView(self.theme, self)
        reader = self._reader = ReaderView(self.theme.id, self)
        reader.setAccessibleName(f"{self.theme.title}: text")
        # Qt exposes a text browser as a label with a text interface: its headings and lists
        # are only bold or indented text to a screen reader (a Python accessible interface
        # cannot carry Qt's text interface). So the structure is said here, and the contents
        # list beside it (Ctrl+Shift+O) goes to each heading.
        titles = [section.title for section in self.theme.sections]
        noun = "section" if len(titles) == 1 else "sections"
        reader.setAccessibleDescription(
            f"Document, {len(titles)} {noun}: {'; '.join(titles)}. "
            "Ctrl+Shift+O: contents, to go to a section."
        )
        self.addWidget(toc)
        self.addWidget(reader)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setCollapsible(1, False)
        # The text comes first: on a narrow window the contents and the results panel give way
        # (the contents can be dragged shut; Ctrl+Shift+O still reaches them).
        toc.setMinimumWidth(100)
        reader.setMinimumWidth(READER_MIN_WIDTH)
        self.setSizes([220, 900])
        toc.section_chosen.connect(self._on_section_chosen)
        reader.reading_section_changed.connect(self._on_reading_section_changed)
        self.built.emit()

    @property
    def is_built(self) -> bool:
        return self._reader is not None

    @property
    def toc(self) -> TocView:
        """The table of contents (asking for it builds the tab)."""
        self.build()
        assert self._toc is not None
        return self._toc

    @property
    def reader(self) -> ReaderView:
        """The reader (asking for it builds the tab)."""
        self.build()
        assert self._reader is not None
        return self._reader

    @property
    def has_been_shown(self) -> bool:
        """Whether the tab has been on screen, so that its page is laid out for real."""
        return self._settled

    @property
    def is_loaded(self) -> bool:
        return self._reader is not None and self._reader.is_loaded

    def load(self, html: str, anchors: list[str], stylesheet: str, font: QFont) -> None:
        reader = self.reader
        reader.document().setDefaultFont(font)
        reader.setFont(font)
        reader.set_page(html, anchors, stylesheet)
        self._run_if_ready()

    def when_ready(self, action: Callable[[], None]) -> None:
        """Run ``action`` now if the page is loaded and laid out on screen, else once it is."""
        self._waiting.append(action)
        self._run_if_ready()

    def _run_if_ready(self) -> None:
        if not (self._settled and self.isVisible() and self.is_loaded):
            return
        waiting, self._waiting = self._waiting, []
        for action in waiting:
            action()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._settled:
            # The splitter gives the reader its width when the event loop runs next.
            QTimer.singleShot(0, self, self._settle)
        else:
            self._run_if_ready()

    @Slot()
    def _settle(self) -> None:
        self._settled = True
        self._run_if_ready()

    @Slot(str)
    def _on_section_chosen(self, section_id: str) -> None:
        self.reader.scroll_to_section(section_id)

    @Slot(str)
    def _on_reading_section_changed(self, section_id: str) -> None:
        self.toc.set_current_section(section_id)
        self.reading_section_changed.emit(section_id)
