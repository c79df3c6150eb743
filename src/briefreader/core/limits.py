"""How much content the app agrees to read and show: checked before anything parses it.

The content folder can be another briefing (``BRIEFREADER_CONTENT_DIR``), written by anyone.
The loader runs before the first paint and Python-Markdown renders each section, so a file
that takes long to parse delays or hangs the window. Measured here (Python 3.11):

- one 50 MB section took 51 s and 4.4 GB of memory to show;
- Python-Markdown's link and raw-HTML scanning is quadratic in the ``[`` and ``<`` of one
  paragraph: about 1.7 µs × n² (500 → 0.4 s, 4,000 → 20 to 28 s, 20,000 did not end in
  5 minutes); ``*`` and ``_`` are linear;
- backslash escapes, entities ("&") and code spans (backticks) are set aside and put back in
  a way quadratic in how many a section has: 128,000 escapes in 250 KB took 88 s, 64,000
  entities 6 s, 42,000 code spans 3.5 s;
- its block parser is quadratic in the lines of a section: 8,000 one-word paragraphs took
  1.9 s, 8,000 rules ("***") 18 s, 8,000 two-line "a/-" headings 37 s;
- list markers nested on one line ("- - - - …", 4,000 deep) raised ``RecursionError``;
- the loader's own heading pattern is quadratic in the spaces of a heading line (20,000 →
  5 s).

So a file over :data:`MAX_FILE_BYTES` is not read at all, and a theme file is refused, with
``file:line`` and the reason, when a section is over :data:`MAX_SECTION_BYTES` or
:data:`MAX_SECTION_LINES`, the file over :data:`MAX_FILE_LINES`, a paragraph or the file
holds too many "[" or "<", a section or the file too many backslashes, "&" or backticks,
markers nest too deep or a heading line is too long. The rest of the briefing still loads.
The limits are far above what a briefing needs (the bundled one: 72 KB of theme files, at
most 116 lines in a file, 29 lines and 3.5 KB in a section, no "[" or "<" in a paragraph,
nesting 2), and low enough that the worst file within them renders in about a second
(``python -m bench.hostile_content``).
"""

from __future__ import annotations

from dataclasses import dataclass

# Any content file (theme, manifest, figures, synonyms): 170 times the largest bundled file.
MAX_FILE_BYTES = 2 * 1024 * 1024
# One section's Markdown: a long chapter is about 60 KB.
MAX_SECTION_BYTES = 256 * 1024
# Lines of one section, and of one theme file: Python-Markdown's block parser is quadratic in
# them (two-line headings: 0.25 s for 1,000 lines), and sections are rendered one by one.
MAX_SECTION_LINES = 1_000
MAX_FILE_LINES = 5_000
# "[" and "<" open links, images and raw HTML, which Python-Markdown scans for quadratically
# within a paragraph: ≤ 100 per paragraph and ≤ 2,000 per file bound the whole file's cost
# by 1.7 µs × 100 × 2,000 ≈ 0.35 s.
MAX_LINK_MARKS_PER_PARAGRAPH = 100
MAX_LINK_MARKS_PER_FILE = 2_000
# "\\", "&" and "`" are set aside by Python-Markdown and put back in quadratic time per
# section (about 5 ns × n²: 2,000 → 0.02 s); the file's total bounds how many such sections.
MAX_STASHED_PER_SECTION = 2_000
MAX_STASHED_PER_FILE = 10_000
# List and quote levels at one line's start (4 spaces of indent count as a level).
MAX_NESTING = 16
# A "## " heading line (titles are a line of words; anchors at most 60 characters).
MAX_HEADING_CHARS = 1_000

_FENCE = "+++"


@dataclass(frozen=True, slots=True)
class Excess:
    """Where a file goes over a limit, and by how much, in words."""

    line: int | None
    message: str


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:.1f} MB" if count >= 1024 * 1024 else f"{count / 1024:.0f} KB"


def file_size_excess(size: int) -> Excess | None:
    if size <= MAX_FILE_BYTES:
        return None
    return Excess(
        None, f"is {_size(size)}: a content file may be at most {_size(MAX_FILE_BYTES)}, not read"
    )


