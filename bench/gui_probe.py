"""Runs in a fresh process: starts a window and reports when it first painted.

``python -m bench.gui_probe bare|app [--keys] [--rss]`` prints one JSON line on stdout:
``painted`` is ``time.monotonic()`` (one clock for every process on the machine) at the end
of the first paint, so that the parent can subtract the moment it started this process.

The probe changes nothing in the app: it puts a QApplication subclass in front of the real
one before the app is imported, which installs an event filter that watches paint events.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _watch_paint(app_class: type) -> type:
    from PySide6.QtCore import QEvent, QObject, QTimer

    class PaintWatcher(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.first_paint: float | None = None
            self._pending = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                if "text_painted" not in _results and _shows_text(watched):
                    QTimer.singleShot(0, _text_painted)
                if self.first_paint is None and not self._pending:
                    self._pending = True
                    # Runs once the whole paint pass (every widget of the window) is done.
                    QTimer.singleShot(0, self._painted)
            return False

        def _painted(self) -> None:
            self.first_paint = time.monotonic()
            on_first_paint()

    class WatchedApplication(app_class):  # type: ignore[misc, valid-type]
        watcher: PaintWatcher | None = None

        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            WatchedApplication.watcher = PaintWatcher()
            self.installEventFilter(WatchedApplication.watcher)

    return WatchedApplication


_results: dict[str, Any] = {}
_options: set[str] = set()


def _shows_text(watched: object) -> bool:
    """Whether this paint is of a text view with the briefing's text in it."""
    from PySide6.QtWidgets import QTextBrowser

    parent = getattr(watched, "parent", lambda: None)()
    return isinstance(parent, QTextBrowser) and not parent.document().isEmpty()


def _text_painted() -> None:
    _results.setdefault("text_painted", time.monotonic())
    if "painted" in _results and not (_options & {"--keys", "--rss"}):
        _quit()


def _quit() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    app.quit()


def on_first_paint() -> None:
    from PySide6.QtCore import QTimer

    _results["painted"] = time.monotonic()
    if "--keys" in _options or "--rss" in _options:
        # Let the app finish what it does after the first paint (loading the index), then
        # measure what a delegate sees: memory, and the keystroke-to-results time.
        QTimer.singleShot(0, _after_start)
    elif "text_painted" in _results:
        _quit()
    else:
        # The app may paint its frame first and the open tab's text just after: wait for it.
        QTimer.singleShot(30000, _quit)


def _after_start() -> None:
    from bench import gui_keys
    from bench.timing import rss_mib

    gui_keys.wait_until_idle()
    _results["rss_mib"] = rss_mib()
    if "--keys" in _options:
        _results["keys"] = gui_keys.measure(quick="--quick" in _options)
    _quit()


def _bare() -> int:
    """A bare PySide6 window showing the same text: the theme files as plain-text tabs."""
    from pathlib import Path

    from PySide6.QtWidgets import QApplication, QTabWidget, QTextBrowser

    app = QApplication(sys.argv[:1])
    tabs = QTabWidget()
    content = Path(os.environ.get("BRIEFREADER_CONTENT_DIR", "") or Path.cwd() / "content")
    for path in sorted((content / "themes").glob("*.md")):
        view = QTextBrowser()
        view.setPlainText(path.read_text(encoding="utf-8"))
        tabs.addTab(view, path.stem)
    tabs.resize(1100, 750)
    tabs.show()
    return app.exec()


def main(argv: list[str]) -> int:
    mode = argv[0]
    _options.update(argv[1:])
    from PySide6 import QtWidgets

    QtWidgets.QApplication = _watch_paint(QtWidgets.QApplication)  # type: ignore[misc]
    if mode == "bare":
        code = _bare()
    else:
        from briefreader.app import run_app

        code = run_app()
    print(json.dumps(_results), flush=True)
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
