"""The in-memory BM25F engine: the only module that reaches into Whoosh's internals.

Whoosh answers a query by walking a tree of matchers in Python, a posting at a time, and
reads each term's postings anew for every query. Here each term's postings are read once per
searcher into a dict of BM25F scores (a term's score in a document does not depend on the
query), and the query's ANDs, ORs and NOTs become dict and set operations, most of them in C.

What this relies on, and nothing else in BriefReader may: the codec the index is written
with (uncompressed posting blocks, read a block at a time), the per-document length column
of each field (one byte a document), Whoosh's BM25F statistics and formula, the leaf
matcher's block reading, and the in-memory storage. Everything outside this module uses
Whoosh's public modules only (tests/core/test_architecture.py).

An index may have several segments (one per build worker, in section order): each term's
postings are read segment by segment, each segment's document numbers shifted by the
documents before it, as Whoosh's MultiReader numbers them; the statistics (idf, average
field length) are the whole index's, so the scores are those of one segment of the same
documents (tests/core/search/test_segments.py).
"""

from __future__ import annotations

import heapq
import shutil
import tempfile
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import suppress
from itertools import accumulate
from math import log
from pathlib import Path

from whoosh import index, query
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.filedb.structfile import BufferFile, StructFile
from whoosh.reading import IndexReader, SegmentReader, TermInfo, TermNotFound
from whoosh.scoring import BM25F
from whoosh.searching import Searcher as WhooshSearcher
from whoosh.util.numeric import byte_to_length
from whoosh.writing import IndexWriter

from briefreader.core.search import unpickling, writer
from briefreader.core.search.parsing import has_positive

unpickling.install()  # every pickle Whoosh reads goes through the allow-list (see there)

__all__ = ["CACHED_POSTINGS", "Engine", "IndexWriter", "Scores", "WhooshSearcher"]

Scores = Mapping[int, float]  # document number → score, for every document that matches

# Postings kept in memory per Whoosh searcher as dicts of scores, at most: about 100 bytes
# each, so up to about 150 MB, which only an index of several hundred times the briefing
# reaches (the bundled briefing has 12,117 postings in all; at 1000× a common word has
# 60,000 a field). The words used least recently make room for new ones, and are kept
# packed (PACKED_POSTINGS, 12 bytes a posting, about 36 MB): unpacking one is a dict built
# in C, where reading it again is a pickle per block of 128 postings and a bytes object per
# posting. Until issue 15 the cache held 500,000 and was emptied when it would pass that:
# at 1000× typing "how many reports of child sexual abuse material" keeps about 1.4
# million, so every keystroke read them all again (typing p95 at 1000×: 756 ms); with
# 500,000 and packing, its last keystrokes took 60-430 ms, with 1.5 million 40-170 ms.
CACHED_POSTINGS = 1_500_000
PACKED_POSTINGS = 3_000_000
# The word being typed matches as a prefix of at most this many words: the most used ones
# (most documents). At 1000× "chi" starts 1,273 words, most of them in a passage or two,
# and reading each word's postings costs about a third of a millisecond however few it has.
# The bundled briefing's most common three letters start 35 words ("con"), so this changes
# nothing there; when it does, the result says so (Engine.capped), and a * typed at the end
# of the word searches them all.
TYPING_PREFIX_WORDS = 64
# Words one edit away ("did you mean", fuzzy terms) are looked up among the field's words
# held in memory in an index of up to this many documents (the bundled briefing's exact
# field has about 4,000 words); a larger one walks Whoosh's automaton, as before.
VOCABULARY_MAX_DOCUMENTS = 20_000

# What is kept: (field, word); (field, (word, …)) of a phrase; and combinations of them (an
# OR of words, a quoted phrase's check: see _or and ExactEngine).
Key = tuple[str, bytes | tuple[bytes, ...]]


