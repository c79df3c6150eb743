"""The index writer: one segment in Whoosh's own format, written at a fraction of the cost.

What it writes is byte for byte what Whoosh's ``SegmentWriter`` writes with the same codec
(tests/core/search/test_writer.py builds indexes both ways and compares every file, and
the search results): the engine reads it with Whoosh's reader and reads its posting blocks
directly. What differs is how it gets there, where Whoosh spent the build's time:

- **Postings gathered per term, compactly.** Whoosh keeps each posting as a tuple of five
  objects (about 250 MB at 100× the briefing), and when its buffer is full it sorts them
  and pickles them one by one into temporary files, which it then unpickles and merges
  (at 100×: 28 s with a 32 MB buffer). Documents arrive in order, so a term's postings
  are already in order: here each term has one ``bytearray`` its postings are appended to
  (document number, weight, encoded value), and only the terms are sorted, at the end.
  When the buffer passes its limit, its terms are written, sorted, to an anonymous
  temporary file in a plain format of our own (no pickle), and merged at the end a term
  at a time.
- **Field lengths kept in memory.** Whoosh reads each posting's document length back
  from the length column it has just written (1.5 s of a 12 s profile at 20×).
- **Blocks written whole.** A term's postings go to Whoosh's own postings writer a block
  (128 postings) at a time, not one call per posting.
- **Analysis without token objects**, for the analyzers the schema uses (a regular
  expression tokenizer, lower-casing, stop words, the Porter stemmer; positions or
  frequencies): the same words, positions, weights and encoded values as Whoosh's analyzer
  chain gives, from ``findall`` and a dictionary of each word's stem, instead of a chain
  of generators passing one token object along. Any other field is analysed by Whoosh.
"""

from __future__ import annotations

import heapq
import struct
import tempfile
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from whoosh import index
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.analysis.filters import LowercaseFilter, StopFilter
from whoosh.analysis.morph import StemFilter
from whoosh.analysis.tokenizers import RegexTokenizer, default_pattern
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import FieldType
from whoosh.formats import Frequency, Positions
from whoosh.lang.porter import stem as porter_stem
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

import pickle
import re

# Postings held in memory before the sorted terms go to a temporary file: with the per-term
# overhead counted, about this many bytes of Python objects.
BUFFER_BYTES = 64 * 1024 * 1024
_TERM_OVERHEAD = 160  # a dict entry, the term's bytes object and its bytearray
_RECORD = struct.Struct("<IdI")  # document number, weight, length of the encoded value
_RUN_HEADER = struct.Struct("<HII")  # field number, term length, postings length
# Whoosh's default token expression, without its capturing group, so that findall gives
# whole matches (the same matches: a group does not change what the expression matches).
_TOKEN_PATTERN = default_pattern.pattern.replace("(\\.?", "(?:\\.?")
_STEM_CACHE = 200_000  # words whose stem is kept; emptied when it would pass this
_STOPPED = "\x00"  # the "stem" of a stop word: no word is that (words are \\w characters)


@dataclass(frozen=True)
class _Plan:
    """How a field whose analyzer this module knows is analysed, mirroring Whoosh's chain."""

    tokens: re.Pattern[str]
    stop: frozenset[str] | None  # None: no stop filter
    minsize: int
    maxsize: int | None
    stem: bool
    ignore: frozenset[str]
    positions: bool  # Positions format, else Frequency
    boost: float  # the format's field boost


def _plan(field: FieldType) -> _Plan | None:
    """The fast analysis for ``field``, or None where Whoosh must analyse it."""
    analyzer = field.analyzer
    fmt = field.format
    if type(fmt) not in (Positions, Frequency) or getattr(fmt, "options", None):
        return None
    if type(analyzer) is not CompositeAnalyzer:
        return None
    items = list(analyzer.items)
    if len(items) < 2 or type(items[0]) is not RegexTokenizer or type(items[1]) is not LowercaseFilter:
        return None
    tokenizer = items[0]
    if tokenizer.gaps or tokenizer.expression.pattern != default_pattern.pattern:
        return None
    if tokenizer.expression.flags != default_pattern.flags:
        return None
    rest = items[2:]
    stop: StopFilter | None = None
    stemmer: StemFilter | None = None
    if rest and type(rest[0]) is StopFilter:
        stop = rest.pop(0)
        if not stop.renumber:
            return None
    if rest and type(rest[0]) is StemFilter:
        stemmer = rest.pop(0)
        if stemmer.stemfn is not porter_stem or stemmer.lang:
            return None
    if rest:
        return None
    return _Plan(
        tokens=re.compile(_TOKEN_PATTERN, default_pattern.flags),
        stop=stop.stops if stop is not None else None,
        minsize=stop.min if stop is not None else 0,
        maxsize=stop.max if stop is not None else None,
        stem=stemmer is not None,
        ignore=stemmer.ignore if stemmer is not None else frozenset(),
        positions=type(fmt) is Positions,
        boost=fmt.field_boost,
    )


