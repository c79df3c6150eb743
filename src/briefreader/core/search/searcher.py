"""The search facade: ``SearchIndex`` and the per-thread ``Searcher`` the app and CLI use.

Following one query: ``query`` plans the typed text, ``parsing`` turns it into a Whoosh
query, ``engine`` scores it over postings kept in memory, ``snippets`` marks and cuts the
best hits, and this module counts per theme, ranks and returns frozen ``results``.
"""

from __future__ import annotations

import heapq
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice

from whoosh import qparser, query

from briefreader.core.search.answers import FigureAnswers
from briefreader.core.search.engine import Engine, WhooshSearcher
from briefreader.core.search.exact import ExactEngine, exact_keys, exact_spans
from briefreader.core.search.index import IndexStore, schema
from briefreader.core.search.parsing import Parsers, UnparsableError, has_positive
from briefreader.core.search.query import (
    OPERATORS,
    THEME_FILTER,
    WORD,
    QueryPlan,
    QueryPlanner,
)
from briefreader.core.search.results import Hit, SearchResult
from briefreader.core.search.snippets import (
    Matched,
    as_text,
    match_spans,
    matched_terms,
    section_words,
    snippet,
)

# "Did you mean" corrects words of up to this many letters (the briefing's longest has 20):
# Whoosh's look-up two edits away grows with the word's length, and took 1.2 s for a
# 1,000-letter one.
MAX_SUGGESTED_WORD = 40
WARM_MAX_DOCUMENTS = 2_000  # read ahead only an index this small (see Searcher.warm)
WARM_STEP = 100  # words or sections read ahead at a time: short enough to search between


class SearchIndex(IndexStore):
    """The briefing's index (see :class:`IndexStore`), and searchers over it."""

    def searcher(self) -> Searcher:
        """A searcher for the calling thread: keep it, and use it from that thread only."""
        return Searcher(self)


