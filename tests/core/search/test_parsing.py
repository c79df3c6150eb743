"""Words alone are made into the query Whoosh's parser would make of them."""

from __future__ import annotations

import random

import pytest
from bench.queries import QUERIES, TYPING, typed_prefixes
from whoosh import qparser

from briefreader.core.model import Briefing
from briefreader.core.search.index import schema
from briefreader.core.search.parsing import Parsers, restrict
from briefreader.core.search.query import QueryPlanner


def _texts(briefing: Briefing) -> list[str]:
    planner = QueryPlanner(briefing)
    typed = [(q.text, q.theme, False) for q in QUERIES]
    typed += [(t, None, True) for text in TYPING for t in typed_prefixes(text)]
    texts = [planner.plan(text, theme, typing).text for text, theme, typing in typed]
    rng = random.Random(15)
    words = [
        "the", "of", "and", "a", "to", "is", "be", "AND", "OR", "NOT", "ANDNOT", "REQUIRE",
        "Online", "CSAM", "children's", "x", "19", "2023", "état", "naïve", "policy_maker",
        "grooming", "sextortion", "legislaton", "platforms", "reports", "self-generated",
    ]  # fmt: skip
    for _ in range(300):
        texts.append(" ".join(rng.choice(words) for _ in range(rng.randint(1, 5))))
    return [*texts, "", " ", "a  b", " a", "a ", "a\tb", "\u00e9t\u00e9", "a_b", "ⅷ"]


@pytest.mark.parametrize("group", [qparser.AndGroup, qparser.OrGroup])
def test_words_alone_make_the_query_whooshs_parser_makes(
    briefing: Briefing, group: type[qparser.syntax.GroupNode]
) -> None:
    parsers = Parsers(schema())
    whoosh = parsers._parsers[group]
    made = 0
    for text in _texts(briefing):
        plain = parsers._plain(text, group)
        if plain is None:
            continue
        made += 1
        assert plain.normalize() == whoosh.parse(text).normalize(), text
        assert parsers.parse(text, group)[0] == restrict(whoosh.parse(text), []).normalize()
    assert made > 150  # most queries are words alone
