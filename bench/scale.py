"""One scale of the growth run, in a fresh process so that its peak memory is its own.

``python -m bench.scale N OUT.json``: builds the N× corpus, indexes it in a temporary
folder, measures search and typing (Whoosh, then FTS5) and writes the figures to OUT.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from bench.corpus import scaled_briefing, text_bytes
from bench.queries import TYPING
from bench.timing import ChildrenMemory, children_peak_rss_mib, peak_rss_mib


def repeats(scale: int) -> tuple[int, int]:
    """(search, typing) repetitions: fewer at large scales, where one run is already long."""
    if scale <= 10:
        return 5, 3
    return 3, 1


def typing_texts(scale: int) -> tuple[str, ...]:
    """What is typed: everything up to 100×; at 1000× every other query, to stay in minutes."""
    return TYPING if scale <= 100 else TYPING[::2]


def run(scale: int) -> dict[str, Any]:
    from bench.searchbench import measure_all
    from briefreader.core.content import load_briefing
    from briefreader.core.locations import bundled_content_dir
    from briefreader.core.search.index import worker_count

    started = time.perf_counter()
    briefing = scaled_briefing(load_briefing(bundled_content_dir()), scale)
    corpus_s = time.perf_counter() - started
    corpus_mib = peak_rss_mib()
    search_repeat, typing_repeat = repeats(scale)
    # The build runs as the app runs it (IndexStore): in worker processes above
    # index.IN_PROCESS_MAX_SECTIONS, whose memory is theirs, not this process's.
    with ChildrenMemory() as children:
        out = measure_all(
            briefing,
            build_repeat=3 if scale == 1 else 1,
            search_repeat=search_repeat,
            typing_repeat=typing_repeat,
            peak_before_fts5=True,
            typing_texts=typing_texts(scale),
        )
    out["build_processes"] = worker_count(len(briefing.sections))
    out["build_workers"] = {
        "processes_seen": children.most_children,
        "largest_peak_rss_mib": children_peak_rss_mib(),
        "sum_rss_mib": children.children_mib,
        "with_bench_rss_mib": children.total_mib,
    }
    out["scale"] = scale
    out["text_mib"] = round(text_bytes(briefing) / 2**20, 2)
    out["corpus_rss_mib"] = corpus_mib
    out["parts_s"] = {"corpus_s": round(corpus_s, 2), **out["parts_s"]}
    return out


def main(argv: list[str]) -> int:
    scale, target = int(argv[0]), Path(argv[1])
    target.write_text(json.dumps(run(scale), indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
