"""Shared fixtures of the Python binding's tests.

Run by `meson test --suite python` (which sets CAROM_LIBRARY, CAROM_CLI and PYTHONPATH to this
build), or by hand from the source tree: `PYTHONPATH=bindings/python python3 -m pytest
tests/python` uses <source>/build.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE_ROOT = Path(os.environ.get("CAROM_SOURCE_ROOT") or Path(__file__).resolve().parents[2])
BINDING_DIR = SOURCE_ROOT / "bindings" / "python"
DATA_DIR = Path(__file__).resolve().parent / "data"

if str(BINDING_DIR) not in sys.path:
    sys.path.insert(0, str(BINDING_DIR))

import carom  # noqa: E402


def cli_path():
    path = os.environ.get("CAROM_CLI") or str(SOURCE_ROOT / "build" / "lib" / "cli" / "carom")
    return path if os.access(path, os.X_OK) else None


def child_env(**extra):
    """Environment for a child Python that imports this same package and library."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(BINDING_DIR)] + [p for p in [env.get("PYTHONPATH")] if p])
    env.setdefault("CAROM_LIBRARY", carom.library_path)
    env.update(extra)
    return env


def run_python(code, **env):
    return subprocess.run([sys.executable, "-c", code], env=child_env(**env), capture_output=True, text=True)


@pytest.fixture(scope="session")
def engine():
    with carom.Engine() as e:
        yield e


@pytest.fixture(scope="session")
def cli():
    path = cli_path()
    if path is None:
        pytest.skip("the carom CLI is not built (set CAROM_CLI)")
    return path


def sample_files():
    """The project's corpus (corpus/**/*.eml, whatever exists) plus this suite's own samples."""
    files = sorted((SOURCE_ROOT / "corpus").glob("**/*.eml")) if (SOURCE_ROOT / "corpus").is_dir() else []
    return files + sorted(DATA_DIR.glob("*.eml"))


@pytest.fixture(scope="session")
def samples():
    return sample_files()