def _nesting(line: str) -> int:
    """How many list or quote levels a line opens (a digit run with "." or ")" is a marker)."""
    depth, at, length = 0, 0, len(line)
    while at < length:
        start = at
        while at < length and line[at] == " ":
            at += 1
        depth += (at - start) // 4
        if at < length and line[at] == ">":
            at += 1
        else:
            # "-", "*", "+" or up to 9 digits and "." or ")", then a space or the line's end.
            marker = at
            while at < length and at - marker < 9 and line[at].isdigit():
                at += 1
            if at < length and (line[at] in ".)" if at > marker else line[at] in "-*+"):
                at += 1
            else:
                return depth
            if at < length and line[at] != " ":
                return depth
        depth += 1
        if depth > MAX_NESTING:
            return depth
    return depth


def theme_excess(text: str) -> Excess | None:
    """The first limit a theme file's text goes over, or None. One pass, linear time."""
    file_marks = paragraph_marks = 0
    paragraph_line = section_line = 0
    section_bytes = section_lines = section_stashed = file_stashed = 0
    lines = text.split("\n")
    if len(lines) > MAX_FILE_LINES:
        return Excess(MAX_FILE_LINES + 1, f"file is over {MAX_FILE_LINES:,} lines long")
    body = 0  # the front matter's TOML tables use "[": counted from the line after it
    if lines and lines[0].strip() == _FENCE:
        body = next((n for n in range(1, len(lines)) if lines[n].strip() == _FENCE), 0) + 1
    for number, line in enumerate(lines[body:], start=body + 1):
        if line.startswith("## "):
            if len(line) > MAX_HEADING_CHARS:
                return Excess(number, f"heading line is over {MAX_HEADING_CHARS} characters")
            section_line, section_bytes, section_lines, section_stashed = number, 0, 0, 0
        elif section_line:
            section_bytes += len(line.encode("utf-8", "surrogatepass")) + 1
            section_lines += 1
            if section_lines > MAX_SECTION_LINES:
                return Excess(
                    section_line,
                    f"section is over {MAX_SECTION_LINES:,} lines long; split it under more "
                    "'## ' headings",
                )
            if section_bytes > MAX_SECTION_BYTES:
                return Excess(
                    section_line,
                    f"section is over {_size(MAX_SECTION_BYTES)}: a section may be at most "
                    f"{_size(MAX_SECTION_BYTES)}; split it under more '## ' headings",
                )
        stashed = line.count("\\") + line.count("&") + line.count("`")
        section_stashed += stashed
        file_stashed += stashed
        if section_stashed > MAX_STASHED_PER_SECTION and section_line:
            return Excess(
                section_line,
                f"section has over {MAX_STASHED_PER_SECTION:,} '\\', '&' or '`' (escapes, "
                "entities, code): more than this briefing reader lays out",
            )
        if file_stashed > MAX_STASHED_PER_FILE:
            return Excess(
                number,
                f"file has over {MAX_STASHED_PER_FILE:,} '\\', '&' or '`' (escapes, entities, "
                "code): more than this briefing reader lays out",
            )
        if not line.strip():
            paragraph_line = paragraph_marks = 0
            continue
        if not paragraph_line:
            paragraph_line = number
        marks = line.count("[") + line.count("<")
        paragraph_marks += marks
        file_marks += marks
        if paragraph_marks > MAX_LINK_MARKS_PER_PARAGRAPH:
            return Excess(
                paragraph_line,
                f"paragraph has over {MAX_LINK_MARKS_PER_PARAGRAPH} '[' or '<' (links or "
                "markup): more than this briefing reader lays out",
            )
        if file_marks > MAX_LINK_MARKS_PER_FILE:
            return Excess(
                number,
                f"file has over {MAX_LINK_MARKS_PER_FILE} '[' or '<' (links or markup): "
                "more than this briefing reader lays out",
            )
        if _nesting(line) > MAX_NESTING:
            return Excess(number, f"lists or quotes nested over {MAX_NESTING} levels deep")
    return None
