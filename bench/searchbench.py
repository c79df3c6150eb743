"""Search and as-you-type latency of the app's search core, and of FTS5, in one process."""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

from bench.fts5 import Fts5Index
from bench.queries import QUERIES, TYPING, fts5_as_you_type, typed_prefixes
from bench.timing import folder_size_mib, median_time, peak_rss_mib, summary_ms
from briefreader.core.model import Briefing
from briefreader.core.search.searcher import Searcher, SearchIndex

HITS = 10  # what the results list shows at once


def build_index(briefing: Briefing, root: Path) -> tuple[SearchIndex, float]:
    """A fresh index in ``root``; returns it and the build time in seconds."""
    index = SearchIndex(briefing, root)
    started = time.perf_counter()
    status = index.open_or_build()
    seconds = time.perf_counter() - started
    if not status.built or status.path is None:
        raise RuntimeError(f"expected a fresh on-disk build, got {status}")
    return index, seconds


def build_times(briefing: Briefing, repeat: int) -> list[float]:
    """Build the index ``repeat`` times from scratch, each in a new folder."""
    times = []
    for _ in range(repeat):
        root = Path(tempfile.mkdtemp(prefix="briefreader-bench-build-"))
        try:
            times.append(build_index(briefing, root)[1])
        finally:
            shutil.rmtree(root, ignore_errors=True)
    return times


def measure_search(searcher: Searcher, repeat: int) -> dict[str, Any]:
    """Each query ``repeat`` times; per-query medians, then p50/p95 over the query set.

    The first run of each query is timed apart (``first``): on a searcher just opened, it
    reads the postings of words no earlier query used, which the runs after it find kept.
    """
    per_query = []
    first = []
    details = []
    for q in QUERIES:
        started = time.perf_counter()
        searcher.search(q.text, theme=q.theme, limit=HITS)
        first.append(time.perf_counter() - started)
        seconds = median_time(partial(searcher.search, q.text, theme=q.theme, limit=HITS), repeat)
        result = searcher.search(q.text, theme=q.theme, limit=HITS)
        per_query.append(seconds)
        details.append(
            {
                "kind": q.kind,
                "query": q.text,
                "theme": q.theme,
                "ms": round(seconds * 1000, 3),
                "total": result.total,
                "hits": len(result.hits),
                "partial": result.partial,
                "suggestion": result.suggestion,
            }
        )
    return {**summary_ms(per_query), "first": summary_ms(first), "queries": details}


def measure_typing(
    searcher: Searcher, repeat: int, texts: tuple[str, ...] = TYPING
) -> dict[str, Any]:
    """Each state of the box while each typing query is typed, as the app searches it."""
    per_key = []
    worst: list[tuple[float, str]] = []
    for text in texts:
        for typed in typed_prefixes(text):
            seconds = median_time(
                partial(searcher.search, typed, limit=HITS, as_you_type=True), repeat
            )
            per_key.append(seconds)
            worst.append((seconds, typed))
    worst.sort(reverse=True)
    slowest = [{"typed": t, "ms": round(s * 1000, 3)} for s, t in worst[:5]]
    return {**summary_ms(per_key), "slowest": slowest}


def measure_fts5(
    briefing: Briefing, repeat: int, texts: tuple[str, ...] = TYPING
) -> dict[str, Any]:
    fts = Fts5Index(briefing)
    try:
        per_query = []
        for q in QUERIES:
            fts.search(q.fts5, q.theme, HITS)
            per_query.append(median_time(partial(fts.search, q.fts5, q.theme, HITS), repeat))
        per_key = []
        for text in texts:
            for typed in typed_prefixes(text):
                match = fts5_as_you_type(typed)
                per_key.append(median_time(partial(fts.search, match, None, HITS), repeat))
        return {
            "build_ms": round(fts.build_seconds * 1000, 2),
            "search": summary_ms(per_query),
            "typing": summary_ms(per_key),
        }
    finally:
        fts.close()


def measure_all(
    briefing: Briefing,
    *,
    build_repeat: int,
    search_repeat: int,
    typing_repeat: int,
    peak_before_fts5: bool = False,
    typing_texts: tuple[str, ...] = TYPING,
) -> dict[str, Any]:
    """Build, search, type and the FTS5 baseline for one corpus, with the time each part took."""
    parts: dict[str, float] = {}
    out: dict[str, Any] = {"sections": len(briefing.sections)}

    started = time.perf_counter()
    builds = build_times(briefing, build_repeat - 1) if build_repeat > 1 else []
    root = Path(tempfile.mkdtemp(prefix="briefreader-bench-"))
    try:
        index, seconds = build_index(briefing, root)
        builds.append(seconds)
        parts["build_s"] = time.perf_counter() - started
        # This process's peak so far: the corpus and the build (all of it when in-process,
        # the parent's side when in worker processes).
        out["build_rss_mib"] = peak_rss_mib()
        out["build_ms"] = round(statistics.median(builds) * 1000, 1)
        assert index.status is not None and index.status.path is not None
        out["index_mib"] = folder_size_mib(index.status.path)

        started = time.perf_counter()
        reopened = SearchIndex(briefing, root)
        status = reopened.open_or_build()
        out["open_ms"] = round((time.perf_counter() - started) * 1000, 2)
        assert not status.built, status

        searcher = reopened.searcher()
        started = time.perf_counter()
        out["search"] = measure_search(searcher, search_repeat)
        parts["search_s"] = time.perf_counter() - started
        started = time.perf_counter()
        out["typing"] = measure_typing(searcher, typing_repeat, typing_texts)
        parts["typing_s"] = time.perf_counter() - started
        searcher.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)

    if peak_before_fts5:
        # In a process of its own (bench.scale), this is the peak of the corpus, the Whoosh
        # build and search: FTS5 has not run yet.
        out["peak_rss_mib"] = peak_rss_mib()
    started = time.perf_counter()
    out["fts5"] = measure_fts5(briefing, search_repeat, typing_texts)
    parts["fts5_s"] = time.perf_counter() - started
    fts_search = out["fts5"]["search"]["p95_ms"]
    fts_typing = out["fts5"]["typing"]["p95_ms"]
    out["search_vs_fts5_p95"] = round(out["search"]["p95_ms"] / max(fts_search, 1e-6), 2)
    out["typing_vs_fts5_p95"] = round(out["typing"]["p95_ms"] / max(fts_typing, 1e-6), 2)
    out["parts_s"] = {k: round(v, 2) for k, v in parts.items()}
    return out
