#!/usr/bin/env python3
"""Evaluation on the shared labelled corpus, when it is there.

Finds the shared folder as $CAROM_SHARED or as ../shared beside the source tree. Without it (or
without its corpus and tools/evaluate) the test is skipped (exit 77). With it:
  1. runs `carom classify --format jsonl` over every labelled email (in batches) and fails if carom
     crashes (exit status other than 0 / 1) or writes a number of objects other than the number
     of emails, or a source other than the file given, in order;
  2. reports the share of bounce records (class hard, soft, block, delayed, backscatter) that
     carry a timestamp (docs/schema.md), and fails below TIMESTAMP_GOAL;
  3. runs tools/evaluate with the same CLI and prints its figures. Accuracy is reported, never
     gated; evaluate failing to score (exit 2) fails the test.

Usage: run_shared_eval.py path/to/carom SOURCE_ROOT
"""
import json
import os
import subprocess
import sys

import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shared_folder import find_shared  # noqa: E402

SKIP = 77
# An operator dates every bounce: at least this share of bounce records must have a timestamp.
TIMESTAMP_GOAL = 0.95
BOUNCE_CLASSES = {"hard", "soft", "block", "delayed", "backscatter"}


def main(carom, source_root):
    shared = find_shared(source_root, "tools/evaluate", "corpus/sisimai/labels.jsonl")
    if not shared:
        print("shared corpus not found (set CAROM_SHARED or put it at ../shared): skipped")
        return SKIP
    corpus = os.path.join(shared, "corpus", "sisimai")
    labels = [json.loads(l) for l in open(os.path.join(corpus, "labels.jsonl"), encoding="utf-8") if l.strip()]
    files = [os.path.join(corpus, l["file"]) for l in labels]
    problems = []
    count, started = 0, time.perf_counter()
    bounces = dated = 0
    for i in range(0, len(files), 100):
        batch = files[i:i + 100]
        proc = subprocess.run([carom, "classify", "--format", "jsonl", "--no-progress", "--"] + batch,
                              capture_output=True, timeout=600)
        if proc.returncode not in (0, 1):
            problems.append(f"carom exited {proc.returncode} on the batch starting at {batch[0]}: "
                            f"{proc.stderr.decode('utf-8', 'replace')[-400:]}")
        lines = [l for l in proc.stdout.decode("utf-8", "replace").splitlines() if l.strip()]
        sources = []
        for line in lines:
            try:
                obj = json.loads(line)
                sources.append(obj.get("source"))
                for rec in obj.get("records") or []:
                    if rec.get("class") in BOUNCE_CLASSES:
                        bounces += 1
                        dated += bool(rec.get("timestamp"))
            except ValueError:
                problems.append(f"not JSON in the output for the batch at {batch[0]}: {line[:200]}")
        if sources != batch:
            problems.append(f"batch at {batch[0]}: {len(batch)} emails in, {len(lines)} objects out"
                            + ("" if len(lines) != len(batch) else " (sources differ from the files given)"))
        count += len(lines)
    elapsed = time.perf_counter() - started
    print(f"{len(files)} emails in, {count} objects out, {elapsed:.2f}s")
    share = dated / bounces if bounces else 1.0
    print(f"timestamp: {dated} of {bounces} bounce records ({100 * share:.1f}%; goal {100 * TIMESTAMP_GOAL:.0f}%)")
    if share < TIMESTAMP_GOAL:
        problems.append(f"only {100 * share:.1f}% of the bounce records have a timestamp")
    ev = subprocess.run([sys.executable, os.path.join(shared, "tools", "evaluate"), "--carom", carom,
                         "--corpus", corpus], capture_output=True, text=True, timeout=1200)
    sys.stdout.write(ev.stdout)
    sys.stderr.write(ev.stderr)
    if ev.returncode != 0:
        problems.append(f"evaluate could not score the run (exit {ev.returncode})")
    for p in problems:
        print("FAIL:", p)
    print(f"{0 if problems else 1} passed, {len(problems)} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(os.path.abspath(sys.argv[1]), sys.argv[2]))
