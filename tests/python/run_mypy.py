#!/usr/bin/env python3
"""`mypy --strict` over the Python binding (bindings/python/carom), for `meson test` (test
mypy-strict, suite python). The package ships py.typed: its annotations are part of its API.

Usage: run_mypy.py SOURCE_ROOT CACHE_DIR. The configuration is bindings/python/pyproject.toml
([tool.mypy]: strict; dask, distributed and pandas not analysed). Uses the first interpreter that
can import mypy (CAROM_MYPY_PYTHON, this one, /usr/bin/python3 with Debian's python3-mypy,
python3 on PATH), as run_pytest.py does for pytest. Exits 77, which Meson reports as skipped,
only when none can; any error mypy reports fails the test. Nothing is installed here.
"""
import os
import shutil
import subprocess
import sys


def has_mypy(python: str) -> bool:
    return subprocess.run([python, "-c", "import mypy.api"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: run_mypy.py SOURCE_ROOT CACHE_DIR", file=sys.stderr)
        return 2
    root, cache = sys.argv[1], sys.argv[2]
    package_dir = os.path.join(root, "bindings", "python")
    candidates = [os.environ.get("CAROM_MYPY_PYTHON"), sys.executable, "/usr/bin/python3",
                  shutil.which("python3")]
    for python in candidates:
        if python and os.path.exists(python) and has_mypy(python):
            args = [python, "-m", "mypy", "--strict",
                    "--config-file", os.path.join(package_dir, "pyproject.toml"),
                    "--cache-dir", cache,
                    os.path.join(package_dir, "carom")]
            print(" ".join(args), flush=True)
            # From the package's folder, so that `carom` is found as the package it is.
            return 1 if subprocess.call(args, cwd=package_dir) != 0 else 0
    print("mypy is not installed for any Python 3 (Debian: python3-mypy, which .ci/setup installs): "
          "skipping the type check of the Python binding")
    return 77


if __name__ == "__main__":
    sys.exit(main())
