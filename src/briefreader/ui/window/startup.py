"""Start-up as a list of named steps, run one per turn of the event loop after the first paint.

The first frame shows only what is built before it (the window's ``__init__``): the menu bar
with its menus empty, the search field, the docks empty, the tab bar with the open tab's
contents list and reader, the status bar. Building everything before the paint made the
first frame markedly slower than a bare Qt window's (bench/README.md): PySide sets up a
Python enum for each Qt class on its first use, and the excerpt and figures features import
SQLite and the export code. So the rest comes in steps, each on its own turn, so that a
paint, a key or a typed search between two steps is handled at once.

A step may hold the sequence (:meth:`StartupSequence.hold`) until work it started off the GUI
thread is done: the open tab's page, rendered on a worker on a first-ever start, comes before
anything else is built, since it is what the reader is waiting for.

Tests and the screenshot path can run what is left at once (:meth:`StartupSequence.run_all`)
or up to a named step (:meth:`StartupSequence.run_through`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

Step = tuple[str, Callable[[], None]]


class StartupSequence(QObject):
    """Named steps, each run once, in order, one per turn of the event loop."""

    step_done = Signal(str)  # the step's name
    finished = Signal()

    def __init__(self, steps: list[Step], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps = list(steps)
        self._next = 0
        self._begun = False
        self._held = False
        self._scheduled = False
        self._stopped = False

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self._steps]

    @property
    def done(self) -> list[str]:
        """The names of the steps run so far."""
        return self.names[: self._next]

    @property
    def is_finished(self) -> bool:
        return self._next >= len(self._steps)

    def has_run(self, name: str) -> bool:
        return name in self.done

    def begin(self) -> None:
        """Start running the steps, one per turn (once; later calls do nothing)."""
        if self._begun:
            return
        self._begun = True
        self._schedule()

    def stop(self) -> None:
        """Run no more steps on later turns (the window is closing)."""
        self._stopped = True

    def hold(self) -> Callable[[], None]:
        """Stop after the step being run until the returned function is called."""
        self._held = True
        released = False

        def release() -> None:
            nonlocal released
            if released:
                return
            released = True
            self._held = False
            if self._begun:
                self._schedule()

        return release

    def run_through(self, name: str) -> None:
        """Run every step not yet run up to and including ``name``, now."""
        if name not in self.names:
            raise KeyError(f"no start-up step {name!r}; steps: {', '.join(self.names)}")
        while not self.has_run(name):
            self._run_one()

    def run_all(self) -> None:
        """Run every step not yet run, now (a screenshot, a test)."""
        self._begun = True
        while not self.is_finished:
            self._run_one()

    def _schedule(self) -> None:
        if not self._scheduled and not self.is_finished:
            self._scheduled = True
            QTimer.singleShot(0, self, self._on_turn)

    @Slot()
    def _on_turn(self) -> None:
        self._scheduled = False
        if self._held or self._stopped or self.is_finished:
            return
        self._run_one()
        if not self._held:
            self._schedule()

    def _run_one(self) -> None:
        name, step = self._steps[self._next]
        self._next += 1
        step()
        self.step_done.emit(name)
        if self.is_finished:
            self.finished.emit()
