"""Quoted phrases mean exactly these words, in this order: checked against the text.

The stemmed fields drop stop words and stem the rest, so the phrase Whoosh runs for
``"safety by design"`` is (safeti, design), which "safety in the design of products" also
has; and a quoted single word is a stemmed term ("groom" finds "grooming"). The ``exact``
field keeps every word but stores no positions (bench/README.md: positions there made the
build and the index bigger for every query, for the few that quote). So the stemmed phrase
or term finds the candidates, and each candidate's own words are checked here: the quoted
words, lower-case, one after the other, as the index's tokenizer cuts the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache

from whoosh import query
from whoosh.analysis import StemmingAnalyzer

from briefreader.core.search.engine import Engine, Scores
from briefreader.core.search.snippets import section_words

_STEMMED_FIELDS = frozenset({"title", "body", "speaker"})
_analyzer = StemmingAnalyzer()  # the stemmed fields' analyzer (index.schema)

Phrase = tuple[str, ...]  # lower-case words


def stemmed_key(words: Phrase) -> tuple[str, ...]:
    """The words the stemmed fields keep of a phrase, as the parsed query holds them."""
    return tuple(token.text for token in _analyzer(" ".join(words)))


def exact_keys(phrases: Iterable[Phrase]) -> dict[tuple[str, ...], tuple[Phrase, ...]]:
    """Stemmed words → the quoted phrases that the parsed term or phrase stands for."""
    keys: dict[tuple[str, ...], tuple[Phrase, ...]] = {}
    for phrase in phrases:
        key = stemmed_key(phrase)
        if key:
            keys[key] = (*keys.get(key, ()), phrase)
    return keys


def has_phrase(text: str, phrase: Phrase) -> bool:
    """Whether ``text`` has the phrase's words one after the other, as the tokenizer cuts it.

    One regular-expression scan, not a tokenizing of the text: a common phrase at scale has
    thousands of candidates, and tokenizing each took seconds at 1000x. Tokens are maximal
    runs of ``\\w+(\\.?\\w+)*``, so a word starts where no word character (nor a word
    character and a dot) comes before, ends where none (nor a dot and a word character)
    comes after, and two tokens are parted by non-word characters other than one lone dot
    between word characters. ``exact_spans`` is the reference; a test holds the two equal.
    """
    return _pattern(phrase).search(text) is not None


@lru_cache(maxsize=256)
def _pattern(phrase: Phrase) -> re.Pattern[str]:
    between = r"(?:\W{2,}|[^\w.])"
    words = between.join(re.escape(word) for word in phrase)
    return re.compile(rf"(?<!\w)(?<!\w\.){words}(?!\w)(?!\.\w)", re.IGNORECASE)


def exact_spans(text: str, phrase: Phrase, *, first_only: bool = False) -> list[tuple[int, int]]:
    """Where ``text`` has the phrase's words one after the other ([start, end) each)."""
    words = section_words(text)
    tokens = words.tokens
    size = len(phrase)
    found = []
    for first in words.at.get(phrase[0], ()):
        if tuple(t[2] for t in tokens[first : first + size]) == phrase:
            found.append((tokens[first][0], tokens[first + size - 1][1]))
            if first_only:
                break
    return found


class ExactEngine(Engine):
    """The engine, with the quoted phrases of the current query held to their words.

    ``exact`` is set for each query (stemmed words → quoted phrases); ``text_of`` gives a
    document's title, text and speaker, in which a quoted phrase must appear.
    """

    exact: Mapping[tuple[str, ...], tuple[Phrase, ...]] = {}
    text_of: Callable[[int], str] | None = None

    def _may_keep_combined(self) -> bool:
        return not self.exact  # its words' scores hold for this query's quoted phrases only

    def scores(self, q: query.Query) -> Scores:
        found = super().scores(q)
        if not self.exact or self.text_of is None:
            return found
        if getattr(q, "fieldname", None) not in _STEMMED_FIELDS:
            return found
        if isinstance(q, query.Term):
            key: tuple[str, ...] = (_as_text(q.text),)
        elif isinstance(q, query.Phrase):
            key = tuple(_as_text(w) for w in q.words)
        else:
            return found
        phrases = self.exact.get(key)
        if not phrases:
            return found
        # Kept with the postings, so that each keystroke after a quoted phrase does not
        # check its candidates again: at 1000× "online safety" has 9,340 candidates, and
        # checking them took about 300 ms a search.
        kept_as = (
            f"{q.fieldname} quoted",
            tuple(" ".join(p).encode() for p in phrases) + key_of(q),
        )
        kept = self._kept(kept_as)
        if kept is None:
            text_of = self.text_of
            kept = {
                d: s for d, s in found.items() if any(has_phrase(text_of(d), p) for p in phrases)
            }
            self._keep(kept_as, kept)
        return kept


def key_of(q: query.Term | query.Phrase) -> tuple[bytes, ...]:
    """The stemmed words of the term or phrase, with its boost (which scales its scores)."""
    words = [q.text] if isinstance(q, query.Term) else q.words
    return (
        *(w if isinstance(w, bytes) else str(w).encode() for w in words),
        repr(q.boost).encode(),
    )


def _as_text(word: object) -> str:
    return word.decode("utf-8") if isinstance(word, bytes) else str(word)
