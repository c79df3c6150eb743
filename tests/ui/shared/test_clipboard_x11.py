"""A real clipboard: copy under Xvfb with Qt's X11 platform, read it back with xclip.

Offscreen, Qt hands the same QMimeData object back inside the process, which tests our
logic but not what other applications receive. Here the copying app runs as a separate
process on a private Xvfb display and stays alive (X11 clipboards are served by their owner)
while xclip, from outside, asks for each format.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefreader.core.content import load_briefing
from briefreader.core.excerpts import CitationStyle, format_section_excerpt
from briefreader.core.model import Section

MINI = Path(__file__).resolve().parents[2] / "data" / "mini"
SECTION = "voices/jacqueline-beauchere"

pytestmark = [
    pytest.mark.x11,
    pytest.mark.skipif(
        not (shutil.which("Xvfb") and shutil.which("xclip")),
        reason="needs Xvfb and xclip (apt-get install xvfb xclip libxcb-icccm4 "
        "libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0)",
    ),
]

_COPIER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QSocketNotifier
    from PySide6.QtWidgets import QApplication
    from briefreader.core.content import load_briefing
    from briefreader.core.excerpts import CitationStyle, format_section_excerpt
    from briefreader.ui.shared.clipboard import copy_formatted

    app = QApplication([])
    briefing = load_briefing(Path(sys.argv[1]))
    section = briefing.section(sys.argv[2])
    assert copy_formatted(format_section_excerpt(briefing, section, CitationStyle.FULL))
    # Stay alive, serving the clipboard, until the test closes our standard input.
    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(app.quit)
    print("copied", flush=True)
    app.exec()
    """
)


@pytest.fixture
def display() -> Iterator[str]:
    read, write = os.pipe()
    with subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-nolisten", "tcp", "-screen", "0", "1024x768x24"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as server:
        os.close(write)
        with os.fdopen(read) as stream:
            number = stream.readline().strip()
        try:
            if not number:
                pytest.fail("Xvfb did not start")
            yield f":{number}"
        finally:
            server.terminate()
            server.wait(timeout=10)


def xclip(display: str, target: str) -> str:
    done = subprocess.run(
        ["xclip", "-selection", "clipboard", "-t", target, "-o"],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        timeout=10,
        check=True,
    )
    return done.stdout.decode("utf-8")


def test_other_programs_read_all_three_formats(display: str) -> None:
    expected = format_section_excerpt(load_briefing(MINI), _section(), CitationStyle.FULL)
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    with subprocess.Popen(
        [sys.executable, "-c", _COPIER, str(MINI), SECTION],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as copier:
        assert copier.stdout is not None and copier.stdin is not None
        try:
            assert copier.stdout.readline().strip() == "copied"
            targets = xclip(display, "TARGETS").split()
            assert {"UTF8_STRING", "text/html", "text/markdown"} <= set(targets)
            assert xclip(display, "UTF8_STRING") == expected.plain
            assert xclip(display, "text/markdown") == expected.markdown
            assert xclip(display, "text/html").endswith(expected.html)
        finally:
            copier.stdin.close()
            copier.wait(timeout=10)
    assert copier.returncode == 0


def _section() -> Section:
    section = load_briefing(MINI).section(SECTION)
    assert section is not None
    return section
