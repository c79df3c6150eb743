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
import json
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from whoosh import highlight, index, qparser, query, sorting
from whoosh.analysis import RegexTokenizer, StemmingAnalyzer
from whoosh.analysis.filters import LowercaseFilter
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.lang.porter import stem
from whoosh.scoring import BM25F
from whoosh.searching import Searcher as WhooshSearcher

from briefreader.core.model import Briefing, Section

# Bump when the schema or what is indexed changes: older indexes are then rebuilt.
SCHEMA_VERSION = "1"
APP_MARK = "briefreader-index"
POINTER = "CURRENT"
MANIFEST = "briefreader-manifest.json"
MIN_PREFIX = 3  # two-letter prefixes expand to thousands of terms at scale (facts.md)
MAX_QUERY_CHARS = 500
SNIPPET_CHARS = 220

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
        exact=TEXT(analyzer=_plain),
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


class SearchIndexError(Exception):
    """The index could neither be opened nor built."""


# --------------------------------------------------------------------------------------------
# Building and opening


def _hash_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class SearchIndex:
    """The briefing's index: opened or (re)built on demand, swapped in whole.

    Thread-safe: build it on a background thread, then give each thread its own
    :class:`Searcher` from :meth:`searcher`.
    """

    def __init__(self, briefing: Briefing, cache_dir: Path) -> None:
        self.briefing = briefing
        self.root = cache_dir / "index"
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
            _write_documents(ix, self.briefing, sections, progress)
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
            _write_documents(ix, self.briefing, sections, progress)
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
        pointer = self.root / f"{POINTER}.{uuid.uuid4().hex[:8]}.tmp"
        pointer.write_text(name, encoding="utf-8")
        pointer.replace(self.root / POINTER)
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
    briefing: Briefing,
    sections: tuple[Section, ...],
    progress: Callable[[int, int], None] | None,
) -> None:
    # One process, one segment: a single merged segment answers fastest (facts.md), and the
    # bundled briefing builds in well under a second this way.
    writer = ix.writer(limitmb=32)
    try:
        for number, section in enumerate(sections, start=1):
            speaker = section.speaker.label() if section.speaker else ""
            writer.add_document(
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
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


# --------------------------------------------------------------------------------------------
# Queries


_THEME_FILTER = re.compile(r'(?<!\S)theme:(?:"([^"]*)"|(\S*))', re.IGNORECASE)
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


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

    def _whoosh(self) -> WhooshSearcher:
        ix, generation = self.owner.whoosh_index()
        if self._searcher is None or generation != self._generation:
            self.close()
            self._searcher = ix.searcher(weighting=BM25F())
            self._generation = generation
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

    def theme_ids(self) -> list[str]:
        return [t.id for t in self.briefing.themes]

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
            resolved = self._resolve_theme(wanted)
            if resolved is None:
                names = ", ".join(t.title for t in self.briefing.themes)
                notes.append(f"No theme called “{wanted}”. Themes: {names}.")
                return _QueryPlan("", "", notes)
            chosen = resolved
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

    def _resolve_theme(self, wanted: str) -> str | None:
        key = re.sub(r"[\s_-]+", "-", wanted.lower()).strip("-")
        if not key:
            return None
        for t in self.briefing.themes:
            if key in (t.id, re.sub(r"\s+", "-", t.title.lower())):
                return t.id
        starts = [t.id for t in self.briefing.themes if t.id.startswith(key)]
        return starts[0] if len(starts) == 1 else None

    # -- running ---------------------------------------------------------------------------

    def _parse(
        self, text: str, group: type[qparser.syntax.GroupNode]
    ) -> tuple[query.Query, list[str]]:
        notes: list[str] = []
        parsed = self._parsers[group].parse(text)
        return _restrict(parsed, notes).normalize(), notes

    def _run(self, original: str, plan: _QueryPlan, limit: int) -> SearchResult:
        searcher = self._whoosh()
        q, notes = self._parse(plan.text, qparser.AndGroup)
        notes = plan.notes + notes
        if q is query.NullQuery or not _has_positive(q):
            message = " ".join(notes) or "Nothing to search for: add a word that is not excluded."
            return SearchResult(original, (), 0, (), message=_dedupe(message), theme=plan.theme)

        hits, total, counts = self._execute(searcher, q, plan.theme, limit)
        partial = False
        if not hits:
            q_any, _ = self._parse(plan.text, qparser.OrGroup)
            if q_any != q:
                hits, total, counts = self._execute(searcher, q_any, plan.theme, limit)
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
        self,
        searcher: WhooshSearcher,
        q: query.Query,
        theme: str | None,
        limit: int,
    ) -> tuple[list[Hit], int, tuple[tuple[str, int], ...]]:
        facet = sorting.FieldFacet("theme")
        everywhere = searcher.search(q, limit=limit, groupedby=facet, maptype=sorting.Count)
        raw_counts = everywhere.groups("theme")
        counts = tuple(
            (t.id, int(raw_counts[t.id])) for t in self.briefing.themes if raw_counts.get(t.id)
        )
        if theme is None:
            results = searcher.search(q, limit=limit, terms=True)
            total = sum(n for _, n in counts)
        else:
            results = searcher.search(q, limit=limit, terms=True, filter=query.Term("theme", theme))
            total = dict(counts).get(theme, 0)
        hits = [h for h in (self._hit(r) for r in results) if h is not None]
        return hits, total, counts

    def _hit(self, result: object) -> Hit | None:
        fields = result.fields()  # type: ignore[attr-defined]
        section = self.briefing.section(fields["id"])
        if section is None:  # cannot happen with a verified index; skip rather than fail
            return None
        stems: set[str] = set()
        exact: set[str] = set()
        for fieldname, term in result.matched_terms():  # type: ignore[attr-defined]
            word = term.decode("utf-8") if isinstance(term, bytes) else str(term)
            (exact if fieldname == "exact" else stems).add(word)
        words = _matching_words(section.text, stems, exact)
        snippet, spans = _snippet(section.text, words)
        theme = self.briefing.theme(section.theme_id)
        document = self.briefing.document(section.document_id)
        return Hit(
            id=section.id,
            theme=section.theme_id,
            theme_title=theme.title if theme else section.theme_id,
            document=section.document_id,
            document_title=document.title if document else section.document_id,
            section=section.title,
            score=round(float(result.score), 4),  # type: ignore[attr-defined]
            snippet=snippet,
            snippet_spans=spans,
            text=section.text,
            matched_words=tuple(sorted(words, key=str.lower)),
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
            found = searcher.suggest("exact", lower, limit=1, maxdist=2, prefix=1)
            if found:
                out.append(found[0])
                changed = True
            else:
                out.append(word)
        out.append(text[last:])
        return "".join(out).strip() if changed else None


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
        return query.FuzzyTerm("exact", q.text, maxdist=min(q.maxdist, 2), prefixlength=1)
    if isinstance(q, query.Prefix):
        if q.fieldname != "exact":
            return query.NullQuery
        if len(q.text) < MIN_PREFIX:
            notes.append(f"A word ending in * needs at least {MIN_PREFIX} letters before the *.")
            return query.NullQuery
        return q
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


def _matching_words(text: str, stems: set[str], exact: set[str]) -> set[str]:
    """The words of ``text``, as written, that a query's matched terms stand for."""
    words: set[str] = set()
    for token in _plain(text, chars=True):
        lower = token.text
        if lower in exact or _stem(lower) in stems:
            words.add(text[token.startchar : token.endchar])
    return words


_fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=70)