class Engine:
    """Runs a parsed Whoosh query over postings read once per searcher and kept in memory.

    The scores are Whoosh's own, computed with its BM25F formula and statistics, so the
    ranking is the one Whoosh gives (tests/core/search/test_engine.py compares the two over
    every kind of query). Two differences: Whoosh adds 1 for each NOT a document is matched
    through (its inverse matcher scores 1), which this does not; and Whoosh's AndNot matcher
    keeps the first document of ``a ANDNOT b`` when ``b`` has it ("accept -can" listed a
    passage with "can"), which this excludes. A node this does not know is handed to
    Whoosh's matcher.
    """

    def __init__(self, ix: index.Index) -> None:
        self.searcher: WhooshSearcher = ix.searcher(weighting=BM25F())
        self.reader: IndexReader = self.searcher.reader()
        # Each segment's reader and the number of its first document in the whole index.
        self._leaves: list[tuple[SegmentReader, int]] = []
        for leaf, offset in self.reader.leaf_readers():
            if isinstance(leaf, SegmentReader):
                self._leaves.append((leaf, offset))
            elif leaf.doc_count_all():  # an empty index's reader has no segment
                self.searcher.close()
                raise ValueError(f"the index has a part this engine cannot read: {leaf!r}")
        self.doc_count = self.searcher.doc_count_all()
        # (field, word) or (field, (word, word, …)) of a phrase → its scores, read once;
        # least recently used first. Pushed out of it, packed: (docnums, scores).
        self._terms: OrderedDict[Key, dict[int, float]] = OrderedDict()
        self._cached = 0
        self._packed: OrderedDict[Key, tuple[array[int], array[float]]] = OrderedDict()
        self._packed_count = 0
        # (segment, field) → each document's length byte; field → BM25's length term
        # K1 * ((1 - B) + B * length / average) for each of the 256 lengths a byte stands for.
        self._norms: dict[tuple[int, str], tuple[bytes, list[float]]] = {}
        self._tables: dict[str, list[float]] = {}
        self._section_ids: dict[int, str] = {}
        self._vocabularies: dict[str, tuple[frozenset[str], str]] = {}
        # Set for each query: the word being typed, whose prefix reads only the most used
        # TYPING_PREFIX_WORDS words; and, after it, (prefix, words read, words there are).
        self.typing_prefix: bytes | None = None
        self.capped: tuple[str, int, int] | None = None

    def section_id(self, docnum: int) -> str:
        found = self._section_ids.get(docnum)
        if found is None:
            found = self._section_ids[docnum] = self.reader.stored_fields(docnum)["id"]
        return found

    def scores(self, q: query.Query) -> Scores:
        """Every document the query matches, with the score Whoosh would give it."""
        if q is query.NullQuery:
            return {}
        found: Scores
        if isinstance(q, query.Term):
            found = self.term(q.fieldname, self._bytes(q.fieldname, q.text))
        elif isinstance(q, query.Prefix | query.FuzzyTerm):
            found = self._expansions(q)
        elif isinstance(q, query.Phrase) and self._can_match(q):
            found = self._phrase(q)
        elif isinstance(q, query.Or) and _plain_or(q):
            found = self._or(q)
        elif isinstance(q, query.And) and has_positive(q):
            wanted = [c for c in q.subqueries if not isinstance(c, query.Not)]
            unwanted = [c.query for c in q.subqueries if isinstance(c, query.Not)]
            found = _intersection([self.scores(c) for c in wanted], self._docs(unwanted))
        elif isinstance(q, query.AndNot):
            found = _intersection([self.scores(q.a)], self._docs([q.b]))
        elif isinstance(q, query.AndMaybe):
            a, b = self.scores(q.a), self.scores(q.b)
            found = {d: s + b.get(d, 0.0) for d, s in a.items()}
        elif isinstance(q, query.Require):
            a, b = self.scores(q.a), self.scores(q.b)
            found = {d: s for d, s in a.items() if d in b}
        else:
            return self._by_whoosh(q)  # its matcher applies the query's boost itself
        return _boosted(found, q.boost)

    def _or(self, q: query.Or) -> Scores:
        """An OR of words or phrases, kept like a word: a typed word is such an OR of its
        fields (title, body, speaker, exact), and at 1000× adding up a common word's four
        fields (60,000 documents each) took 15-20 ms on every keystroke after it."""
        simple = all(type(c) in (query.Term, query.Phrase) for c in q.subqueries)
        if not simple or not self._may_keep_combined():
            return _union([self.scores(child) for child in q.subqueries])
        key = ("or", repr(q).encode("utf-8"))
        found = self._kept(key)
        if found is None:
            union = _union([self.scores(child) for child in q.subqueries])
            found = union if isinstance(union, dict) else dict(union)
            self._keep(key, found)
        return found

    def _may_keep_combined(self) -> bool:
        """Whether a combination of words' scores may be kept for later queries."""
        return True

    def _docs(self, queries: list[query.Query]) -> set[int]:
        found: set[int] = set()
        for q in queries:
            found.update(self.scores(q))
        return found

    def _bytes(self, fieldname: str, text: str | bytes) -> bytes:
        if isinstance(text, bytes):
            return text
        field = self.searcher.schema[fieldname]
        return field.to_bytes(text)  # type: ignore[no-any-return]

    def term(self, fieldname: str, text: bytes) -> dict[int, float]:
        """The term's BM25F score in each document that has it, read once."""
        key = (fieldname, text)
        found = self._kept(key)
        if found is None:
            found = self._scored(fieldname, text, self._infos(fieldname, text))
            self._keep(key, found)
        return found

    def _infos(self, fieldname: str, text: bytes) -> list[tuple[int, TermInfo]]:
        """(segment, the term's information there) for each segment that has the term.

        Looked up once: Whoosh looks a term up in the term table again to say whether it
        is there, to give its document frequency and to read its postings, and at 100× a
        three-letter prefix's hundreds of words spent a third of their time doing so.
        """
        found = []
        for number, (leaf, _) in enumerate(self._leaves):
            with suppress(TermNotFound):
                found.append((number, leaf._terms.term_info(fieldname, text)))
        return found

    def _scored(
        self,
        fieldname: str,
        text: bytes,
        infos: list[tuple[int, TermInfo]],
        values: dict[int, bytes] | None = None,
    ) -> dict[int, float]:
        """The term's scores; and, given ``values``, each posting's encoded value put in it."""
        found: dict[int, float] = {}
        if not infos:
            return found
        # BM25FScorer's sums, from the same statistics (whoosh/scoring.py), which are the
        # whole index's whatever its segments: the idf (WeightingModel.idf) from the
        # document frequency summed over the segments, the average length (in
        # _segment_norms) from the summed field length.
        frequency = sum(info.doc_frequency() for _, info in infos)
        idf = log(self.doc_count / (frequency + 1)) + 1
        k1_plus_1 = self.searcher.weighting.K1 + 1
        for number, info in infos:
            leaf, offset = self._leaves[number]
            lengths, norm = self._segment_norms(number, fieldname)
            for ids, weights, encoded in _blocks(leaf, fieldname, text, info, values is not None):
                # whoosh.scoring.bm25, idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) +
                # B * fl / avgfl))), with its length term worked out once per length:
                # the same operations in the same order, so the same floats.
                scores = [
                    idf * ((tf * k1_plus_1) / (tf + norm[lengths[d]]))
                    for d, tf in zip(ids, weights, strict=True)
                ]
                docs = [d + offset for d in ids] if offset else ids
                found.update(zip(docs, scores, strict=True))
                if values is not None:
                    values.update(zip(docs, encoded, strict=True))
        return found

    def doc_ids(self, fieldname: str, text: str | bytes) -> list[int]:
        """The documents that have the term, ascending, without scoring them (not kept)."""
        text = self._bytes(fieldname, text)
        out: list[int] = []
        for number, info in self._infos(fieldname, text):
            leaf, offset = self._leaves[number]
            for ids, _, _ in _blocks(leaf, fieldname, text, info):
                out.extend([d + offset for d in ids] if offset else ids)
        return out

    def _kept(self, key: Key) -> dict[int, float] | None:
        """The scores read before for ``key``, if still kept (packed or not)."""
        found = self._terms.get(key)
        if found is not None:
            self._terms.move_to_end(key)
            return found
        packed = self._packed.pop(key, None)
        if packed is None:
            return None
        self._packed_count -= len(packed[0])
        found = dict(zip(*packed, strict=True))
        self._keep(key, found)
        return found

    def _keep(self, key: Key, found: dict[int, float]) -> None:
        self._terms[key] = found
        self._cached += len(found)
        while self._cached > CACHED_POSTINGS and len(self._terms) > 1:
            old, scores = self._terms.popitem(last=False)
            self._cached -= len(scores)
            if len(scores) <= PACKED_POSTINGS:
                self._packed[old] = (array("I", scores), array("d", scores.values()))
                self._packed_count += len(scores)
        while self._packed_count > PACKED_POSTINGS:
            _, (docs, _) = self._packed.popitem(last=False)
            self._packed_count -= len(docs)

    def _segment_norms(self, number: int, fieldname: str) -> tuple[bytes, list[float]]:
        """A segment's field lengths, and BM25's length term for each length, read once.

        The length of every document is read at once from the field's length column (a
        byte each, 92 KB at 1000×): Whoosh reads it from the index file a document at a
        time, which was a third of a first search at 100×. A length is stored as one of
        256 rounded values (its byte), so the length term is worked out once per value.
        """
        found = self._norms.get((number, fieldname))
        if found is None:
            table = self._tables.get(fieldname)
            if table is None:
                weighting = self.searcher.weighting
                average = self.searcher.avg_field_length(fieldname) or 1
                b = weighting._field_B.get(fieldname, weighting.B)
                k1 = weighting.K1
                # A document without a length (none stored) counts as 1, as it did before.
                table = [
                    k1 * ((1 - b) + b * (byte_to_length(n) or 1) / average) for n in range(256)
                ]
                table[0] = k1 * ((1 - b) + b * 1 / average)
                self._tables[fieldname] = table
            lengths = _length_bytes(self._leaves[number][0], fieldname)
            found = self._norms[(number, fieldname)] = (lengths, table)
        return found

    def _expansions(self, q: query.Prefix | query.FuzzyTerm) -> Scores:
        """A prefix or fuzzy term: the OR of the words it stands for, as Whoosh scores it.

        A passage with "regulation", "regulators" and "regulatory" ranks above one with
        only one of them for ``regulat*``.
        """
        if not isinstance(q, query.Prefix):
            words = q.expanded_terms(self)  # through terms_within, below
            return _union([self.term(field, self._bytes(field, text)) for field, text in words])
        return _union(self._prefix_terms(q.fieldname, self._bytes(q.fieldname, q.text)))

    def terms_within(self, fieldname: str, text: str, maxdist: int, prefix: int = 0) -> list[str]:
        """The words of a field within ``maxdist`` edits of ``text`` (Whoosh's look-up).

        One edit away, in an index of up to VOCABULARY_MAX_DOCUMENTS documents: every
        string one edit from ``text`` (Norvig's corrector), looked up in the field's words
        held in memory. Otherwise each segment's automaton, merged: Whoosh's reader of
        several segments compares the word with every word that shares its first letters,
        where a segment's reader walks an automaton (4 segments at 100×: "legislaton~"
        8 → 52 ms, "sextorsion" 10 → 73 ms). Either way the same words, in the term
        table's order (tests/core/search/test_engine.py).
        """
        vocabulary = self.vocabulary(fieldname) if maxdist == 1 else None
        if vocabulary is not None and len(text) >= prefix:
            words, alphabet = vocabulary
            head = text[:prefix]
            return sorted(
                {head + tail for tail in _one_edit(text[prefix:], alphabet)}.intersection(words)
            )
        if len(self._leaves) == 1:
            return list(self._leaves[0][0].terms_within(fieldname, text, maxdist, prefix))
        found: set[str] = set()
        for leaf, _ in self._leaves:
            found.update(leaf.terms_within(fieldname, text, maxdist, prefix))
        return sorted(found)  # the term table's order, as one segment gives them

    def vocabulary(self, fieldname: str) -> tuple[frozenset[str], str] | None:
        """A field's words, and every letter they use; read once, for a small index only
        (about 2 ms at 1×: the words only, their frequencies are looked up when suggested).

        At 1× a misspelt word's "did you mean" walked the automaton one edit away, then two:
        most of the slowest bench queries' time ("sextorsion", "legislaton").
        """
        if self.doc_count > VOCABULARY_MAX_DOCUMENTS:
            return None
        found = self._vocabularies.get(fieldname)
        if found is None:
            words = frozenset(text.decode("utf-8") for text in self.reader.lexicon(fieldname))
            found = self._vocabularies[fieldname] = (words, "".join(set("".join(words))))
        return found

    def suggest(
        self, fieldname: str, text: str, *, limit: int, maxdist: int, prefix: int
    ) -> list[str]:
        """Whoosh's ``Searcher.suggest`` (its ReaderCorrector), over every segment's words:
        the closest first, then the most frequent."""
        vocabulary = self.vocabulary(fieldname) if maxdist == 1 else None
        if vocabulary is None and len(self._leaves) == 1:
            return self.searcher.suggest(  # type: ignore[no-any-return]
                fieldname, text, limit=limit, maxdist=maxdist, prefix=prefix
            )
        frequency = self.reader.frequency
        scored = [
            (0 - (maxdist + (1.0 / (frequency(fieldname, word) or 1) * 0.5)), word)
            for word in self.terms_within(fieldname, text, maxdist, prefix)
        ]
        best = heapq.nlargest(limit, scored)
        return [word for _, word in sorted(best, key=lambda x: (0 - x[0], x[1]))]

    def _prefix_terms(self, fieldname: str, prefix: bytes) -> list[dict[int, float]]:
        """Each word starting with ``prefix``, scored, in the term table's order (Whoosh's
        ``expand_prefix``). The words and their information come from one scan of each
        segment's term table, rather than a look-up per word."""
        infos: dict[bytes, list[tuple[int, TermInfo]]] = {}
        for number, (leaf, _) in enumerate(self._leaves):
            for (field, text), info in leaf._terms.items_from(fieldname, prefix):
                if field != fieldname or not text.startswith(prefix):
                    break
                infos.setdefault(text, []).append((number, info))
        words = sorted(infos)  # the order Whoosh adds them in, across segments too
        if prefix == self.typing_prefix and len(words) > TYPING_PREFIX_WORDS:
            used = sorted(words, key=lambda w: -sum(i.doc_frequency() for _, i in infos[w]))
            kept = set(used[:TYPING_PREFIX_WORDS])
            self.capped = (prefix.decode("utf-8"), len(kept), len(words))
            words = [w for w in words if w in kept]
        out = []
        for text in words:
            key = (fieldname, text)
            found = self._kept(key)
            if found is None:
                found = self._scored(fieldname, text, infos[text])
                self._keep(key, found)
            out.append(found)
        return out

    def _can_match(self, q: query.Phrase) -> bool:
        field = self.searcher.schema[q.fieldname]
        return q.slop == 1 and bool(field.format) and field.format.supports("positions")

    def _phrase(self, q: query.Phrase) -> Scores:
        """The documents with the words next to each other, scored as Whoosh's SpanNear2:
        the sum of the words' scores there.

        Kept like a term's: decoding word positions was most of a phrase's cost at 100×
        ("child sexual abuse material" was the slowest query there, and the synonyms of CSAM
        bring in that phrase whenever one of them is typed).
        """
        words = [self._bytes(q.fieldname, word) for word in q.words]
        key = (q.fieldname, tuple(words))
        cached = self._kept(key)
        if cached is not None:
            return cached
        # A word read now keeps its postings' encoded positions for the phrase, rather than
        # reading its blocks twice (a pickle each): half the cost of a phrase at 100×.
        each = []
        encoded: list[dict[int, bytes] | None] = []
        for word in words:
            scores = self._kept((q.fieldname, word))
            values: dict[int, bytes] | None = None
            if scores is None:
                values = {}
                scores = self._scored(q.fieldname, word, self._infos(q.fieldname, word), values)
                self._keep((q.fieldname, word), scores)
            each.append(scores)
            encoded.append(values)
        if not all(each):
            return {}
        candidates = sorted(_intersection(each, set()))
        decode = self.searcher.schema[q.fieldname].format.decoder("positions")
        places = [
            positions(self.reader, q.fieldname, word, candidates)
            if values is None
            else {d: frozenset(decode(values[d])) for d in candidates}
            for word, values in zip(words, encoded, strict=True)
        ]
        found = {}
        for docnum in candidates:
            first, *rest = (where[docnum] for where in places)
            if any(all(p + n in later for n, later in enumerate(rest, 1)) for p in first):
                found[docnum] = sum(scores[docnum] for scores in each)
        self._keep(key, found)
        return found

    def _by_whoosh(self, q: query.Query) -> Scores:
        matcher = q.matcher(self.searcher)
        found = {}
        while matcher.is_active():
            found[matcher.id()] = matcher.score()
            matcher.next()
        return found


