"""What search gives back: frozen values, with no Whoosh in them.

The window imports these before its first paint, so this module imports nothing of Whoosh
(tests/ui/test_startup.py checks that Whoosh is not loaded before the first frame).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

# Told (sections indexed, of how many) while an index is built; called a bounded number of
# times, not once per section (see index.ProgressThrottle).
Progress = Callable[[int, int], None]


class Cancellable(Protocol):
    """A cancel token, such as the window's background tasks hand their work."""

    @property
    def cancelled(self) -> bool: ...


# Asked between documents while an index is built: True (or a token's ``cancelled``) stops it.
CancelCheck = Callable[[], bool] | Cancellable


class BuildCancelledError(Exception):
    """An index build was cancelled: nothing of it was kept, and the index in use is unchanged."""


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
    # Other names of a typed term that this hit matched through ("sexual extortion" for
    # "sextortion"): its matches are marked like the typed word's.
    expansions: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["snippet_spans"] = [list(span) for span in self.snippet_spans]
        data["matched_words"] = list(self.matched_words)
        data["expansions"] = list(self.expansions)
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
class FigureAnswer:
    """A key figure that answers the query, with what a card shows and a copy cites."""

    figure_id: str
    value: str  # as the source writes it
    measure: str  # the app's summary of what it measures, in the source's words
    period: str
    source: str  # the organisation the source credits
    sentence: str  # the source's sentence that states it, verbatim ("" if not found)
    section_id: str
    section_title: str
    theme: str
    theme_title: str
    document_title: str
    score: float

    def to_json(self) -> dict[str, object]:
        return asdict(self)


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
    # Key figures that answer the query, best first: shown above the passages.
    answers: tuple[FigureAnswer, ...] = ()
    # Each typed term with other names, and the names also searched.
    expansions: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Nothing matched what was typed, and these hits are for this spelling instead.
    searched_instead: str | None = None
    ignored: tuple[str, ...] = ()  # question and stop words left out

    def explain(self) -> dict[str, object]:
        """What was searched, for ``search --explain``."""
        return {
            "query": self.query,
            "searched_instead": self.searched_instead,
            "ignored": list(self.ignored),
            "expansions": [{"typed": t, "also": list(o)} for t, o in self.expansions],
            "theme": self.theme,
            "total": self.total,
            "message": self.message,
            "suggestion": self.suggestion,
            "answers": [a.to_json() for a in self.answers],
            "hits": [h.to_json() for h in self.hits],
        }


@dataclass(frozen=True, slots=True)
class IndexStatus:
    path: Path | None  # None when the index is kept in memory
    built: bool  # built in this call, rather than reused
    reason: str  # why it was (re)built, or "reused"
    seconds: float
    documents: int
    warning: str = ""  # e.g. the cache folder could not be written
