"""Hostile content: how long loading and rendering take for files made to be slow.

    .venv/bin/python -m bench.hostile_content

Each case is a copy of the mini briefing with one more theme file; the table gives the
median of a few loads and of a few renders of that theme, and the ratio to the same for the
mini briefing alone, measured in the same run (prefer the ratio on a busy machine). The
limits are in ``briefreader/core/limits.py``; a refused file is loaded (and refused) too.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench.timing import median_time
from briefreader.core.content import load_briefing
from briefreader.core.model import Briefing
from briefreader.core.render import render_theme

MINI = Path(__file__).resolve().parents[1] / "tests" / "data" / "mini"
FRONT = '+++\ntheme = "threat-assessment"\ndocument = "press-release"\n+++\n\n'
THEME = "threat-assessment"

CASES: dict[str, Callable[[], str]] = {
    "20,000 unclosed '*' in a paragraph": lambda: (
        "## S\n\nword " + " ".join("*a" for _ in range(20_000))
    ),
    "a 50 MB section (refused)": lambda: "## S\n\n" + "word " * (50 * 1024 * 1024 // 5),
    "a 250 KB section of prose": lambda: (
        "## S\n\n" + ("A sentence of the briefing, long enough. " * 20 + "\n\n") * 300
    ),
    "20 paragraphs of 100 '[' (the most allowed)": lambda: "".join(
        f"## S{n}\n\n" + "[a " * 100 + "\n\n" for n in range(20)
    ),
    "4 sections of 1,000 lines of 'a/-' headings": lambda: "".join(
        f"## S{n}\n" + "a\n-\n" * 499 for n in range(4)
    ),
    "8,000 lines of 'a/-' headings (refused)": lambda: "## S\n\n" + "a\n-\n" * 4_000,
    "5 sections of 2,000 escapes (the most allowed)": lambda: "".join(
        f"## S{n}\n\n" + "\\* " * 2_000 + "\n\n" for n in range(5)
    ),
    "128,000 escapes in 250 KB (refused)": lambda: "## S\n\n" + "\\*" * 128_000,
    "20,000 '[' in a paragraph (refused)": lambda: "## S\n\n" + "[a " * 20_000,
    "4,000 nested list markers (refused)": lambda: "## S\n\n" + "- " * 4_000 + "a",
}


def content_with(folder: Path, body: str) -> Path:
    root = folder / "content"
    shutil.copytree(MINI, root)
    manifest = root / "briefing.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(
        text.replace('files = ["threats.md"]', 'files = ["threats.md", "hostile.md"]'),
        encoding="utf-8",
    )
    (root / "themes" / "hostile.md").write_text(FRONT + body, encoding="utf-8")
    return root


def measure(root: Path, repeat: int) -> tuple[float, float, Briefing]:
    briefing = load_briefing(root)
    theme = briefing.theme(THEME)
    assert theme is not None
    load = median_time(lambda: load_briefing(root), repeat)
    render = median_time(lambda: render_theme(briefing, theme), repeat)
    return load, render, briefing


def main(repeat: int = 5) -> int:
    with tempfile.TemporaryDirectory() as temp:
        base_load, base_render, _ = measure(MINI, repeat)
        print(f"{'case':46} {'load ms':>9} {'×mini':>7} {'render ms':>10} {'×mini':>7}  problem")
        print(f"{'mini briefing (baseline)':46} {base_load * 1000:9.1f} {1:7.1f} "
              f"{base_render * 1000:10.1f} {1:7.1f}")  # fmt: skip
        for number, (name, body) in enumerate(CASES.items()):
            root = content_with(Path(temp) / str(number), body())
            load, render, briefing = measure(root, repeat)
            problem = str(briefing.problems[0])[:60] if briefing.problems else ""
            print(
                f"{name:46} {load * 1000:9.1f} {load / base_load:7.1f} "
                f"{render * 1000:10.1f} {render / base_render:7.1f}  {problem}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
