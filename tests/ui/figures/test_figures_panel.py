"""The Key Figures panel: every figure with its source, keys to open, copy and keep one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from briefreader.core.excerpts import Excerpt, ExcerptKind
from briefreader.core.model import Briefing, Figure
from briefreader.ui.excerpts.feature import ExcerptFeature
from briefreader.ui.figures.dock import FIGURES_SHORTCUT
from briefreader.ui.figures.feature import FiguresFeature
from briefreader.ui.figures.model import FiguresModel, Role
from briefreader.ui.shared.clipboard import MARKDOWN
from briefreader.ui.shared.settings import AppSettings
from briefreader.ui.window.main_window import MainWindow

WindowFactory = Callable[..., MainWindow]  # as in tests/ui/conftest.py

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


class Attached(NamedTuple):
    window: MainWindow
    figures: FiguresFeature
    excerpts: ExcerptFeature


def attach(window: MainWindow, tmp_path: Path, *, figures_first: bool = False) -> Attached:
    """Both features, joined as the app joins them; either may be made first."""
    settings = AppSettings(QSettings(str(tmp_path / "excerpts.ini"), QSettings.Format.IniFormat))
    if figures_first:
        figures = FiguresFeature(window)
        excerpts = ExcerptFeature(window, settings)
    else:
        excerpts = ExcerptFeature(window, settings)
        figures = FiguresFeature(window)
    excerpts.add_source(figures.panel, "Figure")
    return Attached(window, figures, excerpts)


@pytest.fixture(params=[False, True], ids=["excerpts-first", "figures-first"])
def feature(
    request: pytest.FixtureRequest,
    qtbot: QtBot,
    make_window: WindowFactory,
    bundled_briefing: Briefing,
    tmp_path: Path,
) -> Attached:
    """The bundled briefing's window with the panel shown, its list focused on row 0."""
    window = make_window(bundled_briefing)
    attached = attach(window, tmp_path, figures_first=bool(request.param))
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    attached.figures.toggle_action.trigger()
    qtbot.waitUntil(attached.figures.panel.list.hasFocus)
    return attached


def document_title(briefing: Briefing, figure: Figure) -> str:
    document = briefing.document(figure.document_id)
    assert document is not None
    return document.title


def test_model_lists_every_figure_with_its_source(bundled_briefing: Briefing) -> None:
    figures = bundled_briefing.figures
    assert len(figures) > 10  # the bundled briefing's figures, not a stand-in
    model = FiguresModel(bundled_briefing)
    assert model.rowCount() == len(figures)
    for row, figure in enumerate(figures):
        index = model.index(row, 0)
        assert index.data(Role.VALUE) == figure.value
        assert index.data(Role.SOURCE) == figure.source
        assert index.data(Role.DOCUMENT_TITLE) == document_title(bundled_briefing, figure)
        if figure.period:
            assert index.data(Role.STATEMENT).endswith(figure.period)
        display = index.data(Qt.ItemDataRole.DisplayRole)
        assert display.startswith(figure.value) and figure.source in display
        spoken = index.data(Qt.ItemDataRole.AccessibleTextRole)
        assert f"Source: {figure.source}." in spoken
        assert document_title(bundled_briefing, figure) in spoken
        tip = index.data(Qt.ItemDataRole.ToolTipRole)  # what a copy gives, citation included
        assert figure.value in tip and figure.source in tip and "\n— " in tip
        # The source's sentence is the quote; the summary is the app's, never quoted.
        quote = index.data(Role.QUOTE)
        assert figure.quote
        for paragraph in figure.quote.split("\n\n"):  # each paragraph, by the usual convention
            assert " ".join(paragraph.split()) in quote
        assert quote.endswith("”") or figure.quote.startswith(("“", '"'))
        assert spoken.startswith(f"{figure.value}: ") and not tip.startswith("“")
        assert quote in spoken and quote in tip
        assert f"{figure.value} {figure.measure}" in tip.split("\n")[0]
        speaker = index.data(Role.SPEAKER)
        if figure.speaker:
            assert speaker.startswith(figure.speaker) and f"Stated by {speaker}." in spoken
        else:
            assert speaker == "" and "Stated by" not in spoken
    assert sum(1 for f in figures if f.speaker) >= 4  # the statements' figures name who said them