def _boosted(scores: Scores, boost: float) -> Scores:
    return scores if boost == 1 else {d: s * boost for d, s in scores.items()}


def _plain_or(q: query.Or) -> bool:
    """An OR that only adds its children's scores (no NOT in it, no scaling, no minimum)."""
    return (
        q.scale is None
        and not q.minmatch
        and not any(isinstance(c, query.Not) for c in q.subqueries)
    )


def _union(children: Sequence[Scores]) -> Scores:
    """An OR: each document's scores added, as Whoosh's union matchers add them."""
    children = [c for c in children if c]
    if len(children) <= 1:
        return children[0] if children else {}
    # Start from the biggest, by position: the same term can come twice (``word OR word*``).
    first = max(range(len(children)), key=lambda n: len(children[n]))
    out = dict(children[first])
    get = out.get
    for number, child in enumerate(children):
        if number != first:
            for docnum, score in child.items():
                out[docnum] = get(docnum, 0.0) + score
    return out


def _intersection(children: Sequence[Scores], unwanted: set[int]) -> dict[int, float]:
    """An AND: the documents every child matches, less the unwanted, scores added."""
    children = sorted(children, key=len)
    docs = set(children[0]).intersection(*children[1:]) if children else set()
    docs -= unwanted
    if len(children) == 1:
        only = children[0]
        return {d: only[d] for d in docs}
    return {d: sum(c[d] for c in children) for d in docs}


