"""A theme chip: a radio button drawn as a rounded label with its count.

A radio button, because one chip, and only one, is chosen: screen readers then say "radio
button, checked, 1 of 5" where a checkable push button was read as a check box. Drawn here
from the palette at each paint, not by a stylesheet: a stylesheet freezes the palette of the
widgets under it, so the chips kept their old colours after a switch between light and dark
(see ``ui/shared/colours.py``).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QRadioButton, QWidget

from briefreader.ui.shared.colours import blend

_PAD_X, _PAD_Y = 10, 4


class Chip(QRadioButton):
    """One choice of an exclusive group, drawn as a pill; checked is filled."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("chip")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        width = metrics.horizontalAdvance(self.text()) + 2 * _PAD_X + 2
        return QSize(width, metrics.height() + 2 * _PAD_Y + 2)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.sizeHint()

    def hitButton(self, pos: QPoint) -> bool:  # noqa: N802 - Qt override
        return self.rect().contains(pos)  # the whole pill, not a radio button's indicator

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        role = QPalette.ColorRole
        checked = self.isChecked()
        base = palette.color(role.Base)
        highlight = palette.color(role.Highlight)
        fill = highlight if checked else base
        text = palette.color(role.HighlightedText if checked else role.Text)
        if checked or self.underMouse():
            border = highlight
        else:
            border = blend(palette.color(role.Text), base, 0.35)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = 2.0 if self.hasFocus() else 1.0
        rect = QRectF(self.rect()).adjusted(width / 2, width / 2, -width / 2, -width / 2)
        radius = rect.height() / 2
        painter.setBrush(fill)
        painter.setPen(QPen(border, width))
        painter.drawRoundedRect(rect, radius, radius)
        if self.hasFocus():
            # The focus mark: a ring in the text colour inside the border, seen on a filled
            # (checked) chip as on an empty one.
            ring = palette.color(role.HighlightedText if checked else role.Highlight)
            inner = rect.adjusted(2, 2, -2, -2)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(ring, 1.5))
            painter.drawRoundedRect(inner, inner.height() / 2, inner.height() / 2)
        painter.setPen(text)
        painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignCenter), self.text())
        painter.end()
