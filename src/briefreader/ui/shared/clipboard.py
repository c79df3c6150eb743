"""Putting a formatted excerpt on the system clipboard in three formats at once.

``text/plain`` carries the whole citation, because most paste targets read nothing else
(and on Windows and macOS ``text/markdown`` reaches only other Qt apps). The HTML
starts with a charset declaration so that word processors read the curly quotes and dashes
as UTF-8. On Wayland only the focused window may set the clipboard, so callers copy inside
the key or menu handler, never later from a timer.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QMimeData
from PySide6.QtGui import QClipboard, QGuiApplication, QKeyEvent, QKeySequence

from briefreader.core.excerpts import FormattedExcerpt

MARKDOWN = "text/markdown"
HTML_PREFIX = '<meta charset="utf-8">'


def mime_data(formatted: FormattedExcerpt) -> QMimeData:
    """The three forms as one clipboard payload."""
    data = QMimeData()
    data.setText(formatted.plain)
    data.setHtml(HTML_PREFIX + formatted.html)
    data.setData(MARKDOWN, QByteArray(formatted.markdown.encode("utf-8")))
    return data


def copy_formatted(formatted: FormattedExcerpt, clipboard: QClipboard | None = None) -> bool:
    """Put an excerpt on the clipboard; False if there is no clipboard to put it on."""
    clipboard = clipboard or QGuiApplication.clipboard()
    if clipboard is None:
        return False
    clipboard.setMimeData(mime_data(formatted), QClipboard.Mode.Clipboard)
    return True


def claims_copy(event: QEvent) -> bool:
    """Whether ``event`` is Ctrl+C about to reach the window's Copy; a widget that copies with
    a citation accepts it, so that its own copy runs and nothing is copied bare."""
    if (
        event.type() == QEvent.Type.ShortcutOverride
        and isinstance(event, QKeyEvent)
        and event.matches(QKeySequence.StandardKey.Copy)
    ):
        event.accept()
        return True
    return False
