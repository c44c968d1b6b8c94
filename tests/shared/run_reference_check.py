#!/usr/bin/env python3
"""The field reference, when it is there: agreement, and the entries we disagree with.

Finds the shared folder as $CAROM_SHARED or as ../shared beside the source tree; without it (or
without tools/reference-check) the test is skipped (exit 77). With it, runs reference-check with
the CLI and prints its table and headline (agreement is reported, never gated), then checks
docs/reference-disagreements.tsv (id, our reason, why): every entry names an entry of the
reference, gives a reason, a one-line why, and carom gives that entry the reason we stated (a
disagreement the rules no longer hold, or never held, fails: the file says what carom does).

Usage: run_reference_check.py path/to/carom SOURCE_ROOT
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shared_folder import find_shared  # noqa: E402

SKIP = 77


def main(carom, source_root):
    shared = find_shared(source_root, "tools/reference-check", "reference/smtp-replies.tsv")
    if not shared:
        print("shared reference not found (set CAROM_SHARED or put it at ../shared): skipped")
        return SKIP
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "wrong.json")
        proc = subprocess.run([sys.executable, os.path.join(shared, "tools", "reference-check"), "--carom", carom,
                               "--show", "0", "--json", out], capture_output=True, text=True, timeout=600)
        sys.stdout.write(proc.stdout)
        if proc.returncode != 0:
            print(proc.stderr[-2000:])
            print(f"FAIL: reference-check could not score the run (exit {proc.returncode})")
            print("0 passed, 1 failed")
            return 1
        wrong = {w["id"]: w for w in json.load(open(out, encoding="utf-8"))["wrong"]}
    with open(os.path.join(shared, "reference", "smtp-replies.tsv"), encoding="utf-8", newline="") as fh:
        ref = {r["id"]: r for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)}
    path = os.path.join(source_root, "docs", "reference-disagreements.tsv")
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE) if r and not r[0].startswith("#")]
    for n, row in enumerate(rows, 1):
        if len(row) != 3 or not all(x.strip() for x in row):
            problems.append(f"{path}: entry {n}: want 'id<TAB>our reason<TAB>why'")
            continue
        rid, ours, _ = row
        if rid not in ref:
            problems.append(f"{rid}: not an entry of the reference")
        elif rid not in wrong:
            problems.append(f"{rid}: listed as a disagreement, but carom agrees with the reference now")
        elif wrong[rid]["got"] != ours:
            problems.append(f"{rid}: the file says we give {ours}, carom gives {wrong[rid]['got']}")
    print(f"{len(rows)} disagreements listed in docs/reference-disagreements.tsv")
    for p in problems:
        print("FAIL:", p)
    print(f"{0 if problems else 1} passed, {len(problems)} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(os.path.abspath(sys.argv[1]), sys.argv[2]))
