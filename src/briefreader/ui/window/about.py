"""About BriefReader: the sources, the edition, the version, where files live, a content note."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from briefreader import __version__
from briefreader.core.model import Briefing
from briefreader.ui.reading.reader import OfflineBrowser

CONTENT_NOTE = (
    "This briefing is about the sexual abuse and exploitation of children online. It reports "
    "findings, figures and statements on grooming, sexual extortion and child sexual abuse "
    "material, in its sources' own words. It contains no images."
)


def about_html(briefing: Briefing, *, index_dir: Path, data_dir: Path, settings_file: str) -> str:
    e = html.escape
    rows = []
    for document in briefing.documents:
        address = (
            # The address the text gives is not always the document's own (the press release
            # gives the full report's): say what it is the address of.
            f"{e(document.url_label or 'address')}: "
            f'<a href="{e(document.url, quote=True)}">{e(document.url)}</a>'
            if document.url
            else "no web address is given in the source"
        )
        rows.append(
            f"<li><p><b><i>{e(document.title)}</i></b> ({e(document.kind)})<br>"
            f"{e(document.publisher)}, "
            f"{e(document.date_text)}<br>{address}</p></li>"
        )
    return (
        f"<h2>{e(briefing.title)}</h2>"
        f"<p>Edition {e(briefing.edition)} · BriefReader {e(__version__)}</p>"
        f"<h3>Content note</h3><p>{e(CONTENT_NOTE)}</p>"
        "<h3>Sources</h3>"
        "<p>Every passage is quoted from these documents, in their words:</p>"
        f"<ul>{''.join(rows)}</ul>"
        "<h3>Where BriefReader keeps its files</h3>"
        "<p>BriefReader works offline and makes no network connection.</p>"
        '<table cellpadding="3">'
        f"<tr><td>Search index (a cache, rebuilt when needed)</td><td>{e(str(index_dir))}</td></tr>"
        f"<tr><td>Your data (excerpts)</td><td>{e(str(data_dir))}</td></tr>"
        f"<tr><td>Settings</td><td>{e(settings_file)}</td></tr>"
        "</table>"
    )


class AboutDialog(QDialog):
    def __init__(self, page: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About BriefReader")
        self.resize(640, 560)
        layout = QVBoxLayout(self)
        self.icon = QLabel(self)
        self.icon.setPixmap(QApplication.windowIcon().pixmap(64, 64))
        self.icon.setAccessibleName("BriefReader icon")
        layout.addWidget(self.icon, alignment=Qt.AlignmentFlag.AlignHCenter)
        self.browser = OfflineBrowser(self)
        self.browser.setAccessibleName("About BriefReader")
        self.browser.setHtml(page)
        self.browser.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
