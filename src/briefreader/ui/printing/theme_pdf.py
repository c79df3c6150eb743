"""The open theme painted for paper: to a PDF file (``QPdfWriter``) or to a printer.

The page is ``core.print_theme``'s; the layout (margins, footer with page numbers, headings
kept with their text, no ligature code points, metadata) is ``ui/shared/print_layout``'s.
Both run on a worker of ``BackgroundTasks``. A PDF is written with ``QPdfWriter`` and
``write_atomic``: no print system (``QPrinter`` goes through libcups, which connects to a
print server), and a failed save leaves any earlier file of that name whole.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QPagedPaintDevice

from briefreader.core.atomic import write_atomic
from briefreader.core.model import Briefing
from briefreader.core.print_theme import PRINT_CSS, PrintedTheme, theme_print_html
from briefreader.ui.shared import print_layout
from briefreader.ui.shared.print_layout import PrintMeta
from briefreader.ui.shared.tasks import CancelToken, TaskCancelledError


def printed_theme(briefing: Briefing, theme_id: str) -> PrintedTheme:
    theme = briefing.theme(theme_id)
    if theme is None:
        raise ValueError(f"there is no theme {theme_id!r} in this briefing")
    return theme_print_html(briefing, theme)


def theme_meta(briefing: Briefing, page: PrintedTheme) -> PrintMeta:
    return PrintMeta(title=page.title, subject=briefing.title, footer=page.title)


def theme_pdf_bytes(briefing: Briefing, theme_id: str) -> bytes:
    page = printed_theme(briefing, theme_id)
    return print_layout.pdf_bytes(
        page.html, PRINT_CSS, theme_meta(briefing, page), page.keep_with_next
    )


def save_theme_pdf(
    briefing: Briefing, theme_id: str, path: Path, token: CancelToken | None = None
) -> Path:
    """Write the theme as a PDF to ``path``; the path written."""
    if token is not None and token.cancelled:
        raise TaskCancelledError
    write_atomic(path, theme_pdf_bytes(briefing, theme_id))
    return path


def print_theme(
    briefing: Briefing, theme_id: str, device: QPagedPaintDevice, token: CancelToken | None = None
) -> int:
    """Paint the theme on a printer the reader chose (its page size kept, our margins); the
    number of pages."""
    if token is not None and token.cancelled:
        raise TaskCancelledError
    page = printed_theme(briefing, theme_id)
    layout = device.pageLayout()
    layout.setUnits(print_layout.page_layout().units())
    layout.setMargins(print_layout.page_layout().margins())
    device.setPageLayout(layout)
    document = print_layout.make_document(page.html, PRINT_CSS, page.title)
    return print_layout.paint_pages(document, device, page.title, page.keep_with_next)
