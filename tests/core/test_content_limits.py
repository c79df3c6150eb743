"""Content checked before it is shown: what would take long to parse or show is refused, by
file and line, and the rest of the briefing loads; unclosed emphasis parses in linear time.

Timings are not asserted (see bench/); a child process with a generous timeout stands guard
against a hang, where the code before this change took minutes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from briefreader.core.content import load_briefing, markdown_to_text
from briefreader.core.limits import MAX_FILE_BYTES, MAX_NESTING, MAX_SECTION_BYTES
from briefreader.core.model import Briefing
from briefreader.core.render import markdown_to_html

MINI = Path(__file__).resolve().parent.parent / "data" / "mini"
FRONT = '+++\ntheme = "threat-assessment"\ndocument = "press-release"\n+++\n\n'
STARS = " ".join("*a" for _ in range(20_000))  # 20,000 "*" that open and never close


def located(*anchors: str) -> str:
    """Front matter whose sections each say where they are in their source, as the content
    format requires (see content/FORMAT.md)."""
    entries = "".join(
        f'{anchor} = {{ heading = "editors", under = "", paras = [{n}] }}\n'
        for n, anchor in enumerate(anchors, start=1)
    )
    return FRONT.replace("+++\n\n", f"\n[sections]\n{entries}+++\n\n", 1)


def content_with(tmp_path: Path, body: str | bytes) -> Path:
    """The mini briefing with one more theme file, ``themes/hostile.md``, holding ``body``."""
    root = tmp_path / "content"
    shutil.copytree(MINI, root)
    manifest = root / "briefing.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(
        text.replace('files = ["threats.md"]', 'files = ["threats.md", "hostile.md"]'),
        encoding="utf-8",
    )
    data = body if isinstance(body, bytes) else body.encode("utf-8")
    (root / "themes" / "hostile.md").write_bytes(data)
    return root


def the_rest_loads(briefing: Briefing) -> None:
    ids = [s.id for s in briefing.sections]
    assert "threat-assessment/grooming-on-social-gaming-platforms" in ids
    assert any(s.theme_id == "voices" for s in briefing.sections)


def problems(briefing: Briefing) -> list[str]:
    return [str(p) for p in briefing.problems]


def test_twenty_thousand_unclosed_stars_load_and_render_quickly(tmp_path: Path) -> None:
    sections = "".join(f"## Stars {n}\n\nword {STARS}\n\n" for n in range(3))
    root = content_with(tmp_path, located(*(f"stars-{n}" for n in range(3))) + sections)
    # In a child process with a timeout: the emphasis scan took minutes for this before.
    script = textwrap.dedent(f"""
        from pathlib import Path
        from briefreader.core.content import load_briefing
        from briefreader.core.render import section_html
        briefing = load_briefing(Path({str(root)!r}))
        stars = [s for s in briefing.sections if s.title.startswith("Stars")]
        assert len(stars) == 3 and not briefing.problems, briefing.problems
        assert all(s.text.count("*") == 20_000 for s in stars)
        assert all(section_html(s).count("*") == 20_000 for s in stars)
        print("ok")
    """)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stdout.strip() == "ok", done.stderr


def test_emphasis_still_found_where_it_closes() -> None:
    assert markdown_to_text("a *b* c *d e* *f") == "a b c d e *f"
    assert markdown_to_text("2 * 3 * 4 and *x*y* and [a](https://x.example/) *") == (
        "2 * 3 * 4 and x*y and a *"
    )
    assert markdown_to_text("[" * 20_000) == "[" * 20_000  # and at once, not in minutes


def test_a_fifty_megabyte_theme_file_is_not_read(tmp_path: Path) -> None:
    section = "## Huge\n\n" + "word " * (50 * 1024 * 1024 // 5)
    root = content_with(tmp_path, FRONT + section)
    assert (root / "themes" / "hostile.md").stat().st_size > 50 * 1024 * 1024
    briefing = load_briefing(root)
    assert problems(briefing) == [
        "themes/hostile.md: is 50.0 MB: a content file may be at most 2.0 MB, not read"
    ]
    the_rest_loads(briefing)
    assert MAX_FILE_BYTES == 2 * 1024 * 1024


def test_a_section_over_the_limit_is_refused_by_file_and_line(tmp_path: Path) -> None:
    big = ("A sentence of the briefing, long enough to count. " * 20 + "\n\n") * 300
    assert MAX_SECTION_BYTES < len(big) < MAX_FILE_BYTES
    root = content_with(tmp_path, FRONT + "## Fine\n\nShort.\n\n## Too long\n\n" + big)
    briefing = load_briefing(root)
    assert problems(briefing) == [
        "themes/hostile.md:10: section is over 256 KB: a section may be at most 256 KB; "
        "split it under more '## ' headings"
    ]
    the_rest_loads(briefing)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Python-Markdown scans for a link's end from every "[": 4,000 took 20 s.
        ("## Links\n\nSome words.\n\n" + "[a " * 20_000, "themes/hostile.md:10: paragraph has"),
        ("## Tags\n\n" + "<a " * 20_000, "themes/hostile.md:8: paragraph has"),
        ("## Many\n\n" + ("[a] " * 25 + "\n\n") * 100, "themes/hostile.md:168: file has over"),
        # Its block parser is quadratic in a section's lines: 8,000 "a/-" headings took 37 s.
        ("## Lines\n\n" + "a\n-\n" * 600, "themes/hostile.md:6: section is over 1,000 lines"),
        (
            "".join(f"## S{n}\n\n" + "a\n\n" * 450 for n in range(6)),
            "themes/hostile.md:5001: file is over 5,000 lines",
        ),
        # Escapes, entities and code spans are put back quadratically: 128,000 took 88 s.
        ("## Escapes\n\n" + "\\* " * 2_001, "themes/hostile.md:6: section has over 2,000"),
        (
            "".join(f"## S{n}\n\n" + "R&D " * 1_900 + "\n\n" for n in range(6)),
            "themes/hostile.md:28: file has over 10,000",
        ),
        # 4,000 nested list markers raised RecursionError in Python-Markdown.
        ("## Nested\n\n" + "- " * 4_000 + "a", "themes/hostile.md:8: lists or quotes nested"),
        ("## Quotes\n\n" + "> " * (MAX_NESTING + 1) + "a", "themes/hostile.md:8: lists or"),
        # The heading pattern is quadratic in a heading line's spaces.
        ("## a" + " " * 20_000 + "b\n\nText.", "themes/hostile.md:6: heading line is over"),
    ],
    ids=[
        "brackets",
        "tags",
        "brackets-in-file",
        "section-lines",
        "file-lines",
        "section-escapes",
        "file-entities",
        "nested-lists",
        "nested-quotes",
        "heading",
    ],
)
def test_markup_that_parses_slowly_is_refused(tmp_path: Path, body: str, expected: str) -> None:
    briefing = load_briefing(content_with(tmp_path, FRONT + body))
    found = problems(briefing)
    assert len(found) == 1 and found[0].startswith(expected), found
    the_rest_loads(briefing)


def test_what_a_briefing_uses_is_within_the_limits(tmp_path: Path) -> None:
    body = (
        "## Ordinary\n\n"
        "A [link](https://example.org/) and <b>bold</b> words, *emphasis* and **strong**.\n\n"
        "- a list\n    - nested once\n        - and twice\n\n"
        "----------------------------------------\n\n"
        "1. one\n2. two\n"
    )
    briefing = load_briefing(content_with(tmp_path, located("ordinary") + body))
    assert problems(briefing) == []
    section = next(s for s in briefing.sections if s.title == "Ordinary")
    assert "link" in markdown_to_html(section.markdown)
