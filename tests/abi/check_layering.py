#!/usr/bin/env python3
"""lib/ is layered in the order of the pipeline (docs/architecture.md):
base → mime → report → formats → rules → classify → core → capi. A file may include its own layer,
a lower one, and carom.h; never a higher one, and no two layers share a rank, so there is no
exemption: a reader may use the RFC 3464 parser of lib/report, the report never uses a reader,
and the rules see neither. lib/output (the JSON rendering) is used by lib/capi only and itself
uses base only. lib/cli is a client of the public ABI: it includes carom.h and its own files,
nothing else of lib/. lib/tools holds no C++.

Usage: check_layering.py path/to/lib
"""
import os
import re
import sys

PIPELINE = ("base", "mime", "report", "formats", "rules", "classify", "core", "capi")
RANK = {layer: rank for rank, layer in enumerate(PIPELINE)}
# Extra edges outside the ranks: who may include lib/output, and what it may include.
OUTPUT_USERS = {"capi"}
OUTPUT_USES = {"base"}
SOURCE = re.compile(r"\.(c|cc|cpp|cxx|h|hh|hpp)$")
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)


def allowed(src, dst):
    """May a file of layer src include a header of layer dst?"""
    if src == dst:
        return True
    if src == "cli" or dst == "cli":
        return False
    if dst == "output":
        return src in OUTPUT_USERS
    if src == "output":
        return dst in OUTPUT_USES
    if src in RANK and dst in RANK:
        return RANK[dst] < RANK[src]
    return False


def main(lib):
    layers = set(RANK) | {"output", "cli"}
    problems, checked = [], 0
    for layer in sorted(os.listdir(lib)):
        d = os.path.join(lib, layer)
        if not os.path.isdir(d):
            continue
        if layer not in layers and layer != "tools":
            problems.append(f"lib/{layer}: a directory that is not a known layer (add it to check_layering.py)")
            continue
        for root, _, files in os.walk(d):
            for f in sorted(files):
                if not SOURCE.search(f):
                    continue
                path = os.path.join(root, f)
                rel = os.path.relpath(path, os.path.dirname(lib))
                if layer == "tools":
                    problems.append(f"{rel}: C/C++ source in lib/tools")
                    continue
                text = open(path, encoding="utf-8", errors="replace").read()
                for inc in INCLUDE.findall(text):
                    checked += 1
                    first = inc.split("/")[0]
                    if inc == "carom.h" or first not in layers or "/" not in inc:
                        # carom.h, system and third-party headers, and same-directory includes
                        # ("input.hh" in lib/cli) are fine; a bare name of another layer's
                        # header cannot be reached without its directory.
                        continue
                    if layer == "cli":
                        problems.append(f"{rel}: the CLI includes {inc}; it may use carom.h only")
                    elif not allowed(layer, first):
                        problems.append(f"{rel}: layer {layer} includes {inc} (layer {first}), which is above it")
    for p in problems:
        print("FAIL:", p)
    print(f"{checked} includes checked")
    print(f"{checked - len(problems) if checked >= len(problems) else 0} passed, {len(problems)} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
