"""``briefreader excerpt ID``: the same formatter on the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from briefreader.cli import main

MINI = Path(__file__).resolve().parent.parent / "data" / "mini"
PRESS = "Alarming escalation in child sexual abuse online revealed by Global Threat Assessment 2023"
URL = "https://weprotect.org/global-threat-assessment-23/"


@pytest.fixture(autouse=True)
def mini_briefing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFREADER_CONTENT_DIR", str(MINI))


def test_plain_full_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["excerpt", "threat-assessment/financial-sexual-extortion"]) == 0
    assert capsys.readouterr().out == (
        "“The research found a significant rise in financial sexual extortion, with reports of "
        "the harm jumping from 139 in 2021 to over 10,000 reports in 2022.”\n"
        f"— {PRESS} (press release), WeProtect Global Alliance, 17 October 2023, para. 6 "
        f"[editors' label: Financial sexual extortion]; full report: {URL}\n"
    )


def test_markdown_short(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["excerpt", "voices/jacqueline-beauchere", "--format", "markdown", "--style", "short"]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert out.startswith("> “Online child sexual exploitation and abuse continue to morph")
    assert out.endswith(
        f"\n\n— Jacqueline Beauchere, in *{PRESS}* (press release), WeProtect Global Alliance, "
        "17 October 2023, para. 72\n"
    )


def test_html(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["excerpt", "threat-assessment/safety-by-design", "--format", "html"]) == 0
    out = capsys.readouterr().out
    # The section is a list item of the source, and stays one.
    assert out.startswith("<blockquote><ul><li>Adopt a Safety by Design Approach: Implement")
    assert f"<cite>{PRESS}</cite>" in out


def test_unknown_section_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["excerpt", "no/such"]) == 2
    assert "no section 'no/such'" in capsys.readouterr().err


def test_bad_style_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["excerpt", "voices/jacqueline-beauchere", "--style", "long"])
    assert stop.value.code == 2
    assert "invalid choice: 'long'" in capsys.readouterr().err


def test_as_a_real_command_in_utf8() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "briefreader", "excerpt", "voices/jacqueline-beauchere"],
        capture_output=True,
        check=False,
        env={"BRIEFREADER_CONTENT_DIR": str(MINI), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode("utf-8").splitlines()
    assert lines[0].startswith("“Online child") and lines[-1].startswith("— Jacqueline")