class Searcher:
    """Runs queries for one thread, over a long-lived Whoosh searcher.

    Never share one between threads: a Whoosh searcher used from two threads at once gave
    wrong results. It
    reopens by itself when the index is rebuilt, and rebuilds the index once if searching
    it fails, since damage can surface at search time as any exception.
    """

    def __init__(self, owner: IndexStore) -> None:
        self.owner = owner
        self.briefing = owner.briefing
        self._searcher: WhooshSearcher | None = None
        self._generation = -1
        self._parsers = Parsers(schema())
        self._planner = QueryPlanner(self.briefing)
        self._answers = FigureAnswers(self.briefing)
        # Per Whoosh searcher: its engine, and each document's theme.
        self._engine: ExactEngine | None = None
        self._warming: Iterator[None] | None = None
        self._theme_of: array[int] | None = None

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._warming = None

    def warm(self, steps: int = WARM_STEP) -> bool:
        """Read ahead, a little at a time, what first searches would read: True if more.

        The first search of a word read its postings, and the first result from a section
        tokenized it for the snippet: in the window, the slowest keystrokes were these
        first times, about ten times a typical one. For an index of up to
        WARM_MAX_DOCUMENTS documents, every word's postings and every section's words are
        read ahead, ``steps`` at a time, so that a caller can answer searches in between,
        and the words "did you mean" looks among (Engine.vocabulary).
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
            section_words(section.text)
            yield
        engine.vocabulary("exact")  # "did you mean"'s words: about 2 ms at 1×
        yield
        for fieldname, text in engine.reader.all_terms():
            if fieldname in ("title", "body", "speaker", "exact"):
                engine.term(fieldname, text)
                yield

    def _whoosh(self) -> WhooshSearcher:
        ix, generation = self.owner.whoosh_index()
        if self._searcher is None or generation != self._generation:
            self.close()
            self._engine = ExactEngine(ix)
            self._engine.text_of = self._searchable_text
            self._searcher = self._engine.searcher
            self._generation = generation
            self._theme_of = None
        return self._searcher

    def _searchable_text(self, docnum: int) -> str:
        """A document's words as indexed (title, text, speaker): where a quoted phrase must be."""
        assert self._engine is not None
        section = self.briefing.section(self._engine.section_id(docnum))
        if section is None:
            return ""
        speaker = section.speaker.label() if section.speaker else ""
        return f"{section.title}\n\n{section.text}\n\n{speaker}"

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
        reopened = rebuilt = False
        while True:
            try:
                return self._run(text, plan, max(1, min(limit, 200)), as_you_type)
            except UnparsableError:
                # The query, not the index: say so, and do not rebuild anything. Whoosh's
                # parser raised IndexError for "able NOT -able OR able".
                message = (
                    "This search could not be understood. Try it with fewer of "
                    "AND, OR, NOT, - and quotation marks."
                )
                return SearchResult(text, (), 0, (), message=message, theme=plan.theme)
            except Exception as error:  # a damaged index fails with any exception type
                stale = self._generation != self.owner.generation
                self.close()
                if stale and not reopened:
                    # Another thread swapped in a new index, and this searcher's folder may
                    # have been cleaned away under it: try the new one before rebuilding.
                    reopened = True
                    continue
                if rebuilt:
                    return _unavailable(text, plan, f"the index failed ({error})")
                rebuilt = True
                try:
                    self.owner.rebuild(f"searching failed ({type(error).__name__}: {error})")
                except Exception as failure:  # never let a search take its thread down
                    return _unavailable(
                        text,
                        plan,
                        f"the index could not be rebuilt ({type(failure).__name__}: {failure})",
                    )

    # -- planning --------------------------------------------------------------------------

    def _plan(self, text: str, theme: str | None, as_you_type: bool) -> QueryPlan:
        return self._planner.plan(text, theme, as_you_type)

    # -- running ---------------------------------------------------------------------------

    def _parse(
        self, text: str, group: type[qparser.syntax.GroupNode]
    ) -> tuple[query.Query, list[str]]:
        return self._parsers.parse(text, group)

    def _run(
        self, original: str, plan: QueryPlan, limit: int, as_you_type: bool = False
    ) -> SearchResult:
        searcher = self._whoosh()
        q, notes = self._parse(plan.text, qparser.AndGroup)
        notes = [*plan.notes, *notes]
        if q is query.NullQuery or not has_positive(q):
            message = " ".join(notes) or "Nothing to search for: add a word that is not excluded."
            return SearchResult(original, (), 0, (), message=_dedupe(message), theme=plan.theme)

        engine = self._engine
        assert engine is not None
        answers = self._answers.answer(plan.typed, theme=plan.theme)
        # A question's answer first: the passages that state its figures lead.
        first = [a.section_id for a in answers] if plan.question is not None else []
        hits, total, counts = self._execute(engine, q, plan, limit, first)
        partial = False
        suggestion = None
        if not hits and not plan.exact and not (as_you_type and _unfinished(plan.typed)):
            # Nothing for what was typed: a close spelling that has hits is shown at once,
            # saying so, as the common search engines do (quoted words are never changed).
            suggestion = self._suggest(searcher, plan.typed, typing=as_you_type)
            if suggestion is not None:
                instead = self._corrected(original, suggestion, plan, limit, as_you_type)
                if instead is not None:
                    return instead
        if not hits:
            q_any, _ = self._parse(plan.text, qparser.OrGroup)
            if q_any != q:
                hits, total, counts = self._execute(engine, q_any, plan, limit, first)
                partial = bool(hits)
        if (not hits or partial) and suggestion is None:
            suggestion = self._suggest(searcher, plan.typed)
        if engine.capped is not None and hits:
            notes.append(_capped_note(*engine.capped))
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
            answers=answers,
            expansions=plan.expansions,
            ignored=plan.ignored,
        )

    def _corrected(
        self, original: str, suggestion: str, typed: QueryPlan, limit: int, as_you_type: bool
    ) -> SearchResult | None:
        """The results for ``suggestion``, if it has any, said to be instead of the typed."""
        plan = self._plan(suggestion, typed.theme, as_you_type)
        if plan.theme == "" or not plan.text.strip():
            return None
        engine = self._engine
        assert engine is not None
        q, _ = self._parse(plan.text, qparser.AndGroup)
        if q is query.NullQuery or not has_positive(q):
            return None
        answers = self._answers.answer(suggestion, theme=plan.theme)
        first = [a.section_id for a in answers] if plan.question is not None else []
        hits, total, counts = self._execute(engine, q, plan, limit, first)
        if not hits:
            return None
        notes = list(typed.notes)
        if engine.capped is not None:
            notes.append(_capped_note(*engine.capped))
        return SearchResult(
            original,
            tuple(hits),
            total,
            counts,
            message=_dedupe(" ".join(notes)),
            theme=plan.theme,
            answers=answers,
            expansions=plan.expansions,
            searched_instead=suggestion,
            ignored=plan.ignored,
        )

    def _execute(
        self,
        engine: ExactEngine,
        q: query.Query,
        plan: QueryPlan,
        limit: int,
        first: Sequence[str] = (),
    ) -> tuple[list[Hit], int, tuple[tuple[str, int], ...]]:
        theme = plan.theme
        exact = exact_keys(plan.exact)
        engine.exact = exact
        engine.typing_prefix = plan.typing_prefix.encode("utf-8") or None
        engine.capped = None
        try:
            scores = engine.scores(q)
        finally:
            engine.exact = {}
            engine.typing_prefix = None
        ranked = scores
        if first:
            # Promoted above every other score, in the order given.
            ranked = dict(scores)
            top = max(scores.values(), default=0.0) + len(first)
            for number, section_id in enumerate(first):
                for docnum in engine.term("id", section_id.encode("utf-8")):
                    if docnum in ranked:
                        ranked[docnum] = max(ranked[docnum], top - number)
        themes = self._themes_by_docnum(engine)
        tally = Counter(map(themes.__getitem__, scores))  # documents per theme, counted in C
        counts = tuple(
            (t.id, tally[number]) for number, t in enumerate(self.briefing.themes) if tally[number]
        )
        candidates: Iterable[int] = scores
        if theme is not None:
            wanted = next(n for n, t in enumerate(self.briefing.themes) if t.id == theme)
            candidates = [docnum for docnum in scores if themes[docnum] == wanted]
        best = _best(ranked, candidates, limit)
        total = tally[wanted] if theme is not None else len(scores)
        if not best:
            return [], total, counts
        matched, phrases = matched_terms(q, engine)  # fuzzy terms: engine.terms_within
        if exact:
            # A quoted phrase is marked where its very words are, and nowhere else: not its
            # stems, not the stemmed phrase ("safety in the design" for "safety by design").
            single = {key[0] for key in exact if len(key) == 1}
            matched = Matched(matched.stems - single, matched.exact, matched.prefixes)
            phrases = [p for p in phrases if tuple(as_text(w) for w in p.words) not in exact]
        hits = []
        for docnum in best:
            # A phrase is marked as a whole, and only in the hits that contain it: marking
            # its words one by one lit every "sexual" on a page for "sextortion".
            present = {
                tuple(as_text(word) for word in phrase.words)
                for phrase in phrases
                if docnum in engine.scores(phrase)
            }
            hit = self._hit(engine.section_id(docnum), scores[docnum], matched, present, plan)
            if hit is not None:
                hits.append(hit)
        return hits, total, counts

    def _themes_by_docnum(self, engine: Engine) -> array[int]:
        """Each document's theme, as a position in the briefing's theme list, read once.

        Read from the ``theme`` field's postings (eight terms) rather than from stored
        fields, a block at a time, and kept for the life of this Whoosh searcher.
        """
        if self._theme_of is None:
            other = len(self.briefing.themes)
            theme_of = array("H", [other]) * engine.doc_count
            for number, t in enumerate(self.briefing.themes):
                for docnum in engine.doc_ids("theme", t.id):
                    theme_of[docnum] = number
            self._theme_of = theme_of
        return self._theme_of

    def _hit(
        self,
        section_id: str,
        score: float,
        matched: Matched,
        phrases: set[tuple[str, ...]],
        plan: QueryPlan | None = None,
    ) -> Hit | None:
        section = self.briefing.section(section_id)
        if section is None:  # cannot happen with a verified index; skip rather than fail
            return None
        text = section.text
        matches = match_spans(text, matched.words_in(text), phrases)
        if plan is not None and plan.exact:
            extra = [span for words in plan.exact for span in exact_spans(text, words)]
            matches = _merged([*matches, *extra])
        words = {text[start:end] for start, end in matches}
        expansions: tuple[str, ...] = ()
        if plan is not None and plan.expansions:
            found = {" ".join(w.lower().split()) for w in words}
            expansions = tuple(
                name for _, others in plan.expansions for name in others if name.lower() in found
            )
        cut, spans = snippet(text, matches)
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
            snippet=cut,
            snippet_spans=spans,
            text=section.text,
            matched_words=tuple(sorted(words, key=lambda w: (w.lower(), w))),  # stable order
            speaker=section.speaker.label() if section.speaker else None,
            expansions=expansions,
        )

    def _suggest(self, searcher: WhooshSearcher, text: str, typing: bool = False) -> str | None:
        """``text`` with each word the index does not have spelt as a close one it has.

        ``typing``: the last word, still being typed, is kept if words start with it
        ("grroming platf" is "grooming platf", which finds "platforms", not "play").
        """
        reader = searcher.reader()
        changed = False
        out: list[str] = []
        last = 0
        for match in WORD.finditer(THEME_FILTER.sub(lambda m: " " * len(m.group(0)), text)):
            word = match.group(0)
            out.append(text[last : match.start()])
            last = match.end()
            lower = word.lower()
            if (
                word in OPERATORS
                or not 3 <= len(lower) <= MAX_SUGGESTED_WORD
                or ("exact", lower) in reader
            ):
                out.append(word)
                continue
            if (
                typing
                and match.end() == len(text)
                and next(iter(reader.expand_prefix("exact", lower)), None) is not None
            ):
                out.append(word)
                continue
            # One edit away first, two only if nothing is: Whoosh ranks every word within
            # ``maxdist`` by frequency alone, so maxdist=2 offered "growing" for "grroming".
            # One edit is also several times cheaper to look up than two.
            engine = self._engine
            assert engine is not None
            found = engine.suggest("exact", lower, limit=1, maxdist=1, prefix=1)
            found = found or engine.suggest("exact", lower, limit=1, maxdist=2, prefix=1)
            if found:
                out.append(found[0])
                changed = True
            else:
                out.append(word)
        out.append(text[last:])
        return "".join(out).strip() if changed else None


