"""Small statistics and memory helpers shared by the bench's parts."""

from __future__ import annotations

import os
import resource
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path


def percentile(values: Sequence[float], fraction: float) -> float:
    """Linear-interpolated percentile (as numpy's default); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary_ms(samples_s: Sequence[float]) -> dict[str, float]:
    """p50 / p95 / max in milliseconds, rounded for commit-friendly JSON."""
    ms = [s * 1000 for s in samples_s]
    return {
        "p50_ms": round(percentile(ms, 0.50), 3),
        "p95_ms": round(percentile(ms, 0.95), 3),
        "max_ms": round(max(ms, default=0.0), 3),
        "n": len(ms),
    }


def median_time(action: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls, in seconds.

    The median of several runs of one operation keeps other processes on this shared
    machine from turning one unlucky run into a p95.
    """
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _status_mib(field: str) -> float | None:
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith(f"{field}:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def rss_mib() -> float:
    """Resident memory of this process now, in MiB (Linux /proc; peak elsewhere)."""
    now = _status_mib("VmRSS")
    return peak_rss_mib() if now is None else now


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB.

    On Linux from the same counters as :func:`rss_mib` (``VmHWM``): ``getrusage``'s peak is
    brought up to date lazily, and was seen 0.1 MiB below a ``VmRSS`` read before it.
    """
    high = _status_mib("VmHWM")
    if high is not None:
        return high
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def folder_size_mib(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 2)


def children_peak_rss_mib() -> float:
    """Peak resident memory of the largest child process this one has waited for, in MiB.

    Exact, but per process: for processes running at once, see :class:`ChildrenMemory`.
    A process started by ``exec`` without a fork inherits its predecessor's figure: run
    this in a process started by ``subprocess`` (as ``bench.run`` starts ``bench.scale``).
    """
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


class ChildrenMemory:
    """Samples, every 50 ms on a thread, the resident memory of this process's children
    (summed: what they hold at once) and of this process with them (Linux /proc only).

    A sample can miss a peak shorter than 50 ms; the build workers' memory grows over
    seconds, and their exact peak each is :func:`children_peak_rss_mib`.
    """

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.children_mib = 0.0  # the largest sum of the children's memory seen
        self.total_mib = 0.0  # …and of this process's and its children's, while it had any
        self.most_children = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-memory", daemon=True)

    def __enter__(self) -> ChildrenMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = str(os.getpid())
        while not self._stop.wait(self.interval):
            children = 0
            count = 0
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                    if fields[1] != me:  # the parent's process id
                        continue
                    children += int(fields[21]) * resource.getpagesize()  # rss, in pages
                    count += 1
                except (OSError, IndexError, ValueError):
                    continue  # gone meanwhile
            if not count:
                continue
            mine = rss_mib()
            self.children_mib = max(self.children_mib, round(children / 2**20, 1))
            self.total_mib = max(self.total_mib, round(mine + children / 2**20, 1))
            self.most_children = max(self.most_children, count)
