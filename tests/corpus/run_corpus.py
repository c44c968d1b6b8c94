#!/usr/bin/env python3
"""Runs every corpus/**/*.eml through the carom CLI and compares the output with the
.expected.json beside it.

An expectation is a SUBSET of the output: every key it has must equal the output's (objects are
compared the same way, recursively); keys it lacks are not checked. "records" must have exactly
the output's number of records, compared in order, each record again a subset. Every mismatch is
reported; the run fails on any mismatch and on any .eml without an expectation (or the reverse).
It also fails when fewer than 95% of the bounce records (class hard, soft, block, delayed,
backscatter) have a timestamp (docs/schema.md).

A sample's backscatter context is <case>.context.json beside it, else context.json in its folder
(passed as --context).

Usage: run_corpus.py path/to/carom path/to/corpus
"""
import json
import os
import subprocess
import sys


def compare(expected, got, path, out):
    """Appends to `out` a line per difference between expected (a subset) and got."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            out.append(f"{path}: expected an object, got {json.dumps(got)}")
            return
        for key, value in expected.items():
            if key not in got:
                out.append(f"{path}.{key}: missing from the output (expected {json.dumps(value)})")
            else:
                compare(value, got[key], f"{path}.{key}", out)
    elif isinstance(expected, list):
        if not isinstance(got, list):
            out.append(f"{path}: expected a list, got {json.dumps(got)}")
            return
        if len(expected) != len(got):
            out.append(f"{path}: expected {len(expected)} items, got {len(got)}: {json.dumps(got)[:300]}")
            return
        for i, (e, g) in enumerate(zip(expected, got)):
            compare(e, g, f"{path}[{i}]", out)
    elif expected != got:
        out.append(f"{path}: expected {json.dumps(expected)}, got {json.dumps(got)}")


TIMESTAMP_GOAL = 0.95
BOUNCE_CLASSES = {"hard", "soft", "block", "delayed", "backscatter"}


def main(carom, corpus):
    emls, expectations = [], set()
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(root, f)
            if f.endswith(".eml"):
                emls.append(p)
            elif f.endswith(".expected.json"):
                expectations.add(p)
    problems = []  # every line is one failure; samples that match count as passed
    if not emls:
        problems.append(f"no .eml under {corpus}")
    for p in sorted(expectations - {e[:-4] + ".expected.json" for e in emls}):
        problems.append(f"{p}: an expectation without its .eml")
    outputs = {}
    # Backscatter context (docs/backscatter.md): <case>.context.json beside a sample, else
    # context.json in its folder, else none; samples sharing a context run in one batch.
    groups = {}
    for eml in emls:
        own, shared = eml[:-4] + ".context.json", os.path.join(os.path.dirname(eml), "context.json")
        ctx = own if os.path.exists(own) else shared if os.path.exists(shared) else None
        groups.setdefault(ctx, []).append(eml)
    runs = [(ctx, group[i:i + 200]) for ctx, group in groups.items() for i in range(0, len(group), 200)]
    for ctx, batch in runs:
        opts = ["--context", ctx] if ctx else []
        proc = subprocess.run([carom, "classify", "--format", "jsonl"] + opts + ["--"] + batch, capture_output=True,
                              timeout=600)
        if proc.returncode not in (0, 1):
            problems.append(f"carom exited {proc.returncode} on a batch starting at {batch[0]}: "
                            f"{proc.stderr.decode('utf-8', 'replace')[-500:]}")
        lines = [l for l in proc.stdout.decode("utf-8").splitlines() if l.strip()]
        if len(lines) != len(batch):
            problems.append(f"carom wrote {len(lines)} objects for {len(batch)} files (batch at {batch[0]})")
        for line in lines:
            obj = json.loads(line)
            outputs[obj.get("source")] = obj
    passed = 0
    for eml in emls:
        rel = os.path.relpath(eml, corpus)
        exp_path = eml[:-4] + ".expected.json"
        if exp_path not in expectations:
            problems.append(f"{rel}: no expectation ({os.path.basename(exp_path)} is missing)")
            continue
        try:
            expected = json.load(open(exp_path, encoding="utf-8"))
        except ValueError as e:
            problems.append(f"{rel}: {os.path.basename(exp_path)} is not JSON: {e}")
            continue
        if not isinstance(expected, dict) or "records" not in expected:
            problems.append(f"{rel}: the expectation must be an object with \"records\"")
            continue
        got = outputs.get(eml)
        if got is None:
            problems.append(f"{rel}: no output object")
            continue
        diffs = []
        compare(expected, got, "", diffs)
        if diffs:
            problems.extend(f"{rel}: {d}" for d in diffs)
        else:
            passed += 1
    bounces = [r for o in outputs.values() for r in o.get("records") or [] if r.get("class") in BOUNCE_CLASSES]
    dated = sum(1 for r in bounces if r.get("timestamp"))
    share = dated / len(bounces) if bounces else 1.0
    print(f"timestamp: {dated} of {len(bounces)} bounce records ({100 * share:.1f}%; goal {100 * TIMESTAMP_GOAL:.0f}%)")
    if share < TIMESTAMP_GOAL:
        problems.append(f"only {100 * share:.1f}% of the bounce records have a timestamp")
    for p in problems:
        print("FAIL:", p)
    failed = len(problems) if problems else 0
    print(f"{len(emls)} samples, {passed} match their expectation")
    print(f"{passed} passed, {failed} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(os.path.abspath(sys.argv[1]), sys.argv[2]))