def test_hidden_at_first_and_toggled_from_the_view_menu(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing, tmp_path: Path
) -> None:
    window = make_window(bundled_briefing)
    feature = attach(window, tmp_path)
    assert not feature.figures.dock.isVisible()
    assert feature.figures.toggle_action in window.view_menu.actions()
    assert feature.figures.toggle_action.shortcut() == QKeySequence(FIGURES_SHORTCUT)
    others = [a for a in window.findChildren(type(feature.figures.toggle_action))
              if a is not feature.figures.toggle_action]  # fmt: skip
    assert not [a.text() for a in others if QKeySequence(FIGURES_SHORTCUT) in a.shortcuts()]
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.current_reader().setFocus()
    QTest.keyClick(window.current_reader(), Qt.Key.Key_K, CTRL_SHIFT)
    qtbot.waitUntil(feature.figures.dock.isVisible)
    qtbot.waitUntil(feature.figures.panel.list.hasFocus)
    assert feature.figures.panel.list.accessibleName() == "Key figures"


def test_arrows_and_enter_open_the_figures_section(
    qtbot: QtBot, feature: Attached, bundled_briefing: Briefing
) -> None:
    window = feature.window
    figure = bundled_briefing.figures[2]
    other_theme = next(t for t in bundled_briefing.themes if not figure.section_id.startswith(t.id))
    window.open_theme(other_theme.id)
    feature.figures.panel.list.setFocus()
    QTest.keyClick(feature.figures.panel.list, Qt.Key.Key_Down)
    QTest.keyClick(feature.figures.panel.list, Qt.Key.Key_Down)
    panel = feature.figures.panel
    assert panel.model.figure(panel.current_row()) is figure
    with qtbot.waitSignal(window.section_opened) as opened:
        QTest.keyClick(feature.figures.panel.list, Qt.Key.Key_Return)
    assert opened.args == [figure.section_id]
    assert figure.section_id.startswith(f"{window.current_tab().theme.id}/")
    assert window.current_section_id() == figure.section_id
    reader = window.current_reader()
    assert reader.highlight_count >= 1  # the figure's value is marked in its passage
    # The focus stays on the figure, where the next keys act: Ctrl+E keeps this figure
    # (from the text it said "Nothing to add"), Down goes to the next one.
    assert panel.list.hasFocus()
    tray = feature.excerpts
    with qtbot.waitSignal(tray.model.rowsInserted):
        QTest.keyClick(panel.list, Qt.Key.Key_E, CTRL)
    item = tray.model.item(0)
    # The figure's own sentence is the quote; its value is the app's summary, outside it.
    assert item is not None and item.excerpt.quote == figure.quote
    assert item.excerpt.summary.startswith(figure.value)
    assert "Added to the excerpt tray" in window.statusBar().currentMessage()


@pytest.mark.parametrize("modifiers", [CTRL_SHIFT, CTRL], ids=["ctrl-shift-c", "ctrl-c"])
def test_copy_gives_value_source_and_document(
    qtbot: QtBot,
    feature: Attached,
    bundled_briefing: Briefing,
    modifiers: Qt.KeyboardModifier,
) -> None:
    figure = bundled_briefing.figures[0]
    feature.figures.panel.select_row(0)
    clipboard = QGuiApplication.clipboard()
    clipboard.clear()
    with qtbot.waitSignal(clipboard.dataChanged):
        QTest.keyClick(feature.figures.panel.list, Qt.Key.Key_C, modifiers)
    text = clipboard.text()
    # The summary first, in the app's words; then the source's sentence, quoted.
    assert text.startswith(f"{figure.value} {figure.measure}")
    assert f"(source: {figure.source})" in text
    assert f"\n“{figure.quote}”\n" in text
    assert document_title(bundled_briefing, figure) in text
    data = clipboard.mimeData()
    assert data is not None
    assert figure.source in bytes(data.data(MARKDOWN).data()).decode("utf-8")
    assert "Copied with its" in feature.window.statusBar().currentMessage()


