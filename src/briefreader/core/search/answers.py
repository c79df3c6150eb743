"""Figures first: the key figures a query asks about, as answer cards above the passages.

A figure answers a query when every word of it (question words, stop words and words such
as "figures" left out; a term with other names counts under any of them) is in the figure:
its value, what it measures, its period, its source, or the source's sentence that states it.
At least one must be in the value, the measure or the source, so that a word met only in a
long sentence does not bring a figure up. Ranked by where the words are (the value counts
most), by how much of the measure they cover ("reports globally" is answered more fully by
"reports" than "reports received by the CyberTipline" is), and by the question: "how many"
asks for a count, so a percentage comes after the counts.

Plain Python with the index's stemmer: no index is needed, and the result is frozen data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from whoosh.lang.porter import stem

from briefreader.core.model import Briefing, Figure
from briefreader.core.search.query import (
    COUNT_WORDS,
    FIGURE_WORDS,
    OPERATORS,
    QUESTION_WORDS,
    SHARE_WORDS,
    STOP_WORDS,
    THEME_FILTER,
    TOKEN,
)
from briefreader.core.search.results import FigureAnswer

_NOT_ASKED = FIGURE_WORDS | SHARE_WORDS
MAX_ANSWERS = 3
# Weight of a query word found in each part of a figure.
WEIGHTS = {"value": 4.0, "measure": 3.0, "source": 2.0, "period": 2.0, "sentence": 1.0}
_STRONG = ("value", "measure", "source")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"‘])|\n+")


_stemmed: dict[str, str] = {}


def _stem(word: str) -> str:
    found = _stemmed.get(word)
    if found is None:
        found = _stemmed[word] = stem(word)
    return found


def _stems(text: str) -> tuple[str, ...]:
    return tuple(_stem(w.lower()) for w in TOKEN.findall(text) if w.lower() not in STOP_WORDS)


def figure_sentence(text: str, value: str) -> str:
    """The sentence of ``text`` that states ``value``, as written ("" if none does).

    A whole sentence (ending in a full stop) before a headline line that has the figure.
    """
    pattern = re.compile(rf"(?<![\w]){re.escape(value)}(?![\w])")
    found = [s.strip() for s in _SENTENCE_END.split(text) if pattern.search(s)]
    whole = [s for s in found if s.endswith((".", "!", "?", ".”", '."'))]
    return (whole or found or [""])[0]


@dataclass(frozen=True, slots=True)
class _Prepared:
    figure: Figure
    sentence: str
    parts: dict[str, tuple[str, ...]]  # part → its stems
    sets: dict[str, frozenset[str]]  # part → its stems, to look a single word up
    every: frozenset[str]  # the stems of all its parts: most figures are ruled out here
    measure_size: int
    percentage: bool


class FigureAnswers:
    """Finds the figures a query asks about, for one briefing (prepared once)."""

    def __init__(self, briefing: Briefing) -> None:
        self.briefing = briefing
        # First stem → (the group's names as stems, this name), longest names first.
        self._groups: dict[str, list[tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]]] = {}
        for group in briefing.synonyms:
            names = tuple(n for n in (_stems(name) for name in group) if n)
            for name in names:
                self._groups.setdefault(name[0], []).append((names, name))
        for candidates in self._groups.values():
            candidates.sort(key=lambda c: -len(c[1]))
        self._prepared = []
        for figure in briefing.figures:
            section = briefing.section(figure.section_id)
            # The source's own sentence (the loader requires it for the bundled figures).
            sentence = figure.quote or (
                figure_sentence(section.text, figure.value) if section else ""
            )
            parts = {
                "value": _stems(figure.value),
                "measure": _stems(figure.measure),
                "source": _stems(figure.source),
                "period": _stems(figure.period),
                "sentence": _stems(sentence),
            }
            sets = {part: frozenset(stems) for part, stems in parts.items()}
            self._prepared.append(
                _Prepared(
                    figure,
                    sentence,
                    parts,
                    sets,
                    frozenset().union(*sets.values()),
                    max(1, len(parts["measure"])),
                    figure.value.rstrip().endswith("%"),
                )
            )

    def terms(self, text: str) -> tuple[list[tuple[tuple[str, ...], ...]], str | None]:
        """The query's terms (each a choice of stem sequences) and what it asks for."""
        text = THEME_FILTER.sub(" ", text)
        # A word after "-" or NOT is not asked for.
        text = re.sub(r'(?:(?<!\S)-|\bNOT\s+)(?:"[^"]*"|\S+)', " ", text)
        words = [w for w in TOKEN.findall(text) if w not in OPERATORS]
        lowers = {w.lower() for w in words}
        kind: str | None = None
        if lowers & QUESTION_WORDS and lowers & COUNT_WORDS:
            kind = "count"
        elif lowers & SHARE_WORDS:
            kind = "share"
        kept = [
            w.lower()
            for w in words
            if w.lower() not in _NOT_ASKED
            and w.lower() not in QUESTION_WORDS
            and (w.lower() not in STOP_WORDS or (w.isupper() and len(w) > 1))
        ]
        stems = [_stem(w) for w in kept]
        terms: list[tuple[tuple[str, ...], ...]] = []
        position = 0
        while position < len(stems):
            for names, name in self._groups.get(stems[position], ()):
                if tuple(stems[position : position + len(name)]) == name:
                    terms.append(names)
                    position += len(name)
                    break
            else:
                terms.append(((stems[position],),))
                position += 1
        return terms, kind

    def answer(
        self, text: str, *, theme: str | None = None, limit: int = MAX_ANSWERS
    ) -> tuple[FigureAnswer, ...]:
        terms, kind = self.terms(text)
        if not terms:
            return ()
        scored: list[tuple[float, str, int, _Prepared]] = []
        for number, prepared in enumerate(self._prepared):
            every = prepared.every
            if not all(any(c and c[0] in every for c in choices) for choices in terms):
                continue  # a word of the query is nowhere in this figure
            section = self.briefing.section(prepared.figure.section_id)
            if section is None or (theme is not None and section.theme_id != theme):
                continue
            score = _score(prepared, terms)
            if score <= 0:
                continue
            if (kind == "count" and prepared.percentage) or (
                kind == "share" and not prepared.percentage
            ):
                score *= 0.5
            scored.append((score, prepared.figure.period, -number, prepared))
        scored.sort(key=lambda s: (s[0], s[1], s[2]), reverse=True)
        return tuple(self._answer(p, s) for s, _, _, p in scored[:limit])

    def _answer(self, prepared: _Prepared, score: float) -> FigureAnswer:
        figure = prepared.figure
        section = self.briefing.section(figure.section_id)
        assert section is not None
        theme = self.briefing.theme(section.theme_id)
        document = self.briefing.document(figure.document_id)
        return FigureAnswer(
            figure_id=figure.id,
            value=figure.value,
            measure=figure.measure,
            period=figure.period,
            source=figure.source,
            sentence=prepared.sentence,
            section_id=section.id,
            section_title=section.title,
            theme=section.theme_id,
            theme_title=theme.title if theme else section.theme_id,
            document_title=document.title if document else figure.document_id,
            score=round(score, 3),
        )


