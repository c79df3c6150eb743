"""Query planning, text to text: no Whoosh and no index are needed to test it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from briefreader.core.content import load_briefing
from briefreader.core.locations import bundled_content_dir
from briefreader.core.search.query import (
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
    QueryPlanner,
)


@pytest.fixture(scope="module")
def planner() -> QueryPlanner:
    return QueryPlanner(load_briefing(bundled_content_dir()))


@pytest.mark.parametrize(
    ("typed", "as_you_type", "planned"),
    [
        ("sextortion", False, '(sextortion OR "sexual extortion")'),
        ("sexual extortion", False, '(sextortion OR "sexual extortion")'),
        ("link-sharing abuse", False, '"link sharing" abuse'),
        ("link-sharing abuse", True, '"link sharing" (abuse OR abuse*)'),
        ("link-shar", True, "link (shar OR shar*)"),  # the last part can still grow
        ("groomi", True, "(groomi OR groomi*)"),
        ("gr", True, "gr"),  # too short to be a prefix
        ("safety NOT", True, "safety NOT"),  # an operator is not a prefix
        ('"open quote', False, "open quote"),  # an unclosed quotation mark is dropped
        ("the of and", False, "the of and"),  # only stop words: left to the parser
        # A question: its question and stop words are left out, a synonym still expands.
        (
            "how many reports of child sexual abuse material",
            False,
            'reports (CSAM OR "child sexual abuse material")',
        ),
        ("how many", True, "(many OR many*)"),  # the word being typed may grow ("manyfold")
        ("WHO guidance", False, "WHO guidance"),  # an acronym in capitals is kept
        ("sextortion figures", False, '(sextortion OR "sexual extortion")'),
        # Quoted: exactly these words, stop words kept, no synonyms.
        ('"sextortion"', False, '"sextortion"'),
        ('"safety by design" for children', False, '"safety by design" children'),
    ],
)
def test_plans(planner: QueryPlanner, typed: str, as_you_type: bool, planned: str) -> None:
    plan = planner.plan(typed, None, as_you_type)
    assert (plan.text, plan.theme, plan.notes, plan.typed) == (planned, None, (), typed)


def test_a_theme_filter_is_taken_out_of_the_text(planner: QueryPlanner) -> None:
    plan = planner.plan("theme:voices encryption", None, as_you_type=False)
    assert plan.text.strip() == "encryption" and plan.theme == "voices"
    plan = planner.plan('theme:"threat assessment" grooming', None, as_you_type=False)
    assert plan.text.strip() == "grooming" and plan.theme == "threat-assessment"


def test_an_unknown_theme_is_named_with_the_themes_there_are(planner: QueryPlanner) -> None:
    plan = planner.plan("theme:nowhere grooming", None, as_you_type=False)
    assert plan.text == "" and plan.theme == ""
    assert plan.notes[-1].startswith("No theme called “nowhere”. Themes: Overview,")
    assert planner.plan("grooming", "nowhere", as_you_type=False).theme == ""


def test_a_long_query_is_cut_to_its_first_words_and_says_so(planner: QueryPlanner) -> None:
    plan = planner.plan("grooming " * 100, None, as_you_type=False)
    assert plan.typed == "grooming " * MAX_QUERY_WORDS
    assert plan.text.split() == ["grooming"] * MAX_QUERY_WORDS
    assert plan.notes == (
        f"The query was too long: only its first {MAX_QUERY_WORDS} words were searched.",
    )


def test_a_query_of_many_characters_is_cut_and_says_so(planner: QueryPlanner) -> None:
    plan = planner.plan("A" * 100_000, None, as_you_type=False)
    assert plan.typed == "A" * MAX_QUERY_CHARS
    assert plan.notes == (
        "The query was too long: only its first 1,000 characters (of 100,000) were searched.",
    )
    both = planner.plan("word " * 10_000, None, as_you_type=False)
    assert both.typed == "word " * MAX_QUERY_WORDS
    assert both.notes == (
        "The query was too long: only its first 1,000 characters (of 50,000) and first "
        f"{MAX_QUERY_WORDS} words were searched.",
    )


def test_a_cut_never_leaves_half_a_word(planner: QueryPlanner) -> None:
    text = "x" * (MAX_QUERY_CHARS - 3) + " grooming"
    assert planner.plan(text, None, as_you_type=False).typed == "x" * (MAX_QUERY_CHARS - 3) + " "


def test_a_query_within_the_limits_is_not_cut(planner: QueryPlanner) -> None:
    text = " ".join(["grooming"] * MAX_QUERY_WORDS)
    plan = planner.plan(text, None, as_you_type=False)
    assert plan.typed == text and plan.notes == ()


def test_planning_loads_no_whoosh() -> None:
    code = (
        "import sys\n"
        "from briefreader.core.content import load_briefing\n"
        "from briefreader.core.locations import bundled_content_dir\n"
        "from briefreader.core.search.query import QueryPlanner\n"
        "QueryPlanner(load_briefing(bundled_content_dir())).plan('groom', None, True)\n"
        "import briefreader.core.search.results\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] == 'whoosh'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_a_plan_says_what_was_expanded_ignored_and_quoted(planner: QueryPlanner) -> None:
    plan = planner.plan('how many "in the design" sextortion reports', None, as_you_type=False)
    assert plan.expansions == (("sextortion", ("sexual extortion",)),)
    assert plan.exact == (("in", "the", "design"),)
    assert plan.ignored == ("how", "many")
    assert plan.question == "count"
    assert planner.plan("sextortion", None, as_you_type=False).question is None
