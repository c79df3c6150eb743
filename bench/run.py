"""The benchmark: ``python -m bench [--quick] [--scales 1,10,100,1000]`` from the repository root.

It measures, in one run on this machine: search and as-you-type latency against an SQLite
FTS5 baseline in the same process, the bundled index build, the real app's cold start
against a bare Qt window and its keystroke-to-paint time (offscreen), and, in the full run,
corpora of growing size. It prints a table and writes the figures to bench/results/.
See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # ``python bench/run.py``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import gui
from bench.searchbench import measure_all

RESULTS = Path(__file__).resolve().parent / "results"
REPO = Path(__file__).resolve().parent.parent

# Issue 15's targets ("Speed, second step"), and issue 8's where issue 15 set none.
TARGETS = {
    "search_p95_ms": 3.0,
    "search_vs_fts5_p95": 2.0,
    "typing_p95_ms": 3.0,
    "keystroke_p95_ms": 8.0,
    "keystroke_100x_p95_ms": 16.0,  # full run only
    "start_vs_bare_qt": 1.15,
    "text_vs_bare_qt": 1.3,
    "first_start_vs_bare_qt": 1.3,
    "build_ms": 200.0,
    "app_rss_mib": 85.0,
    # The frozen build (--frozen) must start no slower than the installed app (issue 14).
    "frozen_vs_installed_start": 1.0,
}
SCALE_TARGETS = {
    100: {"typing_p95_ms": 30.0},
    # build_workers_rss_mib: the build's worker processes, summed while they run at once (the
    # process that asks holds the corpus, as the app holds its briefing: scales.N reports it).
    1000: {
        "build_s": 60.0,
        "build_workers_rss_mib": 400.0,
        "search_p95_ms": 100.0,
        "first_search_p95_ms": 50.0,
        "typing_p95_ms": 50.0,
    },
}


def _run_scale(scale: int) -> dict[str, Any]:
    """One scale in a child process, so that peak memory is that scale's alone."""
    with tempfile.TemporaryDirectory(prefix="briefreader-bench-scale-") as folder:
        target = Path(folder) / "out.json"
        subprocess.run(
            [sys.executable, "-m", "bench.scale", str(scale), str(target)], check=True, cwd=REPO
        )
        result: dict[str, Any] = json.loads(target.read_text(encoding="utf-8"))
        return result


def _content_briefing() -> Any:
    from briefreader.core.content import load_briefing
    from briefreader.core.locations import bundled_content_dir

    content = os.environ.get("BRIEFREADER_CONTENT_DIR")
    return load_briefing(Path(content) if content else bundled_content_dir())


def run(
    quick: bool, scales: list[int], gui_repeat: int, frozen: Path | None = None
) -> dict[str, Any]:
    parts: dict[str, float] = {}
    report: dict[str, Any] = {
        "mode": "quick" if quick else "full",
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
    }

    started = time.perf_counter()
    one = measure_all(
        _content_briefing(),
        build_repeat=5,
        search_repeat=7 if quick else 15,
        typing_repeat=3 if quick else 7,
    )
    parts["search_typing_fts5_s"] = time.perf_counter() - started
    report["bundled"] = one

    started = time.perf_counter()
    report["gui"] = gui.measure(repeat=gui_repeat, quick=quick, frozen=frozen)
    parts["gui_s"] = time.perf_counter() - started

    report["summary"] = {
        "search_p95_ms": one["search"]["p95_ms"],
        "search_p50_ms": one["search"]["p50_ms"],
        "search_first_p95_ms": one["search"]["first"]["p95_ms"],
        "fts5_search_p95_ms": one["fts5"]["search"]["p95_ms"],
        "search_vs_fts5_p95": one["search_vs_fts5_p95"],
        "typing_p95_ms": one["typing"]["p95_ms"],
        "typing_p50_ms": one["typing"]["p50_ms"],
        "fts5_typing_p95_ms": one["fts5"]["typing"]["p95_ms"],
        "typing_vs_fts5_p95": one["typing_vs_fts5_p95"],
        "build_ms": one["build_ms"],
        **gui.summary(report["gui"]),
    }

    if not quick and 100 in scales:
        print("… keystrokes at 100×", file=sys.stderr, flush=True)
        started = time.perf_counter()
        report["gui_keys_100x"] = gui.measure_keys_at_scale(100, quick=False)
        parts["gui_keys_100x_s"] = time.perf_counter() - started
        keys = report["gui_keys_100x"].get("keys")
        if isinstance(keys, dict) and "p95_ms" in keys:
            report["summary"]["keystroke_100x_p95_ms"] = keys["p95_ms"]
            report["summary"]["keystroke_100x_p50_ms"] = keys["p50_ms"]

    if not quick:
        report["scales"] = {}
        for scale in scales:
            print(f"… scale {scale}×", file=sys.stderr, flush=True)
            started = time.perf_counter()
            result = _run_scale(scale)
            result["wall_s"] = round(time.perf_counter() - started, 1)
            parts[f"scale_{scale}_s"] = result["wall_s"]
            report["scales"][str(scale)] = result

    report["parts_s"] = {k: round(v, 1) for k, v in parts.items()}
    report["targets"] = _check_targets(report)
    return report


