"""Engine lifetime, inputs, results, threads, processes, mailboxes."""
import dataclasses
import email
import email.policy
import io
import json
import mailbox
import multiprocessing
import pickle
import threading
from pathlib import Path

import pytest

import carom
from carom import Class, Reason, Verdict
from conftest import DATA_DIR


def data(name):
    return (DATA_DIR / name).read_bytes()


# --- lifetime ---------------------------------------------------------------------------------
def test_close_twice_is_harmless():
    e = carom.Engine()
    assert not e.closed
    e.close()
    e.close()
    assert e.closed


def test_use_after_close_raises_value_error():
    e = carom.Engine()
    e.close()
    with pytest.raises(ValueError):
        e.classify(b"From: a@example.com\n\nx\n")
    with pytest.raises(ValueError):
        list(e.classify_many([b"x"]))
    with pytest.raises(ValueError):
        e.rules_version
    with pytest.raises(ValueError):
        e.rule_count
    with pytest.raises(ValueError):
        e.rules()
    with pytest.raises(ValueError):
        pickle.dumps(e)
    with pytest.raises(ValueError):
        with e:
            pass
    assert "closed" in repr(e)


def test_context_manager_closes():
    with carom.Engine() as e:
        assert e.classify(b"From: a@example.com\n\nx\n").ok
    assert e.closed
    with pytest.raises(ValueError):
        e.classify(b"x")


def test_del_after_failed_init_is_quiet():
    with pytest.raises(carom.ContextError):
        carom.Engine(context=b"not json")  # __del__ of the half-built object must not fail


def test_engine_information(engine):
    assert isinstance(engine.rules_version, str) and engine.rules_version
    assert engine.rule_count >= 0
    rules = engine.rules()
    assert isinstance(rules, list) and len(rules) == engine.rule_count
    assert set(engine.limits) == {m.label for m in carom.Limit if m.value >= 0}


# --- inputs -----------------------------------------------------------------------------------
def test_every_input_kind_gives_the_same_result(engine, tmp_path):
    raw = data("dsn-two-recipients.eml")
    path = tmp_path / "m.eml"
    path.write_bytes(raw)
    reference = engine.classify(raw).to_dict()
    reference.pop("source")

    def same(result, source):
        d = result.to_dict()
        assert d.pop("source") == source
        assert d == reference

    same(engine.classify(raw), None)
    same(engine.classify(bytearray(raw)), None)
    same(engine.classify(memoryview(raw)), None)
    same(engine.classify(str(path)), str(path))
    same(engine.classify(path), str(path))
    same(engine.classify(("box:42", raw)), "box:42")
    same(engine.classify(raw, source="given"), "given")
    with open(path, "rb") as f:
        same(engine.classify(f), str(path))
    same(engine.classify(io.BytesIO(raw)), None)


def test_a_str_with_newlines_is_not_taken_for_a_path(engine):
    with pytest.raises(TypeError, match="bytes"):
        engine.classify("From: a@example.com\n\nhello\n")


def test_text_mode_file_is_refused(engine, tmp_path):
    path = tmp_path / "m.eml"
    path.write_bytes(b"From: a@example.com\n\nx\n")
    with open(path, "r") as f, pytest.raises(TypeError, match="binary"):
        engine.classify(f)


def test_missing_file_raises_oserror(engine, tmp_path):
    with pytest.raises(FileNotFoundError):
        engine.classify(tmp_path / "absent.eml")


def test_other_types_are_refused(engine):
    with pytest.raises(TypeError):
        engine.classify(12345)


def test_email_message_input(engine):
    raw = data("plain-text-bounce.eml")
    msg = email.message_from_bytes(raw)
    assert engine.classify(msg).to_dict() == engine.classify(raw).to_dict()


def test_junk_never_raises(engine):
    for junk in (b"", b"\x00" * 100, bytes(range(256)) * 10, b"\n\n\n", b"From x\r\n\r\n\xff\xfe"):
        result = engine.classify(junk)
        assert isinstance(result, carom.Result)
        json.loads(result.to_json())


# --- results ----------------------------------------------------------------------------------
def test_result_is_frozen_and_typed(engine):
    result = engine.classify(data("dsn-two-recipients.eml"), source="x.eml")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.source = "y"  # type: ignore[misc]
    assert result.source == "x.eml"
    assert isinstance(result.backscatter.verdict, Verdict)
    for record in result.records:
        assert isinstance(record.class_, Class) and isinstance(record.reason, Reason)
        with pytest.raises(dataclasses.FrozenInstanceError):
            record.recipient = "z"  # type: ignore[misc]


def test_no_empty_strings_anywhere(engine, samples):
    def walk(obj):
        if dataclasses.is_dataclass(obj):
            for f in dataclasses.fields(obj):
                if not f.name.startswith("_"):
                    walk(getattr(obj, f.name))
        elif isinstance(obj, (tuple, list)):
            for x in obj:
                walk(x)
        elif isinstance(obj, dict):
            for x in obj.values():
                walk(x)
        else:
            assert obj != "", "an empty string where None was expected"

    for path in samples:
        walk(engine.classify(path))


