"""Start-up and keystroke figures of the real app, offscreen, each start a fresh process.

Cold start = from just before the process is spawned to the end of its first paint. The
app is started with its index already built ("start") and with an empty cache folder
("first start"), alternating with a bare PySide6 window showing the same text, so that
the machine's load hits all three alike; the ratios use medians.

With ``frozen`` (the folder ``packaging/build.sh`` makes, ``dist/briefreader``), the frozen
app's start is measured in the same rounds: its executable runs the same probe, bundled for
this (``packaging/briefreader_entry.py``, switched on by ``BRIEFREADER_BENCH_PROBE=1``), on
the same built index, so that frozen, installed and bare are timed alike.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
FROZEN_EXECUTABLE = "briefreader.exe" if sys.platform == "win32" else "briefreader"


def frozen_problem(frozen: Path) -> str | None:
    """Why the frozen build at ``frozen`` cannot be measured, or None if it can."""
    if not (frozen / FROZEN_EXECUTABLE).is_file():
        return f"no frozen build at {frozen} (make one with packaging/build.sh)"
    return None


def _probe(
    mode: str, env: dict[str, str], *options: str, frozen: Path | None = None
) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.gui_probe", mode, *options]
    if frozen is not None:
        command = [str(frozen / FROZEN_EXECUTABLE)]
        env = {**env, "BRIEFREADER_BENCH_PROBE": "1"}
    started = time.monotonic()
    done = subprocess.run(
        command,
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{mode} probe failed ({done.returncode}): {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    result["start_ms"] = round((result["painted"] - started) * 1000, 1)
    if "text_painted" in result:
        result["text_ms"] = round((result["text_painted"] - started) * 1000, 1)
    # The process's own CPU time at the paints (bench/README.md): comparable on a busy machine.
    for key in ("painted_cpu", "text_painted_cpu"):
        if key in result:
            result[key.replace("painted_cpu", "cpu_ms")] = round(result[key] * 1000, 1)
    return result


def measure(repeat: int, quick: bool = False, frozen: Path | None = None) -> dict[str, Any]:
    if importlib.util.find_spec("briefreader.app") is None:
        return {"error": "briefreader.app does not exist yet"}
    work = Path(tempfile.mkdtemp(prefix="briefreader-bench-gui-"))
    try:
        return _measure(repeat, work, quick, frozen)
    except (RuntimeError, subprocess.SubprocessError) as error:
        return {"error": str(error)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _env(work: Path, cache: Path) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # Started as a delegate's machine starts it: with the app's modules byte-compiled (see
    # _compile). This machine sets PYTHONDONTWRITEBYTECODE, so without this every start
    # recompiled the app's source (bench/README.md), which no installed copy pays.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    env.update(
        HOME=str(work / "home"),
        XDG_CONFIG_HOME=str(work / "home" / ".config"),
        BRIEFREADER_CACHE_DIR=str(cache),
        BRIEFREADER_DATA_DIR=str(work / "data"),
    )
    return env


def _compile(env: dict[str, str]) -> None:
    """Byte-compile the app and the probe into the probes' bytecode cache, outside the repo.

    pip compiles what it installs into site-packages (Qt, Whoosh, Markdown); an editable
    install's own modules are compiled by Python on the first start and reused after it.
    """
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(REPO / "src" / "briefreader"), "bench"],
        cwd=REPO,
        env=env,
        capture_output=True,
        timeout=300,
        check=True,
    )


def _measure(repeat: int, work: Path, quick: bool, frozen: Path | None) -> dict[str, Any]:
    warm_env = _env(work, work / "cache")
    _compile(warm_env)
    # The first run builds the index (and warms the OS file cache for everyone).
    settle = _probe("app", warm_env, "--rss")
    if frozen is not None:
        _probe("app", warm_env, frozen=frozen)  # warms the OS file cache for the bundle
    frozen_start: list[float] = []
    frozen_text: list[float | None] = []
    bare, start, first = [], [], []
    bare_text, start_text, first_text = [], [], []
    bare_cpu: list[float | None] = []
    start_cpu: list[float | None] = []
    start_text_cpu: list[float | None] = []
    for number in range(repeat):
        result = _probe("bare", warm_env)
        bare.append(result["start_ms"])
        bare_text.append(result.get("text_ms"))
        bare_cpu.append(result.get("cpu_ms"))
        result = _probe("app", warm_env)
        start.append(result["start_ms"])
        start_text.append(result.get("text_ms"))
        start_cpu.append(result.get("cpu_ms"))
        start_text_cpu.append(result.get("text_cpu_ms"))
        fresh = work / f"cache-{number}"
        result = _probe("app", _env(work, fresh))
        first.append(result["start_ms"])
        first_text.append(result.get("text_ms"))
        shutil.rmtree(fresh, ignore_errors=True)
        if frozen is not None:
            result = _probe("app", warm_env, frozen=frozen)
            frozen_start.append(result["start_ms"])
            frozen_text.append(result.get("text_ms"))
    keys = _probe("app", warm_env, "--rss", "--keys", *(["--quick"] if quick else []))
    frozen_figures: dict[str, Any] = {}
    if frozen is not None:
        frozen_figures = {
            "frozen_start_ms": frozen_start,
            "frozen_text_ms": frozen_text,
            "frozen_sizes_mib": _sizes(frozen),
        }
    return {
        **frozen_figures,
        "repeat": repeat,
        "bare_qt_ms": bare,
        "start_ms": start,
        "first_start_ms": first,
        "bare_qt_text_ms": bare_text,
        "text_ms": start_text,
        "first_text_ms": first_text,
        "bare_qt_cpu_ms": bare_cpu,
        "start_cpu_ms": start_cpu,
        "text_cpu_ms": start_text_cpu,
        "rss_mib": keys.get("rss_mib", settle.get("rss_mib")),
        "keys": keys.get("keys"),
    }


def measure_keys_at_scale(scale: int, quick: bool = True) -> dict[str, Any]:
    """Keystroke to painted results in the real window, the app handed an N× corpus.

    One process builds the N× index (the settle run, as on a first start), a second types,
    so that the typing process opens the index as a delegate's later start does.
    """
    work = Path(tempfile.mkdtemp(prefix="briefreader-bench-keys-"))
    try:
        env = _env(work, work / "cache")
        _compile(env)
        settle = _probe("app", env, "--rss", f"--scale={scale}")
        keys = _probe("app", env, "--rss", "--keys", f"--scale={scale}", *(["--quick"] * quick))
        return {
            "scale": scale,
            "rss_mib": keys.get("rss_mib", settle.get("rss_mib")),
            "keys": keys.get("keys"),
        }
    except (RuntimeError, subprocess.SubprocessError) as error:
        return {"error": str(error)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _sizes(frozen: Path) -> dict[str, float]:
    """The frozen folder's size, and its installers' next to it, in MiB."""
    mib = 1024 * 1024
    folder = sum(p.stat().st_size for p in frozen.rglob("*") if p.is_file() and not p.is_symlink())
    sizes = {"folder": round(folder / mib, 1)}
    for pattern, name in (("briefreader-*.tar.gz", "tar_gz"), ("briefreader_*.deb", "deb")):
        found = sorted(frozen.parent.glob(pattern))
        if found:
            sizes[name] = round(found[-1].stat().st_size / mib, 1)
    return sizes


def summary(gui: dict[str, Any]) -> dict[str, Any]:
    if "error" in gui:
        return {"gui_error": gui["error"]}
    bare = statistics.median(gui["bare_qt_ms"])
    start = statistics.median(gui["start_ms"])
    first = statistics.median(gui["first_start_ms"])
    out: dict[str, Any] = {
        "bare_qt_ms": round(bare, 1),
        "start_ms": round(start, 1),
        "first_start_ms": round(first, 1),
        "start_vs_bare_qt": round(start / bare, 2),
        "first_start_vs_bare_qt": round(first / bare, 2),
        "app_rss_mib": gui["rss_mib"],
    }
    texts = [gui.get(k) or [] for k in ("bare_qt_text_ms", "text_ms", "first_text_ms")]
    if all(t and None not in t for t in texts):
        bare_text, text, first_text = (statistics.median(t) for t in texts)
        out["text_ms"] = round(text, 1)
        out["text_vs_bare_qt"] = round(text / bare_text, 2)
        out["first_text_vs_bare_qt"] = round(first_text / bare_text, 2)
    cpus = [gui.get(k) or [] for k in ("bare_qt_cpu_ms", "start_cpu_ms", "text_cpu_ms")]
    if all(c and None not in c for c in cpus):
        bare_cpu, start_cpu, text_cpu = (statistics.median(c) for c in cpus)
        out["start_cpu_vs_bare_qt"] = round(start_cpu / bare_cpu, 2)
        out["text_cpu_vs_bare_qt"] = round(text_cpu / bare_cpu, 2)
    if gui.get("frozen_start_ms"):
        frozen = statistics.median(gui["frozen_start_ms"])
        out["frozen_start_ms"] = round(frozen, 1)
        out["frozen_vs_bare_qt"] = round(frozen / bare, 2)
        out["frozen_vs_installed_start"] = round(frozen / start, 2)
        frozen_text = gui.get("frozen_text_ms") or []
        if frozen_text and None not in frozen_text and "text_ms" in out:
            out["frozen_text_ms"] = round(statistics.median(frozen_text), 1)
        for name, size in gui.get("frozen_sizes_mib", {}).items():
            out[f"frozen_{name}_mib"] = size
    keys = gui.get("keys")
    if isinstance(keys, dict) and "p95_ms" in keys:
        out["keystroke_p95_ms"] = keys["p95_ms"]
        out["keystroke_p50_ms"] = keys["p50_ms"]
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.gui [--repeat N] [--full-keys] [--out FILE]``: the GUI part alone."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.gui", description=main.__doc__)
    parser.add_argument("--repeat", type=int, default=4, help="cold starts per kind")
    parser.add_argument("--full-keys", action="store_true", help="every typing query, not a third")
    parser.add_argument("--out", type=Path, help="also write the figures to this JSON file")
    parser.add_argument(
        "--key-scale",
        type=int,
        default=1,
        metavar="N",
        help="only the keystroke figures, with the app handed the briefing N times over",
    )
    args = parser.parse_args(argv)
    if args.key_scale > 1:
        report: dict[str, Any] = {"keys": measure_keys_at_scale(args.key_scale, not args.full_keys)}
    else:
        figures = measure(args.repeat, quick=not args.full_keys)
        report = {"gui": figures, "summary": summary(figures)}
    text = json.dumps(report, indent=1, sort_keys=True, ensure_ascii=False)
    if args.out is not None:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(json.dumps(report.get("summary", report), indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
