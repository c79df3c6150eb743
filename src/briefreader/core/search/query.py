"""Query planning: what a typed query means, as text for Whoosh's parser.

Text to text, with no Whoosh and no index, so that each step can be tested alone: the
``theme:`` filter taken out, an unclosed quotation mark dropped, synonyms rewritten into an
OR of all their names, hyphenated words turned into phrases, and (while typing) the last
word also matched as a prefix.

Questions: a question word or a stop word outside quotation marks is dropped before Whoosh
sees it ("how many reports of …" searches "reports …"), so that it neither ranks nor gets
marked; the ``exact`` field keeps stop words, so "how" and "many" had matched 80 of 92
passages. Inside quotation marks every word counts: a quoted phrase means exactly these words
in this order, stop words included, with no synonyms, no stemming and no spelling correction
(``exact``, checked against the text in ``exact.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
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


# Whoosh's own stop words (whoosh.analysis.STOP_WORDS, copied: planning loads no Whoosh), which
# the stemmed fields drop but the ``exact`` field keeps.
_STOP_WORDS = (
    "a an and are as at be by can for from have if in is it may not of on or tbd that the "
    "this to us we when will with yet you your "
)
STOP_WORDS = frozenset(_STOP_WORDS.split())
# Words that make a question of a query but name nothing to find.
_QUESTION_WORDS = (
    "how many much what which who whom whose why where when was were does do did there their "
    "been has had any i me tell "
)
QUESTION_WORDS = frozenset(_QUESTION_WORDS.split())
# Words that ask for figures without naming one ("sextortion figures"): the figures come
# first as answers (answers.py), and the passages are searched without them.
_FIGURE_WORDS = "figure figures statistic statistics stats number numbers"
FIGURE_WORDS = frozenset(_FIGURE_WORDS.split())
# How a question asks for a number ("how many …") or a share ("what percentage …").
COUNT_WORDS = frozenset({"many", "much", "number"})
SHARE_WORDS = frozenset({"percentage", "percent", "proportion", "share", "fraction"})
# The tokens of a quoted phrase, as the index's tokenizer cuts them (RegexTokenizer).
TOKEN = re.compile(r"\w+(?:\.?\w+)*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class QueryPlan:
    """What a typed query means, before Whoosh sees it.

    ``theme`` is None for every theme, a theme id, or "" when the query named no theme
    there is (``notes`` then ends with why). ``expansions``: each term typed that has other
    names, with the names also searched. ``exact``: the quoted phrases, as lower-case words.
    ``ignored``: question and stop words left out. ``question``: "count", "share", "" (a
    question word was typed, asking for neither) or None (not a question). ``typing_prefix``:
    the word being typed, which also matches as a prefix (``prefix_last_word``).
    """

    text: str
    theme: str | None
    notes: tuple[str, ...]
    expansions: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exact: tuple[tuple[str, ...], ...] = ()
    ignored: tuple[str, ...] = ()
    question: str | None = None
    typed: str = ""  # what was typed, cut to the limits: suggestions are made from it
    typing_prefix: str = ""  # the last word, lower-case, when it also matches as a prefix


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
                return QueryPlan("", "", tuple(notes), typed=typed)
            chosen = resolved.id
        text = THEME_FILTER.sub(" ", text)
        if theme is not None and self.briefing.theme(theme) is None:
            notes.append(f"No theme called “{theme}”.")
            return QueryPlan("", "", tuple(notes), typed=typed)
        if text.count('"') % 2:
            text = text[: text.rfind('"')] + text[text.rfind('"') + 1 :]
        exact = quoted_phrases(text)
        text, ignored = drop_question_words(text, keep_last=as_you_type)
        question = question_kind(ignored)
        # Synonyms first: they may add quoted phrases, which the later steps leave alone.
        text, expansions = expand_synonyms_noted(text, self._synonyms)
        text = hyphenated_as_phrases(text, keep_last=as_you_type)
        typing_prefix = ""
        if as_you_type:
            prefixed = prefix_last_word(text)
            if prefixed != text:
                typing_prefix = prefixed[prefixed.rfind("(") + 1 : prefixed.rfind(" OR ")].lower()
            text = prefixed
        return QueryPlan(
            text,
            chosen,
            tuple(notes),
            tuple(expansions),
            exact,
            tuple(ignored),
            question,
            typed=typed,
            typing_prefix=typing_prefix,
        )


def quoted_phrases(text: str) -> tuple[tuple[str, ...], ...]:
    """The quoted phrases of a query (quotation marks paired), as lower-case words."""
    found = []
    for phrase in re.findall(r'"([^"]*)"', text):
        words = tuple(w.lower() for w in TOKEN.findall(phrase))
        if words and words not in found:
            found.append(words)
    return tuple(found)


def _outside_quotes(text: str) -> list[tuple[int, int]]:
    spans, start, inside = [], 0, False
    for number, char in enumerate(text):
        if char == '"':
            if not inside:
                spans.append((start, number))
            else:
                start = number + 1
            inside = not inside
    if not inside:
        spans.append((start, len(text)))
    return spans


_LOOSE_WORD = re.compile(r"(?<![\w*~+\-:'’])([^\W_]+)(?![\w*~'’-])", re.UNICODE)


def drop_question_words(text: str, *, keep_last: bool) -> tuple[str, list[str]]:
    """Leave out question words and stop words typed outside quotation marks.

    Kept: words in quotation marks, an acronym in capitals ("WHO", "US"), operators, a word
    with a sign, a prefix or a fuzzy mark, and the word being typed (``keep_last``: "how"
    may become "however"). Nothing is dropped when only such words were typed.
    """
    drops: list[tuple[int, int]] = []
    stripped = text.rstrip()
    for start, end in _outside_quotes(text):
        for match in _LOOSE_WORD.finditer(text, start, end):
            word = match.group(1)
            lower = word.lower()
            if lower not in STOP_WORDS and lower not in QUESTION_WORDS | FIGURE_WORDS:
                continue
            if word in OPERATORS or (word.isupper() and len(word) > 1):
                continue
            if keep_last and match.end() == len(stripped) == len(text):
                continue
            drops.append(match.span(1))
    if not drops:
        return text, []
    out, last = [], 0
    for start, end in drops:
        out.append(text[last:start])
        last = end
    out.append(text[last:])
    rest = re.sub(r"\s+", " ", "".join(out)).strip()
    if not TOKEN.search(rest.replace("AND", " ").replace("OR", " ").replace("NOT", " ")):
        return text, []
    return rest, [text[s:e] for s, e in drops]


def question_kind(ignored: Iterable[str]) -> str | None:
    words = {w.lower() for w in ignored}
    if not words & QUESTION_WORDS:
        return None
    if words & COUNT_WORDS:
        return "count"
    return ""


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


SynonymPattern = tuple[re.Pattern[str], str, tuple[str, ...]]  # pattern, OR of all, names


def synonym_patterns(groups: Iterable[tuple[str, ...]]) -> list[SynonymPattern]:
    patterns: list[SynonymPattern] = []
    for group in groups:
        alternatives = " OR ".join(f'"{t}"' if re.search(r"[\s-]", t) else t for t in group)
        for term in group:
            words = [re.escape(w) for w in term.split()]
            # A term typed as a word or phrase (not already part of a prefix, field or phrase).
            pattern = re.compile(
                r'(?<![\w*~"-])"?' + r"\s+".join(words) + r'"?(?![\w*~-])', re.IGNORECASE
            )
            patterns.append((pattern, f"({alternatives})", group))
    # Longest terms first, so "child sexual abuse material" wins over a shorter member.
    patterns.sort(key=lambda p: -len(p[0].pattern))
    return patterns


def expand_synonyms(text: str, patterns: Sequence[SynonymPattern]) -> str:
    """Rewrite a term people know under several names into an OR of all of them.

    Done on the query text, before parsing, so that a word ("sextortion") or the same thing
    typed as words ("sexual extortion") find each other. A quoted term is left as typed:
    quotation marks mean exactly these words.
    """
    return expand_synonyms_noted(text, patterns)[0]


def expand_synonyms_noted(
    text: str, patterns: Sequence[SynonymPattern]
) -> tuple[str, list[tuple[str, tuple[str, ...]]]]:
    """``expand_synonyms``, and each term expanded (as typed) with its other names."""
    spans: list[tuple[int, int, str]] = []
    expanded: list[tuple[int, str, tuple[str, ...]]] = []
    for pattern, replacement, group in patterns:
        for match in pattern.finditer(text):
            typed = match.group(0)
            quoted = typed.startswith('"') or typed.endswith('"')
            if quoted or any(s < match.end() and match.start() < e for s, e, _ in spans):
                continue
            inside_phrase = text[: match.start()].count('"') % 2 == 1
            if inside_phrase:
                continue
            spans.append((match.start(), match.end(), replacement))
            folded = " ".join(typed.lower().split())
            others = tuple(t for t in group if t.lower() != folded)
            if all(e[1].lower() != typed.lower() for e in expanded):
                expanded.append((match.start(), typed, others))
    for start, end, replacement in sorted(spans, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text, [(typed, others) for _, typed, others in sorted(expanded)]
