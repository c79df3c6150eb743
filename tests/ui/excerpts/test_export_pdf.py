"""The PDF export: made without the print system (no network), and its text is the quotes'.

Qt's ``QPrinter`` goes through libcups, which connects to a print server on port 631; the
export uses ``QPdfWriter``, which does not. A fresh process exports a note of three excerpts
the way the tray does (on a worker of ``BackgroundTasks``) under ``strace``, and every
network call it makes is read back; ``pdftotext`` then reads the PDF as a reader's viewer
would.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from briefreader.core.content import load_briefing
from briefreader.core.excerpts import excerpt_from_section
from briefreader.core.export import BriefingNote
from briefreader.ui.excerpts.export import write_note
from briefreader.ui.shared.tasks import CancelToken, TaskCancelledError

MINI = Path(__file__).resolve().parents[2] / "data" / "mini"
SECTIONS = [
    "threat-assessment/financial-sexual-extortion",
    "threat-assessment/safety-by-design",
    "voices/jacqueline-beauchere",
]

_EXPORTER = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QGuiApplication

    from briefreader.core.content import load_briefing
    from briefreader.core.excerpts import excerpt_from_section
    from briefreader.core.export import BriefingNote
    from briefreader.ui.excerpts.export import export_in_background
    from briefreader.ui.shared.tasks import BackgroundTasks

    app = QGuiApplication([])
    briefing = load_briefing(Path(sys.argv[1]))
    sections = [briefing.section(s) for s in sys.argv[3:]]
    note = BriefingNote(
        tuple((excerpt_from_section(briefing, s), "") for s in sections if s is not None)
    )
    loop = QEventLoop()
    outcome = []

    def report(result):
        outcome.append(result)
        loop.quit()

    tasks = BackgroundTasks()
    export_in_background(tasks, note, Path(sys.argv[2]), report, report)
    QTimer.singleShot(60_000, loop.quit)
    loop.exec()
    tasks.shutdown()
    print(outcome)
    sys.exit(0 if outcome and isinstance(outcome[0], Path) else 1)
    """
)

# File ▸ Save Theme as PDF, as the window runs it: on a worker of BackgroundTasks.
_THEME_SAVER = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QGuiApplication

    from briefreader.core.content import load_briefing
    from briefreader.ui.printing.theme_pdf import save_theme_pdf
    from briefreader.ui.shared.tasks import BackgroundTasks

    app = QGuiApplication([])
    briefing = load_briefing(Path(sys.argv[1]))
    loop = QEventLoop()
    outcome = []

    def report(result):
        outcome.append(result)
        loop.quit()

    tasks = BackgroundTasks()
    target = Path(sys.argv[2])
    tasks.run(lambda token: save_theme_pdf(briefing, sys.argv[3], target, token), report, report)
    QTimer.singleShot(60_000, loop.quit)
    loop.exec()
    tasks.shutdown()
    print(outcome)
    sys.exit(0 if outcome and isinstance(outcome[0], Path) else 1)
    """
)

# The same harness, made to connect: the trace must see it, or the check above means nothing.
_CONNECTS = textwrap.dedent(
    """
    import socket
    try:
        socket.create_connection(("127.0.0.1", 631), timeout=1).close()
    except OSError:
        pass
    """
)

_INET_CONNECT = re.compile(r"\bconnect\(\d+, \{sa_family=AF_INET6?\b")


def _traced(tmp_path: Path, args: list[str]) -> tuple[subprocess.CompletedProcess[str], str]:
    trace = tmp_path / "network.trace"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        ["strace", "-f", "-e", "trace=network", "-o", str(trace), sys.executable, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    return done, trace.read_text(encoding="utf-8", errors="replace")


@pytest.fixture
def tools() -> None:
    if shutil.which("strace") is None:
        pytest.skip("needs strace to watch the export's network calls (apt-get install strace)")
    if shutil.which("pdftotext") is None:
        pytest.skip("needs pdftotext to read the PDF back (apt-get install poppler-utils)")


@pytest.mark.usefixtures("tools")
def test_pdf_is_made_without_the_network_and_holds_the_quotes(tmp_path: Path) -> None:
    control, control_trace = _traced(tmp_path, ["-c", _CONNECTS])
    assert control.returncode == 0, control.stderr
    assert _INET_CONNECT.search(control_trace), "strace did not see a connect it should have"

    pdf = tmp_path / "note.pdf"
    done, trace = _traced(tmp_path, ["-c", _EXPORTER, str(MINI), str(pdf), *SECTIONS])
    assert done.returncode == 0, done.stdout + done.stderr
    # Qt warns when an object is used on a thread it may not be: the worker drew it all.
    assert "thread" not in done.stderr.lower(), done.stderr
    assert not _INET_CONNECT.findall(trace), "the PDF export opened a network connection"
    assert "AF_INET" not in trace  # not even a socket for one

    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    # The font's ligatures are off: "fi" is two letters, so a viewer's search finds words.
    assert not re.search("[\ufb00-\ufb06]", text), "ligature code points in the PDF's text"
    words = " ".join(text.split())
    briefing = load_briefing(MINI)
    for section_id in SECTIONS:
        section = briefing.section(section_id)
        assert section is not None
        # A list keeps its items as a list; Qt draws the bullet as a shape, not as text.
        items = re.sub(r"(?m)^- ", "", excerpt_from_section(briefing, section).quote)
        quote = " ".join(items.split())
        assert quote[:60] in words, f"{section_id}: {quote[:60]!r} is not in the PDF's text"
    assert "Briefing note" in words and "Sources" in words


def test_an_export_cancelled_before_it_starts_leaves_the_old_file(tmp_path: Path) -> None:
    briefing = load_briefing(MINI)
    note = BriefingNote(((excerpt_from_section(briefing, briefing.sections[0]), ""),))
    target = tmp_path / "note.md"
    target.write_text("the earlier note", encoding="utf-8")
    token = CancelToken()
    token.cancel()
    with pytest.raises(TaskCancelledError):
        write_note(note, target, token)
    assert target.read_text(encoding="utf-8") == "the earlier note"
    assert write_note(note, target, CancelToken()) == target
    assert target.read_text(encoding="utf-8").startswith("# Briefing note")
    assert [p.name for p in tmp_path.iterdir()] == ["note.md"]  # no temporary file left


@pytest.mark.usefixtures("tools")
def test_save_theme_as_pdf_is_made_without_the_network_and_cites_its_source(
    tmp_path: Path,
) -> None:
    pdf = tmp_path / "theme.pdf"
    done, trace = _traced(tmp_path, ["-c", _THEME_SAVER, str(MINI), str(pdf), "threat-assessment"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "thread" not in done.stderr.lower(), done.stderr
    assert not _INET_CONNECT.findall(trace), "Save Theme as PDF opened a network connection"
    assert "AF_INET" not in trace

    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    words = " ".join(text.split())  # no NFKC here: the PDF has no ligature code points
    briefing = load_briefing(MINI)
    theme = briefing.theme("threat-assessment")
    assert theme is not None
    first = theme.sections[0]
    document = briefing.document(first.document_id)
    assert document is not None
    assert first.title in words  # the source's own heading
    assert " ".join(first.text.split())[:80] in words
    # The citation on the page: document, publisher, date.
    assert f"From {document.title}, {document.publisher}, {document.date_text}" in words
