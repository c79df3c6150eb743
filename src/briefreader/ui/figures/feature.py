"""The Key Figures dock attached to the window through ``WindowHost`` (Ctrl+Shift+K).

Copying and keeping a figure is the excerpt feature's work: the app joins the panel to it
(``ExcerptFeature.add_source``), so a figure is cited, announced and kept exactly like any
passage, and either feature can be made first.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QMainWindow

from briefreader.core.highlight import word_spans
from briefreader.core.model import Figure
from briefreader.ui.figures.dock import FiguresDock
from briefreader.ui.figures.model import FiguresModel
from briefreader.ui.figures.panel import FiguresPanel
from briefreader.ui.shared.host import WindowHost

MIN_DOCK_HEIGHT = 320  # px: the hint and about three figures


class FiguresFeature(QObject):
    """The Key Figures dock: the panel, going to a figure's passage, and the dock's size."""

    def __init__(self, host: WindowHost, dock: FiguresDock | None = None) -> None:
        """``dock``: the panel's dock, already added to the window (the app adds it, empty,
        before the first paint: see ``dock.py``); without it the feature adds its own."""
        window = host.widget()
        super().__init__(window)
        self.host = host
        self.model = FiguresModel(host.briefing, self)
        self.panel = FiguresPanel(self.model)
        if dock is None:
            # Hidden until asked for; a layout saved by the last session wins.
            self.dock = FiguresDock(self.panel, window)
            self.toggle_action = host.add_dock(
                self.dock, self.dock.area, self.dock.shortcut, visible=False
            )
        else:
            self.dock = dock
            dock.setWidget(self.panel)
            self.toggle_action = dock.toggleViewAction()
        self.dock.toggleViewAction().triggered.connect(self._on_dock_toggled)
        self.panel.open_requested.connect(self.open_figure)

    @Slot(object)
    def open_figure(self, figure: Figure) -> bool:
        """Show the figure's passage with the figure marked in it."""
        section = self.host.briefing.section(figure.section_id)
        # Mark the value only where the passage has it as written: "0 matches" would
        # make the reader doubt the figure.
        found = section is not None and bool(word_spans(section.text, [figure.value]))
        # The focus stays on the figure: the next keys are Down (the next figure), Ctrl+E
        # (keep it) or Ctrl+Shift+C (copy it), which from the text said "Nothing to add".
        return self.host.open_section(
            figure.section_id, [figure.value] if found else [], keep_focus=True
        )

    @Slot(bool)
    def _on_dock_toggled(self, visible: bool) -> None:
        if not visible:
            return
        self.dock.raise_()
        main = self.dock.parentWidget()
        if (
            isinstance(main, QMainWindow)
            and not self.dock.isFloating()
            and self.dock.height() < MIN_DOCK_HEIGHT
        ):
            # Docked under a tall panel (the tray) it opens a sliver showing one figure:
            # give it room to show several. A height the reader chose above this stays.
            height = max(MIN_DOCK_HEIGHT, main.height() * 3 // 5)
            main.resizeDocks([self.dock], [height], Qt.Orientation.Vertical)
        self.panel.list.setFocus(Qt.FocusReason.ShortcutFocusReason)
