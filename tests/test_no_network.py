"""No connection, checked where it happens: the system calls of the real command.

The suite's guard in ``conftest.py`` patches Python's ``socket``; a C library (Qt's print
support goes through libcups, which connects to port 631) is invisible to it. Here each
command runs under ``strace``, which sees every ``connect`` a process or its threads make;
any socket other than a local (AF_UNIX) one fails the test.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

STRACE = shutil.which("strace")
pytestmark = pytest.mark.skipif(
    STRACE is None, reason="needs strace (apt-get install strace; .ci/run installs it)"
)
_NETWORK = re.compile(r"\b(?:socket|connect|sendto|sendmsg)\(.*\bAF_(?:INET6?|PACKET|NETLINK)\b")


def _traced(tmp_path: Path, *argv: str) -> list[str]:
    """Run ``briefreader ARGV`` under strace; the lines that open or use a network socket."""
    assert STRACE is not None
    trace = tmp_path / "trace.txt"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "BRIEFREADER_CACHE_DIR": str(tmp_path / "cache"),
        "BRIEFREADER_DATA_DIR": str(tmp_path / "data"),
    }
    command = [STRACE, "-f", "-qq", "-e", "trace=socket,connect,sendto,sendmsg", "-o", str(trace)]
    done = subprocess.run(
        [*command, sys.executable, "-m", "briefreader", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert trace.is_file(), "strace wrote no trace"
    lines = trace.read_text(encoding="utf-8", errors="replace").splitlines()
    # Netlink counts too: glibc asks the kernel for interfaces only on the way to a lookup.
    return [line for line in lines if _NETWORK.search(line)]


@pytest.mark.parametrize(
    "argv",
    [
        ("search", "grooming", "--json"),
        ("index", "--rebuild"),
        ("excerpt", "threat-assessment/alarming-escalation", "--format", "html"),
    ],
    ids=["search", "index", "excerpt"],
)
def test_commands_open_no_network_socket(tmp_path: Path, argv: tuple[str, ...]) -> None:
    assert _traced(tmp_path, *argv) == []


def test_the_window_opens_no_network_socket(tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    found = _traced(tmp_path, "--screenshot", str(shot), "--search", "sextortion")
    assert shot.stat().st_size > 10_000
    assert found == []


def test_the_trace_sees_a_connection_when_there_is_one(tmp_path: Path) -> None:
    # The check itself must be able to fail: a C-level connect from the same interpreter.
    assert STRACE is not None
    trace = tmp_path / "trace.txt"
    code = (
        "import socket\n"
        "s = socket.socket()\n"
        "s.settimeout(0.2)\n"
        "try: s.connect(('127.0.0.1', 9))\n"
        "except OSError: pass\n"
    )
    subprocess.run(
        [STRACE, "-f", "-qq", "-e", "trace=connect", "-o", str(trace), sys.executable, "-c", code],
        check=True,
        timeout=60,
    )
    assert any(_NETWORK.search(line) for line in trace.read_text().splitlines())
