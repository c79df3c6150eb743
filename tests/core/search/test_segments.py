"""An index of several segments answers as one segment of the same documents does.

A build may write one segment per worker process, each of a contiguous run of sections, in
section order. The engine reads each segment's postings and shifts its document numbers; the
statistics BM25F scores with (idf, average field length) are the whole index's. Here the 10×
corpus is written as one segment and as two and four (uneven runs, ``commit(merge=False)``),
and every bench query and every state of the search box while the typing queries are typed
must give the same results: hits, scores, totals, per-theme counts, snippets and messages.
"""

from __future__ import annotations

import sys
from bisect import bisect_right
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from whoosh import index, qparser

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.corpus import scaled_briefing  # noqa: E402
from bench.queries import QUERIES, TYPING, typed_prefixes  # noqa: E402

from briefreader.core.model import Briefing, Section  # noqa: E402
from briefreader.core.search import engine  # noqa: E402
from briefreader.core.search import index as index_module  # noqa: E402
from briefreader.core.search.searcher import Searcher, SearchIndex  # noqa: E402

SCALE = 10  # 920 sections: common words' postings run over several blocks in each segment


class _Given(SearchIndex):
    """The search index, over an index written here rather than by a build."""

    def __init__(self, briefing: Briefing, root: Path, ix: index.Index) -> None:
        super().__init__(briefing, root)
        self._given = ix

    def whoosh_index(self) -> tuple[index.Index, int]:
        return self._given, 0


def _write(folder: Path, runs: list[tuple[Section, ...]]) -> index.Index:
    """One segment per run of sections, in order, written as the build writes a segment."""
    folder.mkdir()
    ix = engine.create_index(str(folder), index_module.schema())
    for run in runs:
        writer = engine.new_writer(ix, compound=False)
        index_module._add_documents(writer, run, None, None)
        writer.commit(merge=False)
    return engine.open_index(str(folder), index_module.schema())


def _runs(sections: tuple[Section, ...], cuts: list[int]) -> list[tuple[Section, ...]]:
    bounds = [0, *cuts, len(sections)]
    return [sections[a:b] for a, b in pairwise(bounds)]


@pytest.fixture(scope="module")
def corpus(briefing: Briefing) -> Briefing:
    return scaled_briefing(briefing, SCALE)


@pytest.fixture(scope="module")
def searchers(
    corpus: Briefing, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[int, Searcher]]:
    root = tmp_path_factory.mktemp("segments")
    sections = corpus.sections
    count = len(sections)
    layouts = {
        1: [],
        2: [count // 3],  # uneven: a segment boundary is not a block boundary
        4: [97, count // 2, count - 130],
    }
    out = {}
    for segments, cuts in layouts.items():
        ix = _write(root / f"x{segments}", _runs(sections, cuts))
        with ix.reader() as reader:
            assert len(list(reader.leaf_readers())) == segments
        out[segments] = _Given(corpus, root, ix).searcher()
    yield out
    for searcher in out.values():
        searcher.close()


def test_whoosh_statistics_are_the_whole_index(searchers: dict[int, Searcher]) -> None:
    one = searchers[1]._whoosh()
    for segments in (2, 4):
        many = searchers[segments]._whoosh()
        assert many.doc_count_all() == one.doc_count_all()
        for field in ("title", "body", "speaker", "exact"):
            assert many.field_length(field) == one.field_length(field)
            assert many.avg_field_length(field) == one.avg_field_length(field)
        for field, word in [("body", "child"), ("body", "groom"), ("exact", "online")]:
            text = word.encode()
            assert many.doc_frequency(field, text) == one.doc_frequency(field, text)
            assert many.idf(field, text) == one.idf(field, text)


def test_every_bench_query_scores_the_same(searchers: dict[int, Searcher]) -> None:
    one = searchers[1]
    for q in QUERIES:
        parsed, _ = one._parse(one._plan(q.text, q.theme, False).text, qparser.OrGroup)
        one._whoosh()
        assert one._engine is not None
        expected = dict(one._engine.scores(parsed))
        for segments in (2, 4):
            many = searchers[segments]
            many._whoosh()
            assert many._engine is not None
            got = many._engine.scores(parsed)
            assert set(got) == set(expected), (q.text, segments)
            assert got == pytest.approx(expected, rel=1e-12), (q.text, segments)
    # And the scores are Whoosh's own on the segmented index.
    many = searchers[4]
    parsed, _ = many._parse("grooming children", qparser.OrGroup)
    whoosh_scores = {h.docnum: h.score for h in many._whoosh().search(parsed, limit=None)}
    assert many._engine is not None
    assert many._engine.scores(parsed) == pytest.approx(whoosh_scores, rel=1e-9)


def test_every_bench_query_gives_the_same_results(searchers: dict[int, Searcher]) -> None:
    for q in QUERIES:
        expected = searchers[1].search(q.text, theme=q.theme, limit=10)
        assert expected.total, q.text  # a query that finds nothing would compare nothing
        for segments in (2, 4):
            assert searchers[segments].search(q.text, theme=q.theme, limit=10) == expected


def test_every_typing_state_gives_the_same_results(searchers: dict[int, Searcher]) -> None:
    found = 0
    for text in TYPING:
        for typed in typed_prefixes(text):
            expected = searchers[1].search(typed, limit=10, as_you_type=True)
            found += bool(expected.hits)
            for segments in (2, 4):
                got = searchers[segments].search(typed, limit=10, as_you_type=True)
                assert got == expected, (typed, segments)
    assert found > 200


def test_a_phrase_across_segments_finds_each_segments_documents(
    searchers: dict[int, Searcher], corpus: Briefing
) -> None:
    """Positions are read from the segment a document is in: hits from most segments."""
    result = searchers[4].search('"child sexual abuse material"', limit=200)
    assert result == searchers[1].search('"child sexual abuse material"', limit=200)
    ids = [section.id for section in corpus.sections]
    bounds = [97, len(ids) // 2, len(ids) - 130]  # the four segments' first sections
    segments = {bisect_right(bounds, ids.index(hit.id)) for hit in result.hits}
    assert len(segments) >= 3, segments
