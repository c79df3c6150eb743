"""What screen readers are told: names for the buttons Qt makes unnamed, and a short name.

Qt names most controls from their text, but a line edit's clear button and an icon-only
action button have none: a screen reader said just "push button" for them. These helpers
name them where they are made.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QToolButton

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
