"""What a screen reader hears, read over AT-SPI by a real client (pyatspi) under Xvfb.

The app runs as a separate process with Qt's X11 platform and its accessibility bridge on a
private D-Bus session; Debian's pyatspi (for the system ``/usr/bin/python3``) walks the
tree from outside, types a search through the field's editable-text interface, and walks
again. Skipped, saying what to install, where those packages are missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

SYSTEM_PYTHON = "/usr/bin/python3"
PACKAGES = "xvfb at-spi2-core dbus-x11 python3-pyatspi libxcb-icccm4 libxcb-keysyms1 ..."


def _have_pyatspi() -> bool:
    if not Path(SYSTEM_PYTHON).is_file():
        return False
    done = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, timeout=30, check=False
    )
    return done.returncode == 0


pytestmark = [
    pytest.mark.atspi,
    pytest.mark.skipif(
        not (shutil.which("xvfb-run") and shutil.which("dbus-run-session") and _have_pyatspi()),
        reason=f"needs xvfb-run, dbus-run-session and pyatspi for {SYSTEM_PYTHON} "
        f"(apt-get install {PACKAGES})",
    ),
]

# Runs under the system Python, which has pyatspi: prints the tree before and after a search.
_WALKER = textwrap.dedent(
    """
    import json, sys, time
    import pyatspi

    def find_app(timeout):
        end = time.time() + timeout
        while time.time() < end:
            for app in pyatspi.Registry.getDesktop(0):
                if app is not None and (app.name or "") == "BriefReader":
                    return app
            time.sleep(0.2)
        return None

    def walk(acc, depth, out):
        if acc is None or depth > 40 or len(out) > 5000:
            return
        try:
            states = acc.getState().getStates()
            out.append({
                "role": acc.getRoleName(),
                "name": acc.name or "",
                "description": acc.description or "",
                "states": sorted(pyatspi.stateToString(s) for s in states),
                "children": acc.childCount,
            })
            count = acc.childCount
            if acc.getRoleName() in ("list", "table") and count > 30:
                count = 30  # enough items to judge them by
            children = [acc.getChildAtIndex(i) for i in range(count)]
        except Exception:
            return
        for child in children:
            walk(child, depth + 1, out)

    def find(app, role, name):
        found = pyatspi.findAllDescendants(
            app, lambda a: a.getRoleName() == role and a.name == name
        )
        return found[0] if found else None

    result = {}
    app = find_app(60)
    if app is None:
        print(json.dumps({"error": "BriefReader did not appear on the accessibility bus"}))
        sys.exit()
    end, field = time.time() + 60, None
    while field is None and time.time() < end:
        field = find(app, "text", "Search the briefing")
        time.sleep(0.3)
    result["before"] = []
    walk(app, 0, result["before"])
    if field is not None:
        field.queryEditableText().setTextContents(sys.argv[1])
        end = time.time() + 60
        while find(app, "list", "Search results") is None and time.time() < end:
            time.sleep(0.3)
        time.sleep(1.5)  # the count is announced once the results settle
        result["after"] = []
        walk(app, 0, result["after"])
    print(json.dumps(result))
    """
)

_DRIVER = textwrap.dedent(
    """
    set -u
    "$APP_PYTHON" -m briefreader &
    app=$!
    "$SYSTEM_PYTHON" "$WALKER" "$QUERY"
    kill $app
    wait $app 2>/dev/null
    true
    """
)

Node = dict[str, Any]


@pytest.fixture(scope="module")
def heard(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Node]]:
    folder = tmp_path_factory.mktemp("atspi")
    walker = folder / "walker.py"
    walker.write_text(_WALKER, encoding="utf-8")
    env = {
        **os.environ,  # the tests' own home and cache folders (tests/conftest.py)
        "QT_QPA_PLATFORM": "xcb",
        "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
        "APP_PYTHON": sys.executable,
        "SYSTEM_PYTHON": SYSTEM_PYTHON,
        "WALKER": str(walker),
        "QUERY": "sextortion",
    }
    done = subprocess.run(
        [
            "dbus-run-session",
            "--",
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1280x800x24",
            "sh",
            "-c",
            _DRIVER,
        ],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no answer from the AT-SPI client:\n{done.stdout}\n{done.stderr[-3000:]}"
    result = json.loads(lines[-1])
    assert "error" not in result, result
    return {phase: result.get(phase, []) for phase in ("before", "after")}


def _named(nodes: list[Node], role: str, name: str) -> list[Node]:
    return [n for n in nodes if n["role"] == role and n["name"] == name]


def test_the_controls_a_screen_reader_meets_are_named(heard: dict[str, list[Node]]) -> None:
    before = heard["before"]
    assert _named(before, "frame", "Overview — BriefReader")
    assert _named(before, "text", "Search the briefing")
    for button in ("Clear the search", "Search", "List of all themes", "Clear the find field"):
        assert _named(before, "push button", button), button
    # Every button, check box, radio button and field has a name, shown or hidden.
    controls = ("push button", "check box", "radio button", "text", "toggle button", "list")
    unnamed = [n for n in before + heard["after"] if n["role"] in controls and not n["name"]]
    assert unnamed == []
    # Qt names a tab list after its current tab: the one it keeps for the side panels while
    # they are all closed (off screen, with no tab) has none, and Qt gives it no other.
    tab_lists = [n for n in before if n["role"] == "page tab list" and n["children"] > 2]
    assert [n["name"] for n in tab_lists] == ["Overview"]
    # No empty label to stop on.
    assert not [
        n for n in before if n["role"] == "label" and not n["name"] and "focusable" in n["states"]
    ]


def test_the_text_says_its_structure(heard: dict[str, list[Node]]) -> None:
    # Qt exposes the text browser as a label with a text interface; its description says
    # what the headings are.
    (text,) = _named(heard["before"], "label", "Overview: text")
    assert text["description"].startswith("Document, 6 sections: A message from our Executive")
    assert "focusable" in text["states"]


def test_a_search_is_heard_as_a_count_a_group_of_choices_and_a_list(
    heard: dict[str, list[Node]],
) -> None:
    after = heard["after"]
    assert after, "the search field could not be typed into over AT-SPI"
    # The count, and the key figures that answer the search above the list.
    summary = "4 passages match; 2 key figures above"
    assert _named(after, "label", summary)
    radios = [n for n in after if n["role"] == "radio button"]
    checked = [n["name"] for n in radios if "checked" in n["states"]]
    assert checked == ["All themes: 4 passages"]
    assert {"Voices: 1 passage", "Knowledge: 1 passage"} <= {n["name"] for n in radios}
    (results,) = _named(after, "list", "Search results")
    assert results["description"] == summary
    items = [n for n in after if n["role"] == "list item" and "Threat assessment." in n["name"]]
    assert items and items[0]["name"].startswith("Financial sexual extortion.")
    # The field keeps the focus: no result claims it.
    assert not [n for n in items if "focused" in n["states"]]