def positions(
    reader: IndexReader, fieldname: str, text: bytes, docs: list[int]
) -> dict[int, frozenset[int]]:
    """A term's word positions in each of ``docs`` (ascending), decoded for those only.

    ``reader`` is the whole index's (one segment or several): each segment's blocks are
    read for the documents in its range. Read a block at a time: skipping to each document
    through the matcher was about half the time of a phrase at 100×.
    """
    found: dict[int, frozenset[int]] = {}
    start = 0
    for leaf, offset in reader.leaf_readers():
        end = offset + leaf.doc_count_all()
        # docs is ascending: the part of it in this segment is a slice.
        stop = bisect_left(docs, end, start)
        if stop > start and (fieldname, text) in leaf:
            local = [d - offset for d in docs[start:stop]]
            for docnum, places in _leaf_positions(leaf, fieldname, text, local).items():
                found[docnum + offset] = places
        start = stop
    return found


def _leaf_positions(
    leaf: IndexReader, fieldname: str, text: bytes, docs: list[int]
) -> dict[int, frozenset[int]]:
    matcher = leaf.postings(fieldname, text)
    found: dict[int, frozenset[int]] = {}
    decode = matcher.format.decoder("positions")
    wanted = set(docs)
    if type(matcher) is not W3LeafMatcher:  # not new_writer's blocks: Whoosh's own way
        while matcher.is_active():
            if matcher.id() in wanted:
                found[matcher.id()] = frozenset(decode(matcher.value()))
            matcher.next()
        return found
    lowest = docs[0] if docs else 0
    while matcher.is_active() and len(found) < len(docs):
        if matcher.block_max_id() >= lowest:
            matcher._read_ids()
            ids = matcher._ids
            places = [n for n, docnum in enumerate(ids) if docnum in wanted]
            if places:
                matcher._read_values()
                values = matcher._values
                for n in places:
                    found[ids[n]] = frozenset(decode(values[n]))
        matcher._next_block()
    return found


