"""Offline for real: links never navigate, resources come only from the app, no QtNetwork."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication, QTextCursor, QTextDocument
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from briefreader.core.content import load_briefing
from briefreader.core.locations import resources_dir
from briefreader.ui.reading.reader import OfflineBrowser
from briefreader.ui.window.main_window import MainWindow

WindowFactory = Callable[..., MainWindow]
LINK = "https://weprotect.org/global-threat-assessment-23/"
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def linked_window(make_window: WindowFactory, mini_content: Path) -> MainWindow:
    """The mini briefing with an external link in its first section."""
    path = mini_content / "themes" / "threats.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("within 19 seconds", f"within 19 seconds ([the assessment]({LINK}))", 1)
    path.write_text(text, encoding="utf-8")
    return make_window(load_briefing(mini_content))


def test_clicking_an_external_link_leaves_the_page_in_place(
    qtbot: QtBot, linked_window: MainWindow
) -> None:
    reader = linked_window.current_reader()
    before = reader.page_text()
    scroll = reader.verticalScrollBar().value()
    cursor = QTextCursor(reader.document())
    cursor.setPosition(before.index("the assessment") + 4)
    point = reader.cursorRect(cursor).center()
    assert reader.anchorAt(point) == LINK

    with qtbot.waitSignal(reader.external_link_activated) as clicked:
        QTest.mouseClick(reader.viewport(), Qt.MouseButton.LeftButton, pos=point)

    assert clicked.args[0] == QUrl(LINK)
    assert reader.page_text() == before  # Qt's default would have blanked the pane
    assert reader.source().isEmpty()
    assert reader.verticalScrollBar().value() == scroll
    assert "internet" in linked_window.statusBar().currentMessage()
    menu = reader.link_menu
    assert menu is not None and menu.isVisible()
    texts = [a.text() for a in menu.actions()]
    assert any("needs an internet connection" in t for t in texts)
    copy = next(a for a in menu.actions() if a.text().startswith("Copy link address"))
    copy.trigger()
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None and clipboard.text() == LINK
    menu.close()


def test_set_source_never_replaces_the_page(linked_window: MainWindow) -> None:
    reader = linked_window.current_reader()
    before = reader.page_text()
    reader.setSource(QUrl(LINK))
    reader.setSource(QUrl("file:///etc/hostname"))
    assert reader.page_text() == before


def test_resources_come_only_from_the_bundled_folder(qtbot: QtBot, tmp_path: Path) -> None:
    browser = OfflineBrowser()
    qtbot.addWidget(browser)
    image = QTextDocument.ResourceType.ImageResource
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"not ours")
    bundled = next(p for p in sorted(resources_dir().iterdir()) if p.is_file())
    assert browser.loadResource(image, QUrl("https://example.org/pixel.png")) is None
    assert browser.loadResource(image, QUrl.fromLocalFile(str(outside))) is None
    assert browser.loadResource(image, QUrl("../../../etc/passwd")) is None
    assert browser.loadResource(image, QUrl(bundled.name)) == bundled.read_bytes()


_PROBE = textwrap.dedent(
    """
    import json, sys

    class NoNetwork:
        def find_spec(self, name, path=None, target=None):
            if name == "PySide6.QtNetwork":
                raise ImportError("the reader must not use PySide6.QtNetwork")
            return None

    sys.meta_path.insert(0, NoNetwork())
    from briefreader.ui.window import main_window

    seen = {}
    original = main_window.MainWindow._after_first_paint

    def spy(self):
        seen["at_first_paint"] = sorted(
            m for m in ("whoosh", "markdown", "briefreader.core.search") if m in sys.modules
        )
        original(self)

    main_window.MainWindow._after_first_paint = spy
    from briefreader.cli import main

    code = main(["--screenshot", sys.argv[1], "--search", "grooming"])
    print(json.dumps({
        "code": code,
        "at_first_paint": seen.get("at_first_paint"),
        "qtnetwork": "PySide6.QtNetwork" in sys.modules,
        "searched": "whoosh" in sys.modules,
    }))
    """
)


def test_the_app_never_imports_qtnetwork_and_paints_before_loading_whoosh(
    tmp_path: Path,
) -> None:
    shot = tmp_path / "shot.png"
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(shot)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {"code": 0, "at_first_paint": [], "qtnetwork": False, "searched": True}
    assert shot.read_bytes().startswith(b"\x89PNG")
