#!/usr/bin/env python3
"""Throughput of carom.dask at 1 and 2 workers over a generated mbox (a benchmark, not a test).

    python3 bench/python/dask_scale.py [--messages 10000] [--range-bytes 256k] [--repeat 2] [--cli PATH]

Writes a synthetic mbox of --messages messages (tests/python/mboxgen.py) in a temporary
directory, starts a LocalCluster of N worker processes (one thread each, 127.0.0.1, no
dashboard) for N = 1 and 2, and times carom.dask over the mbox cut into --range-bytes ranges:
the run from the plan to the last result gathered on the client, the cluster already started and
each worker's engine already built (a warm-up run builds them; building the engine is paid once
per worker process). Prints messages/s at each size, the ratio 2 workers / 1 worker, and the CLI's
`carom classify --jobs 1` over the same mbox for scale. The best of --repeat runs is kept. Every
run's output is checked against the CLI's (same JSON objects, same order).

On a 2-core machine shared with other work the ratio stays below 2: the client and the scheduler
take CPU from the same cores.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bindings" / "python"))
sys.path.insert(0, str(ROOT / "tests" / "python"))

import mboxgen  # noqa: E402


def size(text: str) -> int:
    shift = {"k": 10, "m": 20, "g": 30}.get(text[-1:].lower(), 0)
    return int(text[:-1] if shift else text) << shift


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=10_000)
    ap.add_argument("--range-bytes", type=size, default=256 << 10)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--cli", default=os.environ.get("CAROM_CLI") or str(ROOT / "build" / "lib" / "cli" / "carom"))
    args = ap.parse_args()

    from distributed import Client, LocalCluster

    import carom.dask as cd

    with tempfile.TemporaryDirectory() as tmp:
        mbox = os.path.join(tmp, "bench.mbox")
        mboxgen.write_mbox(mbox, args.messages)
        mb = os.path.getsize(mbox) / 1e6
        t = time.perf_counter()
        cli = subprocess.run([args.cli, "classify", "--jobs", "1", mbox], capture_output=True, check=False)
        cli_s = time.perf_counter() - t
        want = [json.loads(line) for line in cli.stdout.splitlines()]
        assert len(want) == args.messages, (len(want), cli.stderr)
        print(f"mbox: {args.messages} messages, {mb:.1f} MB, ranges of {args.range_bytes} bytes")
        print(f"CLI --jobs 1:      {cli_s:7.2f} s  {args.messages / cli_s:8.0f} messages/s")
        rates = {}
        for n in (1, 2):
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address=None)
            try:
                with Client(cluster) as client:
                    bag = cd.records(mbox, range_bytes=args.range_bytes)
                    assert bag.compute() == want  # warm-up: every worker builds its engine
                    best = float("inf")
                    for _ in range(args.repeat):
                        t = time.perf_counter()
                        got = cd.records(mbox, range_bytes=args.range_bytes).compute()
                        best = min(best, time.perf_counter() - t)
                        assert got == want
            finally:
                cluster.close()
            rates[n] = args.messages / best
            print(f"carom.dask {n} worker{'s' if n > 1 else ' '}: {best:7.2f} s  {rates[n]:8.0f} messages/s")
        print(f"ratio 2 workers / 1 worker: {rates[2] / rates[1]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
