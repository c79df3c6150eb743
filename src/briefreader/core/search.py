"""The full-text index and search: every line of Whoosh code in BriefReader lives here.

One index document per section, so that a hit is a passage. Fields:

- ``title`` (stemmed, boosted) and ``body`` (stemmed) carry the ranking (BM25F);
- ``speaker``: the name, role and organisation of a quote's speaker (stemmed, boosted);
- ``exact``: title, body and speaker again, lower-cased but *not* stemmed. Prefixes
  (``sextorti*``) and fuzzy terms (``legislaton~``) are matched here, because Whoosh matches
  them against stemmed terms otherwise and finds nothing (see shared/notes/facts.md);
  "did you mean" draws on its vocabulary too, so that suggestions are real words.
- ``theme`` and ``document``: ids, for filters and per-theme counts.

The index is a cache in the user's cache folder. It is built into a fresh folder, verified
by a manifest of SHA-256 hashes written after the build, and swapped in by rewriting a small
pointer file atomically. Whoosh unpickles on open, so an index is opened only when its
manifest says this app built it from this content with this schema and every file hashes as
written. Anything else (missing, damaged, older, other content) is rebuilt.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import re
import shutil
import tempfile
import threading
import time
import uuid
from array import array
from bisect import bisect_left
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path

from whoosh import highlight, index, qparser, query
from whoosh.analysis import STOP_WORDS, RegexTokenizer, StemmingAnalyzer
from whoosh.analysis.filters import LowercaseFilter
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.lang.porter import stem
from whoosh.scoring import BM25F, bm25
from whoosh.searching import Searcher as WhooshSearcher

from briefreader.core.atomic import write_atomic
from briefreader.core.model import Briefing, Section

# Bump when the schema or what is indexed changes: older indexes are then rebuilt.
SCHEMA_VERSION = "2"
APP_MARK = "briefreader-index"
POINTER = "CURRENT"
MANIFEST = "briefreader-manifest.json"
MIN_PREFIX = 3  # two-letter prefixes expand to thousands of terms at scale (facts.md)
MAX_QUERY_CHARS = 500
COMPOUND_MAX_SECTIONS = 2_000  # about 20× the briefing (see _write_documents)
SNIPPET_CHARS = 220
WARM_MAX_DOCUMENTS = 2_000  # read ahead only an index this small (see Searcher.warm)
WARM_STEP = 100  # words or sections read ahead at a time: about 4 ms at 1×

_stemmed = StemmingAnalyzer()
_plain = RegexTokenizer() | LowercaseFilter()


def _schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        theme=ID(stored=True),
        document=ID(stored=True),
        title=TEXT(analyzer=_stemmed, field_boost=3.0),
        body=TEXT(analyzer=_stemmed),
        speaker=TEXT(analyzer=_stemmed, field_boost=2.0),
        # No positions: phrases are matched on the stemmed fields (see _restrict). Storing
        # them cost 8% of the bundled build and 10% of the index (bench: 193 → 178 ms).
        exact=TEXT(analyzer=_plain, phrase=False),
    )


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    theme: str
    theme_title: str
    document: str
    document_title: str
    section: str  # the section's title
    score: float
    snippet: str  # plain text around the best matches
    snippet_spans: tuple[tuple[int, int], ...]  # [start, end) of each match in the snippet
    text: str  # the section's whole plain text
    matched_words: tuple[str, ...]  # words of the text that matched, as written, for highlighting
    speaker: str | None

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["snippet_spans"] = [list(span) for span in self.snippet_spans]
        data["matched_words"] = list(self.matched_words)
        return data

    def marked_snippet(self, before: str, after: str) -> str:
        """The snippet with each match wrapped, e.g. in ``**`` for a terminal."""
        out: list[str] = []
        last = 0
        for start, end in self.snippet_spans:
            out += [self.snippet[last:start], before, self.snippet[start:end], after]
            last = end
        out.append(self.snippet[last:])
        return "".join(out)


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    hits: tuple[Hit, ...]
    total: int  # passages that match (in the chosen theme, if any)
    theme_counts: tuple[tuple[str, int], ...]  # (theme id, passages) in theme order, non-zero
    partial: bool = False  # no passage had every word: these have some of them
    message: str = ""  # for a person: why nothing matched, what was ignored, what to try
    suggestion: str | None = None  # "did you mean": the query with words corrected
    theme: str | None = None


@dataclass(frozen=True, slots=True)
class IndexStatus:
    path: Path | None  # None when the index is kept in memory
    built: bool  # built in this call, rather than reused
    reason: str  # why it was (re)built, or "reused"
    seconds: float
    documents: int
    warning: str = ""  # e.g. the cache folder could not be written


# --------------------------------------------------------------------------------------------
# Building and opening


def _hash_file(path: Path) -> str:
    # Streamed, not read whole: the 1000× index is one 360 MB file, and reading it into
    # memory to hash it (after a build, and on every open) doubled peak memory there.
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


class SearchIndex:
    """The briefing's index: opened or (re)built on demand, swapped in whole.

    Thread-safe: build it on a background thread, then give each thread its own
    :class:`Searcher` from :meth:`searcher`.
    """

    def __init__(self, briefing: Briefing, index_dir: Path) -> None:
        self.briefing = briefing
        self.root = index_dir
        self.key = f"{briefing.fingerprint}-s{SCHEMA_VERSION}"
        self._lock = threading.RLock()
        self._index: index.Index | None = None
        self._generation = 0
        self.status: IndexStatus | None = None

    @property
    def generation(self) -> int:
        """Goes up each time a new index is swapped in; searchers reopen when it does."""
        return self._generation

    def whoosh_index(self) -> tuple[index.Index, int]:
        with self._lock:
            if self._index is None:
                self.open_or_build()
            assert self._index is not None
            return self._index, self._generation

    def searcher(self) -> Searcher:
        """A searcher for the calling thread: keep it, and use it from that thread only."""
        return Searcher(self)

    # -- opening ---------------------------------------------------------------------------

    def open_or_build(self, progress: Callable[[int, int], None] | None = None) -> IndexStatus:
        """Open the cached index if it is ours, whole and current; otherwise build it."""
        with self._lock:
            started = time.perf_counter()
            reason = self._verify()
            if reason is None:
                folder = self._current_folder()
                assert folder is not None
                try:
                    ix = index.open_dir(str(folder), readonly=True)
                    count = ix.doc_count()
                except Exception as error:  # Whoosh raises a dozen types on damage
                    reason = f"the index could not be opened ({type(error).__name__})"
                else:
                    self._swap_in(ix)
                    self.status = IndexStatus(
                        folder, False, "reused", time.perf_counter() - started, count
                    )
                    return self.status
            return self._build(reason, progress, started)

    def rebuild(
        self, reason: str = "asked to", progress: Callable[[int, int], None] | None = None
    ) -> IndexStatus:
        with self._lock:
            return self._build(reason, progress, time.perf_counter())

    def _current_folder(self) -> Path | None:
        try:
            name = (self.root / POINTER).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        # Only a plain name made by _build: never follow a pointer out of our folder.
        if not re.fullmatch(r"idx-[0-9a-f]{16}-s\w+-[0-9a-f]{8}", name):
            return None
        return self.root / name

    def _verify(self) -> str | None:
        """None if the current index can be opened safely, else why it must be rebuilt."""
        folder = self._current_folder()
        if folder is None or not folder.is_dir():
            return "no index yet"
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return "the index has no valid manifest"
        if not isinstance(manifest, dict) or manifest.get("app") != APP_MARK:
            return "the index was not written by BriefReader"
        if manifest.get("key") != self.key:
            return "the content or the index format changed"
        files = manifest.get("files")
        if not isinstance(files, dict) or not files:
            return "the index manifest lists no files"
        present = {p.name for p in folder.iterdir() if p.name != MANIFEST}
        if present != set(files):
            return "the index files differ from those written"
        for name, digest in files.items():
            try:
                if _hash_file(folder / name) != digest:
                    return f"the index file {name} is damaged"
            except OSError:
                return f"the index file {name} cannot be read"
        return None

    # -- building --------------------------------------------------------------------------

    def _build(
        self,
        reason: str,
        progress: Callable[[int, int], None] | None,
        started: float,
    ) -> IndexStatus:
        sections = self.briefing.sections
        try:
            folder = self._build_on_disk(sections, progress)
        except OSError as error:
            # A read-only or full cache folder: search still works, from memory, this session.
            ix = RamStorage().create_index(_schema())
            _write_documents(ix, sections, progress)
            self._swap_in(ix)
            warning = (
                f"The search index could not be saved in {self.root} "
                f"({error.strerror or error}); it is kept in memory for this session."
            )
            self.status = IndexStatus(
                None, True, reason, time.perf_counter() - started, len(sections), warning
            )
            return self.status
        ix = index.open_dir(str(folder), readonly=True)
        self._swap_in(ix)
        self._remove_old(keep=folder)
        self.status = IndexStatus(
            folder, True, reason, time.perf_counter() - started, len(sections)
        )
        return self.status

    def _build_on_disk(
        self, sections: tuple[Section, ...], progress: Callable[[int, int], None] | None
    ) -> Path:
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        name = f"idx-{self.key}-{uuid.uuid4().hex[:8]}"
        building = Path(tempfile.mkdtemp(prefix="building-", dir=self.root))
        try:
            ix = index.create_in(str(building), _schema())
            _write_documents(ix, sections, progress)
            ix.close()
            files = {p.name: _hash_file(p) for p in building.iterdir() if p.is_file()}
            # Whoosh's lock file is empty and may be recreated; it carries no data.
            manifest = {"app": APP_MARK, "key": self.key, "files": files}
            (building / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
            folder = self.root / name
            building.rename(folder)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        write_atomic(self.root / POINTER, name, mode=0o600, durable=False)
        return folder

    def _swap_in(self, ix: index.Index) -> None:
        self._index = ix
        self._generation += 1

    def _remove_old(self, keep: Path) -> None:
        for path in self.root.iterdir():
            if path != keep and path.is_dir():
                # Best effort: on Windows a folder another process still reads cannot go yet.
                shutil.rmtree(path, ignore_errors=True)


def _write_documents(
    ix: index.Index,
    sections: tuple[Section, ...],
    progress: Callable[[int, int], None] | None,
) -> None:
    # One process, one segment: a single merged segment answers fastest (facts.md), and the
    # bundled briefing builds in well under a second this way. Two processes merging into
    # one segment built slower than one on this 2-core machine (bench: 10× 1.5 against
    # 1.1 s, 100× 21 against 19 s). Two processes writing a segment each were faster (100×:
    # 17.2 → 5.8 s, 1000×: 187 → 111 s), but at 1000× a process held 969 MiB (the budget
    # is 400), and Whoosh forks them from the calling process, which in the app has Qt's
    # threads running: not used. A bigger buffer (limitmb=256) took 100× from 17.2 to
    # 10.7 s but 1000× only to 177 s, holding 1.2 GiB.
    # Uncompressed posting blocks: zlib was a fifth of the build (bench: 178 → 151 ms at 1×,
    # 1.21 → 1.10 s at 10×) and 5% of a search (2.22 → 2.12 ms a query at 1×), for a bigger
    # index (1×: 0.8 → 0.9 MiB, 10×: 3.0 → 5.0 MiB).
    # One compound file for a small index only: Whoosh copies each part of a compound file
    # into memory when it opens it, which is fast (bench, 1×: 1.9 against 2.4 ms a query
    # with separate files) but holds the whole index in memory: at 100× peak memory was
    # 181 MiB with it and 101 MiB without, at 1000× over 1 GiB.
    compound = len(sections) <= COMPOUND_MAX_SECTIONS
    writer = ix.writer(limitmb=32, codec=W3Codec(compression=0), compound=compound)
    try:
        _add_documents(writer, sections, progress)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def _add_documents(
    writer: object,
    sections: tuple[Section, ...],
    progress: Callable[[int, int], None] | None = None,
) -> None:
    for number, section in enumerate(sections, start=1):
        speaker = section.speaker.label() if section.speaker else ""
        writer.add_document(  # type: ignore[attr-defined]
            id=section.id,
            theme=section.theme_id,
            document=section.document_id,
            title=section.title,
            body=section.text,
            speaker=speaker,
            exact=f"{section.title}\n{speaker}\n{section.text}",
        )
        if progress is not None:
            progress(number, len(sections))


# --------------------------------------------------------------------------------------------
# Queries


_THEME_FILTER = re.compile(r'(?<!\S)theme:(?:"([^"]*)"|(\S*))', re.IGNORECASE)
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


class _UnparsableError(Exception):
    """Whoosh's query parser failed on what was typed."""