def test_records_mirror_the_dict(engine, samples):
    for path in samples:
        result = engine.classify(path)
        d = result.to_dict()
        assert [r.to_dict() for r in result.records] == d["records"]
        assert result.format == d["format"]
        assert (result.error is None) == (d["error"] is None)
        assert result.backscatter.verdict.label == d["backscatter"]["verdict"]
        if d["original"] is None:
            assert result.original is None
        else:
            assert result.original.message_id == d["original"]["message_id"]
            assert list(result.original.to) == d["original"]["to"]


def test_record_conversion_from_library_json():
    # Built from a hand-written line, so that the conversion is checked whatever the readers do.
    line = json.dumps({
        "source": "s", "format": "rfc3464",
        "records": [
            {"recipient": "a@example.org", "original_recipient": None, "action": "failed", "status": "5.1.1",
             "reply_code": "550", "class": "hard", "reason": "userunknown", "rule": "r1",
             "diagnostic_type": "smtp", "diagnostic": "550 no", "remote_mta": "mx.example.org",
             "reporting_mta": None, "command": "RCPT", "last_attempt": "2026-01-02T03:04:05Z",
             "feedback_type": None},
            {"recipient": "b@example.org", "class": "future_class", "reason": "future_reason"},
        ],
        "original": {"message_id": "m@example.com", "from": "x@example.com", "to": ["a@example.org"],
                     "subject": None, "date": None, "return_path": None, "list_id": None,
                     "headers": {"x-campaign-id": "c1"}},
        "backscatter": {"verdict": "genuine", "signals": [{"name": "relay", "outcome": "ours", "evidence": "mx1"}]},
        "error": None,
    })
    result = carom.Result._from_json(line)
    a, b = result.records
    assert a.class_ is Class.HARD and a.reason is Reason.USERUNKNOWN
    assert a.last_attempt_datetime.isoformat() == "2026-01-02T03:04:05+00:00"
    assert b.class_ is Class.UNKNOWN and b.class_name == "future_class"
    assert b.reason is Reason.UNKNOWN and b.reason_name == "future_reason"
    assert b.to_dict()["class"] == "future_class"
    assert result.original.from_ == "x@example.com" and result.original.headers == {"x-campaign-id": "c1"}
    assert result.backscatter.verdict is Verdict.GENUINE
    assert result.backscatter.signals[0].evidence == "mx1"
    assert result.to_json() == line
    assert json.loads(result.to_json(indent=2)) == json.loads(line)


def test_results_pickle(engine):
    result = engine.classify(data("dsn-two-recipients.eml"), source="p")
    back = pickle.loads(pickle.dumps(result))
    assert back == result and back.to_json() == result.to_json()


def test_requested_headers_are_reported():
    with carom.Engine(headers=["X-Campaign-Id"]) as e:
        result = e.classify(data("dsn-two-recipients.eml"))
    assert result.original is not None
    assert result.original.headers == {"x-campaign-id": "feb-2026"}
    assert result.original.message_id == "news-2026-02.4711@mail.example.com"


# --- threads and processes --------------------------------------------------------------------
def test_threads_give_the_sequential_results(engine, samples):
    inputs = [p.read_bytes() for p in samples] * 25
    reference = [engine.classify(m).to_json() for m in inputs]
    outputs = {}
    errors = []

    def worker(n):
        try:
            outputs[n] = [engine.classify(m).to_json() for m in inputs]
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(outputs[n] == reference for n in range(6))


def test_classify_many_in_threads_keeps_order(engine, samples):
    inputs = [(f"m{i}", p.read_bytes()) for i, p in enumerate(samples * 20)]
    sequential = [r.to_json() for r in engine.classify_many(inputs)]
    threaded = [r.to_json() for r in engine.classify_many(inputs, workers=3, window=5)]
    assert threaded == sequential
    assert [json.loads(j)["source"] for j in threaded] == [s for s, _ in inputs]


def test_classify_many_is_lazy(engine):
    def endless():
        n = 0
        while True:
            n += 1
            yield (str(n), b"From: a@example.com\n\nx\n")

    it = engine.classify_many(endless(), workers=2)
    first = [next(it).source for _ in range(10)]
    assert first == [str(n) for n in range(1, 11)]
    it.close()


def test_engine_pickles_with_its_configuration(tmp_path):
    rules_path = tmp_path / "my.rules"
    rules_path.write_text("")  # an empty rule file
    context = {"domains": ["example.com"]}
    try:
        e = carom.Engine(context=context, limits={"mime_depth": 7}, headers=["X-Campaign-Id"])
    except carom.InvalidRulesError:
        pytest.skip("empty rule file refused")
    with e:
        clone = pickle.loads(pickle.dumps(e))
        with clone:
            assert clone.limits == e.limits
            assert clone.limits["mime_depth"] == 7
            raw = data("dsn-two-recipients.eml")
            assert clone.classify(raw).to_json() == e.classify(raw).to_json()


