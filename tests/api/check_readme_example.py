#!/usr/bin/env python3
"""README.md shows tests/api/readme_example.c verbatim, and the compiled example runs.

Usage: check_readme_example.py EXAMPLE_BINARY README.md readme_example.c
"""
import os
import subprocess
import sys
import tempfile


def main(binary, readme, source):
    failures = []
    code = open(source, encoding="utf-8").read().strip()
    text = open(readme, encoding="utf-8").read()
    if code not in text:
        failures.append(f"{readme} does not show {source} verbatim (copy it into the C API section)")
    with tempfile.TemporaryDirectory() as tmp:
        msg = os.path.join(tmp, "plain.eml")
        with open(msg, "w") as f:
            f.write("From: a@example.com\nTo: b@example.org\nSubject: hi\n\nhello\n")
        proc = subprocess.run([binary, msg], capture_output=True, text=True, timeout=60)
        if proc.returncode != 0 or '"source":"' + msg + '"' not in proc.stdout:
            failures.append(f"example run failed: rc={proc.returncode} out={proc.stdout!r} err={proc.stderr!r}")
        proc = subprocess.run([binary, os.path.join(tmp, "missing.eml")], capture_output=True, text=True, timeout=60)
        if proc.returncode != 0 or "not read:" not in proc.stdout:
            failures.append(f"example on a missing file: rc={proc.returncode} out={proc.stdout!r}")
    for f in failures:
        print("FAIL:", f)
    print(f"{3 - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