class _QueryPlan:
    """What a typed query means, before Whoosh sees it."""

    def __init__(self, text: str, theme: str | None, notes: list[str]) -> None:
        self.text = text
        self.theme = theme
        self.notes = notes


class Searcher:
    """Runs queries for one thread, over a long-lived Whoosh searcher.

    Never share one between threads (Whoosh gave wrong results that way: facts.md). It
    reopens by itself when the index is rebuilt, and rebuilds the index once if searching
    it fails, since damage can surface at search time as any exception.
    """

    def __init__(self, owner: SearchIndex) -> None:
        self.owner = owner
        self.briefing = owner.briefing
        self._searcher: WhooshSearcher | None = None
        self._generation = -1
        schema = _schema()
        fields = ["title", "body", "speaker", "exact"]
        # Reusing parsers saves a little on every keystroke (facts.md).
        self._parsers = {
            group: self._make_parser(fields, schema, group)
            for group in (qparser.AndGroup, qparser.OrGroup)
        }
        self._synonyms = _synonym_patterns(self.briefing.synonyms)
        # Per Whoosh searcher: its engine, and each document's theme.
        self._engine: _Engine | None = None
        self._warming: Iterator[None] | None = None
        self._theme_of: array[int] | None = None

    @staticmethod
    def _make_parser(
        fields: list[str], schema: Schema, group: type[qparser.syntax.GroupNode]
    ) -> qparser.QueryParser:
        parser = qparser.MultifieldParser(fields, schema, group=group)
        for plugin in (
            qparser.FieldsPlugin,
            qparser.RangePlugin,
            qparser.BoostPlugin,
            qparser.EveryPlugin,
        ):
            parser.remove_plugin_class(plugin)
        parser.add_plugin(qparser.FuzzyTermPlugin())
        parser.add_plugin(qparser.PlusMinusPlugin())
        return parser

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._warming = None

    def warm(self, steps: int = WARM_STEP) -> bool:
        """Read ahead, a little at a time, what first searches would read: True if more.

        The first search of a word read its postings, and the first result from a section
        tokenized it for the snippet: in the window, the slowest keystrokes were these
        first times (1×: "gro" 8.7 ms, "prevention s" 9.8 ms, against 0.8 ms typical).
        For an index of up to WARM_MAX_DOCUMENTS documents, every word's postings (1×: 3,947
        words, 140 ms) and every section's words (20 ms) are read ahead, ``steps`` at a
        time, so that a caller can answer searches in between.
        """
        if self._warming is None:
            self._warming = self._warm_all()
        return sum(1 for _ in islice(self._warming, steps)) == steps

    def _warm_all(self) -> Iterator[None]:
        self._whoosh()
        engine = self._engine
        if engine is None or engine.doc_count > WARM_MAX_DOCUMENTS:
            return
        for section in self.briefing.sections:
            _words(section.text)
            yield
        for fieldname, text in engine.reader.all_terms():
            if fieldname in ("title", "body", "speaker", "exact"):
                engine.term(fieldname, text)
                yield

    def _whoosh(self) -> WhooshSearcher:
        ix, generation = self.owner.whoosh_index()
        if self._searcher is None or generation != self._generation:
            self.close()
            self._searcher = ix.searcher(weighting=BM25F())
            self._engine = _Engine(self._searcher)
            self._generation = generation
            self._theme_of = None
        return self._searcher

    # -- public ----------------------------------------------------------------------------

    def search(
        self,
        text: str,
        *,
        theme: str | None = None,
        limit: int = 20,
        as_you_type: bool = False,
    ) -> SearchResult:
        """Search the briefing. Never raises for what a person types."""
        plan = self._plan(text, theme, as_you_type)
        if plan.theme == "":
            return SearchResult(text, (), 0, (), message=plan.notes[-1])
        if not plan.text.strip():
            message = " ".join(plan.notes) or "Type a word to search the briefing."
            return SearchResult(text, (), 0, (), message=message, theme=plan.theme)
        for attempt in (1, 2):
            try:
                return self._run(text, plan, max(1, min(limit, 200)))
            except _UnparsableError:
                # The query, not the index: say so, and do not rebuild anything. Whoosh's
                # parser raised IndexError for "able NOT -able OR able".
                message = (
                    "This search could not be understood. Try it with fewer of "
                    "AND, OR, NOT, - and quotation marks."
                )
                return SearchResult(text, (), 0, (), message=message, theme=plan.theme)
            except Exception as error:  # damage surfaces as any exception type (facts.md)
                if attempt == 2:
                    return SearchResult(
                        text,
                        (),
                        0,
                        (),
                        message=f"Search is unavailable: the index failed ({error}).",
                        theme=plan.theme,
                    )
                self.close()
                self.owner.rebuild(f"searching failed ({type(error).__name__})")
        raise AssertionError("unreachable")

    # -- planning --------------------------------------------------------------------------

    def _plan(self, text: str, theme: str | None, as_you_type: bool) -> _QueryPlan:
        notes: list[str] = []
        text = text.replace("\x00", " ")
        if len(text) > MAX_QUERY_CHARS:
            text = text[:MAX_QUERY_CHARS]
            notes.append(f"Only the first {MAX_QUERY_CHARS} characters were searched.")
        # theme:… is ours, not Whoosh's: it names a theme by id or title, or a prefix of one.
        chosen = theme
        for match in _THEME_FILTER.finditer(text):
            wanted = (match.group(1) or match.group(2) or "").strip()
            resolved = self.briefing.find_theme(wanted)
            if resolved is None:
                names = ", ".join(t.title for t in self.briefing.themes)
                notes.append(f"No theme called “{wanted}”. Themes: {names}.")
                return _QueryPlan("", "", notes)
            chosen = resolved.id
        text = _THEME_FILTER.sub(" ", text)
        if theme is not None and self.briefing.theme(theme) is None:
            notes.append(f"No theme called “{theme}”.")
            return _QueryPlan("", "", notes)
        if text.count('"') % 2:
            text = text[: text.rfind('"')] + text[text.rfind('"') + 1 :]
        # Synonyms first: they may add quoted phrases, which the later steps leave alone.
        text = _expand_synonyms(text, self._synonyms)
        text = _hyphenated_as_phrases(text, keep_last=as_you_type)
        if as_you_type:
            text = _prefix_last_word(text)
        return _QueryPlan(text, chosen, notes)

    # -- running ---------------------------------------------------------------------------

    def _parse(
        self, text: str, group: type[qparser.syntax.GroupNode]
    ) -> tuple[query.Query, list[str]]:
        notes: list[str] = []
        try:
            parsed = self._parsers[group].parse(text)
        except Exception as error:  # Whoosh's parser fails on some tangles of operators
            raise _UnparsableError from error
        return _restrict(parsed, notes).normalize(), notes

    def _run(self, original: str, plan: _QueryPlan, limit: int) -> SearchResult:
        searcher = self._whoosh()
        q, notes = self._parse(plan.text, qparser.AndGroup)
        notes = plan.notes + notes
        if q is query.NullQuery or not _has_positive(q):
            message = " ".join(notes) or "Nothing to search for: add a word that is not excluded."
            return SearchResult(original, (), 0, (), message=_dedupe(message), theme=plan.theme)

        engine = self._engine
        assert engine is not None
        hits, total, counts = self._execute(engine, q, plan.theme, limit)
        partial = False
        if not hits:
            q_any, _ = self._parse(plan.text, qparser.OrGroup)
            if q_any != q:
                hits, total, counts = self._execute(engine, q_any, plan.theme, limit)
                partial = bool(hits)
        suggestion = None
        if not hits or partial:
            suggestion = self._suggest(searcher, original)
        if partial:
            notes.insert(0, "No passage has all of these words; these have some of them.")
        elif not hits:
            where = ""
            if plan.theme:
                theme = self.briefing.theme(plan.theme)
                where = f" in {theme.title}" if theme else ""
                if counts:
                    where += " (other themes have matches)"
            notes.insert(0, f"No passage matches{where}.")
        return SearchResult(
            original,
            tuple(hits),
            total,
            counts,
            partial=partial,
            message=_dedupe(" ".join(notes)),
            suggestion=suggestion,
            theme=plan.theme,
        )

    def _execute(
        self, engine: _Engine, q: query.Query, theme: str | None, limit: int
    ) -> tuple[list[Hit], int, tuple[tuple[str, int], ...]]:
        scores = engine.scores(q)
        themes = self._themes_by_docnum(engine)
        tally = Counter(map(themes.__getitem__, scores))  # documents per theme, counted in C
        counts = tuple(
            (t.id, tally[number]) for number, t in enumerate(self.briefing.themes) if tally[number]
        )
        candidates: Iterable[int] = scores
        if theme is not None:
            wanted = next(n for n, t in enumerate(self.briefing.themes) if t.id == theme)
            candidates = [docnum for docnum in scores if themes[docnum] == wanted]
        # Best first; equal scores in index order, as Whoosh's collector ranks them.
        best = heapq.nlargest(limit, candidates, key=lambda d: (scores[d], -d))
        total = tally[wanted] if theme is not None else len(scores)
        if not best:
            return [], total, counts
        matched, phrases = _matched_terms(q, engine.reader)
        hits = []
        for docnum in best:
            # A phrase is marked as a whole, and only in the hits that contain it: marking
            # its words one by one lit every "sexual" on a page for "sextortion".
            present = {
                tuple(_as_text(word) for word in phrase.words)
                for phrase in phrases
                if docnum in engine.scores(phrase)
            }
            hit = self._hit(engine.section_id(docnum), scores[docnum], matched, present)
            if hit is not None:
                hits.append(hit)
        return hits, total, counts

    def _themes_by_docnum(self, engine: _Engine) -> array[int]:
        """Each document's theme, as a position in the briefing's theme list, read once.

        Read from the ``theme`` field's postings (eight terms) rather than from stored
        fields, and kept for the life of this Whoosh searcher (at 100×: 3 ms, once).
        """
        if self._theme_of is None:
            reader = engine.reader
            other = len(self.briefing.themes)
            theme_of = array("H", [other]) * engine.doc_count
            for number, t in enumerate(self.briefing.themes):
                if ("theme", t.id) in reader:
                    for docnum in reader.postings("theme", t.id).all_ids():
                        theme_of[docnum] = number
            self._theme_of = theme_of
        return self._theme_of

    def _hit(
        self, section_id: str, score: float, matched: _Matched, phrases: set[tuple[str, ...]]
    ) -> Hit | None:
        section = self.briefing.section(section_id)
        if section is None:  # cannot happen with a verified index; skip rather than fail
            return None
        text = section.text
        matches = _match_spans(text, matched.words_in(text), phrases)
        words = {text[start:end] for start, end in matches}
        snippet, spans = _snippet(text, matches)
        theme = self.briefing.theme(section.theme_id)
        document = self.briefing.document(section.document_id)
        return Hit(
            id=section.id,
            theme=section.theme_id,
            theme_title=theme.title if theme else section.theme_id,
            document=section.document_id,
            document_title=document.title if document else section.document_id,
            section=section.title,
            score=round(score, 4),
            snippet=snippet,
            snippet_spans=spans,
            text=section.text,
            matched_words=tuple(sorted(words, key=lambda w: (w.lower(), w))),  # stable order
            speaker=section.speaker.label() if section.speaker else None,
        )

    def _suggest(self, searcher: WhooshSearcher, text: str) -> str | None:
        reader = searcher.reader()
        changed = False
        out: list[str] = []
        last = 0
        for match in _WORD.finditer(_THEME_FILTER.sub(lambda m: " " * len(m.group(0)), text)):
            word = match.group(0)
            out.append(text[last : match.start()])
            last = match.end()
            lower = word.lower()
            if word in _OPERATORS or len(lower) < 3 or (("exact", lower) in reader):
                out.append(word)
                continue
            # One edit away first, two only if nothing is: Whoosh ranks every word within
            # ``maxdist`` by frequency alone, so maxdist=2 offered "growing" for "grroming".
            # One edit is also 3-4× cheaper (bench: 0.5 against 1.5-3 ms per word at 1×).
            found = searcher.suggest("exact", lower, limit=1, maxdist=1, prefix=1)
            found = found or searcher.suggest("exact", lower, limit=1, maxdist=2, prefix=1)
            if found:
                out.append(found[0])
                changed = True
            else:
                out.append(word)
        out.append(text[last:])
        return "".join(out).strip() if changed else None


