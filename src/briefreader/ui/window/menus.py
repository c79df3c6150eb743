"""The menus' actions and keyboard shortcuts: the shell places each feature's actions here.

Built by a start-up step right after the first paint: ``QKeySequence``, ``QActionGroup`` and
the many actions are PySide set-up the first frame does not need. The menus themselves are in
the first frame, empty, so that the menu bar does not move when they are filled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu

from briefreader.ui.shared.settings import ZOOM_DEFAULT

if TYPE_CHECKING:
    from briefreader.ui.reading.controller import ReadingController
    from briefreader.ui.window.main_window import MainWindow

Shortcut = QKeySequence | QKeySequence.StandardKey | str


def add_action(
    window: MainWindow,
    menu: QMenu,
    text: str,
    slot: Callable[[], object],
    *,
    shortcuts: Sequence[Shortcut] = (),
    tip: str = "",
) -> QAction:
    """An action in ``menu`` whose shortcuts work while the menu bar is hidden, too."""
    action = QAction(text, window)
    keys: list[QKeySequence] = []
    for shortcut in shortcuts:
        if isinstance(shortcut, QKeySequence.StandardKey):
            keys += QKeySequence.keyBindings(shortcut)
        else:
            keys.append(QKeySequence(shortcut))
    unique: list[QKeySequence] = []
    for key in keys:
        if not key.isEmpty() and key not in unique:
            unique.append(key)
    if unique:
        action.setShortcuts(unique)
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(slot)
    menu.addAction(action)
    window.addAction(action)
    return action


class Menus:
    """Every menu action of the window, by name."""

    def __init__(self, window: MainWindow) -> None:
        reading, search = window.reading, window.search
        std = QKeySequence.StandardKey

        def act(
            menu: QMenu,
            text: str,
            slot: Callable[[], object],
            keys: Sequence[Shortcut] = (),
            tip: str = "",
        ) -> QAction:
            return add_action(window, menu, text, slot, shortcuts=keys, tip=tip)

        self.quit = act(window.file_menu, "&Quit", window.close, [std.Quit, "Ctrl+Q"])
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)

        edit = window.edit_menu
        self.copy = act(edit, "&Copy", lambda: reading.current_reader().copy(), [std.Copy])
        self.select_all = act(
            edit,
            "Select &all text of this theme",
            lambda: reading.current_reader().selectAll(),
            [std.SelectAll],
        )
        edit.addSeparator()
        self.search = act(
            edit,
            "&Search the briefing",
            search.focus_search,
            ["Ctrl+K", "Ctrl+Shift+F"],
            "Search every theme of the briefing",
        )
        self.find = act(edit, "&Find in page…", reading.find.open_bar, [std.Find])
        self.find_next = act(
            edit, "Find &next", lambda: reading.find.step_highlight(1), ["F3", std.FindNext]
        )
        self.find_previous = act(
            edit,
            "Find pre&vious",
            lambda: reading.find.step_highlight(-1),
            ["Shift+F3", std.FindPrevious],
        )
        self.clear_highlights = QAction("C&lear highlights", window)
        self.clear_highlights.setShortcut(QKeySequence("Esc"))
        # Esc only while reading: the search and find fields use Esc themselves.
        self.clear_highlights.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.clear_highlights.triggered.connect(reading.find.clear_highlights)
        reading.tabs.addAction(self.clear_highlights)
        edit.addAction(self.clear_highlights)

        view = window.view_menu
        self.zoom_in = act(
            view, "Zoom &in", lambda: reading.zoom_by(1), [std.ZoomIn, "Ctrl+=", "Ctrl++"]
        )
        self.zoom_out = act(view, "Zoom &out", lambda: reading.zoom_by(-1), [std.ZoomOut, "Ctrl+-"])
        self.zoom_reset = act(
            view, "&Actual size", lambda: reading.set_zoom(ZOOM_DEFAULT), ["Ctrl+0"]
        )
        view.addSeparator()
        appearance_menu = view.addMenu("A&ppearance")
        group = QActionGroup(window)
        self.appearances: dict[str, QAction] = {}
        for choice, label in (
            ("system", "Follow the &system"),
            ("light", "&Light"),
            ("dark", "&Dark"),
        ):
            action = QAction(label, window)
            action.setCheckable(True)
            action.setChecked(choice == window.appearance.choice)
            action.triggered.connect(lambda _=False, c=choice: window.set_appearance(c))
            group.addAction(action)
            appearance_menu.addAction(action)
            self.appearances[choice] = action
        self.toggle_dark = act(view, "Switch &light/dark", window.toggle_dark, ["Ctrl+Shift+D"])
        view.addSeparator()
        results_toggle = search.dock.toggleViewAction()
        results_toggle.setText("Search &results panel")
        results_toggle.setShortcut(QKeySequence("Ctrl+Shift+R"))
        view.addAction(results_toggle)
        window.addAction(results_toggle)

        go = window.go_menu
        self.next_tab = act(
            go,
            "&Next theme",
            lambda: reading.step_tab(1),
            ["Ctrl+PgDown", "Ctrl+Tab", std.NextChild],
        )
        self.previous_tab = act(
            go,
            "&Previous theme",
            lambda: reading.step_tab(-1),
            ["Ctrl+PgUp", "Ctrl+Shift+Tab", std.PreviousChild],
        )
        go.addSeparator()
        for number, theme in enumerate(window.briefing.themes, start=1):
            keys = [f"Alt+{number}"] if number <= 9 else []
            act(go, theme.title, _opener(reading, theme.id), keys)
        go.addSeparator()
        self.contents = act(go, "Table of &contents", reading.focus_contents, ["Ctrl+Shift+O"])
        self.reader = act(go, "&Text", reading.focus_reader, ["Ctrl+Shift+E"])
        self.next_pane = act(go, "Next &pane", window.focus_next_pane, ["F6"])

        help_menu, help_ = window.help_menu, window.help
        act(help_menu, "&Search syntax", help_.show_syntax_help, ["F1"])
        act(help_menu, "&Keyboard shortcuts", help_.show_shortcuts)
        act(help_menu, "&Notes on the text", help_.show_notes)
        help_menu.addSeparator()
        about = act(help_menu, "&About BriefReader", help_.show_about)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about_qt = act(help_menu, "About &Qt", QApplication.aboutQt)
        about_qt.setMenuRole(QAction.MenuRole.AboutQtRole)


def _opener(reading: ReadingController, theme_id: str) -> Callable[[], object]:
    return lambda: reading.open_theme(theme_id)


def add_dock_toggle(window: MainWindow, toggle: QAction, shortcut: str) -> None:
    """A panel's show/hide action in the View menu, with its shortcut."""
    if shortcut:
        toggle.setShortcut(QKeySequence(shortcut))
        window.addAction(toggle)
    window.view_menu.addAction(toggle)
