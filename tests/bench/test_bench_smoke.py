"""The benchmark's code paths, on the mini briefing, in a few seconds: no timing asserted.

Speed is measured by ``python -m bench`` and written to bench/results/, never asserted in
tests; this only keeps the bench runnable as the code under it changes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.corpus import scaled_briefing  # noqa: E402
from bench.queries import QUERIES, fts5_as_you_type, typed_prefixes  # noqa: E402
from bench.searchbench import measure_all  # noqa: E402

from bench import run  # noqa: E402
from briefreader.core.content import load_briefing  # noqa: E402

MINI = REPO / "tests" / "data" / "mini"


@pytest.fixture(scope="module")
def figures() -> dict[str, Any]:
    briefing = scaled_briefing(load_briefing(MINI), 3)
    return measure_all(
        briefing,
        build_repeat=1,
        search_repeat=1,
        typing_repeat=1,
        peak_before_fts5=True,
        typing_texts=("grooming", "child sexual abuse"),
    )


def test_scaled_corpus_is_deterministic_and_grows() -> None:
    mini = load_briefing(MINI)
    three = scaled_briefing(mini, 3)
    assert len(three.sections) == 3 * len(mini.sections)
    assert [s.text for s in three.sections] == [s.text for s in scaled_briefing(mini, 3).sections]
    assert len({s.id for s in three.sections}) == len(three.sections)
    words = {w for s in three.sections for w in s.text.lower().split()}
    assert len(words) > len({w for s in mini.sections for w in s.text.lower().split()})


def test_search_typing_and_fts5_figures_are_written(figures: dict[str, Any]) -> None:
    search = figures["search"]
    assert isinstance(search, dict)
    assert search["n"] == len(QUERIES)
    assert {"p50_ms", "p95_ms"} <= set(search)
    assert figures["build_ms"] > 0
    assert figures["search_vs_fts5_p95"] > 0
    assert figures["peak_rss_mib"] > 0


def test_report_table_and_targets() -> None:
    report: dict[str, Any] = {
        "summary": {"search_p95_ms": 2.0, "build_ms": 300.0},
        "parts_s": {"search": 1.0},
        "scales": {
            "1000": {
                "sections": 1,
                "text_mib": 1.0,
                "build_ms": 1000.0,
                "index_mib": 1.0,
                "search": {"p95_ms": 1.0, "first": {"p95_ms": 80.0}},
                "typing": {"p95_ms": 1.0},
                "fts5": {"search": {"p95_ms": 1.0}, "typing": {"p95_ms": 1.0}, "build_ms": 1.0},
                "peak_rss_mib": 500.0,
                "build_workers": {"sum_rss_mib": 300.0},
            }
        },
    }
    report["targets"] = run._check_targets(report)
    assert report["targets"]["search_p95_ms"]["met"] is True
    assert report["targets"]["build_ms"]["met"] is False
    assert report["targets"]["1000x_build_workers_rss_mib"]["met"] is True
    assert report["targets"]["1000x_first_search_p95_ms"]["met"] is False
    assert report["targets"]["1000x_typing_p95_ms"]["met"] is True
    assert "MISSED" in run._table(report)


def test_fts5_twin_of_as_you_type() -> None:
    assert typed_prefixes("ab c") == ["a", "ab", "ab ", "ab c"]
    assert fts5_as_you_type("child sexu") == '"child" AND ("sexu" OR "sexu"*)'
    assert fts5_as_you_type("ch") == '"ch"'


def test_the_build_alone_is_timed_with_its_memory(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from bench import build

    assert build.main(["1", "2"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["scale"] == 1 and out["sections"] > 50
    assert len(out["build_s"]) == len(out["cpu_s"]) == 2
    assert out["peak_rss_mib"] >= out["corpus_rss_mib"] > 0