def _snippet(text: str, words: set[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The best fragments of ``text`` around ``words``, with the matches' offsets."""
    fragments = []
    if words:
        terms = frozenset(w.lower() for w in words)
        tokens = highlight.set_matched_filter(_plain(text, chars=True, removestops=False), terms)
        found = _fragmenter.fragment_tokens(text, tokens)
        fragments = highlight.top_fragments(
            found, 2, highlight.BasicFragmentScorer(), highlight.FIRST
        )
    if not fragments:
        cut = text[:SNIPPET_CHARS]
        if len(text) > SNIPPET_CHARS:
            cut = cut[: cut.rfind(" ")] + " …"
        return cut.replace("\n\n", " "), ()
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0

    def add(piece: str, match: bool = False) -> None:
        nonlocal length
        piece = piece.replace("\n\n", " ")
        if match:
            spans.append((length, length + len(piece)))
        plain.append(piece)
        length += len(piece)

    for number, fragment in enumerate(fragments):
        add("… " if fragment.startchar > 0 and number == 0 else " … " if number else "")
        position = fragment.startchar
        for token in sorted(fragment.matches, key=lambda t: t.startchar):
            if token.startchar < position:
                continue
            add(text[position : token.startchar])
            add(text[token.startchar : token.endchar], match=True)
            position = token.endchar
        add(text[position : fragment.endchar])
    if fragments[-1].endchar < len(text.rstrip()):
        add(" …")
    return "".join(plain), tuple(spans)


def _dedupe(message: str) -> str:
    seen: list[str] = []
    for sentence in re.split(r"(?<=\.)\s+", message.strip()):
        if sentence and sentence not in seen:
            seen.append(sentence)
    return " ".join(seen)
