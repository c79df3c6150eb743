"""Light and dark switched while running look exactly like a fresh start in that appearance.

Every panel is grabbed after a switch (Ctrl+Shift+D) and compared, pixel by pixel, with the
same panel of a window started in the other appearance: search panel (count, chips, "Did you
mean", help, results), contents, text, excerpt tray and key figures.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from briefreader.core.model import Briefing
from briefreader.ui.excerpts.feature import ExcerptFeature
from briefreader.ui.excerpts.tray_panel import TrayPanel
from briefreader.ui.figures.feature import FiguresFeature
from briefreader.ui.shared.colours import dark_palette, is_dark, light_palette
from briefreader.ui.shared.settings import AppSettings
from briefreader.ui.window.main_window import MainWindow

WindowFactory = Callable[..., MainWindow]  # as in tests/ui/conftest.py

# Only the caret's blink may differ between two grabs of the same panel.
MOST_DIFFERENT = 0.002


def _open(
    qtbot: QtBot,
    make_window: WindowFactory,
    briefing: Briefing,
    folder: Path,
    *,
    choice: str,
    query: str,
) -> tuple[MainWindow, dict[str, QWidget]]:
    """A window started in ``choice``, with a search shown, the tray and key figures open."""
    path = folder / f"{choice}.ini"
    QSettings(str(path), QSettings.Format.IniFormat).setValue("reader/appearance", choice)
    window = make_window(briefing, settings_path=path)
    settings = AppSettings(QSettings(str(folder / f"{choice}-x.ini"), QSettings.Format.IniFormat))
    excerpts = ExcerptFeature(window, settings)
    figures = FiguresFeature(window)
    excerpts.add_source(figures.panel, "Figure")
    # The same arrangement in every window: the tray above the key figures, equal heights.
    excerpts.dock.show()
    figures.dock.show()
    window.resizeDocks([excerpts.dock, figures.dock], [300, 300], Qt.Orientation.Vertical)
    if excerpts.model.rowCount() == 0:
        excerpt = figures.model.excerpt(0)
        assert excerpt is not None
        excerpts.add_to_tray(excerpt)
    excerpts.panel.select_row(0)
    window.search.field.setFocus()
    with qtbot.waitSignal(window.search.results_shown, timeout=20000):
        QTest.keyClicks(window.search.field, query)
    panel = window.results_panel
    tab = window.current_tab()
    panels: dict[str, QWidget] = {
        "results panel": panel,
        "chips": panel.chips,
        "results message": panel.message,
        "results list": panel.list,
        "contents": tab.toc,
        "text": tab.reader.viewport(),
        "tray": excerpts.panel,
        "key figures": figures.panel,
        "tabs": window.reading.tabs.tabBar(),
    }
    return window, panels


def _grab(panels: dict[str, QWidget]) -> dict[str, QImage]:
    return {name: w.grab().toImage() for name, w in panels.items() if w.isVisible()}


def _differing(first: QImage, second: QImage) -> float:
    assert first.size() == second.size()
    step = 2
    total = differ = 0
    for x in range(0, first.width(), step):
        for y in range(0, first.height(), step):
            total += 1
            differ += first.pixel(x, y) != second.pixel(x, y)
    return differ / max(1, total)


@pytest.mark.parametrize(
    "case",
    [("light", "dark", "sextortion"), ("dark", "light", "sextortoin")],
    ids=["light-to-dark", "dark-to-light"],
)
def test_a_switch_looks_like_a_fresh_start(
    qtbot: QtBot,
    make_window: WindowFactory,
    bundled_briefing: Briefing,
    tmp_path: Path,
    case: tuple[str, str, str],
) -> None:
    start, switched, query = case  # the second query has "Did you mean"
    window, panels = _open(
        qtbot, make_window, bundled_briefing, tmp_path, choice=start, query=query
    )
    size = window.size()
    QTest.keyClick(
        window,
        Qt.Key.Key_D,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.appearance.dark == (switched == "dark")
    qtbot.wait(100)
    after_switch = _grab(panels)
    # Every panel takes the new palette (none keeps its own from a stylesheet).
    wanted = dark_palette() if switched == "dark" else None
    for name, widget in panels.items():
        assert is_dark(widget.palette()) == (switched == "dark"), name
        if wanted is not None:
            for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Text):
                assert widget.palette().color(role) == wanted.color(role), (name, role)
    window.close()
    window.appearance.set_choice("system")  # as a new process would find it
    # A new process: the first window's process would have ended and released its hold on
    # the tray (one writer at a time), so the fresh window's tray is writable, as at a start.
    tray = panels["tray"]
    assert isinstance(tray, TrayPanel)
    tray.model.store.close()

    fresh, fresh_panels = _open(
        qtbot, make_window, bundled_briefing, tmp_path, choice=switched, query=query
    )
    fresh.resize(size)
    qtbot.wait(100)
    expected = _grab(fresh_panels)
    assert after_switch.keys() == expected.keys()
    for name, image in after_switch.items():
        assert image.size() == expected[name].size(), name
        assert _differing(image, expected[name]) <= MOST_DIFFERENT, name


def test_the_light_palette_is_the_light_one() -> None:
    # The palettes come from one place, and the two differ where text is read.
    assert not is_dark(light_palette()) and is_dark(dark_palette())
