#!/usr/bin/env python3
"""Prints the version written in include/carom.h (the single source of truth)."""
import re
import sys

def main(path):
    text = open(path, encoding="utf-8").read()
    parts = []
    for name in ("MAJOR", "MINOR", "PATCH"):
        m = re.search(r"^#define CAROM_VERSION_%s (\d+)\s*$" % name, text, re.M)
        if not m:
            sys.exit("version.py: CAROM_VERSION_%s not found in %s" % (name, path))
        parts.append(m.group(1))
    print(".".join(parts))

if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "include/carom.h")
