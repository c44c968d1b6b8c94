#!/usr/bin/env python3
"""The built-in rule set's version moves whenever its data moves.

lib/rules/data/VERSION holds the version the library reports (carom_engine_rules_version);
lib/rules/data/HISTORY holds one line per version ever released, "VERSION SHA256", oldest first,
where SHA256 is the hash of every *.rules file of lib/rules/data (names sorted; each file's name,
a newline, its bytes). The test fails when the data's hash is not the one recorded for the
current version (the rules changed and nobody set a new version), when VERSION is not the last
line of HISTORY, or when a version or a hash stands twice in HISTORY.

Usage: check_version.py DATA_DIR          (the test)
       check_version.py DATA_DIR --line   (prints the HISTORY line for the data as it is now)
"""
import hashlib
import os
import sys


def data_hash(folder):
    h = hashlib.sha256()
    for name in sorted(n for n in os.listdir(folder) if n.endswith(".rules")):
        h.update(name.encode() + b"\n")
        with open(os.path.join(folder, name), "rb") as f:
            h.update(f.read())
    return h.hexdigest()


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    folder = argv[1]
    with open(os.path.join(folder, "VERSION"), encoding="utf-8") as f:
        version = f.read().strip()
    digest = data_hash(folder)
    if "--line" in argv[2:]:
        print(f"{version} {digest}")
        return 0
    with open(os.path.join(folder, "HISTORY"), encoding="utf-8") as f:
        rows = [l.split() for l in f if l.strip() and not l.startswith("#")]
    problems = []
    if any(len(r) != 2 for r in rows):
        problems.append("HISTORY: every line is 'VERSION SHA256'")
    versions = [r[0] for r in rows if len(r) == 2]
    hashes = [r[1] for r in rows if len(r) == 2]
    for what, values in (("version", versions), ("hash", hashes)):
        twice = sorted({v for v in values if values.count(v) > 1})
        if twice:
            problems.append(f"HISTORY: {what} {', '.join(twice)} stands twice")
    if not rows or versions[-1:] != [version]:
        problems.append(f"VERSION is {version} but the last line of HISTORY is {versions[-1] if versions else 'missing'}")
    elif hashes[-1] != digest:
        problems.append(f"the rule data changed since version {version} was recorded: set a new version in "
                        f"VERSION and add the line '<new version> {digest}' to HISTORY")
    for p in problems:
        print(p)
    if not problems:
        print(f"rule set {version}: data hash {digest[:12]} recorded")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
