"""Rich text laid out for paper: pages with a footer, headings kept with their text, real
words in the PDF's text, and the document's metadata.

Used for the excerpt tray's briefing note and for a theme printed or saved as PDF. Qt's own
``QTextDocument.print_`` is not used, for what it does to a page (as measured on Qt 6.11):

- A document without a page size gets 2 cm of margin of its own inside the printer's, so a
  20 mm page margin became about 40 mm and seven short excerpts took six pages. Here the
  document is laid out on the page's paint rectangle, with no margin of its own.
- It breaks pages wherever a line falls: a heading could stand alone at a page's foot. Here
  a heading (or a line marked to keep with what follows, like a "From …" source line) moves
  to the next page unless the first lines after it fit below it, a short section (under
  :data:`KEEP_TOGETHER` of a page) is moved whole rather than split, and so is a paragraph of
  up to :data:`SHORT_BLOCK_LINES` lines.
- Qt's PDF engine writes ligature glyphs with ligature code points (U+FB01 for "fi"), so
  ``pdftotext`` and a viewer's search did not find "briefing" or "first". Turning off the
  font features ``liga``, ``clig`` and ``dlig`` on the document's default font (which the
  stylesheet's font families inherit) gives plain letters; measured with ``pdftotext``. The
  font's ``PreferNoShaping`` strategy did too, but drops kerning as well; letter spacing and
  the stylesheet's ``font-feature-settings`` and ``letter-spacing`` did not.
- Title and author go in the PDF's information dictionary (``QPdfWriter.setTitle`` and
  ``setAuthor``); the XMP metadata stream adds the language and the subject. Qt's PDF engine
  cannot write a tagged (structured) PDF, and writes no ``/Lang`` in the document catalog:
  ``core.pdf_language`` adds it with an incremental update.

Everything here runs on any thread: the tray's and the theme's PDFs are made on a worker of
``BackgroundTasks`` (rich text is laid out and painted off the GUI thread into a paint device
that is not a widget). ``QPdfWriter`` is used for PDF files, never ``QPrinter``: QPrinter
goes through the print system (libcups), which connects to a print server on port 631.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextBlock,
    QTextCursor,
    QTextDocument,
)

from briefreader.core.pdf_language import add_catalog_language

PDF_RESOLUTION = 1200  # as QPrinter.HighResolution: the same layout as a print
# Page margins in millimetres (left, top, right, bottom); the footer sits in the bottom one's
# upper part, so the text keeps a clear 20 mm or more from every edge.
MARGINS_MM = (22.0, 20.0, 22.0, 22.0)
FOOTER_GAP_MM = 5.0  # between the last line of text and the footer's baseline area
FOOTER_POINT_SIZE = 8.5
BODY_POINT_SIZE = 11
KEEP_LINES = 2  # a heading keeps at least this many lines of what follows on its page
SHORT_BLOCK_LINES = 3  # a paragraph this short is not split across pages
KEEP_TOGETHER = 0.25  # a section shorter than this part of a page is not split
FONT_FAMILY = "Serif"
# Letters a ligature would join: each one written as its own glyph, so the text is the words.
LIGATURE_FEATURES = ("liga", "clig", "dlig")


@dataclass(frozen=True, slots=True)
class PrintMeta:
    """What the PDF says about itself, and what each page's footer shows."""

    title: str
    author: str = ""
    subject: str = ""  # e.g. the meeting, or the briefing a theme comes from
    language: str = "en-GB"  # BCP 47, as the briefing's sources are written
    footer: str = ""  # left of the page number; the title when empty


def print_font(point_size: float = BODY_POINT_SIZE) -> QFont:
    """The default font for printed rich text: serif, with no ligatures."""
    font = QFont(FONT_FAMILY, -1)
    font.setPointSizeF(point_size)
    font.setStyleHint(QFont.StyleHint.Serif)
    for tag in LIGATURE_FEATURES:
        font.setFeature(QFont.Tag(tag), 0)
    return font


