"""The tray's briefing note written to a file, in the format its name asks for.

``core/export`` makes the note's text (Markdown, HTML, no Qt); this module writes it: .md and
.html as they are, .pdf laid out by Qt's rich text and painted by ``QPdfWriter``. Not
``QPrinter``: that goes through the print system (libcups), which opens a connection to a
print server on port 631, and the app opens none. Every format is written through
``write_atomic``, so a failed export leaves any earlier file of that name whole.

The writing runs on a worker of the window's :class:`BackgroundTasks`: the whole PDF, the
``QTextDocument`` included, is made there (Qt lays out and paints rich text off the GUI thread
into a paint device that is not a widget).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from briefreader.core.atomic import write_atomic
from briefreader.core.export import BriefingNote, html_body, stylesheet, to_html, to_markdown
from briefreader.ui.shared.tasks import BackgroundTasks, CancelToken, Task, TaskCancelledError

SUFFIXES = (".md", ".markdown", ".html", ".htm", ".pdf")
PDF_MARGIN_MM = 20
PDF_RESOLUTION = 1200  # as QPrinter.HighResolution: the same layout as a print to PDF


def check_suffix(path: Path) -> None:
    """Raise ``ValueError`` naming the file unless its suffix is one the note can be written as."""
    if path.suffix.lower() not in SUFFIXES:
        raise ValueError(f"cannot export to {path.name}: use .md, .html or .pdf")


def pdf_bytes(note: BriefingNote) -> bytes:
    """The note as a PDF (A4, 20 mm margins), made on the calling thread."""
    document = QTextDocument()
    document.setDefaultStyleSheet(stylesheet())
    document.setDefaultFont(QFont("Serif", 11))
    document.setHtml(f"<html><body>{html_body(note)}</body></html>")
    document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, note.title)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_RESOLUTION)
    writer.setTitle(note.title)
    writer.setCreator("BriefReader")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(PDF_MARGIN_MM, PDF_MARGIN_MM, PDF_MARGIN_MM, PDF_MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    document.print_(writer)
    buffer.close()
    payload = bytes(data.data())
    if not payload.startswith(b"%PDF-"):
        raise OSError("Qt made no PDF")
    return payload


def write_note(note: BriefingNote, path: Path, token: CancelToken | None = None) -> Path:
    """Write the note to ``path`` in the format its suffix names; the path written."""
    check_suffix(path)
    # Quitting before the work starts skips it; once the note is made, writing it is quick,
    # so it is finished rather than lose what the reader asked for.
    if token is not None and token.cancelled:
        raise TaskCancelledError
    suffix = path.suffix.lower()
    data: str | bytes
    if suffix in (".md", ".markdown"):
        data = to_markdown(note)
    elif suffix in (".html", ".htm"):
        data = to_html(note)
    else:
        data = pdf_bytes(note)
    write_atomic(path, data)
    return path


def export_in_background(
    tasks: BackgroundTasks,
    note: BriefingNote,
    path: Path,
    on_done: Callable[[Path], None],
    on_error: Callable[[BaseException], None],
) -> Task[Path]:
    """Write the note on a worker; ``on_done(path)`` or ``on_error(error)`` on the GUI thread."""
    return tasks.run(lambda token: write_note(note, path, token), on_done, on_error)