class _Analyser:
    """Words → (term bytes, frequency, weight, encoded value), as Whoosh's chain gives them."""

    def __init__(self) -> None:
        self._stems: dict[tuple[int, str], str] = {}  # (plan id, word) → stem, or _STOPPED
        self._single: dict[int, bytes] = {}  # position → the encoded value of one position
        self._freqs: dict[int, bytes] = {}

    def words(self, plan: _Plan, value: str) -> list[str]:
        found = plan.tokens.findall(value)
        # Lower-cased a word at a time, as LowercaseFilter does (lowering the whole text
        # first could change where words split).
        return [word.lower() for word in found]

    def analyse(self, plan: _Plan, value: str) -> tuple[list[tuple[bytes, int, float, bytes]], int]:
        words = self.words(plan, value)
        if plan.stop is not None or plan.stem:
            kept, first = self._kept(plan, words)
        else:
            kept, first = words, 0
        boost = plan.boost
        out: list[tuple[bytes, int, float, bytes]] = []
        if plan.positions:
            places: dict[str, list[int]] = {}
            for position, word in enumerate(kept, first):
                found = places.get(word)
                if found is None:
                    places[word] = [position]
                else:
                    found.append(position)
            single = self._single
            for word, where in places.items():
                if len(where) == 1:
                    value_bytes = single.get(where[0])
                    if value_bytes is None:
                        value_bytes = single[where[0]] = _encode_positions(where)
                else:
                    value_bytes = _encode_positions(where)
                out.append((word.encode("utf-8"), len(where), len(where) * boost, value_bytes))
        else:
            freqs = self._freqs
            for word, count in Counter(kept).items():
                value_bytes = freqs.get(count)
                if value_bytes is None:
                    value_bytes = freqs[count] = pack_uint(count)
                out.append((word.encode("utf-8"), count, count * boost, value_bytes))
        return out, len(kept)

    def _kept(self, plan: _Plan, words: list[str]) -> tuple[list[str], int]:
        """The words a stop and stem filter let through, stemmed, and the first's position."""
        stems = self._stems
        key = id(plan)
        kept: list[str] = []
        first = -1
        for position, word in enumerate(words):
            found = stems.get((key, word))
            if found is None:
                found = self._stem(plan, word)
                if len(stems) >= _STEM_CACHE:
                    stems.clear()
                stems[(key, word)] = found
            if found != _STOPPED:
                if first < 0:
                    first = position
                kept.append(found)
        # StopFilter(renumber=True): the first word kept keeps its position, the others
        # follow it one by one (Whoosh's own rule; without a stop filter none is dropped).
        return kept, max(first, 0)

    @staticmethod
    def _stem(plan: _Plan, word: str) -> str:
        if plan.stop is not None and (
            len(word) < plan.minsize
            or (plan.maxsize is not None and len(word) > plan.maxsize)
            or word in plan.stop
        ):
            return _STOPPED
        if plan.stem and word not in plan.ignore:
            return str(porter_stem(word))
        return word


def _encode_positions(where: list[int]) -> bytes:
    """Whoosh's Positions.encode: the count, then the pickled gaps between positions."""
    deltas = []
    base = 0
    for position in where:
        deltas.append(position - base)
        base = position
    return bytes(pack_uint(len(deltas)) + pickle.dumps(deltas, 2))


