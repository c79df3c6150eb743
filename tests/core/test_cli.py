"""The command line: readable output, a JSON contract, and exit codes without tracebacks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefreader.cli import main

JSON_KEYS = {"id", "theme", "document", "section", "score", "snippet", "text"}


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.usefixtures("cache_dir")
def test_search_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "search", "safety by design", "--json")
    assert code == 0
    hits = json.loads(out)
    assert isinstance(hits, list) and hits
    assert hits[0]["id"] == "recommendations/safety-by-design"
    for hit in hits:
        assert set(hit) >= JSON_KEYS
        assert isinstance(hit["score"], float)
        assert isinstance(hit["snippet"], str) and isinstance(hit["text"], str)
        for start, end in hit["snippet_spans"]:
            assert 0 <= start < end <= len(hit["snippet"])


@pytest.mark.usefixtures("cache_dir")
def test_search_readable_output_and_no_match_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "search", "grooming gaming", "--limit", "2")
    assert code == 0
    assert out.startswith("4 passages match “grooming gaming” (all themes: Knowledge 1, ")
    assert "1. Grooming on social gaming platforms — Threat assessment" in out
    assert "threat-assessment/grooming-on-gaming-platforms" in out
    code, out, _ = _run(capsys, "search", "legislaton")
    assert code == 0
    assert out.startswith('Showing results for legislation.\nSearch instead for: "legislaton"\n')
    code, out, _ = _run(capsys, "search", '"legislaton"')
    assert code == 0
    assert "No passage matches." in out and 'Did you mean: "legislation"' in out
    code, out, _ = _run(capsys, "search", "zyxwvut", "--json")
    assert code == 0 and json.loads(out) == []


@pytest.mark.usefixtures("cache_dir")
def test_search_says_other_names_and_figures(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "search", "sextortion", "--limit", "1")
    assert code == 0
    assert (
        'Also searched: sexual extortion (for sextortion; only the typed word: "sextortion")' in out
    )
    assert "Figure: over 10,000 — reports of financial sexual extortion, 2022." in out
    code, out, _ = _run(capsys, "search", "sextorsion", "--explain")
    explained = json.loads(out)
    assert explained["searched_instead"] == "sextortion"
    assert explained["expansions"] == [{"typed": "sextortion", "also": ["sexual extortion"]}]
    assert explained["answers"][0]["figure_id"] == "financial-sexual-extortion-2022"
    assert explained["hits"][0]["expansions"] == ["sexual extortion"]


@pytest.mark.usefixtures("cache_dir")
def test_search_with_theme_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "search", "children", "--theme", "Voices", "--json")
    assert code == 0
    assert {h["theme"] for h in json.loads(out)} == {"voices"}
    code, out, _ = _run(capsys, "search", "grooming", "--theme", "threat")
    assert code == 0
    assert out.startswith("3 passages match “grooming” in Threat assessment (all themes: ")
    code, _, err = _run(capsys, "search", "children", "--theme", "nowhere")
    assert code == 2 and "no theme 'nowhere'" in err


def test_themes_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "themes")
    assert code == 0
    assert out.splitlines()[0] == "Overview (overview)"
    assert "  recommendations/safety-by-design  Adopt a Safety by Design Approach" in out
    code, out, _ = _run(capsys, "show", "voices/ernie-allen")
    assert code == 0
    assert out.startswith("Ernie Allen, Chair of the WeProtect Global Alliance\n\n“This compelling")
    assert out.rstrip().endswith("— Ernie Allen, Chair of the WeProtect Global Alliance")


def test_index_command_says_where_and_how_long(
    capsys: pytest.CaptureFixture[str], cache_dir: Path
) -> None:
    code, out, _ = _run(capsys, "index")
    assert code == 0
    assert out.startswith("Built the index of ") and str(cache_dir) in out and " ms " in out
    code, out, _ = _run(capsys, "index")
    assert out.startswith("The index of ") and "is current" in out
    code, out, _ = _run(capsys, "index", "--rebuild")
    assert out.startswith("Built the index of ") and "(asked to)" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["search"],
        ["search", "x", "--limit", "0"],
        ["search", "x", "--limit", "many"],
        ["frobnicate"],
        ["show"],
        ["--tab", "voices"],
        ["themes", "--screenshot", "x.png"],
    ],
)
def test_usage_errors_exit_2_with_message(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert "usage:" in err and "Traceback" not in err


def test_unknown_section_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "show", "voices/nobody")
    assert code == 2 and "no section 'voices/nobody'" in err


def test_installed_command_runs_without_traceback(cache_dir: Path, tmp_path: Path) -> None:
    """The real entry point, in a fresh process, on broken content: a message, not a traceback."""
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "briefing.toml").write_text("title = \n", encoding="utf-8")
    env = {**os.environ, "BRIEFREADER_CONTENT_DIR": str(broken)}
    done = subprocess.run(
        [sys.executable, "-m", "briefreader", "themes"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("briefreader: the briefing cannot be loaded: briefing.toml:1:")
    assert "Traceback" not in done.stderr


@pytest.mark.usefixtures("cache_dir")
def test_control_characters_in_a_query_are_shown_escaped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(capsys, "search", "grooming \x1b[31mred")
    assert code == 0
    assert "\x1b" not in out
    code, out, _ = _run(capsys, "search", "\x1b]0;pwned\x07grooming")
    assert code == 0 and "\x1b" not in out and "\x07" not in out


@pytest.mark.usefixtures("cache_dir")
def test_theme_option_and_theme_in_the_query_together_say_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = _run(capsys, "search", "theme:voices encryption", "--theme", "knowledge")
    assert code == 2
    assert "either --theme or theme: in the query" in err


def test_undecodable_bytes_and_ctrl_c_give_no_traceback(cache_dir: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    command = [sys.executable, "-m", "briefreader", "search", os.fsdecode(b"gro\xffoming")]
    done = subprocess.run(command, env=env, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr and b"Traceback" not in done.stdout
    # Ctrl+C while the output waits on a reader that does not read (117 KB of JSON fill a
    # 64 KB pipe): the exit status a shell expects, and no traceback.
    busy = [*command[:4], "the OR and OR of", "--limit", "200", "--json"]
    process = subprocess.Popen(busy, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)  # give it time to fill the pipe and block
            if time.monotonic() > deadline - 55:
                break
        assert process.poll() is None, "the search finished before it filled the pipe"
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130, err
    assert b"Traceback" not in err
