"""A theme's table of contents: parts and sections, following the reading position.

Built from the briefing's sections (no rendering needed). The list itself is in the first
frame, empty; its entries are filled in right after the first paint (:meth:`TocView.fill`,
with the model and item delegate of ``toc_model.py``), so that the first frame pays neither
for them nor for every tab's rows. A click or Enter asks the reader to jump; the reader's
position selects the entry back without asking for a jump.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Signal, Slot
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from briefreader.core.model import Theme
from briefreader.ui.reading.toc_roles import SECTION_ID_ROLE
from briefreader.ui.shared.accessibility import CurrentWhileFocused, choose, chosen_index
from briefreader.ui.shared.lazy_qt import set_enum_property

if TYPE_CHECKING:
    from briefreader.ui.reading.toc_model import TocModel


ELIDE_NONE = 3  # Qt::ElideNone (a test holds these to Qt's)
SCROLL_BAR_ALWAYS_OFF = 1  # Qt::ScrollBarAlwaysOff


class TocView(CurrentWhileFocused, QListView):  # one "focused" item for screen readers
    """The table of contents beside a reader."""

    section_chosen = Signal(str)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.setObjectName(f"toc-{theme.id}")
        self.toc_model: TocModel | None = None  # set by fill()
        self._reading = ""  # the section being read, selected once the entries are there
        self.setAccessibleName(f"Contents of {theme.title}")
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        # By number: Qt's enums are not set up before the first paint (lazy_qt.py).
        set_enum_property(self, "textElideMode", ELIDE_NONE)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        set_enum_property(self, "horizontalScrollBarPolicy", SCROLL_BAR_ALWAYS_OFF)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.clicked.connect(self._on_activated)
        self.activated.connect(self._on_activated)

    @property
    def is_filled(self) -> bool:
        return self.toc_model is not None

    def fill(self) -> None:
        """List the theme's parts and sections (once), selecting the section being read."""
        if self.toc_model is not None:
            return
        from briefreader.ui.reading.toc_model import TocDelegate, TocModel

        self.toc_model = TocModel(self.theme, self)
        self.setModel(self.toc_model)
        self.setItemDelegate(TocDelegate(self))
        if self._reading:
            self.set_current_section(self._reading)

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        section_id = index.data(SECTION_ID_ROLE)
        if isinstance(section_id, str):
            self.section_chosen.emit(section_id)

    def current_section_id(self) -> str | None:
        section_id = chosen_index(self).data(SECTION_ID_ROLE)
        return section_id if isinstance(section_id, str) else None

    def set_current_section(self, section_id: str) -> None:
        """Select the entry for the section being read, without asking for a jump."""
        self._reading = section_id
        if self.toc_model is None:
            return
        row = self.toc_model.row_of(section_id)
        if row < 0:
            self.clearSelection()
            return
        index = self.toc_model.index(row, 0)
        # The entry may still be current with its selection cleared (the page was parsed
        # again for another appearance and passed the title first): select it again.
        if index == chosen_index(self) and self.selectionModel().isSelected(index):
            return
        choose(self, index)
        self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
