"""The fixed query set: what delegates type, in Whoosh syntax and as the FTS5 equivalent.

Each query has a kind, so that a slow kind shows up in the JSON. The FTS5 form asks for the
same thing with FTS5's syntax (synonyms spelled out as the app expands them), so that the
baseline does comparable work: ranked top 10, snippets and per-theme counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class BenchQuery:
    kind: str
    text: str  # as typed into the app
    fts5: str  # the same question in FTS5 syntax
    theme: str | None = None
    top: str | None = None  # the hit it must rank first (tests/core/search/test_answers.py)
    figure: str | None = None  # the key figure it must show first, as an answer card


QUERIES: tuple[BenchQuery, ...] = (
    # single words, rare to very common
    BenchQuery("word", "grooming", "grooming"),
    BenchQuery("word", "legislation", "legislation"),
    BenchQuery("word", "survivors", "survivors"),
    BenchQuery("word", "encryption", "encryption"),
    BenchQuery("word", "safety", "safety"),
    BenchQuery("word", "children", "children"),
    BenchQuery("word", "online", "online"),
    BenchQuery("synonym", "sextortion", 'sextortion OR "sexual extortion"'),
    BenchQuery("synonym", "CSAM", 'CSAM OR "child sexual abuse material"'),
    # phrases
    BenchQuery("phrase", '"child sexual abuse material"', '"child sexual abuse material" OR CSAM'),
    BenchQuery("phrase", '"online safety"', '"online safety"'),
    BenchQuery("phrase", '"law enforcement"', '"law enforcement"'),
    BenchQuery("phrase", '"financial sexual extortion"', '"financial sexual extortion"'),
    # two words, both required
    BenchQuery("and", "gaming platforms", "gaming platforms"),
    BenchQuery("and", "generative AI", 'generative AND (AI OR "artificial intelligence")'),
    BenchQuery("and", "parents technology", "parents technology"),
    BenchQuery("and", "prevention survivors", "prevention survivors"),
    BenchQuery("and", "child online", "child online"),
    # prefixes
    BenchQuery("prefix", "regulat*", "regulat*"),
    BenchQuery("prefix", "surviv*", "surviv*"),
    BenchQuery("prefix", "chi*", "chi*"),
    # misspellings: nothing matches, so the app retries with OR and suggests a word
    BenchQuery("misspelt", "legislaton", "legislaton"),
    BenchQuery("misspelt", "grroming platforms", "grroming OR platforms"),
    BenchQuery("fuzzy", "legislaton~", "legislat*"),
    # a theme filter
    BenchQuery("theme", "safety", "safety", theme="voices"),
    # questions: question and stop words left out, the answering passage first
    BenchQuery(
        "question",
        "how many reports of child sexual abuse material",
        'reports AND (CSAM OR "child sexual abuse material")',
        top="threat-assessment/alarming-escalation",
        figure="csam-reports-total",
    ),
    BenchQuery("question", "how many reports", "reports", figure="csam-reports-total"),
    # figures first: the right key figure above the passages
    BenchQuery("figure", "87", "87", figure="csam-reports-increase"),
    BenchQuery(
        "figure",
        "sextortion figures",
        'sextortion OR "sexual extortion"',
        top="threat-assessment/financial-sexual-extortion",
        figure="financial-sexual-extortion-2022",
    ),
    BenchQuery(
        "figure",
        "grooming 19 seconds",
        "grooming 19 seconds",
        top="threat-assessment/grooming-on-gaming-platforms",
        figure="grooming-escalation-time",
    ),
    # typos: nothing matches, so the close spelling's results are shown at once
    BenchQuery(
        "typo",
        "sextorsion",
        'sextortion OR "sexual extortion"',
        top="threat-assessment/financial-sexual-extortion",
    ),
    BenchQuery(
        "typo",
        "groomming",
        "grooming",
        top="threat-assessment/grooming-on-gaming-platforms",
    ),
)


def typed_prefixes(text: str) -> list[str]:
    """Every state of the search box while ``text`` is typed, one keystroke at a time."""
    return [text[:i] for i in range(1, len(text) + 1) if text[:i].strip()]


_TYPED_KINDS = ("word", "synonym", "and", "misspelt", "question", "typo")
TYPING: tuple[str, ...] = (
    *(q.text for q in QUERIES if q.kind in _TYPED_KINDS and q.theme is None),
    "child sexual abuse",
    "financial sextortion",
    "survivors voices",
)

_FTS_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def fts5_as_you_type(text: str, min_prefix: int = 3) -> str:
    """The FTS5 twin of the app's as-you-type query: every word, the last also as a prefix."""
    words = _FTS_WORD.findall(text)
    if not words:
        return ""
    parts = [f'"{w}"' for w in words[:-1]]
    last = words[-1]
    parts.append(f'("{last}" OR "{last}"*)' if len(last) >= min_prefix else f'"{last}"')
    return " AND ".join(parts)  # FTS5 wants AND spelt out before a parenthesis
