"""carom.dask: mbox byte ranges on their own, then runs on a 2-process LocalCluster compared with
the CLI (`carom classify --jobs 1` over the same paths is the reference, record for record)."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import SOURCE_ROOT, child_env
import mboxgen

from carom import _sources

SEP = b"From MAILER-DAEMON Thu Feb  5 12:00:00 2026\n"
SEP_B = b"From b@example.org Thu Feb  5 12:00:01 2026\n"


def ranges(size, step):
    return [(s, min(s + step, size)) for s in range(0, size, step)]


def read_ranges(path, cuts, limit=None):
    """Every message of the ranges that tile the file at these cut points, in range order."""
    size = os.path.getsize(path)
    bounds = [0] + sorted(cuts) + [size]
    out = []
    for start, end in zip(bounds, bounds[1:]):
        out.extend(_sources.mbox_range_messages(path, start, end, limit=limit))
    return out


# --- ranges on their own ---------------------------------------------------------------------

def small_mbox(tmp_path, newline=b"\n"):
    """An mbox whose messages and offsets are known independently of any reader."""
    bodies = [
        b"Subject: one\n\nfirst\n",
        b"Subject: two\n\nFrom here on, no separator (no time)\n>From quoted\nend\n",
        b"Subject: three\n\n>>From twice\n",
        b"Subject: four\n\nlast\n",
    ]
    seps = [SEP, SEP_B, SEP, SEP_B]
    content, expected = b"", []
    for sep, body in zip(seps, bodies):
        offset = len(content)
        sep, body = sep.replace(b"\n", newline), body.replace(b"\n", newline)
        content += sep + body + newline
        read_back = body.replace(b">From quoted", b"From quoted").replace(b">>From twice", b">From twice")
        expected.append((offset, read_back))
    path = tmp_path / ("crlf.mbox" if newline == b"\r\n" else "box.mbox")
    path.write_bytes(content)
    return str(path), content, [(f"{path}:{off}", data) for off, data in expected]


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"], ids=["lf", "crlf"])
def test_every_single_cut_point(tmp_path, newline):
    path, content, expected = small_mbox(tmp_path, newline)
    assert list(_sources.path_messages(path)) == expected  # the whole-file reader agrees
    for cut in range(len(content) + 1):
        assert read_ranges(path, [cut]) == expected, f"cut at byte {cut}"


def test_separator_exactly_at_a_range_boundary(tmp_path):
    path, content, expected = small_mbox(tmp_path)
    second = content.index(SEP_B)
    first_part = list(_sources.mbox_range_messages(path, 0, second))
    assert first_part == expected[:1]  # the message whose separator starts at the end is not ours
    assert list(_sources.mbox_range_messages(path, second, second + 1)) == expected[1:2]
    assert list(_sources.mbox_range_messages(path, second - 1, second)) == []


def test_from_line_in_a_body_is_no_resync_point(tmp_path):
    path, content, expected = small_mbox(tmp_path)
    loose = content.index(b"From here on")
    # A range starting at the body's "From " line holds no separator before the third message.
    third = content.index(SEP, loose)
    assert list(_sources.mbox_range_messages(path, loose, third)) == []
    assert list(_sources.mbox_range_messages(path, loose, third + 1)) == expected[2:3]


@pytest.mark.parametrize("step", [1, 7, 33])
def test_ranges_smaller_than_a_message(tmp_path, step):
    path, content, expected = small_mbox(tmp_path, b"\r\n" if step == 7 else b"\n")
    assert read_ranges(path, list(range(step, len(content), step))) == expected


def test_one_message_mbox_is_named_by_its_path_in_any_range(tmp_path):
    path = tmp_path / "one"
    path.write_bytes(SEP + b"Subject: only\n\nbody\n\n")
    assert read_ranges(str(path), [5, 9, 30]) == [(str(path), b"Subject: only\n\nbody\n")]
    assert list(_sources.path_messages(path)) == [(str(path), b"Subject: only\n\nbody\n")]


def test_too_large_in_a_range_is_counted_not_kept(tmp_path):
    body = b"Subject: big\n\n" + b"x" * 5000 + b"\n"
    path = tmp_path / "box"
    path.write_bytes(SEP + b"Subject: s\n\nok\n\n" + SEP + body + b"\n" + SEP_B + b"Subject: t\n\nok\n")
    got = read_ranges(str(path), [100, 200], limit=1000)
    assert [d if isinstance(d, bytes) else d.size for _, d in got] == [b"Subject: s\n\nok\n", len(body),
                                                                     b"Subject: t\n\nok\n"]
    assert isinstance(got[1][1], _sources.TooLarge)


def test_plan_cuts_large_mboxes_only(tmp_path):
    import carom.dask as cd

    path, content, _ = small_mbox(tmp_path)
    (tmp_path / "plain.eml").write_bytes(SEP + b"Subject: eml\n\nx\n" * 20)  # *.eml: one message
    plan = cd.plan([str(tmp_path), str(tmp_path / "missing")], range_bytes=50, batch_files=10)
    units = [u for task in plan for u in task]
    assert [u for u in units if u[0] == "range"] == [("range", path, s, e) for s, e in ranges(len(content), 50)]
    assert ("file", str(tmp_path / "plain.eml"), False) in units
    assert units[-1][:2] == ("error", str(tmp_path / "missing"))


# --- on a cluster ----------------------------------------------------------------------------

LIMIT = 4000  # message_bytes: the generated mbox's big messages are over it
N_MESSAGES = 10_000


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    pytest.importorskip("pandas")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None)
    pids = []
    try:
        c = distributed.Client(cluster)
        try:
            pids = list(c.run(os.getpid).values())
            yield c
            pids += list(c.run(os.getpid).values())
        finally:
            c.close()
    finally:
        cluster.close()
        deadline = time.monotonic() + 10
        for pid in set(pids):  # no worker process left running
            while time.monotonic() < deadline:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
            else:
                pytest.fail(f"worker process {pid} still running after the cluster closed")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("dask")
    mbox = root / "archive.mbox"
    mboxgen.write_mbox(mbox, N_MESSAGES, big_bytes=LIMIT + 2000)
    bad = root / "bad"
    bad.mkdir()
    (bad / "empty").write_bytes(b"")
    (bad / "binary").write_bytes(bytes(range(256)) * 8 + b"\x00\xff" * 100)
    (bad / "too-large.eml").write_bytes(b"Subject: big\n\n" + b"y" * (LIMIT + 1))
    return [str(SOURCE_ROOT / "corpus"), str(mbox), str(bad), str(root / "missing")]


@pytest.fixture(scope="module")
def reference(cli, inputs):
    run = subprocess.run([cli, "classify", "--jobs", "1", "--limit", f"message_bytes={LIMIT}"] + inputs,
                         capture_output=True)
    assert run.returncode == 1, run.stderr  # some messages are errors
    lines = run.stdout.decode("utf-8").splitlines()
    assert len(lines) >= N_MESSAGES + 4
    return run.stdout, [json.loads(line) for line in lines]


def test_records_equal_the_cli(client, inputs, reference):
    import carom.dask as cd

    bag = cd.records(inputs, limits={"message_bytes": LIMIT}, range_bytes=64 << 10, batch_files=50)
    assert bag.npartitions > 100  # the mbox was cut into many ranges
    got = bag.compute()
    want = reference[1]
    assert len(got) == len(want)
    assert [o["source"] for o in got] == [o["source"] for o in want]  # none lost, none twice, in order
    assert got == want
    # The bad inputs, independently of the CLI.
    by_source = {o["source"]: o for o in got}
    bad = inputs[2]
    assert by_source[inputs[3]]["error"]["code"] == "io"
    assert by_source[f"{bad}/too-large.eml"]["error"]["code"] == "too_large"
    assert f"{bad}/empty" in by_source and f"{bad}/binary" in by_source
    # (the corpus's own messages over LIMIT, real bounces that return the whole message, are not counted)
    too_large = [o for o in got if o["error"] and o["error"]["code"] == "too_large" and not o["source"].startswith(inputs[0])]
    assert len(too_large) == 1 + N_MESSAGES // 97


def test_module_command_writes_the_cli_output(client, inputs, reference):
    run = subprocess.run(
        [sys.executable, "-m", "carom.dask", "classify", "--scheduler", client.scheduler.address,
         "--limit", f"message_bytes={LIMIT}", "--range-bytes", "64k"] + inputs,
        capture_output=True, env=child_env(), timeout=300)
    assert run.returncode == 1, run.stderr.decode()
    assert run.stdout == reference[0]  # byte for byte


def test_a_killed_worker_loses_nothing(client, inputs, reference):
    import distributed

    import carom.dask as cd

    bag = cd.records(inputs, limits={"message_bytes": LIMIT}, range_bytes=32 << 10, batch_files=50)
    parts = client.compute(bag.to_delayed())
    before = client.run(os.getpid)
    victim = sorted(before)[0]
    for _ in distributed.as_completed(parts):
        break  # the run is under way: one task done, most to go
    assert sum(f.done() for f in parts) < len(parts) // 2
    os.kill(before[victim], signal.SIGKILL)
    got = [o for part in client.gather(parts) for o in part]
    assert sum(not f.done() for f in parts) == 0
    assert got == reference[1]
    # The nanny started a new worker process in place of the killed one.
    client.wait_for_workers(2, timeout=60)
    assert before[victim] not in client.run(os.getpid).values()


def test_dataframe_one_row_per_record(client, inputs, reference):
    import carom.dask as cd

    df = cd.to_dataframe(inputs[:2], limits={"message_bytes": LIMIT}, range_bytes=256 << 10).compute()
    want = [o for o in reference[1] if not o["source"].startswith(inputs[2]) and o["source"] != inputs[3]]
    rows = []
    for o in want:
        for i, rec in enumerate(o["records"] or [None]):
            rows.append((o["source"], None if rec is None else i, None if rec is None else rec["recipient"],
                         None if rec is None else rec["class"], (o["error"] or {}).get("code")))
    import pandas as pd

    def column(name):
        return [None if pd.isna(v) else v for v in df[name]]

    assert list(df.columns) == list(cd.COLUMNS)
    got = list(zip(column("source"), [None if v is None else int(v) for v in column("record")],
                   column("recipient"), column("class"), column("error_code")))
    assert got == rows
