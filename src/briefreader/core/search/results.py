"""What search gives back: frozen values, with no Whoosh in them.

The window imports these before its first paint, so this module imports nothing of Whoosh
(tests/ui/test_startup.py checks that Whoosh is not loaded before the first frame).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

# Told (sections indexed, of how many) while an index is built; called a bounded number of
# times, not once per section (see index.ProgressThrottle).
Progress = Callable[[int, int], None]
# Asked between documents while an index is built: True stops the build.
CancelCheck = Callable[[], bool]


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