def make_document(body_html: str, stylesheet: str, title: str) -> QTextDocument:
    """A rich-text document of ``body_html`` for printing (no parent: any thread)."""
    document = QTextDocument()
    document.setDefaultStyleSheet(stylesheet)
    document.setDefaultFont(print_font())
    document.setDocumentMargin(0)
    document.setHtml(f"<html><body>{body_html}</body></html>")
    document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
    return document


def page_layout() -> QPageLayout:
    left, top, right, bottom = MARGINS_MM
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Portrait,
        QMarginsF(left, top, right, bottom),
        QPageLayout.Unit.Millimeter,
    )


def _mm(device: QPagedPaintDevice, millimetres: float) -> float:
    return millimetres / 25.4 * device.logicalDpiY()


def _is_keeper(block: QTextBlock, keep_with_next: frozenset[str]) -> bool:
    text = block.text().strip()
    return bool(text) and (
        block.blockFormat().headingLevel() > 0 or " ".join(text.split()) in keep_with_next
    )


def _text_span(document: QTextDocument, block: QTextBlock) -> tuple[float, float]:
    """The top of a block's first line and the bottom of its last, on the document.

    ``blockBoundingRect`` is not that: its top is the layout's position, above the block's
    top margin, and its height the lines' only (as measured on Qt 6.11).
    """
    top = document.documentLayout().blockBoundingRect(block).top()
    lines = block.layout()
    if lines.lineCount() == 0:
        return top, top
    first, last = lines.lineAt(0), lines.lineAt(lines.lineCount() - 1)
    return top + first.y(), top + last.y() + last.height()


def _blocks(document: QTextDocument) -> list[QTextBlock]:
    found = []
    block = document.firstBlock()
    while block.isValid():
        found.append(block)
        block = block.next()
    return found


