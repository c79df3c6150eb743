"""Snippets and highlighting: where a hit's text matches, and the best fragments around it.

A section's words are tokenized and stemmed once (``section_words``) and looked up by word,
so that marking a hit is a few dictionary look-ups rather than a walk through its text. The
fragments are the ones Whoosh's highlighter chose, computed over those cached words.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import deque
from dataclasses import dataclass
from functools import lru_cache

from whoosh import query
from whoosh.analysis import STOP_WORDS as WHOOSH_STOP_WORDS
from whoosh.lang.porter import stem

SNIPPET_CHARS = 220
# Whoosh's highlighter looks no further than this into a text (highlight.DEFAULT_CHARLIMIT).
CHAR_LIMIT = 2**15

_stem_cache: dict[str, str] = {}


def _stem(word: str) -> str:
    found = _stem_cache.get(word)
    if found is None:
        found = _stem_cache[word] = stem(word)
    return found


# The tokenizer of ``_plain`` (Whoosh's RegexTokenizer default), run with ``re`` directly.
_TOKEN = re.compile(r"\w+(\.?\w+)*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class _Words:
    """A section's text as words, worked out once: what a query marks and where."""

    tokens: tuple[tuple[int, int, str, str], ...]  # (start, end, lower-case, stem) each
    starts: tuple[int, ...]  # each token's start, for bisecting
    at: dict[str, list[int]]  # lower-case word → the numbers of its tokens
    by_stem: dict[str, set[str]]  # stem → the lower-case words with that stem
    kept: tuple[int, ...]  # the tokens the stemmed fields index (no stop words)
    kept_stems: tuple[str, ...]  # their stems
    kept_at: dict[str, list[int]]  # stem → its places in ``kept``


@lru_cache(maxsize=4096)
def section_words(text: str) -> _Words:
    """A section's words, computed once per text.

    Tokenizing and stemming each hit's text with Whoosh's analyzers on every query was a
    large part of a search; the same sections come back query after query, so they are
    tokenized once, and indexed by word so that marking a hit looks its matches up rather
    than walking every word. Keyed by the text, whose hash Python caches on the string;
    4096 sections is about 20 MB at most.
    """
    tokens = []
    at: dict[str, list[int]] = {}
    by_stem: dict[str, set[str]] = {}
    kept: list[int] = []
    kept_at: dict[str, list[int]] = {}
    for number, match in enumerate(_TOKEN.finditer(text)):
        lower = match.group(0).lower()
        stemmed = _stem(lower)
        tokens.append((match.start(), match.end(), lower, stemmed))
        at.setdefault(lower, []).append(number)
        by_stem.setdefault(stemmed, set()).add(lower)
        if _indexed(lower):
            kept_at.setdefault(stemmed, []).append(len(kept))
            kept.append(number)
    return _Words(
        tokens=tuple(tokens),
        starts=tuple(t[0] for t in tokens),
        at=at,
        by_stem=by_stem,
        kept=tuple(kept),
        kept_stems=tuple(tokens[n][3] for n in kept),
        kept_at=kept_at,
    )


@dataclass(frozen=True, slots=True)
class Matched:
    """The words a query matches, for highlighting: stems, exact words and prefixes."""

    stems: frozenset[str]
    exact: frozenset[str]
    prefixes: tuple[str, ...]

    def words_in(self, text: str) -> frozenset[str]:
        """The lower-case words of ``text`` that these terms match.

        Looked up in the text's word index, rather than checking each of its words.
        """
        words = section_words(text)
        found = set(self.exact.intersection(words.at))
        for stemmed in self.stems.intersection(words.by_stem):
            found |= words.by_stem[stemmed]
        if self.prefixes:
            found.update(lower for lower in words.at if lower.startswith(self.prefixes))
        return frozenset(found)


def matched_terms(q: query.Query, reader: object) -> tuple[Matched, list[query.Phrase]]:
    """What the query's positive terms match, read from the query rather than per hit.

    Asking Whoosh for each hit's matched terms (``terms=True``) records them for *every*
    matching document, not just the ten shown, and forces the slower union matchers. A word
    of a hit's text is marked if one of the query's positive terms stands for it, which is
    what ``terms=True`` reported: a term present in the text matched there. Phrases are the
    exception: their words count only where the phrase is, so they are returned apart, to be
    checked against each hit.
    """
    stems: set[str] = set()
    exact: set[str] = set()
    prefixes: list[str] = []
    phrases: list[query.Phrase] = []

    def walk(node: query.Query) -> None:
        if isinstance(node, query.Not):
            return
        if isinstance(node, query.AndNot):
            walk(node.a)
        elif isinstance(node, query.Prefix):
            prefixes.append(node.text)
        elif isinstance(node, query.FuzzyTerm):
            exact.update(as_text(word) for _, word in node.expanded_terms(reader))
        elif isinstance(node, query.Term):
            word = as_text(node.text)
            if node.fieldname != "exact":
                stems.add(word)
            elif word not in STOP_WORDS:  # "by" in "safety by design" is not worth a mark
                exact.add(word)
        elif isinstance(node, query.Phrase):
            phrases.append(node)
        else:
            for child in node.children():
                walk(child)

    walk(q)
    return Matched(frozenset(stems), frozenset(exact), tuple(prefixes)), phrases


def as_text(term: object) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else str(term)


STOP_WORDS = frozenset(WHOOSH_STOP_WORDS)


