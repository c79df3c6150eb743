"""The index writer: one segment in Whoosh's own format, written at a fraction of the cost.

What it writes is byte for byte what Whoosh's ``SegmentWriter`` writes with the same codec
(tests/core/search/test_writer.py builds indexes both ways and compares every file, term,
posting and search result): the engine reads it with Whoosh's reader and reads its posting
blocks directly. What differs is how it gets there, where Whoosh spent the build's time
(cProfile, 20× the briefing, 12 s under the profiler):

- **Postings gathered per term, compactly.** Whoosh keeps each posting as a tuple of five
  objects (about 250 MB at 100× the briefing), and when its buffer is full it sorts them
  and pickles them one by one into temporary files, which it then unpickles through the
  allow-list (1.6 s) and merges. Documents arrive in order, so a term's postings are
  already in order: here each term has two ``bytearray``s its postings are appended to
  (fixed-size records, and the encoded values), and only the terms are sorted, at the
  end. When the buffer passes its limit, its terms are written, sorted, to an anonymous
  temporary file in a plain format of our own (no pickle), merged at the end a term at a
  time.
- **Field lengths kept in memory.** Whoosh reads each posting's document length back
  from the length column it has just written (1.5 s).
- **Blocks written whole.** A term's posting blocks (128 postings) and its entry in the
  terms table are made from arrays, with the same bytes Whoosh's postings writer makes
  one ``add_posting`` call at a time.
- **Analysis without token objects**, for the analyzers the schema uses (a regular
  expression tokenizer, lower-casing, stop words, the Porter stemmer; positions or
  frequencies): the same terms, positions, weights and encoded values as Whoosh's
  analyzer chain gives, from ``findall`` and a dictionary of each word's stem, instead of
  a chain of generators passing one token object along. Any other field is analysed by
  Whoosh (``field.index``).

Measured against Whoosh's writer, in one process: bench/README.md.
"""

from __future__ import annotations

import heapq
import pickle
import re
import struct
import tempfile
import zlib
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, chain, compress
from operator import itemgetter, sub
from typing import IO, Any

from whoosh import index
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.analysis.filters import LowercaseFilter, StopFilter
from whoosh.analysis.morph import StemFilter
from whoosh.analysis.tokenizers import RegexTokenizer, default_pattern
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3TermInfo
from whoosh.fields import FieldType
from whoosh.formats import Frequency, Positions
from whoosh.lang.porter import stem as porter_stem
from whoosh.system import pack_int, pack_long, pack_uint, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

# Postings held in memory before the sorted terms go to a temporary file: with the per-term
# overhead counted, about this many bytes of Python objects. Two build workers run at once at
# 1000× (workers.py): with 64 MB each they held 405 MiB together (the budget is 400), with
# 32 MB 347 MiB for about a tenth more processor time (interleaved, 2 runs each, a loaded
# machine: 96 and 70 s against 86 and 64 s); 48 MB is between the two.
BUFFER_BYTES = 48 * 1024 * 1024
_TERM_OVERHEAD = 250  # a dict entry, the term's bytes, a tuple and two bytearrays
_RECORD = struct.Struct("<IdI")  # document number, weight, length of the encoded value
# A term in a temporary file: the lengths of its field's name, the term, its records and
# its values, then those four.
_RUN_HEADER = struct.Struct("<HIII")
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
    if (
        len(items) < 2
        or type(items[0]) is not RegexTokenizer
        or type(items[1]) is not LowercaseFilter
    ):
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
    """Text → (term bytes, frequency, weight, encoded value), as Whoosh's chain gives them."""

    def __init__(self) -> None:
        # word → its stem in UTF-8 (the term), b"" for a stop word
        # One per filter chain, shared by the fields that differ only in boost or format
        # (title, body and speaker): each word's stem is found once.
        self._stems: dict[tuple[object, ...], dict[str, bytes]] = {}
        self._single: dict[int, bytes] = {}  # position → the encoded value of one position
        self._freqs: dict[int, bytes] = {}  # frequency → its encoded value

    def analyse(self, plan: _Plan, value: str) -> tuple[list[tuple[bytes, int, float, bytes]], int]:
        """The field's postings for ``value``, and its length (the words kept)."""
        # Lower-cased a word at a time, as LowercaseFilter does (lowering the whole text
        # first could change where words split).
        words = [word.lower() for word in plan.tokens.findall(value)]
        kept: list[Any]  # terms (bytes) once stemmed, else words (str)
        if plan.stop is not None or plan.stem:
            kept, first = self._kept(plan, words)
        else:
            kept, first = words, 0
        boost = plan.boost
        out: list[tuple[bytes, int, float, bytes]] = []
        if plan.positions:
            places: dict[bytes | str, list[int]] = {}
            get = places.get
            for position, word in enumerate(kept, first):
                found = get(word)
                if found is None:
                    places[word] = [position]
                else:
                    found.append(position)
            single = self._single
            for word, where in places.items():
                count = len(where)
                if count == 1:
                    encoded = single.get(where[0])
                    if encoded is None:
                        encoded = single[where[0]] = _encode_positions(where)
                else:
                    encoded = _encode_positions(where)
                term = word if isinstance(word, bytes) else word.encode("utf-8")
                out.append((term, count, count * boost, encoded))
        else:
            freqs = self._freqs
            for word, count in Counter(kept).items():
                encoded = freqs.get(count)
                if encoded is None:
                    encoded = freqs[count] = pack_uint(count)
                term = word if isinstance(word, bytes) else word.encode("utf-8")
                out.append((term, count, count * boost, encoded))
        return out, len(kept)

    def _kept(self, plan: _Plan, words: list[str]) -> tuple[list[bytes], int]:
        """The words a stop and stem filter let through, stemmed, and the first's position."""
        filters = (plan.stop, plan.minsize, plan.maxsize, plan.stem, plan.ignore)
        stems = self._stems.get(filters)
        if stems is None or len(stems) > _STEM_CACHE:
            stems = self._stems[filters] = {}
        found = list(map(stems.get, words))
        if None in found:
            for number, known in enumerate(found):
                if known is None:
                    word = words[number]
                    found[number] = stems[word] = _stem(plan, word)
        # StopFilter(renumber=True): the first word kept keeps its position, the others
        # follow it one by one (without a stop filter, no word is dropped).
        first = next((number for number, term in enumerate(found) if term), 0)
        return list(filter(None, found)), first