Scores = Mapping[int, float]  # document number → score, for every document that matches

# Postings kept in memory per Whoosh searcher, at most: about 100 bytes each in a dict, so
# about 50 MB. The bundled briefing has 12,117 in all; at 1000× a common word alone
# has 60,000 a field, and the cache is emptied when it would pass this.
CACHED_POSTINGS = 500_000


class _Engine:
    """Runs a parsed Whoosh query over postings read once per searcher and kept in memory.

    Whoosh answers a query by walking a tree of matchers in Python, a posting at a time,
    and reads each term's postings anew for every query. For the briefing that was the
    larger part of a search (bench, 1×: 0.6 of 1.9 ms a query in Whoosh's collector, 0.4
    in counting per theme). Here each term's postings are read once into a dict of BM25F
    scores (a term's score in a document does not depend on the query), and the query's
    ANDs, ORs and NOTs become dict and set operations, most of them in C.

    The scores are Whoosh's own, computed with its BM25F formula and statistics, so the
    ranking is the one Whoosh gives (tests/core/test_search_engine.py compares the two over
    every kind of query). Two differences: Whoosh adds 1 for each NOT a document is matched
    through (its inverse matcher scores 1), which this does not; and Whoosh's AndNot matcher
    keeps the first document of ``a ANDNOT b`` when ``b`` has it ("accept -can" listed a
    passage with "can"), which this excludes. A node this does not know is handed to
    Whoosh's matcher.
    """

    def __init__(self, searcher: WhooshSearcher) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.doc_count = searcher.doc_count_all()
        # (field, word) or (field, (word, word, …)) of a phrase → its scores, read once.
        self._terms: dict[tuple[str, bytes | tuple[bytes, ...]], dict[int, float]] = {}
        self._cached = 0
        self._lengths: dict[str, array[int]] = {}  # field → each document's length, or 0
        self._section_ids: dict[int, str] = {}

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
            found = _union([self.scores(child) for child in q.subqueries])
        elif isinstance(q, query.And) and _has_positive(q):
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
        found = self._terms.get(key)
        if found is not None:
            return found
        if key not in self.reader:
            found = {}
        else:
            searcher = self.searcher
            weighting = searcher.weighting
            # BM25FScorer's sums, from the same statistics (whoosh/scoring.py).
            idf = searcher.idf(fieldname, text)
            average = searcher.avg_field_length(fieldname) or 1
            b = weighting._field_B.get(fieldname, weighting.B)
            k1 = weighting.K1
            lengths = self._field_lengths(fieldname)
            found = {}
            matcher = self.reader.postings(fieldname, text)
            while matcher.is_active():
                docnum = matcher.id()
                length = lengths[docnum] or self._read_length(fieldname, docnum)
                found[docnum] = bm25(idf, matcher.weight(), length, average, b, k1)
                matcher.next()
        self._keep(key, found)
        return found

    def _keep(self, key: tuple[str, bytes | tuple[bytes, ...]], found: dict[int, float]) -> None:
        if self._cached + len(found) > CACHED_POSTINGS:
            self._terms.clear()
            self._cached = 0
        self._terms[key] = found
        self._cached += len(found)

    def _field_lengths(self, fieldname: str) -> array[int]:
        found = self._lengths.get(fieldname)
        if found is None:
            found = self._lengths[fieldname] = array("I", [0]) * self.doc_count
        return found

    def _read_length(self, fieldname: str, docnum: int) -> int:
        """A document's length in a field, read once: Whoosh reads it from the index file
        each time, which was a third of a first search at 100× (cProfile: 0.35 of 0.9 s)."""
        length = self.searcher.doc_field_length(docnum, fieldname, 1) or 1
        self._lengths[fieldname][docnum] = length
        return int(length)

    def _expansions(self, q: query.Prefix | query.FuzzyTerm) -> Scores:
        """A prefix or fuzzy term: the OR of the words it stands for, as Whoosh scores it.

        A passage with "regulation", "regulators" and "regulatory" ranks above one with
        only one of them for ``regulat*``.
        """
        return _union([self.term(field, text) for field, text in q.expanded_terms(self.reader)])

    def _can_match(self, q: query.Phrase) -> bool:
        field = self.searcher.schema[q.fieldname]
        return q.slop == 1 and bool(field.format) and field.format.supports("positions")

    def _phrase(self, q: query.Phrase) -> Scores:
        """The documents with the words next to each other, scored as Whoosh's SpanNear2:
        the sum of the words' scores there.

        Kept like a term's: decoding word positions was most of a phrase's cost (at 100×,
        "child sexual abuse material" took 20 ms a search, and the synonyms of CSAM
        bring in that phrase whenever one of them is typed).
        """
        words = [self._bytes(q.fieldname, word) for word in q.words]
        key = (q.fieldname, tuple(words))
        cached = self._terms.get(key)
        if cached is not None:
            return cached
        each = [self.term(q.fieldname, word) for word in words]
        if not all(each):
            return {}
        candidates = sorted(_intersection(each, set()))
        places = [_positions(self.reader, q.fieldname, word, candidates) for word in words]
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


