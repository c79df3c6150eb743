"""The index writer writes what Whoosh's own writer writes, byte for byte.

Each index is built twice from the same sections, once through ``engine.new_writer`` (the
app's writer, ``core/search/writer.py``) and once through Whoosh's ``SegmentWriter`` with the
same codec, and compared: every file of the segment, every field's terms and postings
(documents, weights, values, positions), field lengths, and what a search answers.
"""

from __future__ import annotations

import re
import string
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bench.corpus import scaled_briefing
from bench.queries import QUERIES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh.analysis import KeywordAnalyzer, RegexTokenizer, StemmingAnalyzer
from whoosh.analysis.filters import LowercaseFilter, StopFilter
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from briefreader.core.model import Briefing, Section
from briefreader.core.search import engine, writer
from briefreader.core.search import index as index_module
from briefreader.core.search.searcher import SearchIndex


def _whoosh_writer(ix: whoosh_index.Index, *, compound: bool) -> Any:
    """Whoosh's own writer with the codec the app writes with: the reference."""
    return ix.writer(limitmb=32, codec=W3Codec(compression=0), compound=compound)


def _build(
    folder: Path,
    sections: tuple[Section, ...],
    make: Callable[..., Any],
    schema: Schema | None = None,
    fill: Callable[[Any], None] | None = None,
) -> whoosh_index.Index:
    folder.mkdir()
    ix = engine.create_index(str(folder), schema or index_module.schema())
    w = make(ix, compound=False)
    if fill is None:
        index_module._add_documents(w, sections, None, None)
    else:
        fill(w)
    w.commit()
    return ix


def _files(folder: Path) -> dict[str, bytes]:
    """The segment's files by what follows the segment's random id; the table of contents
    (which names that id) and Whoosh's empty lock file left out."""
    out = {}
    for path in folder.iterdir():
        if path.suffix == ".toc" or not path.stat().st_size:
            continue
        out[re.sub(r"^MAIN_[0-9a-z]+", "", path.name)] = path.read_bytes()
    return out


def _postings(ix: whoosh_index.Index) -> dict[tuple[str, bytes], list[tuple[int, float, bytes]]]:
    out = {}
    with ix.reader() as reader:
        for fieldname, term in reader.all_terms():
            matcher = reader.postings(fieldname, term)
            found = []
            while matcher.is_active():
                found.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            out[fieldname, term] = found
    return out


def _term_infos(ix: whoosh_index.Index) -> dict[tuple[str, bytes], tuple[Any, ...]]:
    with ix.reader() as reader:
        return {key: _info(reader.term_info(*key)) for key in reader.all_terms()}


def _info(info: Any) -> tuple[Any, ...]:
    return (
        info.weight(),
        info.doc_frequency(),
        info.min_length(),
        info.max_length(),
        info.max_weight(),
        info.min_id(),
        info.max_id(),
    )


def _stored_and_lengths(ix: whoosh_index.Index) -> tuple[list[Any], dict[str, list[int]]]:
    with ix.reader() as reader:
        count = reader.doc_count_all()
        stored = [reader.stored_fields(d) for d in range(count)]
        lengths = {
            name: [reader.doc_field_length(d, name, 0) for d in range(count)]
            for name in ix.schema.names()
        }
    return stored, lengths


def _assert_same(ours: whoosh_index.Index, theirs: whoosh_index.Index) -> None:
    ours_files, theirs_files = (
        _files(Path(ours.storage.folder)),
        _files(Path(theirs.storage.folder)),
    )
    assert sorted(ours_files) == sorted(theirs_files)
    for name, data in ours_files.items():
        assert data == theirs_files[name], f"the segment's {name} differs"
    assert _postings(ours) == _postings(theirs)
    assert _term_infos(ours) == _term_infos(theirs)
    assert _stored_and_lengths(ours) == _stored_and_lengths(theirs)


@pytest.fixture(scope="module")
def ten_times(briefing: Briefing) -> Briefing:
    return scaled_briefing(briefing, 10)


def test_the_bundled_briefing_is_written_as_whoosh_writes_it(
    briefing: Briefing, tmp_path: Path
) -> None:
    ours = _build(tmp_path / "ours", briefing.sections, engine.new_writer)
    theirs = _build(tmp_path / "whoosh", briefing.sections, _whoosh_writer)
    _assert_same(ours, theirs)
    # The comparison has something to compare: every field has terms, phrases positions.
    postings = _postings(ours)
    assert {field for field, _ in postings} == {
        "id",
        "theme",
        "document",
        "title",
        "body",
        "speaker",
        "exact",
    }
    positions = ours.schema["body"].format.decoder("positions")
    child = postings["body", b"child"]
    assert len(child) > 50 and all(positions(value) for _, _, value in child)


