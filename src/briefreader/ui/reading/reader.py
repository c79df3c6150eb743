"""The reader: Qt's text browser, made offline for real and taught where sections are.

:class:`OfflineBrowser` never loads anything from outside the app: resources come only from
the bundled ``resources/`` folder, and links never navigate (Qt's default blanks the pane on
an external link, as tried); an external link offers to copy its address instead.

:class:`ReaderView` shows one theme page. It knows each section's position in the page,
so that the table of contents can follow the reading position and other parts (excerpts)
can ask which section a text position belongs to. It caps the text column so lines stay
readable, highlights search terms and find-in-page matches, and steps through them.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, QUrl, Signal, Slot
from PySide6.QtGui import QFont, QFontMetricsF, QGuiApplication, QTextCursor, QTextDocument
from PySide6.QtWidgets import QMenu, QTextBrowser, QTextEdit, QWidget

from briefreader.core.highlight import Span
from briefreader.core.locations import resources_dir
from briefreader.ui.shared.colours import current_mark, mark
from briefreader.ui.shared.lazy_qt import set_enum_property

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

    # Only named in annotations here. PySide sets a class up on its first use, which the
    # first frame should not wait for; the events come with their classes,
    # and the highlight formats are made once the reader has a page, after the first paint.
    from PySide6.QtGui import (
        QContextMenuEvent,
        QFocusEvent,
        QKeyEvent,
        QPaintEvent,
        QResizeEvent,
        QTextCharFormat,
    )
else:
    from briefreader.ui.shared.lazy_qt import Qt

# A line of ordinary English from the briefing: its average advance per character gives the
# measure for the text column in the current font, whatever the platform's font is.
_SAMPLE = (
    "Conversations with children on social gaming platforms can escalate into high-risk "
    "grooming situations within 19 seconds, with an average grooming time of 45 minutes."
)
CHARS_PER_LINE = 78  # the text column holds about this many characters at any zoom
MIN_SIDE_MARGIN = 24.0
TOP_MARGIN = 20.0
BOTTOM_MARGIN = 64.0
JUMP_GAP = 12  # pixels left above a heading the reader jumps to
FOCUS_MARK_WIDTH = 2  # px: the frame round the text while it has the keyboard focus
READING_LINE = 0.25  # the section at this fraction of the view's height is "being read"
# Qt::TextBrowserInteraction and Qt::TextSelectableByKeyboard (a test holds them to Qt's).
_TEXT_BROWSER_INTERACTION = 0x1 | 0x4 | 0x8
_TEXT_SELECTABLE_BY_KEYBOARD = 0x2


class OfflineBrowser(QTextBrowser):
    """A text browser that loads nothing from outside the app and never navigates away."""

    external_link_activated = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor_clicked)
        self.link_menu: QMenu | None = None  # the last "needs internet" menu, for tests

    def loadResource(self, type: int, name: QUrl | str) -> object:
        """Serve files from the bundled resources folder and nothing else."""
        name = QUrl(name)
        if name.scheme() not in ("", "file") or name.host():
            return None
        relative = name.path().lstrip("/")
        if not relative:
            return None
        root = resources_dir().resolve()
        path = (root / relative).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            return None
        try:
            return path.read_bytes()
        except OSError:
            return None

    def doSetSource(  # noqa: N802 - Qt override
        self,
        name: QUrl | str,
        type: QTextDocument.ResourceType = QTextDocument.ResourceType.UnknownResource,
    ) -> None:
        # Only jumps within the page: setSource must never replace the page with a URL's.
        url = QUrl(name)
        if _is_in_page(url):
            self.scrollToAnchor(url.fragment())

    @Slot(QUrl)
    def _on_anchor_clicked(self, url: QUrl) -> None:
        if _is_in_page(url):
            self.scroll_to_anchor(url.fragment())
            return
        self._offer_link(url)
        self.external_link_activated.emit(url)

    def scroll_to_anchor(self, anchor: str) -> None:
        self.scrollToAnchor(anchor)

    def _offer_link(self, url: QUrl) -> None:
        address = url.toString()
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.setAccessibleName("External link")
        note = menu.addAction("This link opens a web page: it needs an internet connection.")
        note.setEnabled(False)
        shown = address if len(address) <= 70 else address[:67] + "…"
        copy = menu.addAction(f"Copy link address  ({shown})")
        copy.triggered.connect(lambda: _copy_text(address))
        self.link_menu = menu
        menu.popup(self._popup_point())

    def _popup_point(self) -> QPoint:
        # At the pointer after a click; at the caret after Enter on a link chosen with Tab.
        from PySide6.QtGui import QCursor

        pointer = QCursor.pos()
        if self.viewport().rect().contains(self.viewport().mapFromGlobal(pointer)):
            return pointer
        rect: QRect = self.cursorRect()
        return self.viewport().mapToGlobal(rect.bottomLeft())


def _is_in_page(url: QUrl) -> bool:
    return not url.scheme() and not url.host() and not url.path() and url.hasFragment()


def _copy_text(text: str) -> None:
    clipboard = QGuiApplication.clipboard()
    if clipboard is not None:
        clipboard.setText(text)


class ReaderView(OfflineBrowser):
    """One theme's page, with its sections' positions and highlighted matches."""

    # Emitted with the menu before a context menu opens, and the text position it was opened
    # at, so that other features (excerpts) can add their actions: connect and addAction.
    context_menu_about_to_show = Signal(QMenu, int)
    # The section being read changed (its id; "" above the first section).
    reading_section_changed = Signal(str)
    # Highlights changed: the current one (0-based, -1 if none) and how many there are.
    highlights_changed = Signal(int, int)
    # A link to a section of another theme was followed ("#<theme>/<anchor>"): its id.
    open_section_requested = Signal(str)

    def __init__(self, theme_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme_id = theme_id
        self.setObjectName(f"reader-{theme_id}")
        self.document().setUndoRedoEnabled(False)
        # Keyboard selection (a caret) so that a passage can be selected and copied without a
        # mouse; links stay reachable with Tab.
        # (Set by number: Qt's enums are not set up before the first paint, lazy_qt.py.)
        set_enum_property(
            self,
            "textInteractionFlags",
            _TEXT_BROWSER_INTERACTION | _TEXT_SELECTABLE_BY_KEYBOARD,
        )
        self._page_html = ""
        self._wanted_anchors: list[str] = []  # the anchors set_page was given
        self._anchors: list[str] = []  # section anchors in page order
        self._positions: list[int] = []  # their text positions, ascending
        self._loaded = False
        self._reading = ""
        self._pinned: tuple[str, int] | None = None
        self._spans: tuple[Span, ...] = ()
        self._current = -1
        self._dark = False
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)

    # -- the page --------------------------------------------------------------------------

    @property
    def is_loaded(self) -> bool:
        return self._loaded

    @property
    def page_html(self) -> str:
        """The HTML of the page shown ("" before one is)."""
        return self._page_html

    def set_page(self, html: str, anchors: Sequence[str], stylesheet: str) -> None:
        """Show a rendered theme page; ``anchors`` are its sections' anchors in order."""
        document = self.document()
        document.setDefaultStyleSheet(stylesheet)
        self._page_html = html
        self._wanted_anchors = list(anchors)
        self.setHtml(html)
        self._index_anchors(anchors)
        self._loaded = True
        self._spans, self._current = (), -1
        self._update_margins()
        self._on_scrolled()

    def replace_html(self, html: str) -> None:
        """Show another rendering of the page, keeping the text at the top of the view in
        place (highlights go: their positions were in the other rendering)."""
        top = self.top_position()
        self.clear_highlights()
        self.set_page(html, self._wanted_anchors, self.document().defaultStyleSheet())
        self.set_top_position(top)

    def set_stylesheet(self, stylesheet: str) -> None:
        """Restyle the page (light or dark) keeping the reading position and highlights."""
        if not self._loaded:
            self.document().setDefaultStyleSheet(stylesheet)
            return
        top = self.top_position()
        bar = self.verticalScrollBar()
        # To the pixel: the top line may be part scrolled off, or below a gap (a landing
        # leaves one above the heading); a switch of colours should not move the text.
        offset = bar.value() - int(self._line_top(top)) if top > 0 else 0
        self.document().setDefaultStyleSheet(stylesheet)
        # The default stylesheet applies when HTML is parsed, so the page is parsed again.
        self.setHtml(self._page_html)
        self._update_margins()
        self.set_top_position(top)
        if top > 0:
            self.document().documentLayout().documentSize()  # laid out before measuring
            bar.setValue(int(self._line_top(top)) + offset)
            self._on_scrolled()
        self._apply_highlights()

    def _index_anchors(self, anchors: Sequence[str]) -> None:
        found: dict[str, int] = {}
        wanted = set(anchors)
        block = self.document().begin()
        while block.isValid():
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                for name in fragment.charFormat().anchorNames():
                    if name in wanted and name not in found:
                        found[name] = fragment.position()
                fragments += 1
            block = block.next()
        ordered = sorted((position, anchor) for anchor, position in found.items())
        self._positions = [p for p, _ in ordered]
        self._anchors = [a for _, a in ordered]

    def section_ids(self) -> list[str]:
        return [f"{self.theme_id}/{a}" for a in self._anchors]

    def section_position(self, section_id: str) -> int | None:
        anchor = section_id.removeprefix(f"{self.theme_id}/")
        try:
            return self._positions[self._anchors.index(anchor)]
        except ValueError:
            return None

    def section_at(self, position: int) -> str | None:
        """The id of the section a text position belongs to (None above the first one)."""
        number = bisect.bisect_right(self._positions, position) - 1
        if number < 0:
            return None
        return f"{self.theme_id}/{self._anchors[number]}"

    def section_text_range(self, section_id: str) -> tuple[int, int] | None:
        """[start, end) of a section in the page: from its heading to the next heading."""
        start = self.section_position(section_id)
        if start is None:
            return None
        number = self._positions.index(start)
        end = (
            self._positions[number + 1]
            if number + 1 < len(self._positions)
            else self.document().characterCount() - 1
        )
        return start, end

    # -- reading position ------------------------------------------------------------------

    def reading_section_id(self) -> str:
        """The section being read: the one at a quarter of the view's height."""
        bar = self.verticalScrollBar()
        if self._pinned is not None and self._pinned[1] == bar.value():
            return self._pinned[0]
        self._pinned = None
        viewport = self.viewport()
        probe = QPoint(viewport.width() // 2, int(viewport.height() * READING_LINE))
        if bar.maximum() > 0 and bar.value() >= bar.maximum():
            probe.setY(viewport.height() - 2)  # the last sections can never reach the top
        return self.section_at(self._position_at(probe)) or ""

    @Slot()
    def _on_scrolled(self) -> None:
        if not self._loaded:
            return
        section = self.reading_section_id()
        if section != self._reading:
            self._reading = section
            self.reading_section_changed.emit(section)

    def _position_at(self, point: QPoint) -> int:
        """The text position at a point of the view, on an up-to-date layout.

        Right after the page, its margins or its font changed, the layout is out of date
        and a hit test answers the end of the page (the contents then showed the last
        section as the one being read at start): documentSize() lays it out first.
        """
        self.document().documentLayout().documentSize()
        return self.cursorForPosition(point).position()

    def scroll_to_section(self, section_id: str) -> bool:
        """Put a section's heading at the top of the view and the caret at its start."""
        position = self.section_position(section_id)
        if position is None:
            return False
        self._scroll_to_position(position, gap=JUMP_GAP)
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        self.setTextCursor(cursor)
        self._pinned = (section_id, self.verticalScrollBar().value())
        self._on_scrolled()
        return True

    def scroll_to_anchor(self, anchor: str) -> None:
        if "/" in anchor:
            # "#<theme>/<anchor>": a section, on this page or in another theme's tab.
            if not self.scroll_to_section(anchor):
                self.open_section_requested.emit(anchor)
            return
        section = f"{self.theme_id}/{anchor}"
        if not self.scroll_to_section(section):
            self.scrollToAnchor(anchor)

    def _line_top(self, position: int) -> float:
        document = self.document()
        block = document.findBlock(position)
        top = document.documentLayout().blockBoundingRect(block).top()
        layout = block.layout()
        if layout is not None and layout.lineCount():
            line = layout.lineForTextPosition(position - block.position())
            if line.isValid():
                top += line.y()
        return top

    def _scroll_to_position(self, position: int, gap: int = 0) -> None:
        self.verticalScrollBar().setValue(max(0, int(self._line_top(position)) - gap))

    def top_position(self) -> int:
        """The text position shown at the top of the view: what "scroll position" means here,
        because it survives a different window size or zoom where pixels do not."""
        if not self._loaded:
            return 0
        if self.verticalScrollBar().value() == 0:
            return 0
        viewport = self.viewport()
        # The start of the top line, not the word under the probe: a word in mid-line moved
        # to the next line at a larger zoom, and each zoom step slid the page a line on.
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._position_at(QPoint(viewport.width() // 2, 1)))
        cursor.movePosition(QTextCursor.MoveOperation.StartOfLine)
        return cursor.position()

    def set_top_position(self, position: int) -> None:
        if not self._loaded:
            return
        if position <= 0:
            # The top of the page, margin and title included (the first line's top is below
            # the page's margin: scrolling to it hid the margin after a zoom or a restyle).
            self.verticalScrollBar().setValue(0)
        else:
            last = max(0, self.document().characterCount() - 1)
            self._scroll_to_position(min(position, last))
        self._on_scrolled()

    # -- text column and font --------------------------------------------------------------

    def set_reading_font(self, font: QFont) -> None:
        """Change the page's font (zoom), keeping the text at the top of the view in place."""
        top = self.top_position()
        self.document().setDefaultFont(font)
        self.setFont(font)
        self._update_margins()
        self.set_top_position(top)
        self._ensure_current_visible()

    def text_column_width(self) -> float:
        metrics = QFontMetricsF(self.document().defaultFont())
        return metrics.horizontalAdvance(_SAMPLE) / len(_SAMPLE) * CHARS_PER_LINE

    def _update_margins(self) -> None:
        side = max(MIN_SIDE_MARGIN, (self.viewport().width() - self.text_column_width()) / 2)
        frame = self.document().rootFrame()
        fmt = frame.frameFormat()
        if (fmt.leftMargin(), fmt.rightMargin(), fmt.topMargin()) == (side, side, TOP_MARGIN):
            return
        fmt.setLeftMargin(side)
        fmt.setRightMargin(side)
        fmt.setTopMargin(TOP_MARGIN)
        fmt.setBottomMargin(BOTTOM_MARGIN)
        frame.setFrameFormat(fmt)

    def resizeEvent(self, event: QResizeEvent) -> None:
        top = self.top_position() if self._loaded and event.oldSize().isValid() else None
        super().resizeEvent(event)
        if self._loaded:  # set_page fits the margins of a page shown later
            self._update_margins()
        if top is not None and top > 0:
            self.set_top_position(top)

    # -- highlights ------------------------------------------------------------------------

    @property
    def highlight_count(self) -> int:
        return len(self._spans)

    @property
    def current_highlight(self) -> int:
        return self._current

    def highlight_spans(self) -> tuple[Span, ...]:
        return self._spans

    def page_text(self) -> str:
        """The page as plain text; its offsets are the page's text positions."""
        return self.document().toPlainText()

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        self._apply_highlights()

    def set_highlights(self, spans: Sequence[Span], current: int = 0) -> None:
        """Mark ``spans`` of the page; ``current`` is shown more strongly and scrolled to."""
        self._spans = tuple(spans)
        self._current = min(max(current, 0), len(self._spans) - 1) if self._spans else -1
        self._apply_highlights()
        self._ensure_current_visible()
        self.highlights_changed.emit(self._current, len(self._spans))

    def step_highlight(self, step: int) -> bool:
        """Move to the next (+1) or previous (-1) highlight, wrapping; False if there are none."""
        if not self._spans:
            return False
        self._current = (self._current + step) % len(self._spans)
        self._apply_highlights()
        self._ensure_current_visible()
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._spans[self._current][0])
        self.setTextCursor(cursor)
        self.highlights_changed.emit(self._current, len(self._spans))
        return True

    def clear_highlights(self) -> bool:
        """Remove every highlight; False if there was none."""
        if not self._spans:
            return False
        self._spans, self._current = (), -1
        self._apply_highlights()
        self.highlights_changed.emit(-1, 0)
        return True

    def _formats(self) -> tuple[QTextCharFormat, QTextCharFormat]:
        from PySide6.QtGui import QColor, QTextCharFormat

        plain, current = QTextCharFormat(), QTextCharFormat()
        for text_format, colours in (
            (plain, mark(self._dark)),
            (current, current_mark(self._dark)),
        ):
            text_format.setBackground(QColor(colours.background))
            text_format.setForeground(QColor(colours.text))
        return plain, current

    def _apply_highlights(self) -> None:
        if not self._spans:
            # No formats made for no marks: their colours set up Qt's enums, which a page
            # shown at start (set_dark) should not wait for (ui/shared/lazy_qt.py).
            self.setExtraSelections([])
            return
        plain, current = self._formats()
        selections: list[QTextEdit.ExtraSelection] = []
        for number, (start, end) in enumerate(self._spans):
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = current if number == self._current else plain
            selections.append(selection)
        self.setExtraSelections(selections)

    def _ensure_current_visible(self) -> None:
        if not (0 <= self._current < len(self._spans)):
            return
        start = self._spans[self._current][0]
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        rect = self.cursorRect(cursor)
        height = self.viewport().height()
        if rect.top() < 0 or rect.bottom() > height:
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + rect.top() - height // 3)

    # -- the focus mark --------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.hasFocus():
            # A frame in the highlight colour while the text has the keyboard focus: the
            # style draws none on a text browser, and a caret alone is easy to miss.
            from PySide6.QtGui import QPainter, QPalette, QPen

            painter = QPainter(self.viewport())
            colour = self.palette().color(QPalette.ColorRole.Highlight)
            painter.setPen(QPen(colour, FOCUS_MARK_WIDTH))
            half = FOCUS_MARK_WIDTH // 2
            painter.drawRect(self.viewport().rect().adjusted(half, half, -half - 1, -half - 1))
            painter.end()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.viewport().update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.viewport().update()

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 - Qt override
        super().scrollContentsBy(dx, dy)
        if self.hasFocus():
            self.viewport().update()  # scrolling moves the pixels: the frame would move too

    # -- keys and menus --------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.clear_highlights():
            event.accept()
            return
        if _moves_caret(event):
            self._bring_caret_into_view()
        super().keyPressEvent(event)

    def _bring_caret_into_view(self) -> None:
        # After scrolling with the wheel or the TOC the caret may be far away; arrow keys
        # should move on from what the reader is looking at, not jump back to the caret.
        rect = self.cursorRect()
        if rect.top() >= 0 and rect.bottom() <= self.viewport().height():
            return
        top = self.top_position()
        cursor = QTextCursor(self.document())
        cursor.setPosition(top)
        self.setTextCursor(cursor)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if event.reason() == event.Reason.Keyboard:
            point = self.cursorRect().center()
        else:
            point = event.pos()
        position = self.cursorForPosition(point).position()
        menu = self.createStandardContextMenu(point)
        if menu is None:
            return
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.context_menu_about_to_show.emit(menu, position)
        menu.popup(self.viewport().mapToGlobal(point))


def _moves_caret(event: QKeyEvent) -> bool:
    """An arrow key without Shift: the caret moves, selecting nothing."""
    arrows = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right)
    return event.key() in arrows and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
