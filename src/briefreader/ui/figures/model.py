"""The key figures' Qt model: ``briefing.figures`` in the order of figures.toml."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from briefreader.core.excerpts import (
    CitationStyle,
    Excerpt,
    excerpt_from_figure,
    format_excerpt,
    quoted,
    tidy,
)
from briefreader.core.model import Briefing, Figure


class Role(IntEnum):
    VALUE = Qt.ItemDataRole.UserRole + 2
    STATEMENT = Qt.ItemDataRole.UserRole + 3  # what it measures, with the period where given
    SOURCE = Qt.ItemDataRole.UserRole + 4  # the organisation the source credits
    DOCUMENT_TITLE = Qt.ItemDataRole.UserRole + 5
    DOCUMENT_DATE = Qt.ItemDataRole.UserRole + 6
    SECTION_ID = Qt.ItemDataRole.UserRole + 7
    QUOTE = Qt.ItemDataRole.UserRole + 8  # the source's sentence, in quotation marks
    SPEAKER = Qt.ItemDataRole.UserRole + 9  # who states it ("Name, Role, Organisation"), or ""


def statement(figure: Figure) -> str:
    """What the figure measures, with its period: the app's words, copied after the value
    and never inside quotation marks."""
    return f"{figure.measure}, {figure.period}" if figure.period else figure.measure


def quotation(figure: Figure) -> str:
    """The source's own sentence holding the figure, in one pair of quotation marks."""
    return quoted(tidy(figure.quote)) if figure.quote else ""


def speaker_label(briefing: Briefing, figure: Figure) -> str:
    """Who states the figure, as the reader shows them under their statement; "" when the
    figure is not from a statement."""
    if not figure.speaker:
        return ""
    section = briefing.section(figure.section_id)
    speaker = section.speaker if section is not None else None
    return (
        speaker.label()
        if speaker is not None and speaker.name == figure.speaker
        else figure.speaker
    )


class FiguresModel(QAbstractListModel):
    """The briefing's headline figures, in the order of figures.toml."""

    def __init__(self, briefing: Briefing, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.briefing = briefing
        self._figures = briefing.figures

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._figures)

    def figure(self, row: int) -> Figure | None:
        return self._figures[row] if 0 <= row < len(self._figures) else None

    def excerpt(self, row: int) -> Excerpt | None:
        """The figure as an excerpt with its citation; None if there is none to cite."""
        figure = self.figure(row)
        return excerpt_from_figure(self.briefing, figure) if figure is not None else None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        figure = self.figure(index.row()) if index.isValid() else None
        if figure is None:
            return None
        document = self.briefing.document(figure.document_id)
        title = document.title if document is not None else figure.document_id
        date = document.date_text if document is not None else ""
        if role == Qt.ItemDataRole.DisplayRole:
            # Starts with the value, so that typing "87" in the list finds "87%".
            return f"{figure.value} {statement(figure)} (source: {figure.source})"
        if role == Role.VALUE:
            return figure.value
        if role == Role.STATEMENT:
            return statement(figure)
        if role == Role.SOURCE:
            return figure.source
        if role == Role.DOCUMENT_TITLE:
            return title
        if role == Role.DOCUMENT_DATE:
            return date
        if role == Role.SECTION_ID:
            return figure.section_id
        if role == Role.QUOTE:
            return quotation(figure)
        if role == Role.SPEAKER:
            return speaker_label(self.briefing, figure)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            where = f"{title}, {date}" if date else title
            who = speaker_label(self.briefing, figure)
            said = f" Stated by {who}." if who else ""
            words = f" The source's words: {quotation(figure)}" if figure.quote else ""
            return (
                f"{figure.value}: {statement(figure)}. Source: {figure.source}.{said}{words} "
                f"From {where}."
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            # Exactly what Copy with Citation puts in text/plain, so nothing copied surprises.
            excerpt = self.excerpt(index.row())
            return format_excerpt(excerpt, CitationStyle.FULL).plain if excerpt else None
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
