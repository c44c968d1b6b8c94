#!/usr/bin/env python3
"""Runs the samples of a corpus folder (default corpus/backscatter) and compares each output with
its <case>.expected.json (a subset: every key present must equal the output; "records" must
have exactly the output's count, compared in order, each record again a subset; nested objects
such as "backscatter" are compared as subsets too).

Context convention (proposed for the corpus runner as well):
  <case>.context.json   the backscatter context for that sample only, else
  context.json          in the sample's folder, for every sample there without its own, else
  no context.
The context is passed as `--context FILE` to the driver.

Usage:
  run_samples.py --driver PATH [--cli] FOLDER
    --driver PATH  tests/backscatter/bs_classify (default form: DRIVER [--context F] FILE)
    --cli          PATH is the carom CLI: PATH classify --format jsonl [--context F] FILE
Exit 0 when every sample matches, 1 otherwise. Prints "N passed, N failed" last.
"""
import argparse
import json
import os
import subprocess
import sys


def subset(expected, got, path):
    """Returns a list of mismatch descriptions."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return ["%s: expected an object, got %r" % (path, got)]
        out = []
        for k, v in expected.items():
            if k not in got:
                out.append("%s.%s: missing" % (path, k))
            elif k == "records":
                if not isinstance(got[k], list) or len(got[k]) != len(v):
                    out.append("%s.records: expected %d records, got %s" % (
                        path, len(v), len(got[k]) if isinstance(got[k], list) else got[k]))
                else:
                    for i, (e, g) in enumerate(zip(v, got[k])):
                        out += subset(e, g, "%s.records[%d]" % (path, i))
            else:
                out += subset(v, got[k], "%s.%s" % (path, k))
        return out
    if expected != got:
        return ["%s: expected %r, got %r" % (path, expected, got)]
    return []


def context_for(eml):
    folder = os.path.dirname(eml)
    own = eml[:-len(".eml")] + ".context.json"
    if os.path.exists(own):
        return own
    shared = os.path.join(folder, "context.json")
    return shared if os.path.exists(shared) else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--driver", required=True)
    ap.add_argument("--cli", action="store_true")
    ap.add_argument("folder")
    a = ap.parse_args()
    emls = sorted(os.path.join(a.folder, f) for f in os.listdir(a.folder) if f.endswith(".eml"))
    if not emls:
        print("no samples in %s" % a.folder)
        print("0 passed, 1 failed")
        return 1
    passed = failed = 0
    for eml in emls:
        name = os.path.basename(eml)
        exp_path = eml[:-len(".eml")] + ".expected.json"
        try:
            with open(exp_path, encoding="utf-8") as f:
                expected = json.load(f)
        except (OSError, ValueError) as e:
            print("FAIL %s: expected file: %s" % (name, e))
            failed += 1
            continue
        ctx = context_for(eml)
        cmd = [a.driver] + (["classify", "--format", "jsonl"] if a.cli else [])
        if ctx:
            cmd += ["--context", ctx]
        cmd.append(eml)
        proc = subprocess.run(cmd, capture_output=True, timeout=60)
        lines = [l for l in proc.stdout.decode("utf-8", "replace").splitlines() if l.strip()]
        if proc.returncode not in (0, 1) or len(lines) != 1:
            print("FAIL %s: driver exit %d, %d lines: %s" % (name, proc.returncode, len(lines),
                                                           proc.stderr.decode("utf-8", "replace")[-300:]))
            failed += 1
            continue
        got = json.loads(lines[0])
        problems = subset(expected, got, name[:-4])
        if problems:
            failed += 1
            print("FAIL %s (context: %s)" % (name, os.path.basename(ctx) if ctx else "none"))
            for p in problems:
                print("    " + p)
            print("    signals: %s" % json.dumps((got.get("backscatter") or {}).get("signals")))
        else:
            passed += 1
            print("ok   %s (context: %s) verdict=%s" % (name, os.path.basename(ctx) if ctx else "none",
                                                      (got.get("backscatter") or {}).get("verdict")))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
