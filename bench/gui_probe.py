"""Runs in a fresh process: starts a window and reports when it first painted.

``python -m bench.gui_probe bare|app [--keys] [--rss]`` prints one JSON line on stdout:
``painted`` is ``time.monotonic()`` (one clock for every process on the machine) at the end
of the first paint, so that the parent can subtract the moment it started this process.

The probe changes nothing in the app: before the app is imported it wraps QWidget.show so
that a shown window gets an event filter that watches that window's paint passes.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _watch_paint() -> None:
    """Time the end of each paint pass of a shown window, watching that window alone.

    When a top-level widget is shown, an event filter goes on it and its QWindow: the
    window paints its widgets while it handles an Expose or UpdateRequest event, so a zero
    timer set then runs once the pass is over. Filtering every event of the application
    instead makes PySide wrap each object that receives one, which slows both starts and
    flatters their ratio (bench/README.md).
    """
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QWidget

    passes = {QEvent.Type.Expose, QEvent.Type.UpdateRequest}

    class WindowWatcher(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() in passes:
                QTimer.singleShot(0, _pass_done)
            return False

    watcher = WindowWatcher()
    show = QWidget.show

    def show_and_watch(widget: QWidget) -> None:
        show(widget)
        handle = widget.windowHandle()
        if widget.isWindow() and handle is not None:
            # Qt asks a window to repaint through the window (Expose) or its top-level
            # widget (UpdateRequest): those two objects, and no other, are watched.
            handle.installEventFilter(watcher)
            widget.installEventFilter(watcher)

    QWidget.show = show_and_watch  # type: ignore[method-assign]


def _pass_done() -> None:
    """A paint pass is over: the first one is the first paint; note when text is shown."""
    if "painted" not in _results:
        _results["painted"] = time.monotonic()
        # The process's CPU time too (every thread, from its start): on a machine shared
        # with other work, the wall time includes waiting for a core; this does not.
        _results["painted_cpu"] = time.process_time()
        if _shows_text():
            _results["text_painted"] = _results["painted"]
            _results["text_painted_cpu"] = _results["painted_cpu"]
        on_first_paint()
    elif "text_painted" not in _results and _shows_text():
        _text_painted()


_results: dict[str, Any] = {}
_options: set[str] = set()


def _shows_text() -> bool:
    """Whether a visible text view has the briefing's text in it."""
    from PySide6.QtWidgets import QApplication, QTextBrowser

    for window in QApplication.topLevelWidgets():
        if window.isVisible():
            for view in window.findChildren(QTextBrowser):
                if view.isVisible() and not view.document().isEmpty():
                    return True
    return False


def _text_painted() -> None:
    _results.setdefault("text_painted", time.monotonic())
    _results.setdefault("text_painted_cpu", time.process_time())
    if "painted" in _results and not (_options & {"--keys", "--rss"}):
        _quit()


def _quit() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    app.quit()


def on_first_paint() -> None:
    from PySide6.QtCore import QTimer

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


def _feed_scaled_briefing(scale: int) -> None:
    """The app loads the bundled briefing and is handed it ``scale`` times over (bench/corpus.py).

    The app is unchanged: its loader's answer is replaced, as the scale benchmark builds its
    corpus, with the briefing's figures, notes and marks kept (they name sections of the first
    copy), so that a search answers with its figure cards as at 1×. The copies' sections
    carry no Markdown (the corpus keeps 1000× within its memory budget): their pages show the
    headings alone, which the keystroke does not touch.
    """
    import dataclasses

    from bench.corpus import scaled_briefing
    from briefreader.core.content_cache import BriefingCache
    from briefreader.core.model import Briefing

    load = BriefingCache.load

    def load_scaled(cache: BriefingCache, root: Path) -> Briefing:
        briefing = load(cache, root)
        scaled = scaled_briefing(briefing, scale)
        return dataclasses.replace(
            scaled,
            figures=briefing.figures,
            repairs=briefing.repairs,
            marks=briefing.marks,
            notes=briefing.notes,
            links=briefing.links,
        )

    BriefingCache.load = load_scaled  # type: ignore[method-assign,assignment]


def main(argv: list[str]) -> int:
    mode = argv[0]
    _options.update(argv[1:])
    _watch_paint()
    if mode == "bare":
        code = _bare()
    else:
        scale = next((int(o.split("=", 1)[1]) for o in _options if o.startswith("--scale=")), 1)
        if scale > 1:
            _feed_scaled_briefing(scale)
        from briefreader.app import run_app

        code = run_app()
    print(json.dumps(_results), flush=True)
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
