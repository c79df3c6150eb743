"""Answer cards: the key figures a query asks about, above the passages.

Each card shows the figure (value and what it measures, the app's summary, never in
quotation marks), its source and passage; the first card also the source's own sentence
that states it, verbatim and in quotation marks (every card has it in its accessible
description): three sentences took the results' whole height in a 900-pixel window.

Keys on a card: Enter opens the passage, Ctrl+Shift+C (or Ctrl+C) copies the figure with its
citation, Down and Up move between cards and on to the passages, the Menu key opens its
context menu. Copying is the excerpt feature's: the cards are a source of excerpts for it
(``ExcerptFeature.add_source``, as the key figures' panel is), so a figure copied here is
cited exactly as it is there.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, Signal, Slot
from PySide6.QtGui import (
    QContextMenuEvent,
    QFocusEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QMenu, QVBoxLayout, QWidget

from briefreader.core.model import Briefing
from briefreader.ui.shared.clipboard import claims_copy

if TYPE_CHECKING:
    from briefreader.core.excerpts import Excerpt
    from briefreader.core.search.results import FigureAnswer

ANSWER_KEYS = "Enter: open the passage · Ctrl+Shift+C: copy with citation"
_POOL = 24  # cards kept, hidden, for figures that come back as the query is typed
ANSWERS_HINT = f"Key figures that answer this search. {ANSWER_KEYS}"


class AnswerCard(QFrame):
    """One figure: focusable, Enter opens its passage, Ctrl+C copies it with its citation."""

    open_requested = Signal(object)  # FigureAnswer
    copy_requested = Signal(object)  # FigureAnswer
    menu_requested = Signal(QPoint, object)  # where, FigureAnswer
    step_requested = Signal(int)  # -1 up, +1 down

    def __init__(
        self, answer: FigureAnswer, parent: QWidget | None = None, *, full: bool = True
    ) -> None:
        super().__init__(parent)
        self.answer = answer
        self.full = full
        self.setObjectName("answerCard")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Drawn in paintEvent from the current palette: a stylesheet (even one using
        # palette(...)) would freeze the colours of the card and its label at the first
        # appearance, and a light/dark switch would leave them behind.
        self.setFrameShape(QFrame.Shape.NoFrame)
        period = f", {answer.period}" if answer.period else ""
        source = f"Source: {answer.source}"
        self.setAccessibleName(f"Figure: {answer.value}, {answer.measure}{period}. {source}")
        self.setAccessibleDescription(
            (f"Stated in: “{answer.sentence}” " if answer.sentence else "")
            + f"{answer.section_title}, {answer.theme_title}. {ANSWER_KEYS}"
        )
        self.setToolTip(ANSWER_KEYS)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(3)
        self.label = QLabel(self)
        self.label.setObjectName("answerText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        sentence = (
            f'<p style="margin:4px 0 0 0">“{html.escape(answer.sentence)}”</p>'
            if answer.sentence and full
            else ""
        )
        self.label.setText(
            f'<p style="margin:0"><span style="font-size:140%; font-weight:700">'
            f"{html.escape(answer.value)}</span> &nbsp;{html.escape(answer.measure + period)}</p>"
            f"{sentence}"
            f'<p style="margin:4px 0 0 0; font-size:90%">{html.escape(source)} · '
            f"{html.escape(answer.section_title)} ({html.escape(answer.theme_title)})</p>"
        )
        layout.addWidget(self.label)

    def event(self, event: QEvent) -> bool:
        # Claim Ctrl+C before the window's Copy (the reader's selection) sees it: a figure
        # is copied with its source, never bare.
        if claims_copy(event):
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_requested.emit(self.answer)
        elif event.matches(QKeySequence.StandardKey.Copy):
            self.copy_requested.emit(self.answer)
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and not event.modifiers():
            self.step_requested.emit(1 if key == Qt.Key.Key_Down else -1)
        else:
            super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        focused = self.hasFocus()
        width = 2 if focused else 1
        role = QPalette.ColorRole.Highlight if focused else QPalette.ColorRole.Mid
        painter.setPen(QPen(palette.color(role), width))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        inset = width / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(inset, inset, -inset, -inset), 6, 6)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.open_requested.emit(self.answer)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.menu_requested.emit(event.globalPos(), self.answer)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()  # the focus ring goes

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()
        parent = self.parentWidget()
        if isinstance(parent, AnswerCards):
            parent.current = self


class AnswerCards(QWidget):
    """The cards of the figures that answer the current query; hidden when none does.

    A source of excerpts for the excerpt feature (see the module's docstring).
    """

    open_requested = Signal(object)  # FigureAnswer: show its passage
    copy_requested = Signal(object)  # Excerpt or None: copy it with its citation
    context_menu_about_to_show = Signal(QMenu, object)  # the menu, the Excerpt (or None)
    leave_requested = Signal(int)  # -1: above the first card; +1: below the last

    def __init__(self, briefing: Briefing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("answerCards")
        self.setAccessibleName("Key figures that answer the search")
        self.briefing = briefing
        self.cards: list[AnswerCard] = []
        self._pool: dict[tuple[FigureAnswer, bool], AnswerCard] = {}  # shown or hidden
        self.current: AnswerCard | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.hint = QLabel(ANSWERS_HINT, self)
        self.hint.setObjectName("answersHint")
        self.hint.setWordWrap(True)
        font = self.hint.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        self.hint.setFont(font)
        self._layout.addWidget(self.hint)
        self.setVisible(False)

    def set_answers(self, answers: Sequence[FigureAnswer]) -> None:
        wanted = [(answer, number == 0) for number, answer in enumerate(answers)]
        if [(c.answer, c.full) for c in self.cards] == wanted:
            return  # the same figures: keep the cards (and the focus on one)
        # Cards are kept, hidden, and shown again when their figure comes back: a query's
        # figures come and go as it is typed ("groom" has two, "groomi" none, "grooming" the
        # two again), and making a card (its rich-text label) was the slowest part of such a
        # keystroke's answer (bench/README.md, "Keystrokes").
        cards = [self._pool.get(key) or self._make_card(*key) for key in wanted]
        for card in self.cards:
            self._layout.removeWidget(card)
            if card not in cards:
                card.hide()
        for card in cards:
            self._layout.addWidget(card)
            card.show()
        self.cards = cards
        if self.current not in cards:
            self.current = None
        if len(self._pool) > _POOL:
            for key, card in list(self._pool.items()):
                if card not in cards:
                    del self._pool[key]
                    card.deleteLater()
        self.setVisible(bool(self.cards))

    def _make_card(self, answer: FigureAnswer, full: bool) -> AnswerCard:
        card = AnswerCard(answer, self, full=full)
        card.open_requested.connect(self.open_requested)
        card.copy_requested.connect(self._on_copy)
        card.menu_requested.connect(self._on_menu)
        card.step_requested.connect(self._on_step)
        self._pool[(answer, full)] = card
        return card

    def answers(self) -> tuple[FigureAnswer, ...]:
        return tuple(card.answer for card in self.cards)

    def focus_first(self) -> bool:
        if not self.cards:
            return False
        self.cards[0].setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def focus_last(self) -> bool:
        if not self.cards:
            return False
        self.cards[-1].setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # -- a source of excerpts ------------------------------------------------------------------

    def has_focus_within(self) -> bool:
        focus = QApplication.focusWidget()
        return focus is not None and (focus is self or self.isAncestorOf(focus))

    def current_excerpt(self) -> Excerpt | None:
        card = self.current if self.current in self.cards else None
        return self.excerpt(card.answer) if card is not None else None

    def excerpt(self, answer: FigureAnswer) -> Excerpt | None:
        """The figure as the excerpt feature copies and keeps it, with its citation."""
        from briefreader.core.excerpts import excerpt_from_figure

        figure = next((f for f in self.briefing.figures if f.id == answer.figure_id), None)
        return excerpt_from_figure(self.briefing, figure) if figure is not None else None

    @Slot(object)
    def _on_copy(self, answer: FigureAnswer) -> None:
        self.copy_requested.emit(self.excerpt(answer))

    @Slot(QPoint, object)
    def _on_menu(self, point: QPoint, answer: FigureAnswer) -> None:
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        go = menu.addAction("Open Passage")
        go.setShortcut(QKeySequence(Qt.Key.Key_Return))  # shown as a reminder
        go.triggered.connect(lambda: self.open_requested.emit(answer))
        self.context_menu_about_to_show.emit(menu, self.excerpt(answer))
        menu.popup(point)

    @Slot(int)
    def _on_step(self, step: int) -> None:
        card = self.sender()
        if not isinstance(card, AnswerCard) or card not in self.cards:
            return
        number = self.cards.index(card) + step
        if 0 <= number < len(self.cards):
            self.cards[number].setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.leave_requested.emit(step)


__all__ = ["ANSWERS_HINT", "ANSWER_KEYS", "AnswerCard", "AnswerCards"]
