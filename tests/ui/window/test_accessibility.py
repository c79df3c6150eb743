"""What a screen reader finds, through Qt's accessibility interfaces (what AT-SPI serves).

Every control named (hidden ones too), no focusable empty label, the chips one group of
radio buttons, one focused item, the count said once, copy, add and export said, short
names for tray items, the keyboard starting on a named control, a focus mark on the text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface, QPalette, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from briefreader.core.model import Briefing
from briefreader.ui.excerpts.feature import ExcerptFeature
from briefreader.ui.shared.settings import AppSettings
from briefreader.ui.window.main_window import MainWindow

WindowFactory = Callable[..., MainWindow]  # as in tests/ui/conftest.py
R = QAccessible.Role
CONTROLS = {
    R.PushButton,
    R.CheckBox,
    R.RadioButton,
    R.EditableText,
    R.ComboBox,
    R.PageTabList,
    R.List,
    R.ButtonMenu,
    R.ButtonDropDown,
    R.SpinBox,
    R.Slider,
}


@dataclass(frozen=True)
class Node:
    """What a screen reader is told about one object (copied: Qt owns the interfaces, and
    a test that kept them past its window crashed a later one)."""

    role: QAccessible.Role
    name: str
    description: str
    focusable: bool
    focused: bool
    invisible: bool
    checked: bool
    target: QObject | None

    def __str__(self) -> str:
        target = self.target
        where = f"{target.metaObject().className()} {target.objectName()!r}" if target else "?"
        return f"{self.role.name} {where}"


def node(interface: QAccessibleInterface) -> Node:
    state = interface.state()
    return Node(
        role=interface.role(),
        name=interface.text(QAccessible.Text.Name) or "",
        description=interface.text(QAccessible.Text.Description) or "",
        focusable=bool(state.focusable),
        focused=bool(state.focused),
        invisible=bool(state.invisible),
        checked=bool(state.checked),
        target=interface.object(),
    )


def _walk(interface: QAccessibleInterface, out: list[Node], depth: int = 0) -> None:
    out.append(node(interface))
    if depth > 30:
        return
    for number in range(interface.childCount()):
        child = interface.child(number)
        if child is not None and child.isValid():
            _walk(child, out, depth + 1)


def _tree(widget: QWidget) -> list[Node]:
    root = QAccessible.queryAccessibleInterface(widget)
    assert root is not None
    out: list[Node] = []
    _walk(root, out)
    return out


def _node(widget: QWidget) -> Node:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return node(interface)


@pytest.fixture
def window(qtbot: QtBot, make_window: WindowFactory, bundled_briefing: Briefing) -> MainWindow:
    built = make_window(bundled_briefing)
    built.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is built)
    return built


def _search(qtbot: QtBot, window: MainWindow, text: str) -> None:
    window.search.field.setFocus()
    with qtbot.waitSignal(
        window.search.results_shown,
        timeout=20000,
        check_params_cb=lambda result: result.query == text,
    ):
        QTest.keyClicks(window.search.field, text)


def test_every_control_is_named_and_no_empty_label_takes_the_focus(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.reading.find.open_bar()
    _search(qtbot, window, "sextortion")
    tree = _tree(window)
    unnamed = [str(n) for n in tree if n.role in CONTROLS and not n.name.strip()]
    assert unnamed == []
    empty_stops = [
        str(n) for n in tree if n.role == R.StaticText and n.focusable and not n.name.strip()
    ]
    assert empty_stops == []
    # The buttons inside the fields, which Qt leaves unnamed.
    field = window.search.field
    names = {b.accessibleName() for b in field.findChildren(QToolButton)}
    assert names == {"Clear the search", "Search"}
    find_field = window.reading.find.bar.field
    assert {b.accessibleName() for b in find_field.findChildren(QToolButton)} == {
        "Clear the find field"
    }
    # The tab list has a name of its own, not the current tab's.
    # Qt names a tab list after its current tab, and gives it no description, whatever it
    # is given (QAccessibleTabBar): the container the tabs are in carries the name.
    bar = _node(window.reading.tabs.tabBar())
    assert bar.role == R.PageTabList and bar.name == window.current_tab().theme.title
    assert _node(window.reading.tabs).name == "Themes"
    # The search syntax is read as text, not as a name without content.
    assert "grooming gaming" in _node(window.results_panel.help).name


def test_the_keyboard_starts_on_a_named_control(window: MainWindow) -> None:
    focused = QApplication.focusWidget()
    assert focused is window.search.field
    assert _node(focused).name == "Search the briefing"


def test_theme_chips_are_one_group_of_radio_buttons(qtbot: QtBot, window: MainWindow) -> None:
    _search(qtbot, window, "sextortion")
    chips = window.results_panel.chips
    group, *members = _tree(chips)
    assert group.role == R.Grouping and group.name == "Filter results by theme"
    radios = [m for m in members if m.role == R.RadioButton]
    assert len(radios) == len(chips.buttons)
    assert [r.name for r in radios if r.checked and not r.invisible] == ["All themes: 4 passages"]
    QTest.mouseClick(chips.buttons["voices"], Qt.MouseButton.LeftButton)
    radios = [m for m in _tree(chips) if m.role == R.RadioButton]
    assert [r.name for r in radios if r.checked] == ["Voices: 1 passage"]


def test_one_object_is_focused(qtbot: QtBot, window: MainWindow) -> None:
    _search(qtbot, window, "sextortion")
    assert window.search.field.hasFocus()
    lists = [window.results_panel.list, window.current_tab().toc]
    focused_items = [n.name for n in _tree(window) if n.focused and n.role == R.ListItem]
    assert focused_items == []
    assert _node(window.search.field).focused
    # Enter in the field still opens the first result; Down makes it the current item.
    assert window.current_hit() is not None
    # Down goes through the key figures that answer the search, then to the passages.
    cards = window.results_panel.answers.cards
    assert cards
    QTest.keyClick(window.search.field, Qt.Key.Key_Down)
    for card in cards:
        assert card.hasFocus()
        focused = [n for n in _tree(window) if n.focused]
        assert [n.name for n in focused if n.role == R.ListItem] == []
        QTest.keyClick(card, Qt.Key.Key_Down)
    assert lists[0].hasFocus() and lists[0].currentIndex().row() == 0
    cells = [n for n in _tree(window) if n.focused and n.role == R.ListItem]
    assert [c.name for c in cells] == [
        str(lists[0].currentIndex().data(Qt.ItemDataRole.AccessibleTextRole))
    ]


def test_the_count_is_said_once_when_the_results_settle(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []
    monkeypatch.setattr(window, "announce", said.append)
    window.search.field.setFocus()
    for letter in "sextortion":
        QTest.keyClicks(window.search.field, letter)
        qtbot.wait(60)  # typing speed: every keystroke is answered
    qtbot.waitUntil(lambda: bool(said), timeout=5000)
    qtbot.wait(1000)
    assert said == [window.results_panel.summary.text()]
    assert said[0].startswith("4 passages match")


def test_copy_add_and_export_are_said(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = AppSettings(QSettings(str(tmp_path / "x.ini"), QSettings.Format.IniFormat))
    feature = ExcerptFeature(window, settings)
    said: list[str] = []
    real = window.announce

    def announce(text: str) -> None:
        said.append(text)
        real(text)

    monkeypatch.setattr(window, "announce", announce)
    reader = window.current_reader()
    words = "2023 has been a momentous year"
    start = reader.page_text().index(words)
    cursor = QTextCursor(reader.document())
    cursor.setPosition(start)
    cursor.setPosition(start + len(words), QTextCursor.MoveMode.KeepAnchor)
    reader.setTextCursor(cursor)
    reader.setFocus()
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(reader, Qt.Key.Key_C, ctrl_shift)
    assert said and said[-1].startswith("Copied with its")
    QTest.keyClick(reader, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert said[-1].startswith("Added to the excerpt tray (1 excerpt)")
    task = feature.panel.export_to(tmp_path / "note.md")
    assert task is not None
    qtbot.waitUntil(lambda: said[-1].startswith("Saved the briefing note"), timeout=10000)
    # Tray items: a short name to hear, the whole quote and citation as the description.
    index = feature.model.index(0, 0)
    name = str(index.data(Qt.ItemDataRole.AccessibleTextRole))
    assert name.startswith("2023 has been a momentous year") and len(name) < 120
    description = str(index.data(Qt.ItemDataRole.AccessibleDescriptionRole))
    assert words in description and "WeProtect" in description


def test_the_text_shows_a_focus_mark_and_says_its_structure(
    qtbot: QtBot, window: MainWindow
) -> None:
    reader = window.current_reader()
    highlight = reader.palette().color(QPalette.ColorRole.Highlight)
    window.search.field.setFocus()
    qtbot.waitUntil(lambda: not reader.hasFocus())
    unfocused = reader.viewport().grab().toImage()
    reader.setFocus()
    qtbot.waitUntil(reader.hasFocus)
    focused = reader.viewport().grab().toImage()
    middle = focused.height() // 2
    assert focused.pixelColor(0, middle) == highlight
    assert unfocused.pixelColor(0, middle) != highlight
    description = _node(reader).description
    theme = window.current_tab().theme
    assert description.startswith(f"Document, {len(theme.sections)} sections: ")
    assert theme.sections[0].title in description
