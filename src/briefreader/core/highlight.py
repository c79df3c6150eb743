"""Where words or a phrase occur in a text: the spans the reader highlights.

The reader's text is the theme page as Qt lays it out (``QTextDocument.toPlainText()``, whose
character offsets are the document's cursor positions), so offsets from here are positions
in the page. Plain Python, no Qt, so that the rules can be tested on their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

Span = tuple[int, int]


def word_spans(text: str, words: Iterable[str]) -> tuple[Span, ...]:
    """Every whole-word occurrence of any of ``words`` in ``text``, ignoring case, in order.

    ``words`` are forms as they are written in the briefing (a search hit's matched words,
    stemmed forms included), so each is looked for as a word on its own: "groom" does not
    light up inside "grooming" unless "grooming" is one of the words.
    """
    unique = sorted({w for w in (w.strip() for w in words) if w}, key=lambda w: (-len(w), w))
    if not unique:
        return ()
    alternatives = "|".join(re.escape(w) for w in unique)
    pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)
    return tuple(m.span() for m in pattern.finditer(text))


def phrase_spans(text: str, needle: str) -> tuple[Span, ...]:
    """Every occurrence of ``needle`` in ``text`` ignoring case, as find-in-page shows them.

    Runs of white space in the needle match any run of white space, so that a phrase copied
    from a wrapped line still matches.
    """
    parts = needle.split()
    if not parts:
        return ()
    pattern = re.compile(r"\s+".join(re.escape(p) for p in parts), re.IGNORECASE)
    return tuple(m.span() for m in pattern.finditer(text))


def first_at_or_after(spans: tuple[Span, ...], position: int) -> int:
    """Index of the first span starting at or after ``position`` (0 if none does)."""
    for number, (start, _end) in enumerate(spans):
        if start >= position:
            return number
    return 0