def _stem(plan: _Plan, word: str) -> bytes:
    """A word's stem as a term, or b"" for a word the stop filter drops (a stem is never
    empty)."""
    if plan.stop is not None and (
        len(word) < plan.minsize
        or (plan.maxsize is not None and len(word) > plan.maxsize)
        or word in plan.stop
    ):
        return b""
    if plan.stem and word not in plan.ignore:
        stem = str(porter_stem(word))
        if not stem:
            raise ValueError(f"the stemmer gave nothing for {word!r}")
        return stem.encode("utf-8")
    return word.encode("utf-8")


def _encode_positions(where: list[int]) -> bytes:
    """Whoosh's Positions.encode: the count, then the pickled gaps between positions."""
    deltas = list(map(sub, where, chain((0,), where)))
    return bytes(pack_uint(len(deltas)) + pickle.dumps(deltas, 2))


class _Postings:
    """Each field's terms' postings, appended in document order, spilled when full.

    A term's postings are two ``bytearray``: fixed-size records (document number, weight,
    the encoded value's length), and the encoded values end to end. When they pass
    ``limit`` bytes, every term is written, sorted, to an anonymous temporary file (a
    "run") and the buffer emptied; at the end the runs and what is left are merged a term
    at a time, the runs' parts of a term in the order they were written: document order.
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._fields: dict[str, dict[bytes, tuple[bytearray, bytearray]]] = {}
        self._size = 0
        self._runs: list[IO[bytes]] = []

    def add(
        self, fieldname: str, docnum: int, items: list[tuple[bytes, int, float, bytes]]
    ) -> None:
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
        pack = _RECORD.pack
        get = terms.get
        grown = 0
        for term, _freq, weight, value in items:
            found = get(term)
            if found is None:
                terms[term] = (bytearray(pack(docnum, weight, len(value))), bytearray(value))
                grown += _TERM_OVERHEAD + len(term)
            else:
                records, values = found
                records += pack(docnum, weight, len(value))
                values += value
            grown += _RECORD.size + len(value)
        self._size += grown
        if self._size > self._limit:
            self._spill()

    def _spill(self) -> None:
        try:
            # Open until the merge has read it (closed in close()); anonymous, so nothing
            # is left behind if the process dies.
            run = tempfile.TemporaryFile(prefix="briefreader-postings-")  # noqa: SIM115
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
                records, values = terms[term]
                write(header(len(name), len(term), len(records), len(values)))
                write(name)
                write(term)
                write(records)
                write(values)
        run.flush()
        run.seek(0)
        self._fields = {}
        self._size = 0

    def merged(self) -> Iterator[tuple[str, bytes, bytes, bytes]]:
        """(field name, term, records, values) for every term, sorted as Whoosh sorts."""
        sources = [_read_run(run, number) for number, run in enumerate(self._runs)]
        sources.append(self._in_memory(len(self._runs)))
        if len(sources) == 1:
            for fieldname, term, _, records, values in sources[0]:
                yield fieldname, term, records, values
            return
        current: tuple[str, bytes] | None = None
        records_parts: list[bytes] = []
        values_parts: list[bytes] = []
        for fieldname, term, _, records, values in heapq.merge(*sources):
            if (fieldname, term) != current:
                if current is not None:
                    yield current[0], current[1], b"".join(records_parts), b"".join(values_parts)
                current = (fieldname, term)
                records_parts = []
                values_parts = []
            records_parts.append(records)
            values_parts.append(values)
        if current is not None:
            yield current[0], current[1], b"".join(records_parts), b"".join(values_parts)

    def _in_memory(self, number: int) -> Iterator[tuple[str, bytes, int, bytes, bytes]]:
        fields = self._fields
        self._fields = {}
        for fieldname in sorted(fields):
            terms = fields.pop(fieldname)
            for term in sorted(terms):
                records, values = terms.pop(term)
                yield fieldname, term, number, bytes(records), bytes(values)

    def close(self) -> None:
        for run in self._runs:
            run.close()
        self._runs = []
        self._fields = {}


def _read_run(run: IO[bytes], number: int) -> Iterator[tuple[str, bytes, int, bytes, bytes]]:
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
        name_length, term_length, records_length, values_length = unpack(head)
        raw = read(name_length)
        fieldname = names.get(raw)
        if fieldname is None:
            fieldname = names[raw] = raw.decode("utf-8")
        term = read(term_length)
        records = read(records_length)
        values = read(values_length)
        if len(records) != records_length or len(values) != values_length:
            raise OSError("a temporary postings file was cut short")
        yield fieldname, term, number, records, values


class FastSegmentWriter(SegmentWriter):  # type: ignore[misc]
    """Whoosh's segment writer, its posting pool and per-posting calls replaced (see above).

    Writes one new segment; the schema's fields may not have term vectors or separate
    spelling fields (BriefReader's have neither), which it refuses rather than drops.
    """

    def __init__(self, ix: index.Index, *, compound: bool, buffer_bytes: int = BUFFER_BYTES):
        # Whoosh's own pool is made but never filled: postings go to self._postings.
        super().__init__(ix, codec=W3Codec(compression=0), compound=compound, limitmb=1)
        self._postings = _Postings(buffer_bytes)
        for name, field in self.schema.items():
            if field.vector or field.separate_spelling():
                self.cancel()
                raise ValueError(f"the writer does not write term vectors or spelling ({name})")
        self._plans = {name: _plan(field) for name, field in self.schema.items()}
        self._analyser = _Analyser()
        # Each document's length in each field, as the one byte Whoosh stores (see _Blocks).
        self._lengths: dict[str, bytearray] = {
            name: bytearray() for name, field in self.schema.items() if field.indexed
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
            self._lengths[name].append(length_to_byte(length) if length else 0)
        self._added = True
        self.docnum += 1

    def add_reader(self, reader: Any) -> None:
        # Whoosh calls this to merge an existing segment into the new one: its postings
        # would go to Whoosh's pool, which this writer does not write. BriefReader builds
        # every index new, into an empty folder. (Whoosh does not close the reader when
        # this raises: closed here.)
        reader.close()
        raise ValueError("this writer writes a new index only, not merged with segments")

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        blocks = _Blocks(self.fieldwriter)
        for fieldname, term, records, values in self._postings.merged():
            blocks.write(
                fieldname,
                self.schema[fieldname],
                term,
                postings=(records, values),
                lengths=self._lengths[fieldname],
            )
        blocks.finish()
        self.fieldwriter.close()

    def _close_segment(self) -> None:
        self._postings.close()
        super()._close_segment()

    def cancel(self) -> None:
        postings = getattr(self, "_postings", None)
        if postings is not None:
            postings.close()
        super().cancel()


class _Blocks:
    """Writes terms' postings into Whoosh's field writer's files, as it would.

    What ``W3FieldWriter`` and ``W3PostingsWriter`` do for each posting (``add_posting``)
    and block (``_write_block``, ``W3TermInfo.add_block``), done a block at a time with
    the postings already in arrays: the same bytes in the postings file (a header, then
    per block its length, a pickled tuple of statistics, a pickled tuple of ids, weights
    and values) and the same term info in the terms table.

    Field lengths are kept as the byte Whoosh stores them in (``length_to_byte``): Whoosh
    reads each posting's length back through that byte, and its statistics keep the
    shortest and longest as bytes again, so the byte is all that matters (the mapping
    keeps order, and 0 is 0).
    """

    def __init__(self, fieldwriter: Any) -> None:
        self._writer = fieldwriter
        self._postfile = fieldwriter._postfile
        self._current: str | None = None
        self._fixed_size: int | None = None
        self._limit = fieldwriter._codec._blocklimit
        self._compression = fieldwriter._codec._compression

    def write(
        self,
        fieldname: str,
        field: FieldType,
        term: bytes,
        *,
        postings: tuple[bytes, bytes],
        lengths: bytearray,
    ) -> None:
        """A term's postings: ``postings`` is (records, values) as ``_Postings`` keeps them;
        ``lengths`` each document's length byte in the field."""
        records, values = postings
        writer = self._writer
        if fieldname != self._current:
            if self._current is not None:
                writer.finish_field()
            writer.start_field(fieldname, field)
            self._current = fieldname
            self._fixed_size = field.format.fixed_value_size()
        ids, weights, sizes = zip(*_RECORD.iter_unpack(records), strict=True)
        count = len(ids)
        fixed = self._fixed_size
        postfile = self._postfile.file  # the raw file, without StructFile's wrappers
        write = postfile.write
        start_offset = postfile.tell()
        total_weight = 0.0
        min_byte: int | None = None
        max_byte = 0
        top_weight: float = 0
        limit = self._limit
        pieces: tuple[bytes, ...] | None = None
        if fixed is None or fixed < 0:
            offsets = list(accumulate(sizes, initial=0))
            pieces = tuple(map(values.__getitem__, map(slice, offsets, offsets[1:])))
            # add_posting keeps only non-empty values
            keep = [size > 0 for size in sizes] if 0 in sizes else None
        for start in range(0, count, limit):
            stop = min(start + limit, count)
            last = stop == count
            block_ids = ids[start:stop]
            block_weights = weights[start:stop]
            stored = array("f", block_weights)
            n = len(block_ids)
            # W3PostingsWriter._mini_ids, _mini_weights, _mini_values
            mini_ids = tuple(map(sub, block_ids, chain((0,), block_ids)))
            if stored.count(1.0) == n:
                mini_weights: object = None
            elif stored.count(stored[0]) == n:
                mini_weights = stored[0]
            else:
                mini_weights = tuple(stored)
            if pieces is not None:
                mini_values: object = pieces[start:stop]
                if keep is not None:
                    mini_values = tuple(compress(pieces[start:stop], keep[start:stop]))
            elif not fixed:
                mini_values = None
            else:
                mini_values = values[start * fixed : stop * fixed]
            # add_posting's statistics: highest weight (from 0), shortest and longest
            # non-zero length
            block_top = max(block_weights)
            if not block_top > 0:
                block_top = 0
            found = itemgetter(*block_ids)(lengths) if n > 1 else (lengths[block_ids[0]],)
            block_max = max(found)
            block_min = min(found)
            if block_min == 0 and block_max:
                block_min = min(b for b in found if b)
            block_min_byte = block_min if block_max else 0
            # W3TermInfo.add_block
            total_weight += sum(stored)
            if block_max:
                min_byte = block_min if min_byte is None else min(min_byte, block_min)
            max_byte = max(max_byte, block_max)
            top_weight = max(top_weight, block_top)
            # W3PostingsWriter._write_block, its writes as one
            databytes = pickle.dumps((mini_ids, mini_weights, mini_values), 2)
            comp = self._compression
            if comp:
                databytes = zlib.compress(databytes, comp)
            infobytes = pickle.dumps(
                (n, block_ids[-1], block_top, comp, block_min_byte, block_max), 2
            )
            length = len(infobytes) + len(databytes)
            head = pack_int(-length if last else length)
            if start == 0:
                head = WHOOSH3_HEADER_MAGIC + head
            write(b"".join((head, infobytes, databytes)))
        info = (
            W3TermInfo._struct.pack(
                False,
                total_weight,
                count,
                0 if min_byte is None else min_byte,
                max_byte,
                top_weight,
                ids[0],
                ids[-1],
            )
            + pack_long(start_offset)
            + pack_int(postfile.tell() - start_offset)
        )
        writer._tindex.add(pack_ushort(writer._fieldid) + term, info)

    def finish(self) -> None:
        if self._current is not None:
            self._writer.finish_field()
