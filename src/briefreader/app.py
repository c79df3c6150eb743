"""Start the desktop reader, or render it to a PNG (``--screenshot``) and exit.

Only Qt, the briefing as the last start kept it (``core/content_cache.py``; the content
loader itself when a content file changed, or on a first start) and what the window's first
frame shows are imported before its first paint; the excerpt tray and key figures (with
SQLite and the export code) are imported and attached by a start-up step right after it,
Python-Markdown and Whoosh after that (see ``ui/window/startup.py`` and the list of steps in
``ui/window/main_window.py``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from briefreader import __version__
from briefreader.core.content_cache import BriefingCache
from briefreader.core.locations import APP_ID, APP_NAME, ORG_NAME, Locations
from briefreader.core.model import Briefing, ContentError
from briefreader.exit_status import ExitStatus
from briefreader.ui.excerpts.dock import TrayDock
from briefreader.ui.figures.dock import FiguresDock
from briefreader.ui.shared.app_icon import app_icon
from briefreader.ui.shared.settings import AppSettings
from briefreader.ui.window.appearance import Appearance
from briefreader.ui.window.main_window import MainWindow

SCREENSHOT_SIZE = (1440, 900)  # a common laptop screen, in logical pixels
SCREENSHOT_TIMEOUT = 60.0  # seconds to wait for the index, a search or a page


def application() -> QApplication:
    """The QApplication, with the names QSettings and QStandardPaths need set first."""
    QCoreApplication.setOrganizationName(ORG_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    # Set before the QApplication exists, so that a Wayland dock matches the window to the
    # desktop entry and shows its icon.
    QGuiApplication.setDesktopFileName(APP_ID)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationDisplayName("BriefReader")
    app.setWindowIcon(app_icon())
    if app.platformName() == "offscreen":
        # Qt 6.11's offscreen clipboard crashes the process at exit if it still holds data
        # (exit status 139 after a clean run); real platforms keep the user's copy.
        app.aboutToQuit.connect(_clear_clipboard)
    return app


def _clear_clipboard() -> None:
    QGuiApplication.clipboard().clear()


def run_app(
    screenshot: str | None = None,
    *,
    tab: str | None = None,
    search: str | None = None,
    dark: bool = False,
    zoom: int | None = None,
    size: tuple[int, int] | None = None,
    panels: Sequence[str] = (),
    switched: bool = False,
) -> int:
    app = application()
    locations = Locations.resolve()
    # The briefing as the last start loaded it, if no content file changed since: the loader
    # (TOML, every check) is not even imported before the first paint (core/content_cache.py).
    cache = BriefingCache(locations.cache)
    try:
        briefing = cache.load(locations.content)
    except ContentError as error:
        message = f"The briefing cannot be loaded: {error}"
        print(f"briefreader: {message}", file=sys.stderr)
        if not screenshot:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(None, "BriefReader", message)
        return ExitStatus.FAILED
    for problem in briefing.problems:
        print(f"briefreader: warning: {problem}", file=sys.stderr)

    if screenshot:
        cache.save()
        return take_screenshot(
            app,
            briefing,
            locations,
            Path(screenshot),
            tab=tab,
            search=search,
            dark=dark,
            zoom=zoom,
            size=size,
            panels=panels,
            switched=switched,
        )

    settings = AppSettings(QSettings())
    window = build_window(briefing, settings, Appearance(app, settings.appearance), locations)
    if cache.has_pending:
        # Kept once everything is built: writing it is no part of what the first frame needs.
        window.completed.connect(cache.save)
    window.restore_session()
    window.show()
    if briefing.problems:
        count = len(briefing.problems)
        window.show_status(
            f"{count} part{'s' if count > 1 else ''} of the briefing could not be loaded: "
            f"{briefing.problems[0]}",
            20000,
        )
    _close_on_interrupt(app)
    return app.exec()


def _close_on_interrupt(app: QApplication) -> None:
    """Ctrl+C in the terminal that started the reader closes it as its window's close button
    would (the session is saved), instead of a KeyboardInterrupt traceback at the next Python
    call. Python runs its signal handlers only between Python calls, so a timer gives it one
    every quarter second while Qt's loop waits."""
    import signal

    from PySide6.QtCore import QTimer

    signal.signal(signal.SIGINT, lambda _number, _frame: QApplication.closeAllWindows())
    tick = QTimer(app)
    tick.timeout.connect(lambda: None)
    tick.start(250)