def test_ten_times_the_briefing_is_written_as_whoosh_writes_it(
    ten_times: Briefing, tmp_path: Path
) -> None:
    ours = _build(tmp_path / "ours", ten_times.sections, engine.new_writer)
    theirs = _build(tmp_path / "whoosh", ten_times.sections, _whoosh_writer)
    _assert_same(ours, theirs)
    # Long posting lists, several blocks each: "child" is in more than 128 sections.
    assert len(_postings(ours)["body", b"child"]) > 3 * 128


def test_postings_spilled_to_temporary_files_are_merged_back_in_order(
    ten_times: Briefing, tmp_path: Path
) -> None:
    runs: list[int] = []

    def small_buffer(ix: whoosh_index.Index, *, compound: bool) -> writer.FastSegmentWriter:
        return writer.FastSegmentWriter(ix, compound=compound, buffer_bytes=300_000)

    def fill(w: writer.FastSegmentWriter) -> None:
        index_module._add_documents(w, ten_times.sections, None, None)
        runs.append(len(w._postings._runs))

    ours = _build(tmp_path / "ours", ten_times.sections, small_buffer, fill=fill)
    assert runs[0] >= 5  # it did spill, several times
    theirs = _build(tmp_path / "whoosh", ten_times.sections, _whoosh_writer)
    _assert_same(ours, theirs)


