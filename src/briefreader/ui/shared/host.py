"""What a feature may ask of the window: the small protocol features talk to it through.

Features (excerpts, key figures, …) are given an object that satisfies :class:`WindowHost`;
they never import the window's class, so the window can change without them, and a test can
drive a feature with a window made for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QDockWidget, QMenu, QWidget

    from briefreader.core.locations import Locations
    from briefreader.core.model import Briefing
    from briefreader.core.search.results import Hit
    from briefreader.ui.reading.reader import ReaderView
    from briefreader.ui.reading.theme_tab import ThemeTab
    from briefreader.ui.search.results_panel import ResultsPanel
    from briefreader.ui.shared.tasks import BackgroundTasks


class WindowHost(Protocol):
    """The window as the features see it."""

    @property
    def briefing(self) -> Briefing: ...

    @property
    def locations(self) -> Locations: ...

    @property
    def tasks(self) -> BackgroundTasks:
        """The one pool for work off the GUI thread, cancelled on quit."""
        ...

    @property
    def edit_menu(self) -> QMenu: ...

    @property
    def file_menu(self) -> QMenu: ...

    def add_menu(self, title: str) -> QMenu:
        """A new menu in the menu bar, before Help."""
        ...

    @property
    def layout_restored(self) -> bool:
        """Whether the last session's arrangement of panels was put back."""
        ...

    @property
    def results_panel(self) -> ResultsPanel: ...

    def widget(self) -> QWidget:
        """The window as a parent for dialogs and shortcuts."""
        ...

    def readers(self) -> list[ReaderView]: ...

    def current_reader(self) -> ReaderView: ...

    def tab_for(self, theme_id: str) -> ThemeTab | None: ...

    def current_theme_id(self) -> str:
        """The theme of the open tab."""
        ...

    def current_section_id(self) -> str | None:
        """The section being read in the open tab."""
        ...

    def current_hit(self) -> Hit | None: ...

    def open_section(
        self,
        section_id: str,
        words: Sequence[str] = (),
        *,
        announce_query: str = "",
        keep_focus: bool = False,
    ) -> bool:
        """Show a section; ``keep_focus``: the focus stays in the panel that asked."""
        ...

    def add_dock(
        self,
        dock: QDockWidget,
        area: Qt.DockWidgetArea | None = None,
        shortcut: str = "",
        *,
        visible: bool = True,
    ) -> QAction: ...

    def show_status(self, text: str, milliseconds: int = 6000) -> None: ...

    def announce(self, text: str) -> None:
        """Say something to the user: status bar, and screen readers where they listen."""
        ...