def _positions(
    reader: object, fieldname: str, text: bytes, docs: list[int]
) -> dict[int, frozenset[int]]:
    """A term's word positions in each of ``docs`` (ascending), decoded for those only.

    Read a block at a time, as _read_postings does: skipping to each document through the
    matcher was half the time of a phrase at 100× (cProfile: 0.29 of 0.61 s).
    """
    matcher = reader.postings(fieldname, text)  # type: ignore[attr-defined]
    found: dict[int, frozenset[int]] = {}
    if type(matcher) is not W3LeafMatcher:  # an index of several segments
        for docnum in docs:
            matcher.skip_to(docnum)
            found[docnum] = frozenset(matcher.value_as("positions"))
        return found
    decode = matcher.format.decoder("positions")
    wanted = set(docs)
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


def _has_positive(q: query.Query) -> bool:
    if isinstance(q, query.Not):
        return False
    if isinstance(q, query.AndNot):
        return _has_positive(q.a)
    if isinstance(q, query.compound.CompoundQuery):
        return any(_has_positive(child) for child in q.subqueries)
    return q is not query.NullQuery


def _restrict(q: query.Query, notes: list[str]) -> query.Query:
    """Keep expensive or meaningless parts of a parsed query from running.

    Prefixes and fuzzy terms run only on the unstemmed ``exact`` field; prefixes need
    MIN_PREFIX letters and other wildcards are not supported, so that ``*`` or ``a*`` never
    enumerates the whole vocabulary.
    """
    if isinstance(q, query.Every):
        notes.append("“*” on its own is not a search; type a word.")
        return query.NullQuery
    if isinstance(q, query.FuzzyTerm):
        if q.fieldname != "exact":
            return query.NullQuery
        # Scored, not constant: the words it stands for are ORed and their scores added.
        return query.FuzzyTerm(
            "exact", q.text, maxdist=min(q.maxdist, 2), prefixlength=1, constantscore=False
        )
    if isinstance(q, query.Prefix):
        if q.fieldname != "exact":
            return query.NullQuery
        if len(q.text) < MIN_PREFIX:
            notes.append(f"A word ending in * needs at least {MIN_PREFIX} letters before the *.")
            return query.NullQuery
        return query.Prefix("exact", q.text, boost=q.boost, constantscore=False)
    if isinstance(q, query.Wildcard):
        if q.fieldname == "exact":
            notes.append("Only a * at the end of a word is supported, as in “groom*”.")
        return query.NullQuery
    if isinstance(q, query.Phrase) and q.fieldname == "exact":
        return query.NullQuery  # ``exact`` stores no positions; the stemmed fields match phrases
    return q.apply(lambda child: _restrict(child, notes))


