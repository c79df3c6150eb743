"""Deterministic corpora of N times the bundled briefing, with a vocabulary that grows.

Copy 0 is the briefing itself. In every further copy about one word in eight (of four
letters or more) becomes a *variant*: the word plus a letter suffix ("grooming" →
"groomingbq"). The number of variants a copy may draw from grows with the square root of
the copy number, so the vocabulary grows as real collections do (Heaps' law) and short
prefixes expand to ever more terms: the cost that as-you-type search has to survive.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from dataclasses import replace

from briefreader.core.model import Briefing, Section, Theme

_WORD = re.compile(r"[A-Za-z]{4,}")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _suffix(number: int) -> str:
    out = ""
    number += 1
    while number:
        number, digit = divmod(number - 1, 26)
        out = _LETTERS[digit] + out
    return out


def _vary(text: str, rng: random.Random, variants: int) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        if rng.random() >= 0.125:
            return word
        return word + _suffix(rng.randrange(variants))

    return _WORD.sub(swap, text)


def scaled_briefing(briefing: Briefing, scale: int) -> Briefing:
    """The briefing repeated ``scale`` times (copy 0 unchanged), deterministically varied."""
    if scale <= 1:
        return briefing
    themes: list[Theme] = []
    for theme in briefing.themes:
        sections: list[Section] = list(theme.sections)
        for copy in range(1, scale):
            variants = 1 + int(4 * math.sqrt(copy))
            for number, section in enumerate(theme.sections):
                rng = random.Random(f"{copy}:{theme.id}:{number}")
                sections.append(
                    replace(
                        section,
                        id=f"{section.id}-{copy}",
                        anchor=f"{section.anchor}-{copy}",
                        title=_vary(section.title, rng, variants),
                        text=_vary(section.text, rng, variants),
                        markdown="",  # search never reads it; keeps 1000× in memory budget
                    )
                )
        themes.append(Theme(theme.id, theme.title, tuple(sections)))
    fingerprint = hashlib.sha256(f"{briefing.fingerprint}-x{scale}".encode()).hexdigest()[:16]
    return Briefing(
        title=briefing.title,
        edition=briefing.edition,
        documents=briefing.documents,
        themes=tuple(themes),
        figures=(),
        synonyms=briefing.synonyms,
        problems=(),
        fingerprint=fingerprint,
    )


def text_bytes(briefing: Briefing) -> int:
    return sum(len(s.text.encode()) + len(s.title.encode()) for s in briefing.sections)