def _blocks(
    leaf: IndexReader, fieldname: str, text: bytes, info: TermInfo, values: bool = False
) -> Iterator[tuple[Sequence[int], Sequence[float], Sequence[bytes]]]:
    """A term's postings in one segment, a block at a time: (document numbers, weights, and
    with ``values`` the encoded values, else nothing).

    Each block's ids are delta-encoded: summed here in C (``accumulate``), where the leaf
    matcher does it a posting at a time in a Python generator, and walks to each posting
    through three method calls.
    """
    if leaf.has_deletions():
        matcher = leaf.postings(fieldname, text)  # deleted documents filtered out
    else:
        postings = leaf._terms._postfile
        matcher = leaf._codec.postings_reader(postings, info, leaf.schema[fieldname].format)
    if type(matcher) is not W3LeafMatcher or matcher._byteids:
        # Not a block of new_writer's codec (inlined postings, deletions): Whoosh's own way.
        ids, weights, encoded = [], [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            if values:
                encoded.append(matcher.value())
            matcher.next()
        yield ids, weights, encoded
        return
    none: Sequence[bytes] = ()
    while matcher.is_active():
        if values:
            matcher._read_values()  # reads the block's data, and unpacks a fixed-size value
        else:
            matcher._read_data()
        deltas, weights, _ = matcher._data
        if weights is None or isinstance(weights, float):
            weights = [1.0 if weights is None else weights] * len(deltas)
        yield list(accumulate(deltas)), weights, matcher._values if values else none
        matcher._next_block()


def _one_edit(word: str, alphabet: str) -> set[str]:
    """Every string one deletion, insertion or substitution from ``word`` (Levenshtein
    distance, as Whoosh's automaton; no transpositions), and ``word`` itself, using only the
    letters in ``alphabet`` (a string with any other letter is no word of the field)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found = {word}
    found.update(a + b[1:] for a, b in splits if b)
    found.update(a + c + b[1:] for a, b in splits if b for c in alphabet)
    found.update(a + c + b for a, b in splits for c in alphabet)
    return found


def _length_bytes(leaf: IndexReader, fieldname: str) -> bytes:
    """Each document's length in a field as Whoosh stores it: one byte each (0: none)."""
    count = leaf.doc_count_all()
    column = leaf._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return bytes(count)
    # A fixed-size column: a byte per document up to the last one with a length.
    stored = min(column._count, count)
    data = bytes(column._dbfile.get(column._basepos, stored)) if stored else b""
    return data + bytes(count - len(data))


def new_writer(ix: index.Index, *, compound: bool) -> IndexWriter:
    """A writer in the format this engine reads: ``writer.FastSegmentWriter``.

    It writes, byte for byte, what Whoosh's own writer writes with this codec (one
    segment, uncompressed posting blocks), at about half its cost or less, and in bounded
    memory (see core/search/writer.py). Uncompressed posting blocks: zlib was about a fifth
    of the build and 5% of a search, to save a little disk. One compound file for a small
    index only: Whoosh copies each part of a compound file into memory when it opens it,
    which is slightly faster to search but holds the whole index in memory, which at 100×
    and more is too much. Figures in bench/README.md.
    """
    return writer.FastSegmentWriter(ix, compound=compound)


def join_segments(folder: str, parts: Sequence[str], schema: Schema) -> int:
    """Make ``folder`` (empty) one index of the segments in the ``parts`` folders, in order.

    Each part is an index of one segment, written by a worker process (index.py). Their
    files are moved, not copied, and one table of contents lists the segments in the order
    of ``parts``: Whoosh numbers a document by its segment's place in that list plus its
    number in the segment, so documents stay numbered in the order of the sections. Returns
    the number of documents.
    """
    segments = []
    for part in parts:
        storage = FileStorage(part, supports_mmap=False, readonly=True)
        found = index.TOC.read(storage, index._DEF_INDEX_NAME, schema=schema).segments
        if len(found) != 1:
            raise ValueError(f"the index part {part} has {len(found)} segments, not one")
        segment = found[0]
        prefix = segment.make_filename("")
        for name in sorted(storage.list()):
            if name.startswith(f"{prefix}."):
                if Path(folder, name).exists():
                    raise FileExistsError(f"two index parts wrote {name}")
                Path(part, name).rename(Path(folder, name))
        segments.append(segment)
    storage = FileStorage(folder, supports_mmap=False)
    index.TOC(schema, segments, 1).write(storage, index._DEF_INDEX_NAME)
    return sum(segment.doc_count_all() for segment in segments)


class _ReadStorage(FileStorage):  # type: ignore[misc]
    """An index folder read without memory-mapping, its compound file read whole.

    Whoosh memory-maps a compound index file (one file for a small index): if that file is
    then truncated (another process, a full disk, a pulled stick), touching the missing
    pages kills the process with SIGBUS, which no ``except`` can catch. Here it is read into
    memory at once and its file closed (Whoosh copies each part of it into memory when it
    opens it anyway, and it exists only for an index of up to 2,000 sections, about 10 MB):
    damage is then an exception, and a rebuild (tests/core/search/test_damage.py). Larger
    indexes are separate files, which Whoosh reads through ordinary file objects.
    """

    def _fpath(self, fname: str) -> str:
        # File names come from the index's own table of contents (a segment's id): a name
        # with a path in it would read a file outside the index folder.
        if fname != Path(fname).name or fname in ("", ".", ".."):
            raise ValueError(f"the index names a file outside its folder: {fname!r}")
        return super()._fpath(fname)  # type: ignore[no-any-return]

    def open_file(self, name: str, **kwargs: object) -> StructFile:
        if name.endswith((".seg", ".toc")):
            return BufferFile(Path(self._fpath(name)).read_bytes(), name=name)
        return super().open_file(name, **kwargs)


def open_index(folder: str, schema: Schema) -> index.Index:
    """Open the index in ``folder``, read-only and without memory-mapping (see _ReadStorage).

    Opened with the app's own schema, so that Whoosh does not unpickle the one stored in
    the table of contents (see ``unpickling``).
    """
    storage = _ReadStorage(folder, supports_mmap=False, readonly=True)
    return storage.open_index(schema=schema)


def create_index(folder: str, schema: Schema) -> index.Index:
    """A new, empty index in ``folder`` (which must exist), without memory-mapping."""
    return FileStorage(folder, supports_mmap=False).create_index(schema)


class _PrivateTempStorage(RamStorage):  # type: ignore[misc]
    """RAM storage whose writers' scratch files go to a private temporary folder each.

    Whoosh's RamStorage puts a writer's scratch files (postings sorted through files when
    its buffer fills, stored-field columns) in a *fixed* folder, ``$TMPDIR/MAIN.tmp``,
    shared by every process and user on the machine, and empties it afterwards: a symlink
    planted there by another user had the writer write into, and then delete, whatever
    folder it pointed to, and two in-memory builds at once removed each other's files. Each
    writer here gets its own ``tempfile.mkdtemp()`` folder (created new, readable by us
    only), removed when the build is over (``memory_index``). (RAM storage does not work
    for them: Whoosh writes its sorting runs through raw files that RAM storage never keeps.)
    """

    def __init__(self) -> None:
        super().__init__()
        self.scratch: list[str] = []

    def temp_storage(self, name: str | None = None) -> FileStorage | RamStorage:
        try:
            folder = tempfile.mkdtemp(prefix="briefreader-index-")
        except OSError:
            # No writable temporary folder either: RAM serves for the writer's columns, and
            # the writer, unable to make a temporary file, keeps all postings in memory
            # (core/search/writer.py), which for a briefing is a few MB.
            return RamStorage()
        self.scratch.append(folder)
        return FileStorage(folder, supports_mmap=False).create()


def memory_index(schema: Schema, fill: Callable[[index.Index], None]) -> index.Index:
    """An index kept in memory, for a session whose cache folder cannot be written.

    ``fill`` writes its documents; the writers' scratch folders are removed after it.
    """
    storage = _PrivateTempStorage()
    try:
        ix = storage.create_index(schema)
        fill(ix)
    finally:
        for folder in storage.scratch:
            shutil.rmtree(folder, ignore_errors=True)
    return ix
