#!/usr/bin/env python3
"""The shared library exports exactly the functions carom.h declares.

Checks, with `nm -D --defined-only`: every exported symbol is declared in the header, every
declared function is exported, every name starts with carom_, and every declaration carries
CAROM_API. A leaked internal symbol (a C++ function, a template instantiation of std:: or
nlohmann::json) or a declaration without a definition fails the test.

Usage: check_symbols.py LIBCAROM.so include/carom.h
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from header_decls import declarations  # noqa: E402


def exported(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True, capture_output=True, text=True).stdout
    names = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        kind, name = parts[-2], parts[-1]
        if kind == "A" and re.fullmatch(r"CAROM_\d+(_\d+)*", name):
            continue  # the version node of lib/carom.map, not a symbol
        names[name.split("@")[0]] = kind
    return names


def main(lib, header):
    problems = []
    decls = declarations(header)
    declared = {name for name, _ in decls}
    for name, stmt in decls:
        if not name.startswith("carom_"):
            problems.append(f"declared function {name} does not start with carom_")
        if not stmt.startswith("CAROM_API ") and " CAROM_API " not in f" {stmt} ":
            problems.append(f"declaration of {name} lacks CAROM_API: {stmt}")
    syms = exported(lib)
    for name in sorted(set(syms) - declared):
        problems.append(f"exported but not declared in carom.h: {name} ({syms[name]})")
    for name in sorted(declared - set(syms)):
        problems.append(f"declared in carom.h but not exported: {name}")
    for name, kind in sorted(syms.items()):
        if name in declared and kind not in ("T", "W", "i"):
            problems.append(f"{name} is exported as {kind}, not as a function")
    for p in problems:
        print("FAIL:", p)
    print(f"{len(declared)} declared functions, {len(syms)} exported symbols")
    print(f"{len(declared)} passed, 0 failed" if not problems else f"0 passed, {len(problems)} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
