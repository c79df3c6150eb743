"""The search engine finds what Whoosh finds and ranks it as Whoosh ranks it.

``Searcher`` runs parsed queries over postings it keeps in memory (``Engine`` in
core/search/engine.py) instead of Whoosh's matchers. Here both run the same parsed queries
over the bundled briefing, and must agree on the documents and their scores.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import qparser, query

from briefreader.core.content import load_briefing
from briefreader.core.locations import bundled_content_dir
from briefreader.core.search import engine as engine_module
from briefreader.core.search import parsing, snippets
from briefreader.core.search import searcher as searcher_module
from briefreader.core.search.searcher import Searcher, SearchIndex


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    search_index = SearchIndex(
        load_briefing(bundled_content_dir()), tmp_path_factory.mktemp("cache")
    )
    search_index.open_or_build()
    searcher = search_index.searcher()
    yield searcher
    searcher.close()


def _whoosh_scores(searcher: Searcher, q: query.Query) -> dict[int, float]:
    results = searcher._whoosh().search(_without_and_not(q), limit=None)
    return {hit.docnum: hit.score for hit in results}


def _without_and_not(q: query.Query) -> query.Query:
    """``a ANDNOT b`` as ``a AND NOT b``, which Whoosh gets right.

    Whoosh's AndNotMatcher keeps the first document of ``a`` when ``b`` has it too but
    also has a lower document ("accept -can" found a passage with "can" in it); the
    engine does not (see test_an_excluded_word_is_excluded_from_the_first_match).
    """
    if isinstance(q, query.AndNot):
        return query.And([_without_and_not(q.a), query.Not(_without_and_not(q.b))])
    return q.apply(_without_and_not)


def _engine_scores(searcher: Searcher, q: query.Query) -> Mapping[int, float]:
    searcher._whoosh()
    engine = searcher._engine
    assert engine is not None
    return engine.scores(q)


def _nots(q: query.Query) -> int:
    own = isinstance(q, query.Not | query.AndNot)
    return own + sum(_nots(c) for c in q.children())


def _assert_same(searcher: Searcher, text: str) -> int:
    """Both engines agree on ``text`` (parsed with AND and with OR); returns the matches."""
    matches = 0
    for group in (qparser.AndGroup, qparser.OrGroup):
        try:
            q, _ = searcher._parse(text, group)
        except parsing.UnparsableError:
            message = searcher.search(text).message
            # The planner may leave out a word ("the" of "able NOT -able OR the"), and what
            # is left may parse: then the search answers, and says why.
            if searcher._plan(text, None, as_you_type=False).text == text:
                assert "could not be understood" in message
            else:
                assert message
            continue
        if q is query.NullQuery or not parsing.has_positive(q):
            continue
        expected = _whoosh_scores(searcher, q)
        got = _engine_scores(searcher, q)
        assert set(got) == set(expected), (text, q)
        # Whoosh adds 1 for each NOT a document is matched through (its inverse matcher
        # scores 1); the engine does not. Nothing else may differ.
        allowed = {float(n) for n in range(_nots(q) + 1)}
        offsets = {round(score - got[docnum], 9) for docnum, score in expected.items()}
        assert offsets <= allowed, (text, q, offsets)
        matches += len(got)
    return matches


KINDS_OF_QUERY = [
    "grooming",
    "legislation",
    "children",
    "online",
    "Safety",
    "zebra",
    "sextortion",
    "CSAM",
    '"child sexual abuse material"',
    '"online safety"',
    '"law enforcement" survivors',
    "gaming platforms",
    "generative AI",
    "child online",
    "regulat*",
    "chi*",
    "(legislation OR legislation*)",  # one word twice: as itself and as its prefix
    "legislaton~",
    "grroming platforms",
    "abuse NOT material",
    "abuse -online",
    "abuse ANDNOT online",
    "abuse ANDMAYBE prevention",
    "grooming OR sextortion",
    "safety-by-design",
    '"safety by design" OR "end-to-end encryption"',
    "(children OR survivors) AND (legislation OR regulat*)",
    "the of and",
]


@pytest.mark.parametrize("text", KINDS_OF_QUERY)
def test_every_kind_of_query_matches_and_scores_as_whoosh(searcher: Searcher, text: str) -> None:
    expanded = searcher._plan(text, None, as_you_type=False).text
    _assert_same(searcher, expanded)


def test_the_comparison_covers_real_matches(searcher: Searcher) -> None:
    total = sum(_assert_same(searcher, text) for text in KINDS_OF_QUERY)
    assert total > 500  # the parametrised queries above are not all empty


_WORDS = {
    word.lower()
    for section in load_briefing(bundled_content_dir()).sections[::3]
    for word in re.findall(r"[A-Za-z]{2,}", section.text)
}
_VOCABULARY = [*sorted(_WORDS)[::5], "the", "of", "zebra", "qq"]

_word = st.sampled_from(_VOCABULARY)
_term = st.one_of(
    _word,
    st.builds(lambda a, b: f'"{a} {b}"', _word, _word),
    _word.filter(lambda w: len(w) >= 3).map(lambda w: w[: max(3, len(w) - 2)] + "*"),
    _word.filter(lambda w: len(w) >= 4).map(lambda w: w + "~"),
    _word.map(lambda w: "-" + w),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_term, min_size=1, max_size=4),
    st.lists(st.sampled_from([" ", " OR ", " AND ", " NOT "]), min_size=3, max_size=3),
)
def test_any_query_matches_and_scores_as_whoosh(
    searcher: Searcher, terms: list[str], joins: list[str]
) -> None:
    text = terms[0] + "".join(j + t for j, t in zip(joins, terms[1:], strict=False))
    _assert_same(searcher, text)


def test_typing_queries_rank_as_whoosh(searcher: Searcher) -> None:
    for typed in ("chi", "child sex", "grooming plat", "link-shar", "safety by des"):
        _assert_same(searcher, searcher._plan(typed, None, as_you_type=True).text)


def test_a_bounded_cache_gives_the_same_answers(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = [h.id for h in searcher.search("children online safety", limit=20).hits]
    monkeypatch.setattr(engine_module, "CACHED_POSTINGS", 50)
    searcher.close()  # a fresh engine, which now keeps at most 50 postings
    after = [h.id for h in searcher.search("children online safety", limit=20).hits]
    engine = searcher._engine
    assert engine is not None
    assert engine._cached <= 50 or len(engine._terms) == 1
    assert after == before
    _assert_same(searcher, "children online safety")
    monkeypatch.undo()
    searcher.close()


def test_words_pushed_out_of_the_cache_are_kept_packed_and_not_read_again(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = searcher.search("children online safety", limit=20)
    monkeypatch.setattr(engine_module, "CACHED_POSTINGS", 50)
    searcher.close()
    first = searcher.search("children online safety", limit=20)
    engine = searcher._engine
    assert engine is not None
    assert engine._packed  # the least recently used words, pushed out
    reads: list[tuple[str, bytes]] = []
    scored = engine._scored

    def counted(fieldname: str, text: bytes, infos: list[Any]) -> dict[int, float]:
        reads.append((fieldname, text))
        return scored(fieldname, text, infos)

    monkeypatch.setattr(engine, "_scored", counted)
    again = searcher.search("children online safety", limit=20)
    assert reads == []  # every word came back from the cache, packed or not
    assert again == first == before
    # Packed words are pushed out too, least recently used first, within their bound.
    monkeypatch.setattr(engine_module, "PACKED_POSTINGS", 60)
    searcher.close()
    searcher.search("children online safety", limit=20)
    engine = searcher._engine
    assert engine is not None
    assert engine._packed_count <= 60
    monkeypatch.undo()
    searcher.close()


def test_an_excluded_word_is_excluded_from_the_first_match(searcher: Searcher) -> None:
    # "accept" is in one passage, which also has "can"; Whoosh's own AndNot matcher
    # returned it anyway.
    assert searcher.search("accept").total == 1
    assert "can" in re.findall(r"\w+", searcher.search("accept").hits[0].text.lower())
    result = searcher.search("accept -can")
    assert result.total == 0 and not result.hits


def test_warming_reads_ahead_what_first_searches_read(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    briefing = load_briefing(bundled_content_dir())
    search_index = SearchIndex(briefing, tmp_path_factory.mktemp("cache"))
    search_index.open_or_build()
    searcher = search_index.searcher()
    snippets.section_words.cache_clear()
    steps = 0
    while searcher.warm(steps=50):
        steps += 1
    assert steps > 10  # a little at a time
    engine = searcher._engine
    assert engine is not None
    words = {(f, t) for f, t in engine.reader.all_terms() if f not in ("id", "theme", "document")}
    assert set(engine._terms) == words
    assert set(engine._vocabularies) == {"exact"}  # "did you mean" looks nothing up anew
    assert snippets.section_words.cache_info().currsize >= len({s.text for s in briefing.sections})
    reads: list[bytes] = []
    scored = engine._scored

    def counted(fieldname: str, text: bytes, infos: list[Any]) -> dict[int, float]:
        if infos:  # a word the field has (one it has not is only looked up)
            reads.append(text)
        return scored(fieldname, text, infos)

    engine._scored = counted  # type: ignore[method-assign,assignment]
    before = [h.id for h in searcher.search("grooming platforms", limit=20).hits]
    assert reads == []  # nothing left to read
    searcher.close()
    assert before == [h.id for h in searcher.search("grooming platforms", limit=20).hits]


def test_a_large_index_is_not_read_ahead(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(searcher_module, "WARM_MAX_DOCUMENTS", 10)
    searcher.close()
    assert searcher.warm() is False
    assert searcher._engine is not None and not searcher._engine._terms
    searcher.close()


def _misspellings(words: list[str], count: int) -> list[str]:
    """``count`` words one or two edits (deletion, insertion, substitution, transposition)
    from real ones, some with a letter no word of the briefing has."""
    rng = random.Random(15)
    letters = "abcdefghijklmnopqrstuvwxyzéü0-"
    out = []
    for _ in range(count):
        word = rng.choice(words)
        for _ in range(rng.choice((1, 1, 2))):
            i = rng.randrange(len(word) + 1)
            edit = rng.choice(("delete", "insert", "substitute", "swap"))
            if edit == "delete" and i < len(word):
                word = word[:i] + word[i + 1 :]
            elif edit == "substitute" and i < len(word):
                word = word[:i] + rng.choice(letters) + word[i + 1 :]
            elif edit == "swap" and i + 1 < len(word):
                word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            else:
                word = word[:i] + rng.choice(letters) + word[i:]
        out.append(word)
    return out


def _typed_words() -> list[str]:
    from bench.queries import QUERIES, TYPING, typed_prefixes

    texts = [q.text for q in QUERIES]
    texts += [typed for text in TYPING for typed in typed_prefixes(text)]
    return sorted({w.lower() for text in texts for w in re.findall(r"\w+", text)})


def test_words_one_edit_away_are_whooshs_own(searcher: Searcher) -> None:
    """The words held in memory give what Whoosh's automaton and corrector give: the same
    words one edit away, in the same order, and the same "did you mean"."""
    searcher._whoosh()
    engine = searcher._engine
    assert engine is not None and engine.doc_count <= engine_module.VOCABULARY_MAX_DOCUMENTS
    reader = engine.searcher.reader()
    real = [w.decode("utf-8") for w in reader.lexicon("exact") if len(w) >= 4]
    words = _typed_words() + _misspellings(real, 400) + ["a", "ab", "x" * 30, "déjà"]
    found = 0
    for word in words:
        for fieldname in ("exact", "body"):
            for prefix in range(min(len(word), 2) + 1):  # Whoosh fails on a longer prefix
                mine = engine.terms_within(fieldname, word, 1, prefix)
                assert mine == list(reader.terms_within(fieldname, word, 1, prefix)), word
                found += bool(mine)
        for limit in (1, 5):
            assert engine.suggest(
                "exact", word, limit=limit, maxdist=1, prefix=1
            ) == engine.searcher.suggest("exact", word, limit=limit, maxdist=1, prefix=1), word
    assert found > 300  # most misspellings have a word one edit away


def test_did_you_mean_is_the_same_without_the_words_in_memory(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bench.queries import QUERIES, TYPING, typed_prefixes

    searches = [(q.text, q.theme, False) for q in QUERIES]
    searches += [(typed, None, True) for text in TYPING for typed in typed_prefixes(text)]
    words = [w.decode("utf-8") for w in searcher._whoosh().reader().lexicon("exact")]
    searches += [(text, None, False) for text in _misspellings(words, 200)]

    def answers() -> list[tuple[str | None, str | None, tuple[str, ...]]]:
        out = []
        for text, theme, typing in searches:
            result = searcher.search(text, theme=theme, limit=10, as_you_type=typing)
            out.append(
                (result.suggestion, result.searched_instead, tuple(h.id for h in result.hits))
            )
        return out

    searcher.close()
    held = answers()
    monkeypatch.setattr(engine_module, "VOCABULARY_MAX_DOCUMENTS", 0)
    searcher.close()
    walked = answers()
    engine = searcher._engine
    assert engine is not None and not engine._vocabularies  # the automaton, as before
    monkeypatch.undo()
    searcher.close()
    assert held == walked
    assert sum(1 for s, instead, _ in held if s or instead) > 100