def match_spans(
    text: str, lowers: frozenset[str], phrases: set[tuple[str, ...]]
) -> tuple[tuple[int, int], ...]:
    """Where ``text`` matches: each word in ``lowers``, and each phrase as one span.

    A phrase is a run of stems as the stemmed fields index them, stop words and one-letter
    words left out ("safety by design" is safeti, design), so the same words are skipped here.
    """
    words = section_words(text)
    tokens = words.tokens
    spans = [tokens[n][:2] for lower in lowers for n in words.at.get(lower, ())]
    kept, stems = words.kept, words.kept_stems
    for phrase in phrases:
        size = len(phrase)
        for first in words.kept_at.get(phrase[0], ()):
            if stems[first : first + size] == phrase:
                spans.append((tokens[kept[first]][0], tokens[kept[first + size - 1]][1]))
    # Overlaps (a word that is also part of a phrase) merge into the longer span.
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def _indexed(lower: str) -> bool:
    """Whether the stemmed fields keep a word (StemmingAnalyzer: no stop words, 2+ letters)."""
    return len(lower) >= 2 and lower not in STOP_WORDS


def _fragments(
    text: str, spans: tuple[tuple[int, int], ...]
) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """The two best fragments (start, end, matches), in text order.

    This is Whoosh's ContextFragmenter(maxchars=SNIPPET_CHARS, surround=70), scored by
    BasicFragmentScorer and ordered FIRST, as the app used before, rewritten over the cached
    tokens: the same fragments, without re-tokenizing the text on every query. Between
    fragments it jumps from match to match instead of stepping through every word, with the
    same fragments as a result.
    """
    surround = 70
    found: list[tuple[int, int, int, list[tuple[int, int]]]] = []  # score, start, end, matches
    firsts: deque[int] = deque()  # the starts of the words just before the next match
    first: int | None = None
    countdown = -1
    matches: list[tuple[int, int]] = []
    words: set[str] = set()
    length = 0
    end = 0
    span_end = dict(spans)
    inside = 0  # the end of the span being walked through, while in one
    text_words = section_words(text)
    tokens, starts = text_words.tokens, text_words.starts
    count = len(tokens)
    while count and tokens[count - 1][1] > CHAR_LIMIT:
        count -= 1
    # The tokens a match covers, in order.
    covered = sorted(
        {n for s, e in spans for n in range(bisect_left(starts, s), bisect_left(starts, e))}
    )
    number = 0
    while number < count:
        start, end, _, _ = tokens[number]
        starts_span = start in span_end
        hit = starts_span or start < inside
        if countdown < 0 and not hit:
            # Outside a fragment until the next match: only the window of words before it
            # matters, which is what remains of stepping through them one by one.
            following = bisect_left(covered, number)
            upto = covered[following] if following < len(covered) else count
            end = tokens[upto - 1][1]
            while firsts and end - firsts[0] > surround:
                firsts.popleft()
            firsts.extend(starts[bisect_left(starts, end - surround, number, upto) : upto])
            number = upto
            continue
        size = end - start
        if starts_span:
            inside = span_end[start]
            lower = text[start:inside].lower()
        if length + size > SNIPPET_CHARS:
            countdown = 0
        elif hit:
            countdown = surround
            if first is None:
                if firsts:
                    first = firsts[0]
                else:
                    first = start
                    countdown += surround
            if starts_span:
                matches.append((start, inside))
                words.add(lower)
        if countdown >= 0:
            length += size
            countdown -= size
            if countdown <= 0:
                found.append((len(matches) * (len(words) * 100 or 1), first or 0, end, matches))
                matches, words, firsts, first, length = [], set(), deque(), None, 0
        number += 1
    if matches:
        found.append((len(matches) * (len(words) * 100 or 1), first or 0, end, matches))
    # top_fragments(…, 2, …): the two highest scores (ties: the later fragment), score ≥ 1.
    best = sorted(found, key=lambda f: (f[0], f[1]), reverse=True)[:2]
    return sorted(((s, e, m) for score, s, e, m in best if score >= 1), key=lambda f: f[0])


def snippet(
    text: str, spans: tuple[tuple[int, int], ...]
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The best fragments of ``text`` around the matches, with the matches' offsets."""
    fragments = _fragments(text, spans) if spans else []
    if not fragments:
        cut = text[:SNIPPET_CHARS]
        if len(text) > SNIPPET_CHARS:
            cut = cut[: cut.rfind(" ")] + " …"
        return cut.replace("\n\n", " "), ()
    plain: list[str] = []
    marks: list[tuple[int, int]] = []
    length = 0

    def add(piece: str, match: bool = False) -> None:
        nonlocal length
        piece = piece.replace("\n\n", " ")
        if match:
            marks.append((length, length + len(piece)))
        plain.append(piece)
        length += len(piece)

    fragments = [(*_whole_marks(text, start, end), matches) for start, end, matches in fragments]
    for number, (start, end, matches) in enumerate(fragments):
        add("… " if start > 0 and number == 0 else " … " if number else "")
        position = start
        for token_start, token_end in matches:
            if token_start < position:
                continue
            add(text[position:token_start])
            add(text[token_start:token_end], match=True)
            position = token_end
        add(text[position:end])
    if fragments[-1][1] < len(text.rstrip()):
        add(" …")
    return "".join(plain), tuple(marks)


# An editor's mark ("[number lost in the source text]") is short; a bracket further away than
# this is not one the fragment cut through.
_MARK_REACH = 80


def _whole_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """A fragment widened so that it does not cut an editor's mark in square brackets: a
    snippet shows "[number lost in the source text] participants…", never "…text] partic…"."""
    opening = text.rfind("[", max(0, start - _MARK_REACH), start)
    if (
        opening != -1
        and "]" not in text[opening:start]
        and "]" in text[start : start + _MARK_REACH]
    ):
        start = opening
    opening = text.rfind("[", max(0, end - _MARK_REACH), end)
    if opening != -1 and "]" not in text[opening:end]:
        closing = text.find("]", end, end + _MARK_REACH)
        if closing != -1:
            end = closing + 1
    return start, end
