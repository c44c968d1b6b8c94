#!/usr/bin/env python3
"""One version everywhere: carom.h's macros == meson.project_version() == the library at run
time (as `carom --version` reports it) == the CLI's compiled-in header version.

Usage: check_version.py include/carom.h PROJECT_VERSION path/to/carom
"""
import re
import subprocess
import sys


def header_version(path):
    text = open(path, encoding="utf-8").read()
    macros = {}
    for name in ("MAJOR", "MINOR", "PATCH", "STRING", "NUMBER"):
        m = re.search(r"^#define CAROM_VERSION_%s (.+?)\s*$" % name, text, re.M)
        macros[name] = m.group(1) if m else None
    return macros


def main(header, project_version, carom):
    problems = []
    m = header_version(header)
    if None in (m["MAJOR"], m["MINOR"], m["PATCH"], m["STRING"]):
        problems.append(f"carom.h lacks a version macro: {m}")
        triple = None
    else:
        triple = f"{m['MAJOR']}.{m['MINOR']}.{m['PATCH']}"
        if m["STRING"] != f'"{triple}"':
            problems.append(f"CAROM_VERSION_STRING {m['STRING']} != {triple}")
        if triple != project_version:
            problems.append(f"carom.h says {triple}, meson.project_version() says {project_version}")
    proc = subprocess.run([carom, "--version"], capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        problems.append(f"carom --version exited {proc.returncode}: {proc.stderr}")
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line)
    cli = lines.get("carom", "").strip()
    lib = lines.get("library", "").strip()
    if lib != project_version:
        problems.append(f"the library reports {lib!r} at run time, the project is {project_version}")
    if cli != project_version:
        problems.append(f"the CLI was built with carom.h {cli!r}, the project is {project_version}")
    if "rules" not in lines:
        problems.append("carom --version does not print the rules version")
    if proc.stderr.strip():
        problems.append(f"carom --version warned: {proc.stderr.strip()}")
    for p in problems:
        print("FAIL:", p)
    print(f"header {triple}, project {project_version}, library {lib}, cli {cli}")
    print(f"{0 if problems else 1} passed, {len(problems)} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:4]))
