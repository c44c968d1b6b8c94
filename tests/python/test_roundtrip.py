"""Python's JSON equals the C CLI's, byte for byte, for the project's corpus and these samples."""
import json
import os
import subprocess
import sys

import pytest

from conftest import child_env


def cli_lines(cli, paths):
    out = subprocess.run([cli, "classify", "--format", "jsonl"] + [str(p) for p in paths],
                         capture_output=True, check=False)
    assert out.returncode in (0, 1), out.stderr.decode(errors="replace")
    lines = out.stdout.decode("utf-8").splitlines()
    assert len(lines) == len(paths), "the CLI must print one line per message"
    return lines


def test_there_are_samples(samples):
    assert len(samples) >= 4


def test_to_json_equals_the_cli_for_every_sample(engine, cli, samples):
    expected = cli_lines(cli, samples)
    mismatches = []
    for path, line in zip(samples, expected):
        result = engine.classify(str(path))
        if result.to_json() != line:
            mismatches.append(str(path))
        assert result.to_dict() == json.loads(line)
    assert not mismatches, f"{len(mismatches)} differ, e.g. {mismatches[:3]}"


def test_classify_many_equals_the_cli(engine, cli, samples):
    expected = cli_lines(cli, samples)
    assert [r.to_json() for r in engine.classify_many(str(p) for p in samples)] == expected
    assert [r.to_json() for r in engine.classify_many((str(p) for p in samples), workers=2)] == expected


def test_python_module_cli_equals_the_c_cli(cli, samples):
    expected = cli_lines(cli, samples)
    out = subprocess.run([sys.executable, "-m", "carom", "classify", "--format", "jsonl"] + [str(p) for p in samples],
                         env=child_env(), capture_output=True)
    assert out.returncode in (0, 1), out.stderr.decode(errors="replace")
    assert out.stdout.decode("utf-8").splitlines() == expected


@pytest.mark.skipif(not os.environ.get("CAROM_ROUNDTRIP_DIRS"), reason="set CAROM_ROUNDTRIP_DIRS to compare more")
def test_extra_directories_round_trip(engine, cli):
    # Optional: CAROM_ROUNDTRIP_DIRS=dir1:dir2 compares every *.eml below them as well.
    paths = []
    for d in os.environ["CAROM_ROUNDTRIP_DIRS"].split(os.pathsep):
        for root, _, files in os.walk(d):
            paths += sorted(os.path.join(root, f) for f in files if f.endswith(".eml"))
    paths.sort()
    expected = cli_lines(cli, paths)
    assert [r.to_json() for r in engine.classify_many(paths)] == expected