def _capped_note(prefix: str, searched: int, words: int) -> str:
    return (
        f"Words starting with “{prefix}”: the {searched} most used of {words:,} were searched. "
        f"Type more letters, or end the word with * to search them all."
    )


def _best(ranked: Mapping[int, float], candidates: Iterable[int], limit: int) -> list[int]:
    """The ``limit`` best candidates, best first; equal scores in index order, as Whoosh's
    collector ranks them.

    The ``limit``-th best score is found among the bare scores (compared in C), and only the
    candidates at or above it are sorted: a key function called for every candidate was a
    fifth of a three-letter prefix's search at 1000× (84,000 matches for "chi").
    """
    candidates = list(candidates)
    if len(candidates) > limit:
        every = len(candidates) == len(ranked)  # not filtered by theme
        scores: Iterable[float] = ranked.values() if every else map(ranked.__getitem__, candidates)
        lowest = heapq.nlargest(limit, scores)[-1]
        candidates = [d for d in candidates if ranked[d] >= lowest]
    candidates.sort(key=lambda d: (-ranked[d], d))
    return candidates[:limit]


# While typing, a last word shorter than this is taken as unfinished, not as a typo: "grro"
# is on its way to "grroming", not a misspelt "grow".
MIN_CORRECTED = 5


def _unfinished(text: str) -> bool:
    words = WORD.findall(text)
    return bool(words) and not text[-1:].isspace() and len(words[-1]) < MIN_CORRECTED


def _merged(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def _unavailable(text: str, plan: QueryPlan, why: str) -> SearchResult:
    return SearchResult(text, (), 0, (), message=f"Search is unavailable: {why}.", theme=plan.theme)


def _dedupe(message: str) -> str:
    seen: list[str] = []
    for sentence in re.split(r"(?<=\.)\s+", message.strip()):
        if sentence and sentence not in seen:
            seen.append(sentence)
    return " ".join(seen)
