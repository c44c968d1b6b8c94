#!/usr/bin/env python3
"""Runs the Python binding's pytest suite (tests/python) for `meson test --suite python`.

pytest may be missing from the interpreter Meson found (a pyenv or venv Python) while Debian's
/usr/bin/python3 has python3-pytest: use the first interpreter that can import pytest
(CAROM_PYTEST_PYTHON, this one, /usr/bin/python3, python3 on PATH). Exits 77, which Meson reports
as skipped, only when none can.
"""
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ARGS = ["-m", "pytest", "-p", "no:cacheprovider", "-q", "-ra", HERE] + sys.argv[1:]


def has_pytest(python: str) -> bool:
    return subprocess.run([python, "-c", "import pytest"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def main() -> int:
    candidates = [os.environ.get("CAROM_PYTEST_PYTHON"), sys.executable, "/usr/bin/python3",
                  shutil.which("python3")]
    for python in candidates:
        if python and os.path.exists(python) and has_pytest(python):
            return subprocess.call([python] + ARGS)
    print("pytest is not installed for any Python 3: skipping the Python binding's tests")
    return 77


if __name__ == "__main__":
    sys.exit(main())
