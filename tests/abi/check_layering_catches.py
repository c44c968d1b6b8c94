#!/usr/bin/env python3
"""The layering lint fails on a back-edge: copies lib/ to a temporary folder, adds one include that
goes up the pipeline (and one between the former sibling layers report and formats), and expects
check_layering.py to fail naming it; the untouched copy must pass.

Usage: check_layering_catches.py path/to/check_layering.py path/to/lib
"""
import os
import shutil
import subprocess
import sys
import tempfile

BACK_EDGES = [
    # (file to add the include to, the include, the layer it reaches)
    ("report", '#include "formats/reader.hh"', "formats"),
    ("mime", '#include "report/dsn.hh"', "report"),
    ("rules", '#include "classify/classifier.hh"', "classify"),
    ("formats", '#include "rules/rules.hh"', "rules"),
]


def run(script, lib):
    p = subprocess.run([sys.executable, script, lib], capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def main(script, lib):
    failures = []
    with tempfile.TemporaryDirectory(prefix="carom-layering-") as tmp:
        copy = os.path.join(tmp, "lib")
        shutil.copytree(lib, copy, ignore=shutil.ignore_patterns("*.o", "*.a"))
        rc, out = run(script, copy)
        if rc != 0:
            failures.append(f"the untouched copy of lib/ fails the lint:\n{out}")
        for layer, include, reached in BACK_EDGES:
            probe = os.path.join(copy, layer, "zz_back_edge_probe.cc")
            with open(probe, "w", encoding="utf-8") as fh:
                fh.write(include + "\n")
            rc, out = run(script, copy)
            os.remove(probe)
            want = f"layer {layer} includes"
            if rc == 0 or want not in out or f"(layer {reached})" not in out:
                failures.append(f"lib/{layer} including {reached}: the lint did not fail as expected:\n{out}")
            else:
                print(f"ok: {layer} -> {reached} is refused: {out.splitlines()[0]}")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
