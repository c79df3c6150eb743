"""What screen readers are told: names for the buttons Qt makes unnamed, and a short name.

Qt names most controls from their text, but a line edit's clear button and an icon-only
action button have none: a screen reader said just "push button" for them. These helpers
name them where they are made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex
from PySide6.QtGui import QAction, QFocusEvent
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QToolButton

CLEAR_ACTION = "_q_qlineeditclearaction"  # the object name Qt gives a line edit's clear action


def name_action_button(edit: QLineEdit, action: QAction, name: str, tip: str = "") -> None:
    """Name the button a line edit shows for ``action`` (its text, tooltip, accessible name)."""
    action.setText(name)
    action.setToolTip(tip or name)
    for button in edit.findChildren(QToolButton):
        if button.defaultAction() is action:
            button.setAccessibleName(name)
            button.setToolTip(tip or name)


def name_clear_button(edit: QLineEdit, name: str) -> None:
    """Name a line edit's clear button (``setClearButtonEnabled(True)`` must come first)."""
    for action in edit.findChildren(QAction):
        if action.objectName() == CLEAR_ACTION:
            name_action_button(edit, action, name)


def short_name(text: str, words: int = 8) -> str:
    """The first ``words`` words of ``text``, with "…" if cut: a name to hear, not read."""
    parts = text.split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]).rstrip(",;:.") + "…"


if TYPE_CHECKING:
    _ItemView = QAbstractItemView
else:
    _ItemView = object  # a plain mix-in at run time: two Qt bases would not work


class CurrentWhileFocused(_ItemView):
    """A list that has a current item only while it has the keyboard focus; its selection
    stays.

    Qt reports a list's current item as "focused" to screen readers whether or not the list
    has the focus: with the search field focused, the first result was "focused" too, and a
    screen reader followed the wrong one. So the current item is cleared when the list loses
    the focus and put back (from the selection) when it returns. Read what the list stands
    on with :func:`chosen_index`. A mix-in, before the Qt class: overriding the focus events
    (not filtering them) is safe while a widget is destroyed, when Qt clears its focus.
    """

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self.selectionModel() is not None:
            self.selectionModel().clearCurrentIndex()

    def focusInEvent(self, event: QFocusEvent) -> None:
        if not self.currentIndex().isValid() and self.selectionModel() is not None:
            index = chosen_index(self)
            if index.isValid():
                self.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.NoUpdate
                )
        super().focusInEvent(event)


def choose(view: QAbstractItemView, index: QModelIndex) -> None:
    """Make ``index`` the list's chosen item: current if the list has the focus, else only
    selected (see :class:`CurrentWhileFocused`)."""
    if view.hasFocus():
        view.setCurrentIndex(index)
        return
    selection = view.selectionModel()
    selection.clearCurrentIndex()
    selection.select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)


def chosen_index(view: QAbstractItemView) -> QModelIndex:
    """The list's current item, or (while it has not the focus) its selected one."""
    current = view.currentIndex()
    if current.isValid():
        return current
    selection = view.selectionModel()
    rows = selection.selectedIndexes() if selection is not None else []
    return rows[0] if rows else QModelIndex()