def _check_targets(report: dict[str, Any]) -> dict[str, Any]:
    checks: dict[str, Any] = {}
    summary = report["summary"]
    for name, limit in TARGETS.items():
        if name.startswith(("frozen_", "keystroke_100x")) and name not in summary:
            continue  # no --frozen, or a quick run
        value = summary.get(name)
        checks[name] = {"value": value, "target": limit, "met": _met(value, limit)}
    for scale, targets in SCALE_TARGETS.items():
        result = report.get("scales", {}).get(str(scale))
        if result is None:
            continue
        values = {
            "typing_p95_ms": result["typing"]["p95_ms"],
            "search_p95_ms": result["search"]["p95_ms"],
            "build_s": round(result["build_ms"] / 1000, 1),
            "first_search_p95_ms": result["search"].get("first", {}).get("p95_ms"),
            "peak_rss_mib": result.get("peak_rss_mib"),
            "build_workers_rss_mib": result.get("build_workers", {}).get("sum_rss_mib"),
        }
        for name, limit in targets.items():
            checks[f"{scale}x_{name}"] = {
                "value": values[name],
                "target": limit,
                "met": _met(values[name], limit),
            }
    return checks


def _met(value: object, limit: float) -> bool | None:
    return None if not isinstance(value, int | float) else value <= limit


def _table(report: dict[str, Any]) -> str:
    rows = [("figure", "value", "target", "")]
    for name, check in report["targets"].items():
        mark = {True: "ok", False: "MISSED", None: "n/a"}[check["met"]]
        rows.append((name, _fmt(check["value"]), f"≤ {check['target']:g}", mark))
    summary = report["summary"]
    for name in (
        "search_p50_ms",
        "search_first_p95_ms",
        "fts5_search_p95_ms",
        "typing_p50_ms",
        "fts5_typing_p95_ms",
        "typing_vs_fts5_p95",
        "start_ms",
        "first_start_ms",
        "bare_qt_ms",
        "text_ms",
        "text_vs_bare_qt",
        "first_text_vs_bare_qt",
        "start_cpu_vs_bare_qt",
        "text_cpu_vs_bare_qt",
        "keystroke_p50_ms",
        "keystroke_100x_p50_ms",
        "frozen_start_ms",
        "frozen_text_ms",
        "frozen_vs_bare_qt",
        "frozen_folder_mib",
        "frozen_tar_gz_mib",
        "frozen_deb_mib",
    ):
        if name in summary:
            rows.append((name, _fmt(summary[name]), "", ""))
    lines = _columns(rows)
    scales = report.get("scales")
    if scales:
        head = (
            "scale",
            "sections",
            "text MiB",
            "build s",
            "index MiB",
            "search p95 ms",
            "first search p95",
            "typing p95 ms",
            "FTS5 search p95",
            "FTS5 typing p95",
            "FTS5 build s",
            "peak MiB",
            "build processes",
            "their MiB",
        )
        body = [head]
        for scale, r in scales.items():
            body.append(
                (
                    f"{scale}×",
                    str(r["sections"]),
                    _fmt(r["text_mib"]),
                    _fmt(r["build_ms"] / 1000),
                    _fmt(r["index_mib"]),
                    _fmt(r["search"]["p95_ms"]),
                    _fmt(r["search"].get("first", {}).get("p95_ms")),
                    _fmt(r["typing"]["p95_ms"]),
                    _fmt(r["fts5"]["search"]["p95_ms"]),
                    _fmt(r["fts5"]["typing"]["p95_ms"]),
                    _fmt(r["fts5"]["build_ms"] / 1000),
                    _fmt(r.get("peak_rss_mib")),
                    _fmt(r.get("build_processes")),
                    _fmt(r.get("build_workers", {}).get("sum_rss_mib")),
                )
            )
        lines += ["", *_columns(body)]
    parts = ", ".join(f"{k} {v:g}" for k, v in report["parts_s"].items())
    lines += ["", f"time taken (s): {parts}"]
    return "\n".join(lines)


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    return "–" if value is None else str(value)


def _columns(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)) for r in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1× only, under a minute")
    parser.add_argument(
        "--scales",
        default="1,10,100,1000",
        help="full run: corpus sizes, in multiples of the briefing (default 1,10,100,1000)",
    )
    parser.add_argument("--gui-repeat", type=int, default=None, help="cold starts per kind")
    parser.add_argument("--out", type=Path, help="where to write the JSON (default bench/results/)")
    parser.add_argument(
        "--frozen",
        type=Path,
        metavar="DIR",
        help="also time the frozen build in DIR (packaging/build.sh makes dist/briefreader)",
    )
    args = parser.parse_args(argv)
    frozen = args.frozen
    if frozen is not None and (problem := gui.frozen_problem(frozen.resolve())) is not None:
        print(f"bench: skipping the frozen build: {problem}", file=sys.stderr)
        frozen = None
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    gui_repeat = args.gui_repeat or (4 if args.quick else 11)

    started = time.perf_counter()
    report = run(args.quick, scales, gui_repeat, frozen.resolve() if frozen else None)
    report["total_s"] = round(time.perf_counter() - started, 1)
    out = args.out or RESULTS / ("quick.json" if args.quick else "full.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    # Flat, sorted and rounded, so that a re-run diffs cleanly in a commit.
    out.write_text(json.dumps(report, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    print(_table(report))
    print(f"\nwritten to {out} in {report['total_s']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
