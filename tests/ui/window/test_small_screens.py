"""From 1024×640 up: every theme reachable, side panels that give way to the text and grow
back, a tray that shows its excerpts, figure cards with the whole document's name."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from briefreader.app import build_window
from briefreader.core.locations import Locations, resources_dir
from briefreader.core.model import Briefing
from briefreader.ui.excerpts.feature import ExcerptFeature
from briefreader.ui.figures.feature import FiguresFeature
from briefreader.ui.figures.model import Role
from briefreader.ui.figures.widgets import FiguresDelegate
from briefreader.ui.shared.settings import AppSettings
from briefreader.ui.window.appearance import Appearance
from briefreader.ui.window.main_window import TEXT_SHARE, MainWindow


@pytest.fixture
def window(
    qtbot: QtBot, tmp_path: Path, bundled_briefing: Briefing, bundled_index_cache: Path
) -> Iterator[MainWindow]:
    """The app's window as ``briefreader`` builds it (features attached), at 1024×640."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    settings = AppSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    appearance = Appearance(app, "light")
    locations = Locations(
        content=tmp_path, resources=resources_dir(), cache=bundled_index_cache, data=tmp_path
    )
    built = build_window(bundled_briefing, settings, appearance, dataclasses.replace(locations))
    qtbot.addWidget(built)
    built.resize(1024, 640)
    built.show()
    qtbot.waitUntil(lambda: built.startup.is_finished and built.current_tab().has_been_shown)
    yield built
    built.close()
    appearance.set_choice("system")


def _features(window: MainWindow) -> tuple[ExcerptFeature, FiguresFeature]:
    excerpts = window.findChildren(ExcerptFeature)
    figures = window.findChildren(FiguresFeature)
    assert len(excerpts) == 1 and len(figures) == 1
    return excerpts[0], figures[0]


def test_the_window_fits_1024_with_results_tray_and_figures_open(
    qtbot: QtBot, window: MainWindow
) -> None:
    excerpts, figures = _features(window)
    for row in range(3):
        excerpt = figures.model.excerpt(row)
        assert excerpt is not None
        excerpts.add_to_tray(excerpt)
    figures.dock.show()
    window.search.dock.show()
    window.resize(1024, 640)
    qtbot.waitUntil(lambda: window.width() == 1024)
    assert window.minimumSizeHint().width() <= 1024
    # Tray and figures share one column, as tabs, rather than splitting its height.
    assert figures.dock in window.tabifiedDockWidgets(excerpts.dock)
    # The side panels gave way: the text area keeps its share of the width.
    central = window.centralWidget()
    assert central is not None
    qtbot.waitUntil(lambda: central.width() >= int(1024 * TEXT_SHARE) - 20)
    # The tray, raised, shows more than one excerpt at 1280×720.
    window.resize(1280, 720)
    excerpts.dock.raise_()
    qtbot.waitUntil(lambda: window.width() == 1280)
    tray = excerpts.panel.list
    qtbot.waitUntil(lambda: tray.visualRect(excerpts.model.index(1, 0)).bottom() > 0)
    shown = [
        row
        for row in range(excerpts.model.rowCount())
        if tray.visualRect(excerpts.model.index(row, 0)).bottom() <= tray.viewport().height()
    ]
    assert len(shown) >= 2


def test_side_panels_grow_back_when_the_window_grows(qtbot: QtBot, window: MainWindow) -> None:
    excerpts, _figures = _features(window)
    window.resize(1600, 900)
    excerpts.dock.show()
    qtbot.waitUntil(lambda: window.width() == 1600)
    dock = window.search.dock
    qtbot.waitUntil(lambda: dock.width() >= 340)
    wide = (dock.width(), excerpts.dock.width())
    window.resize(1024, 640)
    qtbot.waitUntil(lambda: dock.width() < wide[0] - 40)
    window.resize(1600, 900)
    # Back to the widths they had, not left narrow with the text taking everything.
    qtbot.waitUntil(lambda: abs(dock.width() - wide[0]) <= 4, timeout=3000)
    qtbot.waitUntil(lambda: abs(excerpts.dock.width() - wide[1]) <= 4, timeout=3000)
    # The results list lays its hits out at the full width again.
    window.search.type_query("sextortion")
    qtbot.waitUntil(lambda: window.results_panel.model.rowCount() > 0, timeout=20000)
    results = window.results_panel.list
    first = results.visualRect(window.results_panel.model.index(0, 0))
    assert first.width() >= results.viewport().width() - 2


def test_every_theme_is_one_click_away_when_the_tabs_do_not_fit(
    qtbot: QtBot, window: MainWindow, bundled_briefing: Briefing
) -> None:
    tabs = window.reading.tabs
    bar = tabs.tabBar()
    hidden = [i for i in range(tabs.count()) if not bar.tabRect(i).intersects(bar.rect())]
    assert hidden or bar.width() >= bar.sizeHint().width()  # at 1024 some do not fit
    menu = window.reading.theme_list.menu()
    assert menu is not None
    actions = menu.actions()
    assert [a.text().split("\t")[0] for a in actions] == [t.title for t in bundled_briefing.themes]
    actions[-1].trigger()
    assert window.current_tab().theme.id == bundled_briefing.themes[-1].id
    assert window.reading.theme_list.accessibleName() == "List of all themes"


def test_figure_cards_give_the_whole_document_name(window: MainWindow) -> None:
    _excerpts, figures = _features(window)
    delegate = figures.panel.list.itemDelegate()
    assert isinstance(delegate, FiguresDelegate)
    for row in range(figures.model.rowCount()):
        index = figures.model.index(row, 0)
        card = delegate._document(index, 220).toPlainText()
        assert str(index.data(Role.DOCUMENT_TITLE)) in card.replace("\u2028", " ")
