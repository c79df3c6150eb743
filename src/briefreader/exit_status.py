"""The exit status of every ``briefreader`` command, the window included."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0  # done, whether or not a search matched
    FAILED = 1  # the briefing, the index or a file could not be used
    USAGE = 2  # the command line was wrong (with a message, never a traceback)
    INTERRUPTED = 130  # stopped with Ctrl+C: 128 + SIGINT, as shells report it
