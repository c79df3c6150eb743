"""Run a check as an unprivileged user, so that permission tests mean something under root.

CI runs as root, and root reads and writes any file whatever its mode: a test of a read-only
file run as root proves nothing. Under root the check runs in a subprocess as ``nobody``
(uid/gid 65534), switched with ``setpriv`` (util-linux) or ``runuser``; as any other user it
runs as that user. The test is skipped, saying why, only when neither is possible.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

NOBODY = 65534


def _switch_prefix() -> list[str]:
    """The command prefix that runs a program as the unprivileged user ([] if we are one)."""
    if os.name != "posix":
        pytest.skip("permission checks need POSIX file modes")
    if os.geteuid() != 0:
        return []
    if setpriv := shutil.which("setpriv"):
        return [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    if runuser := shutil.which("runuser"):
        return [runuser, "-u", "nobody", "--"]
    pytest.skip("running as root, and neither setpriv nor runuser is here to switch to nobody")


def give(path: Path) -> None:
    """Make ``path`` (and everything under it) the unprivileged user's, as a user would own it."""
    if os.geteuid() != 0:
        return
    for folder, _dirs, files in os.walk(path):
        os.chown(folder, NOBODY, NOBODY)
        for name in files:
            os.chown(Path(folder) / name, NOBODY, NOBODY)


@contextmanager
def reachable_folder() -> Iterator[Path]:
    """A fresh folder the unprivileged user owns and can reach (pytest's tmp_path is 0700 root)."""
    folder = Path(tempfile.mkdtemp(prefix="briefreader-unprivileged-"))
    try:
        folder.chmod(0o755)
        give(folder)
        yield folder
    finally:
        for inner, dirs, _files in os.walk(folder):
            for name in dirs:
                (Path(inner) / name).chmod(0o700)  # undo the test's chmod so it can be removed
        shutil.rmtree(folder)


def run_unprivileged(code: str, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """Run Python ``code`` (with ``args``) as the unprivileged user; its stdout is returned.

    The child gets a minimal environment with ``home`` as its home folder. The check fails
    with the child's stderr if the child fails.
    """
    # The child checks for itself that it is not root: a check run as root would pass unseen.
    guard = "import os as _os\nassert _os.geteuid() != 0, 'the check still runs as root'\n"
    python = (*_switch_prefix(), sys.executable)
    command = [*python, "-c", guard + code, *args]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if reason := _cannot_run(python):
        pytest.skip(reason)
    result = subprocess.run(
        command, check=False, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result


@functools.cache
def _cannot_run(python: tuple[str, ...]) -> str:
    """Why the unprivileged user cannot run this Python and import the app, or ""."""
    probe = subprocess.run(
        [*python, "-c", "import briefreader"],
        check=False,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    if probe.returncode == 0:
        return ""
    return (
        f"the unprivileged user cannot run {sys.executable} and import briefreader (is the "
        f"checkout in a folder only its owner can read?): {probe.stderr.strip()[-300:]}"
    )