def test_searches_answer_the_same_on_both_indexes(
    ten_times: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = SearchIndex(ten_times, tmp_path / "ours")
    ours.open_or_build()
    monkeypatch.setattr(engine, "new_writer", _whoosh_writer)
    theirs = SearchIndex(ten_times, tmp_path / "whoosh")
    theirs.open_or_build()
    ours_searcher, their_searcher = ours.searcher(), theirs.searcher()
    answered = 0
    for q in QUERIES:
        for as_you_type in (False, True):
            mine = ours_searcher.search(q.text, theme=q.theme, as_you_type=as_you_type)
            their = their_searcher.search(q.text, theme=q.theme, as_you_type=as_you_type)
            assert mine == their, q.text
            answered += bool(mine.hits)
    assert answered > len(QUERIES)


# -- analysis ------------------------------------------------------------------------------

# Text that tries the tokenizer and filters' edges: stop words first, one-letter words,
# dots inside words, the wildcard the default expression keeps, case that changes length
# when lowered (İ), Greek final sigma, digits, underscores, accents, other scripts.
_ALPHABET = st.sampled_from(
    [
        *(string.ascii_letters + string.digits + "  ._*-'\n\t,"),
        *["İ", "Σ", "σ", "ς", "é", "É", "ß", "ǅ", "ﬁ", "Ω", "д", "中", "\u0307", "٣"],
    ]
)
_WORDS = st.sampled_from(
    ["the", "a", "of", "to", "is", "A", "The", "child", "children", "ONLINE", "I", "x", "e.g"]
)
_TEXT = st.lists(st.one_of(st.text(_ALPHABET, max_size=12), _WORDS), max_size=40).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_the_fast_analysis_gives_what_whoosh_analyzers_give(text: str) -> None:
    fields = index_module.schema()
    analyser = writer._Analyser()
    for name in ("title", "body", "speaker", "exact"):
        plan = writer._plan(fields[name])
        assert plan is not None, name
        items, length = analyser.analyse(plan, text)
        expected = sorted(fields[name].index(text))
        assert sorted(items) == expected, name
        assert length == sum(freq for _, freq, _, _ in expected)


def test_the_schema_s_text_fields_are_analysed_fast_the_others_by_whoosh() -> None:
    fields = index_module.schema()
    plans = {name: writer._plan(fields[name]) for name in fields.names()}
    assert {name for name, plan in plans.items() if plan is not None} == {
        "title",
        "body",
        "speaker",
        "exact",
    }
    assert plans["exact"] is not None and not plans["exact"].positions
    assert plans["body"] is not None and plans["body"].positions


def test_fields_it_does_not_know_are_analysed_by_whoosh_and_written_the_same(
    tmp_path: Path,
) -> None:
    schema = Schema(
        key=ID(stored=True),
        words=KEYWORD(scorable=True, lowercase=True),
        # Analyzers the fast path does not take: another expression, no renumbering, a
        # keyword analyzer; and a boosted field, a numeric one, a stored-only one.
        other=TEXT(analyzer=RegexTokenizer(r"\w+") | LowercaseFilter()),
        kept=TEXT(analyzer=RegexTokenizer() | LowercaseFilter() | StopFilter(renumber=False)),
        keyword=TEXT(analyzer=KeywordAnalyzer()),
        boosted=TEXT(analyzer=StemmingAnalyzer(), field_boost=1.7),
        number=NUMERIC(stored=True),
        note=STORED,
    )
    documents = [
        {
            "key": f"d{n}",
            "words": "Alpha beta GAMMA" if n % 2 else "beta delta",
            "other": f"the {n} children's online-safety.plan e.g",
            "kept": "the a of children to online",
            "keyword": "one two two",
            "boosted": "regulators regulating regulation " * (n % 3 + 1),
            "number": n,
            "note": {"n": n},
            "_boosted_boost": 1.5 if n % 5 == 0 else 1.0,
        }
        for n in range(300)
    ]

    def fill(w: Any) -> None:
        for document in documents:
            w.add_document(**document)

    def ours_writer(ix: whoosh_index.Index, *, compound: bool) -> writer.FastSegmentWriter:
        w = writer.FastSegmentWriter(ix, compound=compound)
        assert w._plans["other"] is None and w._plans["kept"] is None
        assert w._plans["keyword"] is None and w._plans["boosted"] is not None
        return w

    ours = _build(tmp_path / "ours", (), ours_writer, schema, fill)
    theirs = _build(tmp_path / "whoosh", (), _whoosh_writer, schema, fill)
    _assert_same(ours, theirs)


def test_a_schema_with_term_vectors_is_refused(tmp_path: Path) -> None:
    ix = engine.create_index(str(tmp_path), Schema(text=TEXT(vector=True)))
    with pytest.raises(ValueError, match="term vectors"):
        writer.FastSegmentWriter(ix, compound=False)
    ix.writer().cancel()  # the refused writer let go of the index's lock


def test_a_cancelled_writer_closes_its_temporary_files(ten_times: Briefing, tmp_path: Path) -> None:
    descriptors = Path("/proc/self/fd")
    before = len(list(descriptors.iterdir())) if descriptors.is_dir() else None
    ix = engine.create_index(str(tmp_path), index_module.schema())
    w = writer.FastSegmentWriter(ix, compound=False, buffer_bytes=300_000)
    index_module._add_documents(w, ten_times.sections[:400], None, None)
    assert w._postings._runs  # it spilled
    w.cancel()
    assert not w._postings._runs
    if before is not None:
        assert len(list(descriptors.iterdir())) <= before
    # The index is untouched: no segment, and it can be written again.
    assert engine.open_index(str(tmp_path), index_module.schema()).doc_count_all() == 0


def test_without_a_temporary_folder_postings_stay_in_memory(
    briefing: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_temporary_file(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "TemporaryFile", no_temporary_file)
    made: list[writer.FastSegmentWriter] = []

    def small_buffer(ix: whoosh_index.Index, *, compound: bool) -> writer.FastSegmentWriter:
        made.append(writer.FastSegmentWriter(ix, compound=compound, buffer_bytes=50_000))
        return made[-1]

    ours = _build(tmp_path / "ours", briefing.sections, small_buffer)
    assert made and not made[0]._postings._runs
    theirs = _build(tmp_path / "whoosh", briefing.sections, _whoosh_writer)
    _assert_same(ours, theirs)


def test_it_refuses_to_merge_an_existing_segment_rather_than_drop_its_postings(
    briefing: Briefing, tmp_path: Path
) -> None:
    ix = engine.create_index(str(tmp_path), index_module.schema())
    index_module.write_documents(ix, briefing.sections[:5], None)
    w = engine.new_writer(ix, compound=False)
    w.add_document(id="x", theme="t", document="d", title="t", body="b", speaker="", exact="e")
    with pytest.raises(ValueError, match="new index only"):
        w.commit(optimize=True)  # merge the segment there into the new one
    w.cancel()
    assert engine.open_index(str(tmp_path), index_module.schema()).doc_count_all() == 5
