#!/usr/bin/env python3
"""docs/limits.md's table matches the library's limits (carom_limit_bounds, read through
`carom limits`): one row per limit, the same name, default, minimum and maximum, no extra rows.

The table's rows look like:  | `message_bytes` | 67108864 (64 MiB) | 1 | 4294967296 (4 GiB) | ...
(the first integer of each cell is compared; the parenthesis is for people).

Usage: check_limits_doc.py docs/limits.md path/to/carom
"""
import json
import re
import subprocess
import sys

ROW = re.compile(r"^\|\s*`([a-z_]+)`\s*\|([^|]*)\|([^|]*)\|([^|]*)\|")


def first_int(cell):
    m = re.search(r"\d+", cell.replace(",", "").replace("_", ""))
    return int(m.group(0)) if m else None


def main(doc, carom):
    problems = []
    rows = {}
    for n, line in enumerate(open(doc, encoding="utf-8"), 1):
        m = ROW.match(line)
        if not m:
            continue
        name = m.group(1)
        if name in rows:
            problems.append(f"{doc}:{n}: {name} has two rows")
        rows[name] = (n, first_int(m.group(2)), first_int(m.group(3)), first_int(m.group(4)))
    proc = subprocess.run([carom, "limits"], capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        problems.append(f"carom limits exited {proc.returncode}: {proc.stderr}")
    limits = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    if not limits:
        problems.append("carom limits printed no limit")
    for lim in limits:
        name = lim["name"]
        if name not in rows:
            problems.append(f"{doc}: no row for the limit {name} (default {lim['default']}, "
                            f"min {lim['min']}, max {lim['max']})")
            continue
        n, default, lo, hi = rows.pop(name)
        for what, doc_value, lib_value in (("default", default, lim["default"]), ("minimum", lo, lim["min"]),
                                           ("maximum", hi, lim["max"])):
            if doc_value != lib_value:
                problems.append(f"{doc}:{n}: {name} {what} is {doc_value} in the doc, {lib_value} in the library")
    for name, (n, *_ ) in rows.items():
        problems.append(f"{doc}:{n}: row for {name}, which the library does not have")
    for p in problems:
        print("FAIL:", p)
    print(f"{len(limits)} limits compared")
    print(f"{max(len(limits) - len(problems), 0)} passed, {len(problems)} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
