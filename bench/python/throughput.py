#!/usr/bin/env python3
"""Throughput of the Python binding's classify_many against the C CLI, on one corpus.

    python3 bench/python/throughput.py [--corpus DIR] [--cli PATH] [--repeat N] [--workers N]

Both sides do the same work: read every *.eml file below DIR, classify it, and render the JSON
line (the CLI writes it to a pipe that is drained and discarded; Python builds its Result objects
and calls to_json()). Each measurement is the best of ``--repeat`` runs (the least disturbed by
other processes on a shared machine).

The main figure is the steady-state ratio: classify_many's time with an engine already built,
against the CLI's time minus its start-up (process start and engine build, measured by running it
on one message), since building the engine (compiling the rules) is paid once per process by
both. The whole-run ratio of ``python3 -m carom classify`` against ``carom classify`` is printed
too. The target is a ratio of at most 2 (docs/performance.md).

The library is found as the binding finds it (CAROM_LIBRARY, then the build tree); the CLI
defaults to <source>/build/lib/cli/carom. Exit status 0, or 1 with --check when the ratio is
over --max-ratio.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bindings" / "python"))

import carom  # noqa: E402


def corpus_files(directory: Path) -> list:
    return sorted(str(p) for p in directory.rglob("*.eml") if p.is_file())


def run_cli(argv: list, expected: int) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    lines = proc.stdout.count(b"\n")
    if proc.returncode not in (0, 1) or lines != expected:
        raise SystemExit(f"{argv[0]} failed (exit {proc.returncode}, {lines} lines for {expected} messages)")
    return elapsed


def time_python(files: list, workers: int) -> tuple:
    """(seconds to build the engine, seconds to classify every file and render its JSON)."""
    t0 = time.perf_counter()
    engine = carom.Engine()
    t1 = time.perf_counter()
    n = 0
    for result in engine.classify_many(files, workers=workers):
        result.to_json()
        n += 1
    t2 = time.perf_counter()
    engine.close()
    assert n == len(files)
    return t1 - t0, t2 - t1


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "sisimai")
    p.add_argument("--cli", default=os.environ.get("CAROM_CLI") or str(ROOT / "build" / "lib" / "cli" / "carom"))
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--workers", type=int, default=1, help="threads for classify_many (default 1)")
    p.add_argument("--check", action="store_true", help="exit 1 when the ratio exceeds --max-ratio")
    p.add_argument("--max-ratio", type=float, default=2.0)
    args = p.parse_args()

    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}: skipped")
        return 77
    files = corpus_files(args.corpus)
    if not files:
        print(f"no *.eml below {args.corpus}: skipped")
        return 77
    size = sum(os.path.getsize(f) for f in files)
    n = len(files)
    cli = [args.cli, "classify", "--format", "jsonl"]
    pymod = [sys.executable, "-m", "carom", "classify", "--format", "jsonl", "--workers", str(args.workers)]
    env_note = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT / "bindings" / "python")] + ([env_note] if env_note else []))
    os.environ.setdefault("CAROM_LIBRARY", carom.library_path)

    # Warm the page cache, then take the best of --repeat runs of each (the least disturbed by
    # other processes on a shared machine).
    run_cli(cli + files, n)
    time_python(files, args.workers)
    best = lambda f: min(f() for _ in range(args.repeat))  # noqa: E731
    cli_all = best(lambda: run_cli(cli + files, n))
    cli_one = best(lambda: run_cli(cli + files[:1], 1))  # process start + engine build + 1 message
    py_runs = [time_python(files, args.workers) for _ in range(args.repeat)]
    py_engine = min(e for e, _ in py_runs)
    py_classify = min(c for _, c in py_runs)
    py_all = best(lambda: run_cli(pymod + files, n))

    # Steady state: the CLI's time without its start-up (measured on one message), against
    # classify_many with an engine already built.
    cli_classify = max(cli_all - cli_one, 1e-9)
    ratio = py_classify / cli_classify
    print(f"corpus         {args.corpus} ({n} messages, {size / 1e6:.1f} MB)")
    print(f"library        {carom.library_path} ({carom.library_version()})")
    print(f"C CLI          {n / cli_classify:8.0f} messages/s  classifying ({cli_classify * 1e3:.1f} ms; "
          f"whole run {cli_all * 1e3:.1f} ms, of which start-up and engine build {cli_one * 1e3:.1f} ms)")
    print(f"classify_many  {n / py_classify:8.0f} messages/s  classifying ({py_classify * 1e3:.1f} ms; "
          f"Engine() {py_engine * 1e3:.1f} ms; workers={args.workers})")
    print(f"python -m      {n / py_all:8.0f} messages/s  whole run ({py_all * 1e3:.1f} ms, start-up included)")
    print(f"ratio          {ratio:.2f}x  classify_many time / CLI time, steady state (goal <= {args.max_ratio:g})")
    print(f"ratio          {py_all / cli_all:.2f}x  python3 -m carom / carom, whole runs")
    return 1 if args.check and ratio > args.max_ratio else 0


if __name__ == "__main__":
    sys.exit(main())