def _move_to_next_page(
    document: QTextDocument, block: QTextBlock, top: float, page_height: float
) -> bool:
    """Push ``block`` (whose first line starts at ``top``) down to the top of the next page,
    by growing its top margin.

    Not with a page break before it: after a table, Qt's "break before" went two pages on
    (measured on Qt 6.11: a page left blank but for a cut line). A margin is in CSS pixels,
    which Qt scales to the device (1200 dpi here) by the screen's dots per inch, and margins
    between blocks collapse: so the move is measured and corrected.
    """
    layout = document.documentLayout()
    epsilon = page_height / 1000
    target = (int((top + epsilon) // page_height) + 1) * page_height
    device = layout.paintDevice()
    # A first guess at device pixels per margin pixel (96 to the inch, as most screens);
    # each try measures what a pixel moved the block, and the next corrects with that.
    scale = (device.logicalDpiY() if device is not None else 96.0) / 96.0
    for _attempt in range(4):
        fmt = block.blockFormat()
        step = (target - top) / scale
        fmt.setTopMargin(max(0.0, fmt.topMargin() + step))
        QTextCursor(block).setBlockFormat(fmt)
        layout.documentSize()
        moved_to = _text_span(document, block)[0]
        if abs(moved_to - target) < epsilon:
            return True
        if abs(moved_to - top) > epsilon and abs(step) > 0:
            scale = (moved_to - top) / step  # what one pixel of margin measured
        top = moved_to
    return False


def _first_cut(
    document: QTextDocument, blocks: list[QTextBlock], page_height: float, stuck: set[int]
) -> tuple[QTextBlock, float] | None:
    """The first block (outside tables) that a page's edge cuts badly, and its top: a line
    cut in two, or a block of up to :data:`SHORT_BLOCK_LINES` lines split across pages (a
    speaker's two-line attribution left its last word on the next page).

    Qt moves a line that would cross the foot of a page to the next one; but with a page
    break before a block that follows a table, a line was printed half on each page
    (measured on Qt 6.11, which is why moves are margins, not page breaks). The check stays,
    so that no layout can print a cut line.
    """
    layout = document.documentLayout()
    epsilon = page_height / 1000
    for block in blocks:
        if (
            not block.text().strip()
            or block.blockNumber() in stuck
            or QTextCursor(block).currentTable() is not None
        ):
            continue
        top = layout.blockBoundingRect(block).top()
        text_top, text_bottom = _text_span(document, block)
        if (text_top + epsilon) % page_height < 2 * epsilon:
            continue  # at the top of a page: moving it would leave a blank page
        lines = block.layout()
        first_page = int((text_top + epsilon) // page_height)
        if (
            lines.lineCount() <= SHORT_BLOCK_LINES
            and int((text_bottom - epsilon) // page_height) != first_page
        ):
            return block, text_top
        for number in range(lines.lineCount()):
            line = lines.lineAt(number)
            line_top = top + line.y()
            line_bottom = line_top + line.height()
            # Within a thousandth of a page counts as on the edge, not across it.
            if int((line_top + epsilon) // page_height) != int(
                (line_bottom - epsilon) // page_height
            ):
                return block, text_top
    return None


def _first_parted(
    document: QTextDocument,
    blocks: list[QTextBlock],
    page_height: float,
    keep_with_next: frozenset[str],
    stuck: set[int],
) -> tuple[QTextBlock, float] | None:
    """The first heading (or line to keep with the next) parted from what follows it, or
    heading a short section that a page's edge splits; and its top."""
    layout = document.documentLayout()
    epsilon = page_height / 1000
    for number, block in enumerate(blocks):
        if not _is_keeper(block, keep_with_next) or block.blockNumber() in stuck:
            continue
        top, bottom = _text_span(document, block)
        # Qt's positions are floating point: a block "at" a page's top may be a hair above
        # it, and moving it would leave that page blank.
        page = int((top + epsilon) // page_height)
        if top + epsilon - page * page_height < 2 * epsilon:
            continue  # already at the top of a page
        # The first lines of the first block after the run of keepers it heads.
        follower = next(
            (
                b
                for b in blocks[number + 1 :]
                if b.text().strip() and not _is_keeper(b, keep_with_next)
            ),
            None,
        )
        need = bottom
        if follower is not None and follower.layout().lineCount():
            lines = follower.layout()
            line = lines.lineAt(min(KEEP_LINES, lines.lineCount()) - 1)
            need = layout.blockBoundingRect(follower).top() + line.y() + line.height()
        # A short section (up to the next heading) is not split either.
        end = need
        for later in blocks[number + 1 :]:
            if later.blockFormat().headingLevel() > 0:
                break
            if later.text().strip():
                end = max(end, _text_span(document, later)[1])
        if end - top >= KEEP_TOGETHER * page_height:
            end = need
        if int((end - epsilon) // page_height) != page:
            return block, top
    return None


def keep_headings_with_text(
    document: QTextDocument, page_height: float, keep_with_next: frozenset[str] = frozenset()
) -> int:
    """Move headings (and blocks whose text is in ``keep_with_next``) to the next page
    wherever they would be parted from their text, and lines cut by a page's edge; the
    number of moves made.

    The document must be laid out with its page size set. Each move changes the layout of
    everything after it, and nothing before it: so the first problem is mended first, and
    the check runs again after each move.
    """
    layout = document.documentLayout()
    moves = 0
    stuck: set[int] = set()
    for _round in range(1000):
        # Qt lays a changed document out lazily, piece by piece: a block not yet laid out
        # has an empty rectangle (and was not painted). Asking for the size lays out all.
        layout.documentSize()
        blocks = _blocks(document)
        problems = [
            found
            for found in (
                _first_cut(document, blocks, page_height, stuck),
                _first_parted(document, blocks, page_height, keep_with_next, stuck),
            )
            if found is not None
        ]
        if not problems:
            break
        block, top = min(problems, key=lambda found: found[1])
        if not _move_to_next_page(document, block, top, page_height):
            stuck.add(block.blockNumber())  # what a margin cannot move is left where it is
        moves += 1
    return moves


def _draw_footer(
    painter: QPainter, device: QPagedPaintDevice, rect: QRectF, left: str, *, page: int, pages: int
) -> None:
    font = print_font(FOOTER_POINT_SIZE)
    painter.save()
    painter.setFont(font)
    painter.setPen(QColor("#555555"))
    right = f"Page {page} of {pages}"
    metrics = QFontMetricsF(font, device)
    room = rect.width() - metrics.horizontalAdvance(right) - _mm(device, 6)
    painter.drawText(
        rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
        metrics.elidedText(left, Qt.TextElideMode.ElideRight, room),
    )  # fmt: skip
    painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, right)
    painter.restore()


def paint_pages(
    document: QTextDocument,
    device: QPagedPaintDevice,
    footer: str,
    keep_with_next: frozenset[str] = frozenset(),
) -> int:
    """Lay ``document`` out on ``device``'s pages and paint them, each with a footer; the
    number of pages. ``device`` has its page layout set (its paint rectangle is the text's)."""
    width, height = float(device.width()), float(device.height())
    footer_font = print_font(FOOTER_POINT_SIZE)
    footer_height = QFontMetricsF(footer_font, device).height()
    body_height = height - footer_height - _mm(device, FOOTER_GAP_MM)
    document.documentLayout().setPaintDevice(device)
    document.setPageSize(QSizeF(width, body_height))
    keep_headings_with_text(document, body_height, keep_with_next)
    document.documentLayout().documentSize()  # everything laid out before it is painted
    pages = document.pageCount()
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("the page could not be drawn on")
    try:
        for page in range(pages):
            if page:
                device.newPage()
            painter.save()
            painter.setClipRect(QRectF(0, 0, width, body_height))
            painter.translate(0, -page * body_height)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = QRectF(0, page * body_height, width, body_height)
            document.documentLayout().draw(painter, context)
            painter.restore()
            footer_rect = QRectF(QPointF(0, height - footer_height), QSizeF(width, footer_height))
            _draw_footer(painter, device, footer_rect, footer, page=page + 1, pages=pages)
    finally:
        painter.end()
    return pages


def xmp_metadata(meta: PrintMeta, when: datetime | None = None) -> bytes:
    """The PDF's XMP metadata: title, author, subject, language, tool and dates."""
    stamp = (when or datetime.now(UTC)).isoformat(timespec="seconds")

    def esc(text: str) -> str:
        return html.escape(text, quote=True)

    creator = f"<rdf:Seq><rdf:li>{esc(meta.author)}</rdf:li></rdf:Seq>" if meta.author else ""
    subject = (
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{esc(meta.subject)}</rdf:li>'
        "</rdf:Alt></dc:description>"
        if meta.subject
        else ""
    )
    text = (
        "<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>"
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" '
        f'xmp:CreatorTool="BriefReader" xmp:CreateDate="{stamp}" xmp:ModifyDate="{stamp}" '
        f'xmp:MetadataDate="{stamp}" pdf:Producer="BriefReader (Qt)">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{esc(meta.title)}</rdf:li>'
        "</rdf:Alt></dc:title>"
        + (f"<dc:creator>{creator}</dc:creator>" if creator else "")
        + subject
        + f"<dc:language><rdf:Bag><rdf:li>{esc(meta.language)}</rdf:li></rdf:Bag></dc:language>"
        "<dc:format>application/pdf</dc:format>"
        "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>"
    )
    return text.encode("utf-8")


def prepare_writer(writer: QPdfWriter, meta: PrintMeta) -> None:
    writer.setResolution(PDF_RESOLUTION)
    writer.setTitle(meta.title)
    writer.setAuthor(meta.author)
    writer.setCreator("BriefReader")
    writer.setDocumentXmpMetadata(QByteArray(xmp_metadata(meta)))
    writer.setPageLayout(page_layout())


def pdf_bytes(
    body_html: str,
    stylesheet: str,
    meta: PrintMeta,
    keep_with_next: frozenset[str] = frozenset(),
) -> bytes:
    """``body_html`` as a PDF (A4), made on the calling thread with ``QPdfWriter``."""
    document = make_document(body_html, stylesheet, meta.title)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    prepare_writer(writer, meta)
    paint_pages(document, writer, meta.footer or meta.title, keep_with_next)
    buffer.close()
    payload = bytes(data.data())
    if not payload.startswith(b"%PDF-"):
        raise OSError("Qt made no PDF")
    return add_catalog_language(payload, meta.language)
