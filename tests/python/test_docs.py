"""The example of docs/python.md (the README's Python example) runs as written."""
import json
import re
import subprocess
import sys

from conftest import SOURCE_ROOT, child_env

DOC = SOURCE_ROOT / "docs" / "python.md"


def example():
    text = DOC.read_text()
    section = text.split("## Example", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def readme_example():
    text = (SOURCE_ROOT / "README.md").read_text()
    section = text.split("## Python", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_shows_the_same_example():
    assert readme_example() == example()


def test_the_example_runs_as_written():
    code = example()
    assert "import carom" in code
    r = subprocess.run([sys.executable, "-c", code], cwd=SOURCE_ROOT, env=child_env(), capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    last = r.stdout.strip().splitlines()[-1]
    assert json.loads(last)["source"] == "tests/python/data/dsn-two-recipients.eml"
