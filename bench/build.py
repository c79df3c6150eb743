"""The index build alone, at one scale, in a fresh process: time and peak memory.

``python -m bench.build N [REPEAT]``: builds the N× corpus, then its index from scratch
REPEAT times (default 1), each into a new folder, the way the app does
(``IndexStore.open_or_build``: write, hash, verify, open), and prints one JSON line:
``build_s`` (each run's wall time), ``median_s``, ``cpu_s`` (each run's CPU time in this
process: on a machine shared with other work, steadier than the wall time),
``corpus_rss_mib`` (resident memory with the corpus made, before any build) and
``peak_rss_mib`` (the process's peak, builds included).

``bench.scale`` measures the build too, with search and typing after it (7 minutes at
1000×); this is for the writer's own figures, a build at 1000× in about a minute.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import scaled_briefing
from bench.timing import peak_rss_mib, rss_mib


def main(argv: list[str]) -> int:
    from briefreader.core.content import load_briefing
    from briefreader.core.locations import bundled_content_dir
    from briefreader.core.search.index import IndexStore

    scale = int(argv[0])
    repeat = int(argv[1]) if len(argv) > 1 else 1
    briefing = scaled_briefing(load_briefing(bundled_content_dir()), scale)
    corpus_rss = rss_mib()
    times = []
    cpu = []
    for _ in range(repeat):
        root = Path(tempfile.mkdtemp(prefix="briefreader-bench-build-"))
        try:
            store = IndexStore(briefing, root)
            started, started_cpu = time.perf_counter(), time.process_time()
            status = store.open_or_build()
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            if not status.built or status.path is None:
                raise RuntimeError(f"expected a fresh on-disk build, got {status}")
            store.close()
        finally:
            shutil.rmtree(root, ignore_errors=True)
    out = {
        "scale": scale,
        "sections": len(briefing.sections),
        "build_s": [round(t, 3) for t in times],
        "median_s": round(statistics.median(times), 3),
        "cpu_s": [round(t, 3) for t in cpu],
        "corpus_rss_mib": corpus_rss,
        "peak_rss_mib": peak_rss_mib(),
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
