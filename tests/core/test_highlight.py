"""Where the reader marks words and phrases: whole words, any case, positions in the text."""

from __future__ import annotations

from briefreader.core.highlight import first_at_or_after, phrase_spans, word_spans

TEXT = "Grooming starts fast. Groomers groom; grooming-related harm.\nGROOMING again."


def _marked(text: str, spans: tuple[tuple[int, int], ...]) -> list[str]:
    return [text[a:b] for a, b in spans]


def test_words_match_whole_words_in_any_case() -> None:
    spans = word_spans(TEXT, ["grooming"])
    assert _marked(TEXT, spans) == ["Grooming", "grooming", "GROOMING"]


def test_each_form_is_its_own_word() -> None:
    # Stemmed forms come in as the words the text has; "groom" does not mark "Groomers".
    spans = word_spans(TEXT, ["groom", "Groomers"])
    assert _marked(TEXT, spans) == ["Groomers", "groom"]


def test_longer_words_win_where_words_overlap() -> None:
    text = "child sexual abuse material"
    assert _marked(text, word_spans(text, ["child", "child sexual abuse"])) == [
        "child sexual abuse"
    ]


def test_no_words_no_spans_and_specials_are_literal() -> None:
    assert word_spans(TEXT, []) == ()
    assert word_spans(TEXT, ["  "]) == ()
    assert _marked("bxc b.c", word_spans("bxc b.c", ["b.c"])) == ["b.c"]  # literal, not regex
    assert _marked("7-10-year-olds", word_spans("7-10-year-olds", ["10"])) == ["10"]


def test_phrases_ignore_case_and_spacing() -> None:
    text = "Safety by Design matters.\nsafety  by design, again"
    assert _marked(text, phrase_spans(text, "safety by design")) == [
        "Safety by Design",
        "safety  by design",
    ]
    assert phrase_spans(text, "   ") == ()
    assert phrase_spans(text, "a.b") == ()


def test_first_at_or_after_wraps_to_the_first() -> None:
    spans = ((2, 4), (10, 12), (20, 22))
    assert first_at_or_after(spans, 0) == 0
    assert first_at_or_after(spans, 5) == 1
    assert first_at_or_after(spans, 20) == 2
    assert first_at_or_after(spans, 21) == 0
    assert first_at_or_after((), 3) == 0
