"""The briefing note as a PDF made for print, read back with poppler as a reader's viewer
would: its words (no ligature code points), its metadata, its margins, its page count, and
no heading parted from its text.

A QGuiApplication exists (pytest-qt's ``qapp``): the PDF is laid out and painted in this
process, by the same code the tray's export runs on a worker.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSizeF
from PySide6.QtGui import QPdfWriter
from PySide6.QtWidgets import QApplication

from briefreader.core.content import load_briefing
from briefreader.core.excerpts import excerpt_from_section
from briefreader.core.export import BriefingNote, html_body, print_stylesheet
from briefreader.core.locations import bundled_content_dir
from briefreader.core.model import Briefing
from briefreader.core.pdf_language import catalog_language
from briefreader.core.print_theme import PRINT_CSS
from briefreader.ui.excerpts.export import note_meta, pdf_bytes
from briefreader.ui.printing.theme_pdf import printed_theme
from briefreader.ui.shared import print_layout

# Seven excerpts, as a delegate collects them: findings, a recommendation, two statements,
# an annual-review passage; their words include "first", "officials" (ligature pairs).
SEVEN = [
    "threat-assessment/financial-sexual-extortion",
    "threat-assessment/generative-ai",
    "voices/etienne-krug",
    "knowledge/global-threat-assessment",
    "recommendations/safety-by-design",
    "voices/jacqueline-beauchere",
    "collaboration/new-members",
]
LIGATURES = re.compile("[\ufb00-\ufb06]")
POINTS_PER_MM = 72 / 25.4


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return load_briefing(bundled_content_dir())


@pytest.fixture
def poppler() -> None:
    for tool in ("pdftotext", "pdfinfo"):
        if shutil.which(tool) is None:
            pytest.skip(f"needs {tool} to read the PDF back (apt-get install poppler-utils)")


def _run(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True, timeout=60).stdout


def _note(briefing: Briefing) -> BriefingNote:
    items = []
    for number, section_id in enumerate(SEVEN):
        section = briefing.section(section_id)
        assert section is not None, section_id
        items.append((excerpt_from_section(briefing, section), "Use this." if number == 1 else ""))
    return BriefingNote(
        tuple(items),
        title="Notes for the ministerial round table",
        subtitle=briefing.title,
        meeting="Ministerial round table on online safety",
        author="A. Delegate, Ministry of Justice",
    )


@pytest.fixture
def note_pdf(qapp: QApplication, briefing: Briefing, tmp_path: Path) -> tuple[BriefingNote, Path]:
    note = _note(briefing)
    path = tmp_path / "note.pdf"
    path.write_bytes(pdf_bytes(note))
    return note, path


@pytest.mark.usefixtures("poppler")
def test_the_text_is_the_words_not_ligatures(note_pdf: tuple[BriefingNote, Path]) -> None:
    note, path = note_pdf
    text = _run("pdftotext", "-enc", "UTF-8", str(path), "-")
    assert not LIGATURES.search(text), "the PDF's text has ligature code points"
    words = " ".join(text.split())
    for word in ("briefing", "first", "officials", "financial", "flagship"):
        assert re.search(rf"\b{word}\b", words), f"{word!r} is not found in the PDF's text"
    for excerpt, _ in note.items:
        first_words = " ".join(excerpt.quote.split())[:50]
        assert first_words in words, first_words


@pytest.mark.usefixtures("poppler")
def test_the_metadata_names_title_author_subject_and_language(
    note_pdf: tuple[BriefingNote, Path],
) -> None:
    note, path = note_pdf
    info = _run("pdfinfo", str(path))
    assert re.search(rf"^Title:\s+{re.escape(note.title)}$", info, re.MULTILINE)
    assert re.search(rf"^Author:\s+{re.escape(note.author)}$", info, re.MULTILINE)
    meta = _run("pdfinfo", "-meta", str(path))
    assert "<dc:language><rdf:Bag><rdf:li>en-GB</rdf:li>" in meta
    assert note.meeting in meta and note.author in meta
    # Qt writes no /Lang: it is added by an incremental update poppler reads (pdfinfo above).
    assert catalog_language(path.read_bytes()) == "en-GB"
    assert re.search(r"^Tagged:\s+no$", info, re.MULTILINE)  # Qt cannot tag a PDF


@pytest.mark.usefixtures("poppler")
def test_seven_excerpts_fit_three_pages_with_margins_of_20_to_25_mm(
    note_pdf: tuple[BriefingNote, Path],
) -> None:
    _note, path = note_pdf
    info = _run("pdfinfo", str(path))
    pages = int(re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert 2 <= pages <= 3
    boxes = _run("pdftotext", "-bbox", str(path), "-")
    page_width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))  # type: ignore[union-attr]
    lefts = [float(x) for x in re.findall(r'xMin="([\d.]+)"', boxes)]
    rights = [float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes)]
    tops = [float(y) for y in re.findall(r'yMin="([\d.]+)"', boxes)]
    assert 20 <= min(lefts) / POINTS_PER_MM <= 25
    assert 20 <= (page_width - max(rights)) / POINTS_PER_MM <= 26  # lines end short of it
    assert 18 <= min(tops) / POINTS_PER_MM <= 25
    # Every page has text of its own, not only the footer.
    for page in range(1, pages + 1):
        words = _run("pdftotext", "-f", str(page), "-l", str(page), str(path), "-").split()
        assert len(words) > 30, f"page {page} is nearly empty: {words}"


def _headings_kept(document: object, page_height: float) -> list[str]:
    """Headings whose first two lines of text that follow are on another page."""
    from PySide6.QtGui import QTextDocument

    assert isinstance(document, QTextDocument)
    layout = document.documentLayout()
    blocks = []
    block = document.firstBlock()
    while block.isValid():
        blocks.append(block)
        block = block.next()
    parted = []
    for number, block in enumerate(blocks):
        if block.blockFormat().headingLevel() == 0:
            continue
        # Where its first line is: Qt may push a line that would cross a page's foot down
        # to the next page, below the block's own top.
        top = layout.blockBoundingRect(block).top() + block.layout().lineAt(0).y()
        follower = next(
            b
            for b in blocks[number + 1 :]
            if b.text().strip() and b.blockFormat().headingLevel() == 0
        )
        lines = follower.layout()
        line = lines.lineAt(min(2, lines.lineCount()) - 1)
        bottom = layout.blockBoundingRect(follower).top() + line.y() + line.height()
        epsilon = page_height / 1000
        if int((top + epsilon) // page_height) != int((bottom - epsilon) // page_height):
            parted.append(block.text())
    return parted


@pytest.mark.parametrize("what", ["note", "voices", "threat-assessment"])
def test_no_heading_is_parted_from_its_text(
    qapp: QApplication, briefing: Briefing, what: str
) -> None:
    keep: frozenset[str] = frozenset()
    if what == "note":
        html, css = html_body(_note(briefing), for_print=True), print_stylesheet()
    else:
        page = printed_theme(briefing, what)
        html, css, keep = page.html, PRINT_CSS, page.keep_with_next
    document = print_layout.make_document(html, css, "t")
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    print_layout.prepare_writer(writer, note_meta(_note(briefing)))
    # Without the keeping, this layout parts at least one heading (or the test means little).
    pages = print_layout.paint_pages(document, writer, "footer", keep)
    assert pages >= 2
    assert _headings_kept(document, document.pageSize().height()) == []
    buffer.close()
    assert bytes(data.data()).startswith(b"%PDF-")


def test_without_keeping_a_heading_would_be_parted(qapp: QApplication, briefing: Briefing) -> None:
    """The guard above is not idle: Qt's own layout of the same text, on pages of several
    heights, parts headings from their text; kept, none is."""
    page = printed_theme(briefing, "voices")
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    print_layout.prepare_writer(writer, note_meta(_note(briefing)))
    parted_by_qt = 0
    for share in (0.62, 0.7, 0.78, 0.86, 0.94):
        document = print_layout.make_document(page.html, PRINT_CSS, "t")
        height = writer.height() * share
        document.documentLayout().setPaintDevice(writer)
        document.setPageSize(QSizeF(writer.width(), height))
        document.documentLayout().documentSize()
        parted_by_qt += len(_headings_kept(document, height))
        print_layout.keep_headings_with_text(document, height, page.keep_with_next)
        document.documentLayout().documentSize()
        assert _headings_kept(document, height) == [], f"at {share:.0%} of a page"
    assert parted_by_qt > 0, "Qt parted no heading: this test shows nothing"