def test_a_figure_from_a_statement_is_copied_with_its_speaker(
    qtbot: QtBot, feature: Attached, bundled_briefing: Briefing
) -> None:
    row, figure = next((n, f) for n, f in enumerate(bundled_briefing.figures) if f.speaker)
    feature.figures.panel.select_row(row)
    clipboard = QGuiApplication.clipboard()
    with qtbot.waitSignal(clipboard.dataChanged):
        QTest.keyClick(feature.figures.panel.list, Qt.Key.Key_C, CTRL_SHIFT)
    summary, quote, cite = clipboard.text().split("\n", 2)
    assert summary == f"{figure.summary()} (source: {figure.source})"  # outside the quote
    assert quote == f"“{' '.join(figure.quote.split())}”"
    assert cite.startswith(f"— {figure.speaker}")
    data = clipboard.mimeData()
    assert data is not None
    html = data.html()
    assert html.index(figure.value) < html.index("<blockquote>")  # the summary is not quoted


def test_ctrl_e_adds_the_figure_to_the_tray(
    qtbot: QtBot, feature: Attached, bundled_briefing: Briefing
) -> None:
    figure = bundled_briefing.figures[1]
    feature.figures.panel.select_row(1)
    tray = feature.excerpts
    with qtbot.waitSignal(tray.model.rowsInserted):
        QTest.keyClick(feature.figures.panel.list, Qt.Key.Key_E, CTRL)
    assert tray.model.rowCount() == 1
    item = tray.model.item(0)
    assert item is not None
    assert item.excerpt.kind is ExcerptKind.FIGURE
    assert item.excerpt.credit == figure.source
    assert item.excerpt.quote == figure.quote  # the source's sentence, verbatim
    assert figure.value in item.excerpt.quote


def test_context_menu_from_the_keyboard_offers_copy_and_tray(
    qtbot: QtBot, feature: Attached
) -> None:
    feature.figures.panel.select_row(3)
    built: list[tuple[QMenu, Excerpt | None]] = []
    feature.figures.panel.context_menu_about_to_show.connect(lambda m, e: built.append((m, e)))
    origin = QPoint(0, 0)  # a keyboard menu opens on the current item, wherever this says
    event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, origin, origin)
    QApplication.sendEvent(feature.figures.panel.list, event)
    assert len(built) == 1
    menu, excerpt = built[0]
    assert excerpt is not None and excerpt.kind is ExcerptKind.FIGURE
    texts = [a.text() for a in menu.actions() if a.text()]
    assert "Go to the Passage" in texts
    assert "Add Figure to Excerpt Tray" in texts
    assert any(t.startswith("Copy Figure with") for t in texts)
    menu.close()


def test_the_edit_menu_acts_on_the_figure_only_while_the_panel_has_the_focus(
    qtbot: QtBot, feature: Attached
) -> None:
    add = feature.excerpts.actions.add_action
    tray = feature.excerpts.model
    reader = feature.window.current_reader()
    reader.setFocus()
    qtbot.waitUntil(reader.hasFocus)
    add.trigger()  # the reader has no selection: nothing to add
    assert tray.rowCount() == 0
    feature.figures.panel.list.setFocus()
    qtbot.waitUntil(feature.figures.panel.list.hasFocus)
    with qtbot.waitSignal(tray.rowsInserted):
        add.trigger()
    item = tray.item(0)
    assert item is not None and item.excerpt == feature.figures.panel.current_excerpt()


def test_shown_panel_is_remembered_with_the_window(
    qtbot: QtBot,
    make_window: WindowFactory,
    bundled_briefing: Briefing,
    tmp_path: Path,
    settings_file: Path,
) -> None:
    first = make_window(bundled_briefing)
    attach(first, tmp_path).figures.toggle_action.trigger()
    first.save_session()
    # Attached after the session was restored, as a feature attached after the first paint
    # is: the panel is put back where it was when it is added.
    again = make_window(bundled_briefing, settings_path=settings_file)
    feature = attach(again, tmp_path)
    qtbot.waitUntil(feature.figures.dock.isVisible)
    assert again.dockWidgetArea(feature.figures.dock) == Qt.DockWidgetArea.RightDockWidgetArea
    assert [a for a in again.view_menu.actions() if a is feature.figures.toggle_action]