def build_window(
    briefing: Briefing,
    settings: AppSettings,
    appearance: Appearance,
    locations: Locations,
) -> MainWindow:
    """The main window, its session not yet restored; its features are attached by a
    start-up step (right after its first paint, or when ``window.startup.run_all()`` runs)."""
    window = MainWindow(briefing, settings, appearance=appearance, locations=locations)
    # The side panels' docks now, empty and hidden unless the restored layout shows them, so
    # that a panel the reader left open is in the first frame, where it was.
    tray_dock = TrayDock(parent=window)
    window.add_dock(tray_dock, shortcut=tray_dock.shortcut, visible=False)
    figures_dock = FiguresDock(parent=window)
    window.add_dock(
        figures_dock, shortcut=figures_dock.shortcut, visible=False, tabify_with=tray_dock
    )
    # One column of side panels, as tabs: stacked, the tray showed about one excerpt beside
    # the figures, and each took room from the text on a small screen. The last session's
    # arrangement, restored after this, wins.
    window.completed.connect(partial(_attach_features, window, settings, tray_dock, figures_dock))
    return window


def _attach_features(
    window: MainWindow, settings: AppSettings, tray_dock: TrayDock, figures_dock: FiguresDock
) -> None:
    # Imported here, after the first paint: with them come SQLite, nh3 and the export code,
    # which the first frame does not need.
    from briefreader.ui.bookmarks.feature import BookmarksFeature
    from briefreader.ui.excerpts.feature import ExcerptFeature
    from briefreader.ui.figures.feature import FiguresFeature
    from briefreader.ui.printing.feature import PrintFeature

    # Copy with citation and the excerpt tray; Key Figures (Ctrl+Shift+K), whose figures are
    # copied and kept as passages are.
    excerpts = ExcerptFeature(window, settings, dock=tray_dock)
    figures = FiguresFeature(window, dock=figures_dock)
    excerpts.add_source(figures.panel, "Figure")
    # The figures that answer a search, above its results, are copied the same way.
    excerpts.add_source(window.results_panel.answers, "Figure")
    # File ▸ Print / Save Theme as PDF for the open theme; bookmarks on sections (Ctrl+D).
    PrintFeature(window)
    BookmarksFeature(window, settings)


def wait_until(predicate: Callable[[], bool], timeout: float) -> bool:
    """Run the event loop until ``predicate()`` holds or ``timeout`` seconds pass."""
    from PySide6.QtCore import QEventLoop, QTimer

    if predicate():
        return True
    deadline = time.monotonic() + timeout
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(10)

    def check() -> None:
        if predicate() or time.monotonic() > deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    return predicate()