_HYPHENATED = re.compile(r'(?<![\w"*~-])([^\W_]+(?:-[^\W_]+)+)(?![\w*~-])')


def _hyphenated_as_phrases(text: str, *, keep_last: bool) -> str:
    """ "link-sharing" means the phrase "link sharing", not link AND NOT sharing.

    While typing, the last hyphenated word becomes separate words instead, so that its last
    part can still match as a prefix ("link-shar").
    """
    matches = [m for m in _HYPHENATED.finditer(text) if not text[: m.start()].count('"') % 2]
    for number, match in reversed(list(enumerate(matches))):
        words = match.group(1).replace("-", " ")
        last = keep_last and number == len(matches) - 1 and not text[match.end() :].strip()
        replacement = words if last else f'"{words}"'
        text = text[: match.start()] + replacement + text[match.end() :]
    return text


def _prefix_last_word(text: str) -> str:
    """While typing, the last word also matches as a prefix: "sextorti" finds "sextortion"."""
    match = re.search(r"(?:^|\s)([^\W_]+)$", text)
    if match is None or len(match.group(1)) < MIN_PREFIX:
        return text
    if match.group(1) in _OPERATORS or text[: match.start(1)].count('"') % 2:
        return text
    word = match.group(1)
    return f"{text[: match.start(1)]}({word} OR {word}*)"