class _Postings:
    """Each field's terms' postings, appended in document order, spilled when full.

    A term's postings are one ``bytearray`` of records (document number, weight, the
    encoded value's length, the value). When they pass ``limit`` bytes, every term is
    written, sorted, to an anonymous temporary file (a "run"), and the buffer emptied; at
    the end the runs and what is left are merged a term at a time, the runs' parts of a
    term in the order they were written, which is document order.
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._fields: dict[str, dict[bytes, bytearray]] = {}
        self._size = 0
        self._runs: list[IO[bytes]] = []

    def add(self, fieldname: str, docnum: int, items: list[tuple[bytes, int, float, bytes]]) -> None:
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
        pack = _RECORD.pack
        grown = 0
        for term, _freq, weight, value in items:
            record = pack(docnum, weight, len(value)) + value
            found = terms.get(term)
            if found is None:
                terms[term] = bytearray(record)
                grown += _TERM_OVERHEAD + len(term) + len(record)
            else:
                found += record
                grown += len(record)
        self._size += grown
        if self._size > self._limit:
            self._spill()

    def _spill(self) -> None:
        try:
            run = tempfile.TemporaryFile(prefix="briefreader-postings-")
        except OSError:
            # No temporary folder to write: everything stays in memory (an index built in
            # memory, for a session whose cache cannot be written, is small enough).
            self._limit = 2**62
            return
        self._runs.append(run)
        header = _RUN_HEADER.pack
        write = run.write
        for fieldname in sorted(self._fields):
            name = fieldname.encode("utf-8")
            terms = self._fields[fieldname]
            for term in sorted(terms):
                data = terms[term]
                write(header(len(name), len(term), len(data)))
                write(name)
                write(term)
                write(data)
        run.flush()
        run.seek(0)
        self._fields = {}
        self._size = 0

    def merged(self) -> Iterator[tuple[str, bytes, bytes]]:
        """(field name, term, its postings' records) for every term, sorted as Whoosh sorts."""
        sources = [_read_run(run, number) for number, run in enumerate(self._runs)]
        sources.append(self._in_memory(len(self._runs)))
        if len(sources) == 1:
            for fieldname, term, _, data in sources[0]:
                yield fieldname, term, data
            return
        current: tuple[str, bytes] | None = None
        parts: list[bytes] = []
        for fieldname, term, _, data in heapq.merge(*sources):
            if (fieldname, term) != current:
                if current is not None:
                    yield current[0], current[1], b"".join(parts)
                current = (fieldname, term)
                parts = []
            parts.append(data)
        if current is not None:
            yield current[0], current[1], b"".join(parts)

    def _in_memory(self, number: int) -> Iterator[tuple[str, bytes, int, bytes]]:
        fields = self._fields
        self._fields = {}
        for fieldname in sorted(fields):
            terms = fields.pop(fieldname)
            for term in sorted(terms):
                yield fieldname, term, number, bytes(terms.pop(term))

    def close(self) -> None:
        for run in self._runs:
            run.close()
        self._runs = []
        self._fields = {}


def _read_run(run: IO[bytes], number: int) -> Iterator[tuple[str, bytes, int, bytes]]:
    read = run.read
    size = _RUN_HEADER.size
    unpack = _RUN_HEADER.unpack
    names: dict[bytes, str] = {}
    while True:
        head = read(size)
        if not head:
            return
        if len(head) != size:
            raise OSError("a temporary postings file was cut short")
        name_length, term_length, data_length = unpack(head)
        raw = read(name_length)
        fieldname = names.get(raw)
        if fieldname is None:
            fieldname = names[raw] = raw.decode("utf-8")
        term = read(term_length)
        data = read(data_length)
        if len(term) != term_length or len(data) != data_length:
            raise OSError("a temporary postings file was cut short")
        yield fieldname, term, number, data


def _quantized(length: int) -> int:
    """A field length as Whoosh reads it back: through its one-byte encoding."""
    return int(byte_to_length(length_to_byte(length))) if length else 0


class FastSegmentWriter(SegmentWriter):  # type: ignore[misc]
    """Whoosh's segment writer, its posting pool and per-posting calls replaced (see above).

    Writes one new segment; the schema's fields may not have term vectors or separate
    spelling fields (BriefReader's have neither), which it refuses rather than drops.
    """

    def __init__(self, ix: index.Index, *, compound: bool, buffer_bytes: int = BUFFER_BYTES):
        # Whoosh's own pool is made but never filled: postings go to self._postings.
        super().__init__(ix, codec=W3Codec(compression=0), compound=compound, limitmb=1)
        for name, field in self.schema.items():
            if field.vector or field.separate_spelling():
                self.cancel()
                raise ValueError(f"the writer does not write term vectors or spelling ({name})")
        self._postings = _Postings(buffer_bytes)
        self._plans = {name: _plan(field) for name, field in self.schema.items()}
        self._analyser = _Analyser()
        self._lengths: dict[str, array[int]] = {
            name: array("I") for name, field in self.schema.items() if field.indexed
        }

    def add_document(self, **fields: Any) -> None:
        # Whoosh's SegmentWriter.add_document, step for step, but for how postings are
        # analysed and kept.
        self._check_state()
        perdoc = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        lengths = dict.fromkeys(self._lengths, 0)
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields.get(name)
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, name, docboost)
                    plan = self._plans[name]
                    if plan is not None and isinstance(value, str):
                        items, count = self._analyser.analyse(plan, value)
                    else:
                        items = list(field.index(value))
                        count = sum(item[1] for item in items)
                    if boost != 1.0:
                        items = [(t, f, w * boost, v) for t, f, w, v in items]
                    if field.scorable:
                        length = count
                    self._postings.add(name, docnum, items)
                    lengths[name] = length
                custom = fields.get(f"_stored_{name}", value)
                perdoc.add_field(name, field, custom if field.stored else None, length)
                column = field.column_type
                if column and custom is not None:
                    perdoc.add_column_value(name, column, field.to_column_value(custom))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        for name, length in lengths.items():
            self._lengths[name].append(_quantized(length))
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        writer = self.fieldwriter
        current = None
        lengths: array[int] | None = None
        for fieldname, term, data in self._postings.merged():
            if fieldname != current:
                if current is not None:
                    writer.finish_field()
                writer.start_field(fieldname, self.schema[fieldname])
                current = fieldname
                lengths = self._lengths.get(fieldname)
            writer.start_term(term)
            _write_term(writer._postwriter, data, lengths)
            writer.finish_term()
        if current is not None:
            writer.finish_field()
        self.fieldwriter.close()

    def _close_segment(self) -> None:
        self._postings.close()
        super()._close_segment()

    def cancel(self) -> None:
        postings = getattr(self, "_postings", None)
        if postings is not None:
            postings.close()
        super().cancel()


