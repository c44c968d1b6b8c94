"""python3 -m carom: options, formats, exit statuses."""
import json
import subprocess
import sys

from conftest import DATA_DIR, child_env


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "carom"] + list(args), env=child_env(), capture_output=True,
                          input=stdin)


def test_version():
    r = run("version")
    assert r.returncode == 0 and r.stdout.startswith(b"carom ")


def test_jsonl_one_line_per_message():
    files = sorted(str(p) for p in DATA_DIR.glob("*.eml"))
    r = run("classify", *files)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.decode().splitlines()
    assert [json.loads(line)["source"] for line in lines] == files


def test_stdin_is_source_dash():
    raw = (DATA_DIR / "plain-text-bounce.eml").read_bytes()
    r = run("classify", "-", stdin=raw)
    assert r.returncode == 0
    assert json.loads(r.stdout)["source"] == "-"


def test_directory_and_mbox(tmp_path):
    (tmp_path / "one.eml").write_bytes(b"From: a@example.com\n\nx\n")
    box = tmp_path / "sub" / "box.mbox"
    box.parent.mkdir()
    box.write_bytes(b"From a@example.com Thu Feb  5 12:00:00 2026\nFrom: a@example.com\n\nx\n\n"
                    b"From b@example.com Thu Feb  5 12:00:00 2026\nFrom: b@example.com\n\ny\n")
    r = run("classify", str(tmp_path))
    sources = [json.loads(line)["source"] for line in r.stdout.decode().splitlines()]
    assert sources[0] == str(tmp_path / "one.eml")
    assert sources[1] == f"{box}:0" and sources[2].startswith(f"{box}:")


def test_summary():
    files = sorted(str(p) for p in DATA_DIR.glob("*.eml"))
    r = run("classify", "--format", "summary", *files)
    assert r.returncode == 0
    text = r.stdout.decode()
    assert text.splitlines()[0].split() == ["messages", str(len(files))]
    for title in ("records", "errors", "throughput", "class", "reason", "format", "error"):
        assert title in text


def test_error_records_exit_1(tmp_path):
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"")
    r = run("classify", str(empty))
    assert r.returncode == 1
    assert json.loads(r.stdout)["error"]["code"] == "empty"


def test_missing_file_is_an_io_error_record(tmp_path):
    missing = str(tmp_path / "absent.eml")
    r = run("classify", missing, str(DATA_DIR / "not-a-bounce.eml"))
    assert r.returncode == 1
    first, second = (json.loads(line) for line in r.stdout.decode().splitlines())
    assert first["source"] == missing and first["error"]["code"] == "io"
    assert second["error"] is None


def test_limit_suffixes_and_too_large(tmp_path):
    big = tmp_path / "big.eml"
    big.write_bytes(b"From: a@example.com\n\n" + b"x" * 5000)
    r = run("classify", "--limit", "message_bytes=4k", str(big))
    assert r.returncode == 1
    error = json.loads(r.stdout)["error"]
    assert error["code"] == "too_large" and "4096" in error["message"]


def test_limits_and_explain_commands():
    r = run("limits")
    assert r.returncode == 0 and b"message_bytes" in r.stdout
    r = run("explain", str(DATA_DIR / "dsn-two-recipients.eml"))
    assert r.returncode == 0 and r.stdout.startswith(b"{\n")


def test_usage_and_configuration_errors_exit_2(tmp_path):
    assert run().returncode == 2
    assert run("classify").returncode == 2
    assert run("classify", "--limit", "mime_depth=0", str(DATA_DIR / "not-a-bounce.eml")).returncode == 2
    assert run("classify", "--limit", "nonsense", str(DATA_DIR / "not-a-bounce.eml")).returncode == 2
    bad = tmp_path / "ctx.json"
    bad.write_text("{")
    r = run("classify", "--context", str(bad), str(DATA_DIR / "not-a-bounce.eml"))
    assert r.returncode == 2 and b"context" in r.stderr
