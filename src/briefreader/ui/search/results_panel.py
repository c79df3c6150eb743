"""The search results panel: theme chips with counts, the state of the search, the hits.

:class:`ResultsPanel` puts the chips, the messages, the figures that answer the query
(``answers.py``) and the list (of ``results_model.py``'s model and item delegate) together,
and turns keys and clicks into requests the search controller answers.

What the panel says besides the hits: the other names also searched, with a link that
searches only the typed word (in quotation marks); "Showing results for …" when a close
spelling was searched instead, with a link back to the typed one; and, while a theme filter
is on, that only that theme is shown and how many passages the others have, with a button
to show all themes (Alt+A). Only the first page of hits is laid out on a keystroke; "Show
more" (a button after the list, reached with Down from its last hit) asks for the next.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPoint,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QContextMenuEvent,
    QKeyEvent,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QGroupBox,
    QLabel,
    QLayout,
    QListView,
    QMenu,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from briefreader.core.model import Briefing
from briefreader.ui.search.answer_cards import AnswerCards
from briefreader.ui.search.chip import Chip
from briefreader.ui.search.results_model import ResultDelegate, ResultsModel
from briefreader.ui.shared.accessibility import (
    CurrentWhileFocused,
    choose,
    chosen_index,
)
from briefreader.ui.shared.flow_layout import FlowLayout, flow_size_policy

if TYPE_CHECKING:
    from briefreader.core.search.results import Hit, SearchResult


@contextmanager
def laid_out_once(*layouts: QLayout) -> Iterator[None]:
    """Lay ``layouts`` out once, after the changes made within, not at each of them.

    Showing a child widget lays its parent out there and then (QWidget::setVisible activates
    the parent's layout, and its parents'): an answer shows and hides up to 17 of the
    panel's parts, and each one shown laid the panel out again, wrapped labels and chips
    included: 0.23-0.27 s of the GUI thread's CPU over the bench's 108 keys, now 0.07 s and
    one pass of 0.11 s (bench/README.md, "Keystrokes").
    """
    for layout in layouts:
        layout.setEnabled(False)
    try:
        yield
    finally:
        for layout in layouts:
            layout.setEnabled(True)
            widget = layout.parentWidget()
            # Now, as the shows did: the list's rows are laid out at its new size next.
            if widget is not None and widget.isVisible():
                layout.activate()
            else:
                layout.invalidate()


SYNTAX_HELP_HTML = """
<table cellspacing="0" cellpadding="3">
<tr><td><b>grooming gaming</b></td><td>passages with both words (and their forms:
groom, grooms)</td></tr>
<tr><td><b>"safety by design"</b></td><td>exactly these words in this order (no other
forms, no other names, no spelling correction)</td></tr>
<tr><td><b>"sextortion"</b></td><td>only this word, not its other names</td></tr>
<tr><td><b>sextortion OR extortion</b></td><td>either word</td></tr>
<tr><td><b>abuse -online</b></td><td>leave out passages with a word</td></tr>
<tr><td><b>legisl*</b></td><td>words that start so (3 letters or more)</td></tr>
<tr><td><b>legislaton~</b></td><td>close spellings too</td></tr>
<tr><td><b>theme:voices</b></td><td>only one theme</td></tr>
</table>
"""


class ResultsList(CurrentWhileFocused, QListView):  # one "focused" item for screen readers
    """The hits; Enter opens one, Esc or Up from the first goes back to the search field."""

    open_requested = Signal(QModelIndex)
    back_requested = Signal()
    past_end = Signal()  # Down on the last hit
    context_menu_requested = Signal(QPoint, QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex())
            return
        model = self.model()
        if (
            key == Qt.Key.Key_Down
            and not event.modifiers()
            and model is not None
            and self.currentIndex().row() == model.rowCount() - 1
        ):
            self.past_end.emit()
            return
        if key == Qt.Key.Key_Escape or (
            key == Qt.Key.Key_Up and self.currentIndex().row() <= 0 and not event.modifiers()
        ):
            self.back_requested.emit()
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # The snippets wrap at a new width: the rows are laid out again. Only a new width:
        # the list's height changes with what the panel shows above it on most answers (its
        # resize mode is Fixed: Adjust laid every row out again 100 ms after such an answer).
        # The delegate's caches are keyed by width, and kept: the width flips between two
        # values as the panel's scroll bar comes and goes, and dropping them then laid out
        # every row's rich text anew (bench/README.md, "Keystrokes").
        if event.size().width() != event.oldSize().width():
            self.scheduleDelayedItemsLayout()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        delegate = self.itemDelegate()
        if event.type() == QEvent.Type.FontChange and isinstance(delegate, ResultDelegate):
            delegate.clear_cache()  # laid out in the old font (its caches are not keyed by it)
            self.scheduleDelayedItemsLayout()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        index = self.indexAt(event.pos())
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            index = self.currentIndex()
        if index.isValid():
            self.context_menu_requested.emit(event.globalPos(), index)


class ThemeChips(QGroupBox):
    """An "All themes" chip and one per theme with matches, with counts; one is chosen.

    A group box, drawn as nothing: screen readers then hear the chips (radio buttons) as one
    group, "Filter results by theme".
    """

    theme_chosen = Signal(object)  # a theme id, or None for all themes

    def __init__(self, briefing: Briefing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("themeChips")
        self.setAccessibleName("Filter results by theme")
        self.setFlat(True)
        self.setSizePolicy(flow_size_policy())
        layout = FlowLayout(self, spacing=6)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._titles = {t.id: t.title for t in briefing.themes}
        self.buttons: dict[str | None, Chip] = {}
        for theme_id, title in [(None, "All themes"), *self._titles.items()]:
            button = Chip(title, self)
            button.clicked.connect(lambda _=False, t=theme_id: self._choose(t))
            self._group.addButton(button)
            layout.addWidget(button)
            self.buttons[theme_id] = button
        self.buttons[None].setChecked(True)
        self.selected: str | None = None

    def _choose(self, theme_id: str | None) -> None:
        if theme_id == self.selected:
            return
        self.selected = theme_id
        self.theme_chosen.emit(theme_id)

    def select(self, theme_id: str | None) -> None:
        self.selected = theme_id if theme_id in self.buttons else None
        self.buttons[self.selected].setChecked(True)

    def paintEvent(self, event: QPaintEvent) -> None:
        pass  # no frame, no title: the chips are the group

    def set_counts(self, counts: Sequence[tuple[str, int]]) -> None:
        """Show the chips of themes with matches, with their counts; keep the chosen one."""
        by_theme = dict(counts)
        total = sum(by_theme.values())
        for theme_id, button in self.buttons.items():
            if theme_id is None:
                label, count = "All themes", total
            else:
                label, count = self._titles[theme_id], by_theme.get(theme_id, 0)
            button.setText(f"{label}  {count}")
            noun = "passage" if count == 1 else "passages"
            button.setAccessibleName(f"{label}: {count} {noun}")
            button.setToolTip(
                f"Show the {count} {noun} in all themes"
                if theme_id is None
                else f"Show only the {count} {noun} in {label}"
            )
            button.setVisible(theme_id is None or count > 0 or theme_id == self.selected)
        self.updateGeometry()


class ResultsPanel(QWidget):
    """Everything below the search field: chips, what the search found or why not, the hits."""

    open_requested = Signal(object)  # Hit
    answer_open_requested = Signal(object)  # FigureAnswer: show its passage
    more_requested = Signal(int)  # how many hits to show now
    theme_filter_changed = Signal(object)  # theme id or None
    query_requested = Signal(str)  # a suggestion or a recent search was chosen
    back_requested = Signal()
    # Before a result's context menu opens: the menu and the hit, for other features to extend.
    context_menu_about_to_show = Signal(QMenu, object)

    def __init__(self, briefing: Briefing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsPanel")
        self.briefing = briefing
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 6, 6)
        layout.setSpacing(8)

        self.summary = QLabel(self)
        self.summary.setObjectName("resultsSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        layout.addWidget(self.summary)

        self.chips = ThemeChips(briefing, self)
        self.chips.theme_chosen.connect(self._on_theme_chosen)
        layout.addWidget(self.chips)

        self.message = QLabel(self)
        self.message.setObjectName("resultsMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.message.setOpenExternalLinks(False)
        self.message.linkActivated.connect(self._on_link)
        self.message.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout.addWidget(self.message)

        # While a theme filter is on: said here, with one key to show every theme.
        self.filter_note = QWidget(self)
        self.filter_note.setObjectName("themeFilterNote")
        note_layout = QVBoxLayout(self.filter_note)
        note_layout.setContentsMargins(0, 0, 0, 0)
        note_layout.setSpacing(2)
        self.filter_label = QLabel(self.filter_note)
        self.filter_label.setObjectName("themeFilterLabel")
        self.filter_label.setWordWrap(True)
        self.filter_label.setTextFormat(Qt.TextFormat.PlainText)
        self.show_all_button = QPushButton("Show &all themes", self.filter_note)
        self.show_all_button.setObjectName("showAllThemes")
        self.show_all_button.setToolTip("Search every theme again (Alt+A)")
        self.show_all_button.clicked.connect(lambda: self._on_theme_chosen(None))
        note_layout.addWidget(self.filter_label)
        note_layout.addWidget(self.show_all_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.filter_note.setVisible(False)
        layout.addWidget(self.filter_note)

        self.answers = AnswerCards(briefing, self)
        self.answers.open_requested.connect(self.answer_open_requested)
        self.answers.leave_requested.connect(self._on_leave_answers)
        layout.addWidget(self.answers)

        self.model = ResultsModel(self)
        self.list = ResultsList(self)
        self.list.setObjectName("resultsList")
        self.list.setAccessibleName("Search results")
        self.list.setModel(self.model)
        self.list.setItemDelegate(ResultDelegate(self.list))
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setUniformItemSizes(False)
        self.list.setResizeMode(QListView.ResizeMode.Fixed)  # see ResultsList.resizeEvent
        self.list.setFrameShape(QListView.Shape.NoFrame)
        self.list.clicked.connect(self._on_clicked)
        self.list.open_requested.connect(self._on_clicked)
        self.list.back_requested.connect(self.back_requested)
        self.list.context_menu_requested.connect(self._on_context_menu)
        self.list.past_end.connect(self._on_past_end)
        layout.addWidget(self.list, 1)

        # Named from the start: a screen reader meets it hidden too (its count comes later).
        self.more_button = QPushButton("Show more", self)
        self.more_button.setAccessibleName("Show more results")
        self.more_button.setObjectName("showMore")
        self.more_button.clicked.connect(self._on_more)
        self.more_button.setVisible(False)
        layout.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.help = QLabel(self)
        self.help.setObjectName("syntaxHelp")
        self.help.setWordWrap(True)
        self.help.setTextFormat(Qt.TextFormat.RichText)
        self.help.setText("<p><b>Search syntax</b></p>" + SYNTAX_HELP_HTML)
        # No accessible name: a label's name is its text, and a name replaced the whole
        # syntax table with "Search syntax" for screen readers.
        layout.addWidget(self.help)
        layout.addStretch(0)

        self.result: SearchResult | None = None
        self.show_intro([])

    # -- states ----------------------------------------------------------------------------

    def _set_state(self, summary: str, message: str, *, hits: bool) -> None:
        self.summary.setText(summary)
        self.summary.setVisible(bool(summary))
        self.message.setText(message)
        self.message.setVisible(bool(message))
        # Reached with Tab only when it has a link to follow ("Did you mean", recent searches).
        self.message.setFocusPolicy(
            Qt.FocusPolicy.StrongFocus if "<a " in message else Qt.FocusPolicy.NoFocus
        )
        self.chips.setVisible(hits or self.chips.selected is not None)
        self.list.setVisible(hits)
        if not hits:
            self.answers.set_answers(())
            self.filter_note.setVisible(False)
            self.more_button.setVisible(False)
        self.help.setVisible(not hits)
        self.list.setAccessibleDescription(summary)

    def show_intro(self, recent: Sequence[str]) -> None:
        """Nothing typed yet: what search does, and the recent searches to run again."""
        self.result = None
        self.model.set_hits(())
        parts = [
            "Type a word, a name or a phrase: results appear as you type, across all themes.",
        ]
        if recent:
            links = " · ".join(
                f'<a href="query:{html.escape(r, quote=True)}">{html.escape(r)}</a>'
                for r in recent[:6]
            )
            parts.append(f"Recent searches: {links}")
        self._set_state("Search the briefing", "".join(f"<p>{p}</p>" for p in parts), hits=False)

    def show_preparing(self, text: str) -> None:
        self.result = None
        self.model.set_hits(())
        self._set_state(
            "Preparing search…",
            f"<p>The search index is being prepared. Results for "
            f"“{html.escape(text)}” will appear in a moment.</p>",
            hits=False,
        )

    def show_unavailable(self, message: str) -> None:
        self.result = None
        self.model.set_hits(())
        self._set_state(
            "Search is unavailable",
            f"<p>{html.escape(message)}</p><p>Reading is not affected.</p>",
            hits=False,
        )

    def show_result(self, result: SearchResult) -> None:
        if result == self.result:
            return  # shown as it is (the same answer again): the list keeps its chosen row
        previous = self.result
        # More of the same search: the hits already seen stay, and the first new one is current.
        more = (
            previous is not None
            and previous.query == result.query
            and previous.theme == result.theme
            and 0 < len(previous.hits) < len(result.hits)
            and result.hits[: len(previous.hits)] == previous.hits
        )
        more_had_focus = self.more_button.hasFocus()
        parts = (self.chips.layout(), self.answers.layout(), self.layout())
        with laid_out_once(*(layout for layout in parts if layout is not None)):
            self._show_result(result)
        if not result.hits:
            return
        # After the panel's lay-out pass: choosing a row lays the list's rows out, and they
        # are then laid out for the list's new height (the rows on its first screen exactly,
        # the others estimated), not for the height it had before this answer.
        if more and previous is not None:
            self.list.setCurrentIndex(self.model.index(len(previous.hits), 0))
            self.list.scrollTo(self.list.currentIndex())
            if more_had_focus:
                self.list.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            choose(self.list, self.model.index(0, 0))  # Enter in the field opens it
            self.list.scrollToTop()

    def _show_result(self, result: SearchResult) -> None:
        self.result = result
        self.chips.select(result.theme)
        self.chips.set_counts(result.theme_counts)
        self.model.set_hits(result.hits)
        message = ""
        if result.searched_instead:
            instead = html.escape(result.searched_instead)
            target = html.escape(result.searched_instead, quote=True)
            typed = html.escape(quoted(result.query), quote=True)
            message += (
                f'<p>Showing results for <a href="query:{target}"><b>{instead}</b></a>. '
                f'Search instead for <a href="query:{typed}">{html.escape(result.query)}</a></p>'
            )
        message += f"<p>{html.escape(result.message)}</p>" if result.message else ""
        for typed_term, others in result.expansions:
            # Of the query that was searched: the corrected one when a typo was forgiven.
            searched = result.searched_instead or result.query
            only = html.escape(only_typed(searched, typed_term), quote=True)
            message += (
                f"<p>Also searched: {html.escape(', '.join(others))}. "
                f'<a href="query:{only}">Search only “{html.escape(typed_term)}”</a></p>'
            )
        if result.suggestion and not result.searched_instead:
            target = html.escape(result.suggestion, quote=True)
            message += (
                f'<p>Did you mean <a href="query:{target}">'
                f"<b>{html.escape(result.suggestion)}</b></a>?</p>"
            )
        if not result.hits:
            message += (
                "<p>Try fewer words, another form of a word (<b>groom*</b>), or all themes.</p>"
                if result.theme is None
                else "<p>Try fewer words, or choose <b>All themes</b>.</p>"
            )
        self._set_state(self.summary_text(result), message, hits=bool(result.hits))
        self._show_filter_note(result)
        if result.hits:
            self.answers.set_answers(result.answers)
            remaining = result.total - len(result.hits)
            self.more_button.setText(f"Show more ({remaining} more)")
            self.more_button.setAccessibleName(f"Show more results: {remaining} more")
            self.more_button.setVisible(remaining > 0)

    def _show_filter_note(self, result: SearchResult) -> None:
        theme = self.briefing.theme(result.theme) if result.theme else None
        if theme is None:
            self.filter_note.setVisible(False)
            return
        elsewhere = sum(n for t, n in result.theme_counts if t != theme.id)
        noun = "passage" if elsewhere == 1 else "passages"
        others = f" {elsewhere} more {noun} in other themes." if elsewhere else ""
        self.filter_label.setText(f"Only {theme.title} is shown.{others}")
        self.filter_note.setVisible(True)

    def summary_text(self, result: SearchResult) -> str:
        """One sentence on what was found: shown above the list and announced."""
        if not result.hits:
            return "No passage matches"
        noun = "passage matches" if result.total == 1 else "passages match"
        where = ""
        if result.theme:
            theme = self.briefing.theme(result.theme)
            where = f" in {theme.title}" if theme else ""
        shown = f" (showing {len(result.hits)})" if len(result.hits) < result.total else ""
        # Said, so that a screen reader user knows the cards are there, above the list.
        count = len(result.answers)
        figures = f"; {count} key figure{'s' if count != 1 else ''} above" if count else ""
        return f"{result.total} {noun}{where}{shown}{figures}"

    # -- the current hit -------------------------------------------------------------------

    def current_hit(self) -> Hit | None:
        return self.model.hit(chosen_index(self.list).row())

    def focus_results(self) -> bool:
        """Move the keyboard focus to the first answer card, or else to the list (first hit
        selected); False if both are empty."""
        if self.answers.isVisible() and self.answers.focus_first():
            return True
        if not self.model.rowCount():
            return False
        chosen = chosen_index(self.list)
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.list.currentIndex().isValid():
            self.list.setCurrentIndex(chosen if chosen.isValid() else self.model.index(0, 0))
        return True

    @Slot(QModelIndex)
    def _on_clicked(self, index: QModelIndex) -> None:
        hit = self.model.hit(index.row())
        if hit is not None:
            self.open_requested.emit(hit)

    @Slot(QPoint, QModelIndex)
    def _on_context_menu(self, point: QPoint, index: QModelIndex) -> None:
        hit = self.model.hit(index.row())
        if hit is None:
            return
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction("Open passage").triggered.connect(lambda: self.open_requested.emit(hit))
        self.context_menu_about_to_show.emit(menu, hit)
        menu.popup(point)

    def _focus_list(self) -> None:
        if not self.list.currentIndex().isValid():
            self.list.setCurrentIndex(self.model.index(0, 0))
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(int)
    def _on_leave_answers(self, step: int) -> None:
        if step > 0 and self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(0, 0))
            self._focus_list()
        elif step < 0:
            self.back_requested.emit()

    @Slot()
    def _on_past_end(self) -> None:
        if self.more_button.isVisible():
            self.more_button.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def _on_more(self) -> None:
        if self.result is not None:
            self.more_requested.emit(len(self.result.hits) + PAGE)

    @Slot(object)
    def _on_theme_chosen(self, theme_id: str | None) -> None:
        if theme_id is None:
            self.chips.select(None)
        self.chips.selected = theme_id
        self.theme_filter_changed.emit(theme_id)

    @Slot(str)
    def _on_link(self, link: str) -> None:
        if link.startswith("query:"):
            self.query_requested.emit(html.unescape(link.removeprefix("query:")))

    def set_theme_filter(self, theme_id: str | None) -> None:
        self.chips.select(theme_id)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            # A rich-text label lays its links out in the palette's link colour once, when
            # its text is set: set it again in the new colours (light/dark switched).
            for label in (self.message, self.help):
                text = label.text()
                label.clear()
                label.setText(text)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(240, 200)


def quoted(text: str) -> str:
    """The query in quotation marks: searched exactly as typed, never corrected."""
    text = text.strip()
    return text if text.startswith('"') and text.endswith('"') else f'"{text}"'


def only_typed(query: str, typed: str) -> str:
    """The query with the typed term quoted: that term only, not its other names."""
    at = query.find(typed)
    if at < 0:
        return query
    return f'{query[:at]}"{typed}"{query[at + len(typed) :]}'


PAGE = 20  # hits added by "Show more"

__all__ = ["SYNTAX_HELP_HTML", "ResultsList", "ResultsPanel", "ThemeChips", "only_typed", "quoted"]