def _write_term(postwriter: Any, data: bytes, lengths: array[int] | None) -> None:
    """A term's postings through Whoosh's postings writer, a block at a time.

    Fills the writer's block buffer as ``add_posting`` would after each of the block's
    postings (ids, weights, non-empty values, the highest weight, the shortest and longest
    non-zero field length), and writes every full block but the last, which
    ``finish_postings`` writes, as it does after ``add_posting``.
    """
    ids = array("I")
    weights: list[float] = []
    values: list[bytes] = []
    unpack = _RECORD.unpack_from
    size = _RECORD.size
    offset = 0
    end = len(data)
    while offset < end:
        docnum, weight, value_length = unpack(data, offset)
        offset += size
        ids.append(docnum)
        weights.append(weight)
        values.append(data[offset : offset + value_length])
        offset += value_length
    count = len(ids)
    limit = postwriter._blocklimit
    # add_posting keeps only non-empty values (an Existence field's are all empty).
    mixed = b"" in values
    for start in range(0, count, limit):
        stop = min(start + limit, count)
        block_ids = ids[start:stop]
        block_weights = weights[start:stop]
        postwriter._ids = block_ids
        postwriter._weights = array("f", block_weights)
        postwriter._values = [v for v in values[start:stop] if v] if mixed else values[start:stop]
        top = max(block_weights)
        postwriter._maxweight = top if top > 0 else 0
        if lengths is not None:
            found = [lengths[d] for d in block_ids]
            found = [n for n in found if n]
        else:
            found = []
        postwriter._minlength = min(found) if found else None
        postwriter._maxlength = max(found) if found else 0
        if stop < count:
            postwriter._write_block()