def _classify_in_child(args):
    engine, raw = args
    return engine.classify(raw, source="child").to_json()


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_multiprocessing_pool(method, samples):
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method}")
    ctx = multiprocessing.get_context(method)
    raws = [p.read_bytes() for p in samples]
    with carom.Engine(limits={"mime_depth": 9}) as e:
        expected = [e.classify(r, source="child").to_json() for r in raws]
        with ctx.Pool(2) as pool:
            got = pool.map(_classify_in_child, [(e, r) for r in raws])
    assert got == expected


def test_pickled_engine_rebuilds_in_a_fresh_interpreter(tmp_path):
    with carom.Engine(limits={"recipients": 3}) as e:
        blob = tmp_path / "engine.pickle"
        blob.write_bytes(pickle.dumps(e))
    code = (
        "import pickle, sys; e = pickle.loads(open(sys.argv[1], 'rb').read()); "
        "print(e.limits['recipients'])"
    )
    import subprocess
    import sys

    from conftest import child_env

    r = subprocess.run([sys.executable, "-c", code, str(blob)], env=child_env(), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "3"


# --- mailboxes --------------------------------------------------------------------------------
# Headers written oddly on purpose (tab folding, spacing, a header with no space after the
# colon): a re-serialising reader would change these bytes.
ODD_1 = (
    b"From:   Mail Delivery System <mailer-daemon@example.net>\n"
    b"To: someone@example.com\n"
    b"Subject:no space\n"
    b"X-Folded: first\n\tsecond   \n"
    b"\n"
    b"body one\n"
)
ODD_2 = b"From: b@example.org\nSubject: second\n\nbody two\n"


def test_mbox_messages_are_raw_bytes_with_offsets(engine, tmp_path):
    path = tmp_path / "box.mbox"
    first = b"From MAILER-DAEMON Thu Feb  5 12:00:00 2026\n"
    second = b"From b@example.org Thu Feb  5 12:00:01 2026\n"
    content = first + ODD_1 + b"\n" + second + ODD_2 + b"\n"
    path.write_bytes(content)
    messages = list(carom.mbox_messages(path))
    assert [s for s, _ in messages] == [f"{path}:0", f"{path}:{content.index(second)}"]
    assert messages[0][1].rstrip(b"\n") == ODD_1.rstrip(b"\n")
    assert messages[1][1].rstrip(b"\n") == ODD_2.rstrip(b"\n")
    results = list(engine.classify_mbox(path))
    assert [r.source for r in results] == [s for s, _ in messages]


def test_maildir_messages_are_raw_bytes_sorted(engine, tmp_path):
    root = tmp_path / "Maildir"
    box = mailbox.Maildir(str(root), create=True)
    box.close()
    (root / "cur" / "1770000002.M2P1.host:2,S").write_bytes(ODD_2)
    (root / "new" / "1770000001.M1P1.host").write_bytes(ODD_1)
    messages = list(carom.maildir_messages(root))
    assert [Path(s).parent.name for s, _ in messages] == ["cur", "new"]
    assert [m for _, m in messages] == [ODD_2, ODD_1]
    assert [r.source for r in engine.classify_maildir(root)] == [s for s, _ in messages]


def test_path_messages_reads_like_the_cli(tmp_path):
    (tmp_path / "b.eml").write_bytes(ODD_2)
    (tmp_path / "a.eml").write_bytes(ODD_1)
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "c.eml").write_bytes(ODD_2)
    sources = [s for s, _ in carom.path_messages(tmp_path)]
    assert sources == [str(tmp_path / "a.eml"), str(tmp_path / "b.eml"), str(sub / "c.eml")]


def test_operator_fields(engine):
    # docs/schema.md: timestamp (Arrival-Date here: the report has no Last-Attempt-Date), sender
    # (the original's Return-Path), token (recomputed as documented).
    import hashlib

    result = engine.classify(data("dsn-two-recipients.eml"))
    alice = result.records[0]
    assert alice.timestamp == "2026-02-03T10:14:58+00:00"
    assert alice.timestamp_source == "arrival"
    assert alice.timestamp_datetime.isoformat() == "2026-02-03T10:14:58+00:00"
    assert alice.sender == "newsletter-bounces@example.com"
    key = "newsletter-bounces@example.com\nalice@example.org\nnews-2026-02.4711@mail.example.com"
    assert alice.token == hashlib.sha256(key.encode()).hexdigest()
    d = alice.to_dict()
    assert list(d)[-6:] == ["timestamp", "timestamp_source", "token", "sender", "envelope_recipient",
                            "recipient_source"]
    assert alice.recipient_source == "dsn" and alice.envelope_recipient is None
    assert carom.Field.TIMESTAMP == 13 and carom.Field.SENDER == 16
    assert carom.Field.ENVELOPE_RECIPIENT == 17 and carom.Field.RECIPIENT_SOURCE == 18
