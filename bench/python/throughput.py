#!/usr/bin/env python3
"""Throughput of the Python binding's classify_many against the C CLI, on one corpus.

    python3 bench/python/throughput.py [--corpus DIR] [--cli PATH] [--repeat N] [--workers N]

Both sides do the same work: read every *.eml file below DIR, classify it, and render the JSON
line (the CLI writes it to a pipe that is drained and discarded; Python builds its Result objects
and calls to_json()). Each side runs ``--repeat`` times and the best run counts (the least
disturbed by other processes on a shared machine). Prints messages/s for each and the ratio
CLI / Python; issue 7 asks for a ratio of at most 2.

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


def time_cli(cli: str, files: list) -> float:
    start = time.perf_counter()
    proc = subprocess.run([cli, "classify", "--format", "jsonl"] + files, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    lines = proc.stdout.count(b"\n")
    if proc.returncode not in (0, 1) or lines != len(files):
        raise SystemExit(f"the CLI failed (exit {proc.returncode}, {lines} lines for {len(files)} files)")
    return elapsed


def time_python(engine: carom.Engine, files: list, workers: int) -> float:
    start = time.perf_counter()
    n = 0
    for result in engine.classify_many(files, workers=workers):
        result.to_json()
        n += 1
    elapsed = time.perf_counter() - start
    assert n == len(files)
    return elapsed


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

    with carom.Engine() as engine:
        time_python(engine, files, args.workers)  # warm the page cache and the engine
        time_cli(args.cli, files)
        cli_best = min(time_cli(args.cli, files) for _ in range(args.repeat))
        py_best = min(time_python(engine, files, args.workers) for _ in range(args.repeat))

    n = len(files)
    ratio = py_best / cli_best
    print(f"corpus      {args.corpus} ({n} messages, {size / 1e6:.1f} MB)")
    print(f"library     {carom.library_path} ({carom.library_version()})")
    print(f"C CLI       {n / cli_best:10.0f} messages/s  ({cli_best * 1e3:.1f} ms, best of {args.repeat})")
    print(f"Python      {n / py_best:10.0f} messages/s  ({py_best * 1e3:.1f} ms, best of {args.repeat}, "
          f"classify_many workers={args.workers})")
    print(f"ratio       {ratio:.2f}x  (Python time / CLI time; goal <= {args.max_ratio:g})")
    return 1 if args.check and ratio > args.max_ratio else 0


if __name__ == "__main__":
    sys.exit(main())