def _synonym_patterns(groups: Iterable[tuple[str, ...]]) -> list[tuple[re.Pattern[str], str]]:
    patterns: list[tuple[re.Pattern[str], str]] = []
    for group in groups:
        alternatives = " OR ".join(f'"{t}"' if re.search(r"[\s-]", t) else t for t in group)
        for term in group:
            words = [re.escape(w) for w in term.split()]
            # A term typed as a word or phrase (not already part of a prefix, field or phrase).
            pattern = re.compile(
                r'(?<![\w*~"-])"?' + r"\s+".join(words) + r'"?(?![\w*~-])', re.IGNORECASE
            )
            patterns.append((pattern, f"({alternatives})"))
    # Longest terms first, so "child sexual abuse material" wins over a shorter member.
    patterns.sort(key=lambda p: -len(p[0].pattern))
    return patterns


def _expand_synonyms(text: str, patterns: list[tuple[re.Pattern[str], str]]) -> str:
    """Rewrite a term people know under several names into an OR of all of them.

    Done on the query text, before parsing, so that a word ("sextortion"), the same thing
    typed as words ("sexual extortion") or as a phrase all find each other.
    """
    spans: list[tuple[int, int, str]] = []
    for pattern, replacement in patterns:
        for match in pattern.finditer(text):
            quoted = match.group(0).startswith('"') != match.group(0).endswith('"')
            if quoted or any(s < match.end() and match.start() < e for s, e, _ in spans):
                continue
            inside_phrase = text[: match.start()].count('"') % 2 == 1
            if inside_phrase:
                continue
            spans.append((match.start(), match.end(), replacement))
    for start, end, replacement in sorted(spans, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


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
def _words(text: str) -> _Words:
    """A section's words, computed once per text.

    Tokenizing and stemming each hit's text with Whoosh's analyzers on every query was a
    third of a 1× search (bench: 0.27 of 0.60 s for 50 queries, in cProfile); the same
    sections come back query after query, so they are tokenized once, and indexed by word
    so that marking a hit looks its matches up rather than walking every word (bench, 1×:
    marking and cutting the snippets of a query's hits 0.44 → 0.24 ms). Keyed by the text,
    whose hash Python caches on the string; 4096 sections is about 20 MB at most.
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
class _Matched:
    """The words a query matches, for highlighting: stems, exact words and prefixes."""

    stems: frozenset[str]
    exact: frozenset[str]
    prefixes: tuple[str, ...]

    def words_in(self, text: str) -> frozenset[str]:
        """The lower-case words of ``text`` that these terms match.

        Looked up in the text's word index, rather than checking each of its words.
        """
        words = _words(text)
        found = set(self.exact.intersection(words.at))
        for stemmed in self.stems.intersection(words.by_stem):
            found |= words.by_stem[stemmed]
        if self.prefixes:
            found.update(lower for lower in words.at if lower.startswith(self.prefixes))
        return frozenset(found)


def _matched_terms(q: query.Query, reader: object) -> tuple[_Matched, list[query.Phrase]]:
    """What the query's positive terms match, read from the query rather than per hit.

    Asking Whoosh for each hit's matched terms (``terms=True``) records them for *every*
    matching document, not just the ten shown, and forces the slower union matchers
    (bench, 1×: dropping it, with the counting in _execute, took search p95 from 7.7 to
    4.4 ms). A word of a hit's text is marked if one of the query's positive terms stands for
    it, which is what ``terms=True`` reported: a term present in the text matched there.
    Phrases are the exception: their words count only where the phrase is, so they are
    returned apart, to be checked against each hit.
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
            exact.update(_as_text(word) for _, word in node.expanded_terms(reader))
        elif isinstance(node, query.Term):
            word = _as_text(node.text)
            if node.fieldname != "exact":
                stems.add(word)
            elif word not in _STOP_WORDS:  # "by" in "safety by design" is not worth a mark
                exact.add(word)
        elif isinstance(node, query.Phrase):
            phrases.append(node)
        else:
            for child in node.children():
                walk(child)

    walk(q)
    return _Matched(frozenset(stems), frozenset(exact), tuple(prefixes)), phrases


def _as_text(term: object) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else str(term)


_STOP_WORDS = frozenset(STOP_WORDS)


def _match_spans(
    text: str, lowers: frozenset[str], phrases: set[tuple[str, ...]]
) -> tuple[tuple[int, int], ...]:
    """Where ``text`` matches: each word in ``lowers``, and each phrase as one span.

    A phrase is a run of stems as the stemmed fields index them, stop words and one-letter
    words left out ("safety by design" is safeti, design), so the same words are skipped here.
    """
    words = _words(text)
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
    return len(lower) >= 2 and lower not in _STOP_WORDS


def _fragments(
    text: str, spans: tuple[tuple[int, int], ...]
) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """The two best fragments (start, end, matches), in text order.

    This is Whoosh's ContextFragmenter(maxchars=SNIPPET_CHARS, surround=70), scored by
    BasicFragmentScorer and ordered FIRST, as the app used before, rewritten over the cached
    tokens: the same fragments, without re-tokenizing the text on every query. Between
    fragments it jumps from match to match instead of stepping through every word (cProfile,
    1×: 1.39 → 0.54 s for 2,600 searches), with the same fragments as a result.
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
    text_words = _words(text)
    tokens, starts = text_words.tokens, text_words.starts
    count = len(tokens)
    while count and tokens[count - 1][1] > highlight.DEFAULT_CHARLIMIT:
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


def _snippet(
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


def _dedupe(message: str) -> str:
    seen: list[str] = []
    for sentence in re.split(r"(?<=\.)\s+", message.strip()):
        if sentence and sentence not in seen:
            seen.append(sentence)
    return " ".join(seen)
