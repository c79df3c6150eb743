"""The reader window on the bundled briefing: tabs, contents, search, landing, find, keys."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QPalette, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QWidget
from pytestqt.qtbot import QtBot

from briefreader.app import application
from briefreader.core.locations import APP_ID
from briefreader.core.model import Briefing
from briefreader.ui.reading.reader import ReaderView
from briefreader.ui.shared.app_icon import ICON_SIZES
from briefreader.ui.shared.settings import ZOOM_DEFAULT
from briefreader.ui.window.main_window import MainWindow
from helpers.searching import type_search

WindowFactory = Callable[..., MainWindow]


def _visible(reader: ReaderView, position: int) -> bool:
    cursor = QTextCursor(reader.document())
    cursor.setPosition(position)
    rect = reader.cursorRect(cursor)
    return rect.top() >= 0 and rect.bottom() <= reader.viewport().height()


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def _activate(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_one_tab_per_theme_in_the_manifests_order(
    make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    titles = [window.reading.tabs.tabText(i) for i in range(window.reading.tabs.count())]
    assert titles == [t.title for t in bundled_briefing.themes]
    assert [r.theme_id for r in window.readers()] == [t.id for t in bundled_briefing.themes]
    # Each tab's contents list every section of its theme, in order.
    for theme in bundled_briefing.themes:
        tab = window.tab_for(theme.id)
        assert tab is not None
        model = tab.toc.toc_model
        assert model is not None
        listed = [
            model.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) for r in range(model.rowCount())
        ]
        assert [s for s in listed if s] == [s.id for s in theme.sections]


def test_the_open_tab_renders_first_and_the_others_follow(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    assert window.current_reader().is_loaded
    assert "Overview" in window.current_reader().page_text()
    qtbot.waitUntil(lambda: all(r.is_loaded for r in window.readers()))


def test_a_click_in_the_contents_scrolls_the_reader_there(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    window.open_theme("voices")
    tab = window.current_tab()
    qtbot.waitUntil(lambda: tab.is_loaded and tab.has_been_shown)
    target = bundled_briefing.themes[-1].sections[-5]
    model = tab.toc.toc_model
    assert model is not None
    row = model.row_of(target.id)
    rect = tab.toc.visualRect(model.index(row, 0))
    tab.toc.scrollTo(model.index(row, 0))
    rect = tab.toc.visualRect(model.index(row, 0))
    assert tab.reader.verticalScrollBar().value() == 0

    with qtbot.waitSignal(window.current_section_changed) as changed:
        QTest.mouseClick(tab.toc.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    assert changed.args == [target.id]
    assert tab.reader.verticalScrollBar().value() > 0
    position = tab.reader.section_position(target.id)
    assert position is not None and _visible(tab.reader, position)
    assert window.current_section_id() == target.id


def test_the_contents_follow_the_reading_position(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    tab = window.current_tab()
    third = tab.theme.sections[2]
    position = tab.reader.section_position(third.id)
    assert position is not None
    tab.reader.set_top_position(position)
    qtbot.waitUntil(lambda: tab.toc.current_section_id() == third.id)
    tab.reader.set_top_position(0)
    qtbot.waitUntil(lambda: tab.toc.current_section_id() == tab.theme.sections[0].id)


def test_typing_fills_the_results_with_the_right_first_hit(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    result = type_search(qtbot, window, "luxembourg")

    assert result.hits[0].id == "collaboration/luxembourg-guidelines"
    panel = window.results_panel
    assert panel.model.rowCount() == len(result.hits)
    assert panel.current_hit() == result.hits[0]
    assert panel.summary.text().startswith(f"{result.total} passage")
    # The count is announced once the results settle: status bar and the list's description.
    qtbot.waitUntil(lambda: panel.summary.text() in window.statusBar().currentMessage())
    assert panel.list.accessibleDescription() == panel.summary.text()
    # Chips: "All themes" and the themes with matches, with their counts.
    chips = panel.chips.buttons
    assert chips[None].text().endswith(str(result.total))
    for theme_id, count in result.theme_counts:
        assert chips[theme_id].isVisibleTo(panel) and chips[theme_id].text().endswith(str(count))
    assert not chips["voices"].isVisibleTo(panel)


def test_a_theme_chip_narrows_the_results(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    everywhere = type_search(qtbot, window, "safety by design")
    assert len({h.theme for h in everywhere.hits}) > 1

    with qtbot.waitSignal(window.search.results_shown, timeout=20000) as blocker:
        QTest.mouseClick(window.results_panel.chips.buttons["voices"], Qt.MouseButton.LeftButton)
    narrowed = blocker.args[0]
    assert narrowed.theme == "voices"
    assert narrowed.hits and {h.theme for h in narrowed.hits} == {"voices"}
    assert window.results_panel.summary.text().endswith("in Voices")


def test_enter_opens_the_tab_with_the_section_in_view_and_its_words_marked(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    result = type_search(qtbot, window, "sextortion")
    first = result.hits[0]

    with qtbot.waitSignal(window.section_opened, timeout=10000) as opened:
        QTest.keyClick(window.search.field, Qt.Key.Key_Return)

    assert opened.args == [first.id]
    assert window.current_tab().theme.id == first.theme
    reader = window.current_reader()
    start, end = reader.section_text_range(first.id) or (0, 0)
    assert _visible(reader, start)
    text = reader.page_text()
    marked = {text[a:b].lower() for a, b in reader.highlight_spans()}
    assert marked and marked <= {w.lower() for h in result.hits for w in h.matched_words}
    # "sextortion" also finds "sexual extortion" (synonyms) and the marks show it.
    assert reader.highlight_count >= 1
    current_start = reader.highlight_spans()[reader.current_highlight][0]
    assert start <= current_start < end
    assert _visible(reader, current_start)
    assert reader.hasFocus()
    assert "sextortion" in window.settings.recent_searches


def test_f3_steps_through_the_marks_and_esc_clears_them(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    _activate(qtbot, window)
    type_search(qtbot, window, "children")
    with qtbot.waitSignal(window.section_opened, timeout=10000):
        QTest.keyClick(window.search.field, Qt.Key.Key_Return)
    reader = window.current_reader()
    total = reader.highlight_count
    assert total > 2
    first = reader.current_highlight

    QTest.keyClick(reader, Qt.Key.Key_F3)
    assert reader.current_highlight == (first + 1) % total
    assert _visible(reader, reader.highlight_spans()[reader.current_highlight][0])
    QTest.keyClick(reader, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert reader.current_highlight == first
    QTest.keyClick(reader, Qt.Key.Key_Escape)
    assert reader.highlight_count == 0
    assert reader.extraSelections() == []


def test_find_in_page_marks_every_occurrence_in_the_open_tab(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    _activate(qtbot, window)
    reader = window.current_reader()
    QTest.keyClick(reader, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.reading.find.bar.isVisible() and window.reading.find.bar.field.hasFocus()

    QTest.keyClicks(window.reading.find.bar.field, "global alliance")
    expected = reader.page_text().lower().count("global alliance")
    assert expected > 1
    assert reader.highlight_count == expected
    assert window.reading.find.bar.status.text() == f"1 of {expected}"
    QTest.keyClick(window.reading.find.bar.field, Qt.Key.Key_Return)
    assert window.reading.find.bar.status.text() == f"2 of {expected}"

    QTest.keyClick(window.reading.find.bar.field, Qt.Key.Key_Escape)
    assert not window.reading.find.bar.isVisible()
    assert reader.highlight_count == 0
    assert reader.hasFocus()


def test_a_typo_shows_the_close_spelling_and_offers_the_typed_one(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    result = type_search(qtbot, window, "sextorsion")
    assert result.searched_instead == "sextortion"
    assert result.hits[0].id == "threat-assessment/financial-sexual-extortion"
    message = window.results_panel.message
    assert "Showing results for" in message.text() and "Search instead for" in message.text()
    assert window.results_panel.list.isVisible()

    # "Search instead for sextorsion": the typed word, quoted, is searched as it is.
    with qtbot.waitSignal(
        window.search.results_shown,
        timeout=20000,
        check_params_cb=lambda r: r.query == '"sextorsion"',
    ) as blocker:
        message.linkActivated.emit('query:"sextorsion"')
    assert window.search.field.text() == '"sextorsion"'
    typed = blocker.args[0]
    assert not typed.hits and typed.suggestion == '"sextortion"'
    assert "Did you mean" in message.text()
    assert not window.results_panel.list.isVisible()


def test_an_empty_field_explains_what_to_type(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    type_search(qtbot, window, "trust")
    window.search.field.clear()
    panel = window.results_panel
    assert panel.summary.text() == "Search the briefing"
    assert "Type a word" in panel.message.text()
    assert panel.help.isVisibleTo(panel) and "theme:voices" in panel.help.text()
    assert not panel.list.isVisibleTo(panel)


def test_keys_move_between_the_field_and_the_results(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    _activate(qtbot, window)
    result = type_search(qtbot, window, "safety by design")
    panel = window.results_panel
    QTest.keyClick(window.search.field, Qt.Key.Key_Down)
    assert panel.list.hasFocus()
    QTest.keyClick(panel.list, Qt.Key.Key_Down)
    assert panel.current_hit() == result.hits[1]
    with qtbot.waitSignal(window.section_opened, timeout=10000) as opened:
        QTest.keyClick(panel.list, Qt.Key.Key_Return)
    assert opened.args == [result.hits[1].id]
    QTest.keyClick(window.current_reader(), Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search.field.hasFocus()


def test_tab_keys_switch_themes(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    _activate(qtbot, window)
    reader = window.current_reader()
    QTest.keyClick(reader, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert window.reading.tabs.currentIndex() == 2
    QTest.keyClick(
        window.current_reader(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier
    )
    assert window.reading.tabs.currentIndex() == 3
    QTest.keyClick(window.current_reader(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(window.current_reader(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.reading.tabs.currentIndex() == 1
    QTest.keyClick(window.current_reader(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.reading.tabs.currentIndex() == 2
    assert window.windowTitle().startswith(bundled_briefing.themes[2].title)


def test_zoom_keys_change_the_text_size(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    _activate(qtbot, window)
    reader = window.current_reader()
    size = reader.document().defaultFont().pointSizeF()
    width = reader.text_column_width()
    QTest.keyClick(reader, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.reading.zoom > ZOOM_DEFAULT
    assert reader.document().defaultFont().pointSizeF() > size
    assert reader.text_column_width() > width  # the column keeps its characters per line
    QTest.keyClick(reader, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(reader, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.reading.zoom < ZOOM_DEFAULT
    QTest.keyClick(reader, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.reading.zoom == ZOOM_DEFAULT
    assert reader.document().defaultFont().pointSizeF() == size
    assert window.settings.zoom == ZOOM_DEFAULT


def test_lines_stay_readable_in_a_wide_window(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    window.resize(2400, 1000)
    reader = window.current_reader()
    qtbot.waitUntil(lambda: reader.viewport().width() > 1500)
    frame = reader.document().rootFrame().frameFormat()
    column = reader.viewport().width() - frame.leftMargin() - frame.rightMargin()
    assert abs(column - reader.text_column_width()) < 2


def test_dark_appearance_restyles_the_reader(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    reader = window.current_reader()
    position = reader.section_position(reader.section_ids()[1]) or 0
    reader.set_top_position(position)
    window.set_appearance("dark")
    assert window.appearance.dark
    assert "#e6e6e6" in reader.document().defaultStyleSheet()
    qtbot.waitUntil(lambda: reader.palette().color(QPalette.ColorRole.Base).lightness() < 100)
    assert reader.section_at(reader.top_position()) == reader.section_ids()[1]
    window.toggle_dark()
    assert not window.appearance.dark and window.settings.appearance == "light"


def test_controls_have_accessible_names(
    make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    unnamed = [
        f"{type(w).__name__} {w.objectName()!r}"
        for w in window.findChildren(QWidget)
        if w.isVisibleTo(window)
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and not isinstance(w, QLabel)
        and not w.accessibleName()
        and type(w).__name__ not in {"QTabBar", "QScrollBar", "QToolButton"}
    ]
    assert unnamed == []


def test_the_about_box_names_sources_and_where_files_live(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    window.help.show_about()
    dialog = window.findChild(QWidget, "aboutDialog")
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    text = dialog.browser.toPlainText()  # type: ignore[attr-defined]
    for document in bundled_briefing.documents:
        assert document.title in text and document.date_text in text
        assert f"({document.kind})" in text
        if document.url:
            assert f"{document.url_label}: {document.url}" in text
    assert str(window.locations.index) in text
    assert str(window.locations.data) in text
    assert window.settings.file_name() in text
    assert "child" in text and "Content note" in text
    dialog.close()


def test_the_app_has_its_icon_in_every_launcher_size_and_in_the_about_box(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    app = application()
    assert QGuiApplication.desktopFileName() == APP_ID
    sizes = {(s.width(), s.height()) for s in app.windowIcon().availableSizes()}
    assert sizes == {(n, n) for n in ICON_SIZES}
    window = make_window(bundled_briefing)
    assert not window.windowIcon().pixmap(32, 32).isNull()
    window.help.show_about()
    dialog = window.findChild(QWidget, "aboutDialog")
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    pixmap = dialog.icon.pixmap()  # type: ignore[attr-defined]
    assert not pixmap.isNull() and pixmap.width() == 64
    dialog.close()


def test_the_context_menu_hook_gets_the_menu_and_position(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    reader = window.current_reader()
    seen: list[tuple[object, int]] = []
    reader.context_menu_about_to_show.connect(lambda menu, position: seen.append((menu, position)))
    second = reader.section_ids()[1]
    reader.scroll_to_section(second)
    cursor = QTextCursor(reader.document())
    cursor.setPosition((reader.section_position(second) or 0) + 3)
    point: QPoint = reader.cursorRect(cursor).center()
    QApplication.sendEvent(
        reader.viewport(),
        QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, point, reader.viewport().mapToGlobal(point)
        ),
    )
    qtbot.waitUntil(lambda: bool(seen))
    menu, position = seen[0]
    assert reader.section_at(position) == second
    menu.close()  # type: ignore[attr-defined]


def test_tab_moves_through_the_window_in_reading_order(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    _activate(qtbot, window)
    window.open_theme("voices")
    type_search(qtbot, window, "luxembourg")
    chips = window.results_panel.chips.buttons
    tab = window.current_tab()
    expected = [window.search.field, chips[None], window.results_panel.list]
    expected += [window.reading.tabs.tabBar(), window.reading.theme_list]
    expected += [tab.toc, tab.reader, window.search.field]
    seen: list[QWidget | None] = [QApplication.focusWidget()]
    while len(seen) < len(expected):
        QTest.keyClick(_focused(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        if focused is not None and focused.objectName() in {
            "ScrollLeftButton",
            "ScrollRightButton",
        }:
            continue  # the tab bar's scroll buttons, when the tabs do not fit
        seen.append(focused)
    assert seen == expected
    # The chips are one group: arrow keys move between them.
    chips[None].setFocus()
    QTest.keyClick(chips[None], Qt.Key.Key_Right)
    assert QApplication.focusWidget() is chips["collaboration"]


def test_f6_cycles_through_the_panes(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    _activate(qtbot, window)
    type_search(qtbot, window, "luxembourg")
    tab = window.current_tab()
    order = [window.results_panel.list, tab.toc, tab.reader, window.search.field]
    for expected in order:
        QTest.keyClick(_focused(), Qt.Key.Key_F6)
        assert QApplication.focusWidget() is expected


def test_recent_searches_drop_down_from_an_empty_field(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    _activate(qtbot, window)
    for query in ("luxembourg", "trust"):
        window.search.field.clear()
        type_search(qtbot, window, query)
        QTest.keyClick(window.search.field, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda q=query: window.settings.recent_searches[:1] == [q])  # type: ignore[misc]
    window.search.field.clear()
    window.search.field.setFocus()
    assert "luxembourg" in window.results_panel.message.text()
    QTest.keyClick(window.search.field, Qt.Key.Key_Down)
    popup = window.search.field.recent_completer.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    assert [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())] == [
        "trust",
        "luxembourg",
    ]
    popup.hide()


def test_the_results_context_menu_hook_gets_the_hit(
    qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing
) -> None:
    window = make_window(bundled_briefing)
    result = type_search(qtbot, window, "luxembourg")
    seen: list[object] = []
    window.results_panel.context_menu_about_to_show.connect(lambda menu, hit: seen.append(hit))
    view = window.results_panel.list
    point = view.visualRect(window.results_panel.model.index(1, 0)).center()
    QApplication.sendEvent(
        view.viewport(),
        QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, point, view.viewport().mapToGlobal(point)
        ),
    )
    assert seen == [result.hits[1]]
    menus = [m for m in window.results_panel.findChildren(QMenu) if m.isVisible()]
    assert menus and menus[0].actions()[0].text() == "Open passage"
    menus[0].close()
