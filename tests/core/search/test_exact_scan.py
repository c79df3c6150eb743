"""The one-scan check of a quoted phrase agrees with the tokenizer's word by word."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefreader.core.content import load_briefing
from briefreader.core.locations import bundled_content_dir
from briefreader.core.search import exact as exact_module
from briefreader.core.search.exact import exact_spans, has_phrase
from briefreader.core.search.searcher import Searcher
from briefreader.core.search.snippets import section_words


def _reference(text: str, phrase: tuple[str, ...]) -> bool:
    return bool(exact_spans(text, phrase, first_only=True))


def test_every_phrase_of_the_briefing_and_its_near_misses() -> None:
    rng = random.Random(7)
    briefing = load_briefing(bundled_content_dir())
    texts = [f"{s.title}\n\n{s.text}" for s in briefing.sections]
    checked = 0
    for text in texts:
        words = [token[2] for token in section_words(text).tokens]
        for size in (1, 2, 3):
            for first in range(0, max(0, len(words) - size + 1), 3):
                phrase = tuple(words[first : first + size])
                other = rng.choice(texts)
                for candidate in (text, other):
                    assert has_phrase(candidate, phrase) == _reference(candidate, phrase), phrase
                    checked += 1
        # Words that are in the text but not one after the other.
        if len(words) > 4:
            phrase = (words[0], words[3])
            assert has_phrase(text, phrase) == _reference(text, phrase), phrase
    assert checked > 10_000


@pytest.mark.parametrize(
    ("text", "phrase", "found"),
    [
        ("online safety", ("online", "safety"), True),
        ("ONLINE  Safety!", ("online", "safety"), True),
        ("online.safety", ("online", "safety"), False),  # one token: "online.safety"
        ("online..safety", ("online", "safety"), True),
        ("x.online safety", ("online", "safety"), False),  # "x.online" is the token
        ("online safety.x", ("online", "safety"), False),  # "safety.x" is the token
        ("online safety_net", ("online", "safety"), False),
        ("e.g. online", ("e.g", "online"), True),
        ("offline safety", ("online", "safety"), False),
    ],
)
def test_the_edges_of_a_token(text: str, phrase: tuple[str, ...], found: bool) -> None:
    assert _reference(text, phrase) is found
    assert has_phrase(text, phrase) is found


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="ab .,_-'\n", max_size=40),
    st.lists(st.sampled_from(["a", "b", "ab", "a.b", "ba"]), min_size=1, max_size=3),
)
def test_any_text_agrees(text: str, words: list[str]) -> None:
    phrase = tuple(words)
    assert has_phrase(text, phrase) == _reference(text, phrase)


def test_a_quoted_phrase_is_checked_once_per_searcher(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = searcher.search('"online safety" children')
    assert first.total
    checked: list[str] = []

    def counted(text: str, phrase: tuple[str, ...]) -> bool:
        checked.append(text)
        return has_phrase(text, phrase)

    monkeypatch.setattr(exact_module, "has_phrase", counted)
    assert searcher.search('"online safety" children') == first
    assert checked == []  # kept from the first search
    searcher.close()  # a new index (a rebuild) checks again
    assert searcher.search('"online safety" children') == first
    assert checked
