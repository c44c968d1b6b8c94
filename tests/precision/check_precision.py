#!/usr/bin/env python3
"""Suite 'precision': ordinary mail must never become a bounce (docs/testing.md).

Runs `carom classify --format jsonl` over every tests/precision/*.eml -- personal mail about
deliveries and failures, shipping and payment notices, CI and IT notifications, list digests,
newsletters, spam and phishing, human replies that quote a bounce or an out-of-office -- and fails
when any of them yields a record, an error, or no output object. Each offender is printed with its
file, format, class, reason and rule.

Usage: check_precision.py path/to/carom path/to/tests/precision
"""
import json
import os
import subprocess
import sys


def main(carom, folder):
    emls = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".eml"))
    if len(emls) < 150:
        print(f"FAIL: only {len(emls)} messages under {folder} (at least 150 expected)")
        return 1
    proc = subprocess.run([carom, "classify", "--format", "jsonl", "--"] + emls, capture_output=True, timeout=600)
    if proc.returncode not in (0, 1):
        print(f"FAIL: carom exited {proc.returncode}: {proc.stderr.decode('utf-8', 'replace')[-500:]}")
        return 1
    outputs = {}
    for line in proc.stdout.decode("utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            outputs[obj.get("source")] = obj
    offenders = 0
    for eml in emls:
        name = os.path.basename(eml)
        got = outputs.get(eml)
        if got is None:
            print(f"FAIL: {name}: no output object")
            offenders += 1
            continue
        if got.get("error"):
            print(f"FAIL: {name}: error {json.dumps(got['error'])}")
            offenders += 1
            continue
        if got.get("records"):
            offenders += 1
            for r in got["records"]:
                print(f"FAIL: {name}: format={got.get('format')} class={r.get('class')} reason={r.get('reason')} "
                      f"rule={r.get('rule')} recipient={r.get('recipient')}")
    print(f"{len(emls)} ordinary messages, {len(emls) - offenders} without records, {offenders} called bounces")
    return 1 if offenders else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
