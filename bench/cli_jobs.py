#!/usr/bin/env python3
"""The CLI end to end at --jobs 1 and --jobs 2 against carom-bench (a benchmark, not a test).

    python3 bench/cli_jobs.py [--messages 10000] [--repeat 7] [--mbox PATH] [--build DIR]
                              [--cli PATH] [--bench PATH]

Writes a synthetic mbox of --messages messages (tests/python/mboxgen.py), or takes --mbox, then:
  1. `carom classify --jobs 1` and `--jobs 2` over the mbox, output to a file, in interleaved
     pairs (--repeat of each), wall time per run including start-up and the engine build;
  2. checks that both outputs are byte for byte the same;
  3. `carom-bench --threads 1` over the same messages: the library's one-thread rate (messages
     loaded in memory first, engine built once and not counted, the median of 5 trials of one
     round each: one pass over the messages, as the CLI makes). The messages are cut where the
     CLI's records say they start (`source` PATH:OFFSET), one file each without its separator
     line, so both count the same messages.
Prints the median of each, the ratio --jobs 2 / --jobs 1, and --jobs 1 as a share of
carom-bench. Exit status 1 when the outputs differ. On a machine with other work the ratio says
little: the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "python"))

import mboxgen  # noqa: E402


def loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def timed(cmd: list[str], out: str) -> float:
    with open(out, "wb") as f:
        t = time.perf_counter()
        proc = subprocess.run(cmd, stdout=f, stderr=subprocess.DEVNULL, check=False)
        secs = time.perf_counter() - t
    if proc.returncode not in (0, 1):  # 1: some message was an error record, still classified
        sys.exit(f"{' '.join(cmd)} exited {proc.returncode}")
    return secs


def split_like_the_cli(mbox: str, records: str, folder: str) -> str:
    """Writes each message the CLI read (from its record's source offset) to its own file."""
    starts = []
    with open(records) as f:
        for line in f:
            starts.append(int(json.loads(line)["source"].rsplit(":", 1)[1]))
    data = Path(mbox).read_bytes()
    os.mkdir(folder)
    for i, (begin, end) in enumerate(zip(starts, starts[1:] + [len(data)])):
        message = data[begin:end]
        Path(folder, f"{i:06d}.eml").write_bytes(message[message.find(b"\n") + 1:])  # no separator line
    return folder


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--mbox", help="an existing mbox instead of the generated one")
    ap.add_argument("--build", default=os.environ.get("BUILD") or str(ROOT / "build"))
    ap.add_argument("--cli", help="the carom program (default: BUILD/lib/cli/carom)")
    ap.add_argument("--bench", help="carom-bench (default: BUILD/bench/carom-bench)")
    args = ap.parse_args()
    cli = args.cli or os.path.join(args.build, "lib", "cli", "carom")
    bench = args.bench or os.path.join(args.build, "bench", "carom-bench")

    with tempfile.TemporaryDirectory() as tmp:
        mbox = args.mbox or os.path.join(tmp, "bench.mbox")
        if not args.mbox:
            mboxgen.write_mbox(mbox, args.messages)
        print(f"load average before {loadavg()}")
        times: dict[str, list[float]] = {"1": [], "2": []}
        outs = {jobs: os.path.join(tmp, f"out{jobs}.jsonl") for jobs in times}
        for _ in range(args.repeat):
            for jobs in times:
                times[jobs].append(timed([cli, "classify", "--jobs", jobs, mbox], outs[jobs]))
        same = Path(outs["1"]).read_bytes() == Path(outs["2"]).read_bytes()
        med = {jobs: statistics.median(t) for jobs, t in times.items()}

        messages = split_like_the_cli(mbox, outs["1"], os.path.join(tmp, "messages"))
        lib = json.loads(subprocess.run([bench, "--threads", "1", "--rounds", "1", "--trials", "5", "--json", messages],
                                        capture_output=True, text=True, check=True).stdout)
        n = lib["messages"]
        print(f"carom-bench   {n} messages ({lib['bytes'] / 1e6:.1f} MB), 1 thread: "
              f"{lib['messages_per_s']:.0f} messages/s (engine build {lib['engine_build_ms']:.0f} ms, not counted)")
        for jobs, secs in med.items():
            print(f"cli --jobs {jobs}  median {secs * 1000:.0f} ms of {args.repeat}: {n / secs:.0f} messages/s "
                  f"(min {min(times[jobs]) * 1000:.0f} ms, max {max(times[jobs]) * 1000:.0f} ms)")
        print(f"--jobs 2 / --jobs 1   {med['1'] / med['2']:.2f}x")
        print(f"--jobs 1 / carom-bench {n / med['1'] / lib['messages_per_s'] * 100:.0f}%")
        print(f"output identical      {'yes' if same else 'NO'}")
        print(f"load average after {loadavg()}")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