def take_screenshot(
    app: QApplication,
    briefing: Briefing,
    locations: Locations,
    path: Path,
    *,
    tab: str | None = None,
    search: str | None = None,
    dark: bool = False,
    zoom: int | None = None,
    size: tuple[int, int] | None = None,
    panels: Sequence[str] = (),
    switched: bool = False,
) -> int:
    """Render the window (a tab, a search and its first result) to a PNG; never touches
    the user's settings. ``panels``: side panels to open ("tray", "figures"; the tray with
    the first two key figures in it); ``switched``: start in the other appearance and
    switch to this one once everything is shown, as Ctrl+Shift+D does."""
    import dataclasses
    import tempfile

    theme_id = None
    if tab is not None:
        theme = briefing.find_theme(tab)
        theme_id = theme.id if theme is not None else None
        if theme_id is None:
            names = ", ".join(t.id for t in briefing.themes)
            print(f"briefreader: error: no theme {tab!r}; themes: {names}", file=sys.stderr)
            return ExitStatus.USAGE
    with tempfile.TemporaryDirectory(prefix="briefreader-screenshot-") as folder:
        settings = AppSettings(
            QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        )
        appearance = Appearance(app, "dark" if dark != switched else "light")
        # An empty excerpt tray of its own: a screenshot shows none of the user's data.
        private = dataclasses.replace(locations, data=Path(folder) / "data")
        window = build_window(briefing, settings, appearance, private)
        if theme_id is not None:
            window.open_theme(theme_id)
        if zoom is not None:
            window.reading.set_zoom(zoom)
        window.resize(*(size or SCREENSHOT_SIZE))
        window.show()
        try:
            return _compose(
                window,
                path,
                theme_id,
                search,
                panels=panels,
                switch_to=("dark" if dark else "light") if switched else "",
            )
        finally:
            window.close()
            window.deleteLater()
            app.processEvents()


def _compose(
    window: MainWindow,
    path: Path,
    theme_id: str | None,
    search: str | None,
    *,
    panels: Sequence[str] = (),
    switch_to: str = "",
) -> int:
    def page_ready() -> bool:
        tab = window.current_tab()
        # A screenshot shows the whole window, features included: every start-up step run.
        return window.startup.is_finished and tab.is_loaded and tab.has_been_shown

    if not wait_until(page_ready, SCREENSHOT_TIMEOUT):
        print("briefreader: error: the page did not render in time", file=sys.stderr)
        return ExitStatus.FAILED
    if search:
        service = window.search.service
        if not wait_until(lambda: service.ready or bool(service.error), SCREENSHOT_TIMEOUT):
            print("briefreader: error: the search index was not ready in time", file=sys.stderr)
            return ExitStatus.FAILED
        if service.error:
            print(f"briefreader: error: {service.error}", file=sys.stderr)
            return ExitStatus.FAILED
        shown: list[object] = []
        window.search.results_shown.connect(shown.append)
        window.search.type_query(search, theme_id)
        if not wait_until(lambda: bool(shown), SCREENSHOT_TIMEOUT):
            print("briefreader: error: the search did not answer in time", file=sys.stderr)
            return ExitStatus.FAILED
        result = window.search.last_result()
        if result is not None and result.hits:
            opened: list[str] = []
            window.section_opened.connect(opened.append)
            window.search.open_hit(result.hits[0])
            if not wait_until(lambda: bool(opened), SCREENSHOT_TIMEOUT):
                print("briefreader: error: the first result did not open", file=sys.stderr)
                return ExitStatus.FAILED
    _open_panels(window, panels)
    if switch_to:
        window.set_appearance(switch_to)
    # Let queued layout and paint events settle before grabbing.
    wait_until(lambda: False, 0.15)
    if not window.grab().save(str(path), "PNG"):
        print(f"briefreader: error: cannot write the screenshot to {path}", file=sys.stderr)
        return ExitStatus.FAILED
    print(f"Saved the screenshot to {path}")
    return ExitStatus.OK


def _open_panels(window: MainWindow, panels: Sequence[str]) -> None:
    """Open the named side panels; the tray is given the first two key figures to show."""
    from PySide6.QtWidgets import QDockWidget

    from briefreader.ui.figures.panel import FiguresPanel

    docks = {d.objectName(): d for d in window.findChildren(QDockWidget)}
    if "tray" in panels:
        from briefreader.ui.excerpts.feature import ExcerptFeature

        for feature in window.findChildren(ExcerptFeature):
            figures = window.findChildren(FiguresPanel)
            for row in range(2):
                excerpt = figures[0].model.excerpt(row) if figures else None
                if excerpt is not None:
                    feature.add_to_tray(excerpt)
            feature.dock.show()
    if "figures" in panels:
        docks["key-figures"].show()
