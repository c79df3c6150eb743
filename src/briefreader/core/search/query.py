"""Query planning: what a typed query means, as text for Whoosh's parser.

Text to text, with no Whoosh and no index, so that each step can be tested alone: the
``theme:`` filter taken out, an unclosed quotation mark dropped, synonyms rewritten into an
OR of all their names, hyphenated words turned into phrases, and (while typing) the last
word also matched as a prefix. Stop words are left to the parser and the analyzers, as
Whoosh treats them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from briefreader.core.model import Briefing

# What a query may be, at most, before anything else looks at it: parsing, suggesting ("did
# you mean" looks each unknown word up, two edits away) and snippets all grow with it, and a
# pasted page took seconds to minutes (100,000 characters: 102 s; 10,000 words: 25 s, most
# of it suggestions). Real queries are a few words: the longest of the 25 in bench/ has 6,
# and a phrase quoted from the briefing rarely passes 30. 32 words, 1,000 characters (a
# paragraph) leave room for a long quotation and keep the worst case in milliseconds.
MAX_QUERY_CHARS = 1_000
MAX_QUERY_WORDS = 32
# Two-letter prefixes expand to thousands of terms in a large index: each is one more term
# to read and score on every keystroke.
MIN_PREFIX = 3

THEME_FILTER = re.compile(r'(?<!\S)theme:(?:"([^"]*)"|(\S*))', re.IGNORECASE)
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


@dataclass(frozen=True, slots=True)
class QueryPlan:
    """What a typed query means, before Whoosh sees it.

    ``theme`` is None for every theme, a theme id, or "" when the query named no theme
    there is (``notes`` then ends with why).
    """

    text: str
    theme: str | None
    notes: tuple[str, ...]
    typed: str = ""  # what was typed, cut to the limits: suggestions are made from it


class QueryPlanner:
    """Plans the queries typed about one briefing (its themes and synonyms)."""

    def __init__(self, briefing: Briefing) -> None:
        self.briefing = briefing
        self._synonyms = synonym_patterns(briefing.synonyms)

    def plan(self, text: str, theme: str | None, as_you_type: bool) -> QueryPlan:
        notes: list[str] = []
        text, cut = cap(text)
        if cut:
            notes.append(cut)
        typed = text
        text = text.replace("\x00", " ")
        # theme:… is ours, not Whoosh's: it names a theme by id or title, or a prefix of one.
        chosen = theme
        for match in THEME_FILTER.finditer(text):
            wanted = (match.group(1) or match.group(2) or "").strip()
            resolved = self.briefing.find_theme(wanted)
            if resolved is None:
                names = ", ".join(t.title for t in self.briefing.themes)
                notes.append(f"No theme called “{wanted}”. Themes: {names}.")
                return QueryPlan("", "", tuple(notes), typed)
            chosen = resolved.id
        text = THEME_FILTER.sub(" ", text)
        if theme is not None and self.briefing.theme(theme) is None:
            notes.append(f"No theme called “{theme}”.")
            return QueryPlan("", "", tuple(notes), typed)
        if text.count('"') % 2:
            text = text[: text.rfind('"')] + text[text.rfind('"') + 1 :]
        # Synonyms first: they may add quoted phrases, which the later steps leave alone.
        text = expand_synonyms(text, self._synonyms)
        text = hyphenated_as_phrases(text, keep_last=as_you_type)
        if as_you_type:
            text = prefix_last_word(text)
        return QueryPlan(text, chosen, tuple(notes), typed)


def cap(text: str) -> tuple[str, str]:
    """The query cut to MAX_QUERY_CHARS characters and MAX_QUERY_WORDS words, and a note
    saying so ("" when nothing was cut). Only the kept part is ever scanned for words."""
    notes = []
    if len(text) > MAX_QUERY_CHARS:
        notes.append(f"{MAX_QUERY_CHARS:,} characters (of {len(text):,})")
        inside_a_word = text[MAX_QUERY_CHARS].isalnum()
        text = text[:MAX_QUERY_CHARS]
        if inside_a_word:  # drop the cut word's start: it would be searched as another word
            end = len(text)
            while end and text[end - 1].isalnum():
                end -= 1
            text = text[:end] or text
    for number, match in enumerate(WORD.finditer(text)):
        if number == MAX_QUERY_WORDS:
            text = text[: match.start()]
            notes.append(f"{MAX_QUERY_WORDS} words")
            break
    if not notes:
        return text, ""
    return text, (
        f"The query was too long: only its first {' and first '.join(notes)} were searched."
    )


HYPHENATED = re.compile(r'(?<![\w"*~-])([^\W_]+(?:-[^\W_]+)+)(?![\w*~-])')


def hyphenated_as_phrases(text: str, *, keep_last: bool) -> str:
    """ "link-sharing" means the phrase "link sharing", not link AND NOT sharing.

    While typing, the last hyphenated word becomes separate words instead, so that its last
    part can still match as a prefix ("link-shar").
    """
    matches = [m for m in HYPHENATED.finditer(text) if not text[: m.start()].count('"') % 2]
    for number, match in reversed(list(enumerate(matches))):
        words = match.group(1).replace("-", " ")
        last = keep_last and number == len(matches) - 1 and not text[match.end() :].strip()
        replacement = words if last else f'"{words}"'
        text = text[: match.start()] + replacement + text[match.end() :]
    return text


def prefix_last_word(text: str) -> str:
    """While typing, the last word also matches as a prefix: "sextorti" finds "sextortion"."""
    match = re.search(r"(?:^|\s)([^\W_]+)$", text)
    if match is None or len(match.group(1)) < MIN_PREFIX:
        return text
    if match.group(1) in OPERATORS or text[: match.start(1)].count('"') % 2:
        return text
    word = match.group(1)
    return f"{text[: match.start(1)]}({word} OR {word}*)"


def synonym_patterns(groups: Iterable[tuple[str, ...]]) -> list[tuple[re.Pattern[str], str]]:
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


def expand_synonyms(text: str, patterns: list[tuple[re.Pattern[str], str]]) -> str:
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
