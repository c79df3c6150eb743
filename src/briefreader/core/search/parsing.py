"""Query parsing: the planned text into a Whoosh query, limited to what is worth running."""

from __future__ import annotations

import re

from whoosh import qparser, query
from whoosh.fields import Schema

from briefreader.core.search.query import MIN_PREFIX

FIELDS = ["title", "body", "speaker", "exact"]
# Words and single spaces only: nothing Whoosh's parser would read as syntax (quotes,
# brackets, +, -, ~, *, ^, :, apostrophes), so the query is each word's OR over FIELDS.
PLAIN = re.compile(r"[^\W_]+(?: [^\W_]+)*")
# The words Whoosh's OperatorsPlugin reads as operators (upper case only).
PARSER_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE"}


class UnparsableError(Exception):
    """Whoosh's query parser failed on what was typed."""


class Parsers:
    """One parser for words joined by AND, one for words joined by OR, made once.

    Reusing parsers saves building Whoosh's plugin chain on every keystroke.
    """

    def __init__(self, schema: Schema) -> None:
        self._parsers = {
            group: _make_parser(schema, group) for group in (qparser.AndGroup, qparser.OrGroup)
        }
        self._schema = schema

    def parse(
        self, text: str, group: type[qparser.syntax.GroupNode]
    ) -> tuple[query.Query, list[str]]:
        """The query, normalised, and notes for a person on what was left out."""
        notes: list[str] = []
        parsed = self._plain(text, group)
        if parsed is None:
            try:
                parsed = self._parsers[group].parse(text)
            except Exception as error:  # Whoosh's parser fails on some tangles of operators
                raise UnparsableError from error
        return restrict(parsed, notes).normalize(), notes

    def _plain(self, text: str, group: type[qparser.syntax.GroupNode]) -> query.Query | None:
        """The query Whoosh's parser makes of words alone, made directly; None for any other
        text. Whoosh's parser was a third of a 1× search (its taggers try each plugin's
        expression at each position), and a misspelt word's search parses twice (the typed
        words, then the suggestion): tests/core/search/test_parsing.py compares the two."""
        if not PLAIN.fullmatch(text):
            return None
        words = text.split(" ")
        if not PARSER_OPERATORS.isdisjoint(words):
            return None
        fields = [(name, self._schema[name]) for name in FIELDS]
        ors: list[query.Query] = []
        for word in words:
            terms: list[query.Query] = []
            for name, field in fields:
                texts = list(field.process_text(word, mode="query"))
                if len(texts) > 1:
                    return None  # Whoosh's multitoken query: left to its parser
                if texts:
                    terms.append(query.Term(name, texts[0]))
            ors.append(query.Or(terms))
        return query.And(ors) if group is qparser.AndGroup else query.Or(ors)


def _make_parser(schema: Schema, group: type[qparser.syntax.GroupNode]) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(FIELDS, schema, group=group)
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


def has_positive(q: query.Query) -> bool:
    """Whether the query matches something by itself (not only a NOT)."""
    if isinstance(q, query.Not):
        return False
    if isinstance(q, query.AndNot):
        return has_positive(q.a)
    if isinstance(q, query.compound.CompoundQuery):
        return any(has_positive(child) for child in q.subqueries)
    return q is not query.NullQuery


def restrict(q: query.Query, notes: list[str]) -> query.Query:
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
    return q.apply(lambda child: restrict(child, notes))