def _has(prepared: _Prepared, part: str, stems: tuple[str, ...]) -> bool:
    if len(stems) == 1:
        return stems[0] in prepared.sets[part]
    return stems[0] in prepared.sets[part] and _contains(prepared.parts[part], stems)


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    size = len(needle)
    return any(haystack[n : n + size] == needle for n in range(len(haystack) - size + 1))


def _score(prepared: _Prepared, terms: Iterable[tuple[tuple[str, ...], ...]]) -> float:
    total = 0.0
    strong = False
    covered = 0
    for choices in terms:
        best = ""
        for part, weight in WEIGHTS.items():
            if (not best or weight > WEIGHTS[best]) and any(
                _has(prepared, part, c) for c in choices if c
            ):
                best = part
        if not best:
            return 0.0
        total += WEIGHTS[best]
        strong = strong or best in _STRONG
        if best == "measure":
            covered += max(len(c) for c in choices if _contains(prepared.parts["measure"], c))
    if not strong:
        return 0.0
    return total + 2.0 * min(1.0, covered / prepared.measure_size)


def figure_answers(
    briefing: Briefing, text: str, *, theme: str | None = None, limit: int = MAX_ANSWERS
) -> tuple[FigureAnswer, ...]:
    """The key figures that answer ``text``, best first (see :class:`FigureAnswers`)."""
    return FigureAnswers(briefing).answer(text, theme=theme, limit=limit)
