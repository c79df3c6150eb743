"""The tray's briefing note written to a file, in the format its name asks for.

``core/export`` makes the note's text (Markdown, HTML, no Qt); this module writes it: .md and
.html as they are, .pdf laid out by Qt's rich text and painted by ``QPdfWriter``. Not
``QPrinter``: that goes through the print system (libcups), which opens a connection to a
print server on port 631, and the app opens none. Every format is written through
``write_atomic``, so a failed export leaves any earlier file of that name whole.

The writing runs on a worker of the window's :class:`BackgroundTasks`: the whole PDF, the
``QTextDocument`` included, is made there (Qt lays out and paints rich text off the GUI thread
into a paint device that is not a widget). How the pages are laid out, and why not with
``QTextDocument.print_``, is in ``ui/shared/print_layout.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from briefreader.core.atomic import write_atomic
from briefreader.core.export import BriefingNote, html_body, print_stylesheet, to_html, to_markdown
from briefreader.ui.shared import print_layout
from briefreader.ui.shared.print_layout import PrintMeta
from briefreader.ui.shared.tasks import BackgroundTasks, CancelToken, Task, TaskCancelledError

SUFFIXES = (".md", ".markdown", ".html", ".htm", ".pdf")


def check_suffix(path: Path) -> None:
    """Raise ``ValueError`` naming the file unless its suffix is one the note can be written as."""
    if path.suffix.lower() not in SUFFIXES:
        raise ValueError(f"cannot export to {path.name}: use .md, .html or .pdf")


def note_meta(note: BriefingNote) -> PrintMeta:
    """What the note's PDF says about itself: title, author, meeting; and its page footer."""
    footer = " — ".join(part for part in (note.title, note.meeting) if part)
    return PrintMeta(title=note.title, author=note.author, subject=note.meeting, footer=footer)


def pdf_bytes(note: BriefingNote) -> bytes:
    """The note as a PDF for print (A4; ``ui/shared/print_layout``), made on this thread."""
    return print_layout.pdf_bytes(
        html_body(note, for_print=True), print_stylesheet(), note_meta(note)
    )


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
