"""carom.compat: flufl.bounce's all_failures shape and the documented class split."""
import email
import json

import pytest

import carom
from carom import Class
from carom.compat import PERMANENT_CLASSES, TEMPORARY_CLASSES, all_failures, scan_message
from conftest import DATA_DIR


class FakeEngine:
    """Returns a fixed result, so the split is tested whatever the readers find."""

    def __init__(self, records):
        self.line = json.dumps({"source": None, "format": "rfc3464", "records": records, "original": None,
                                "backscatter": {"verdict": "unknown", "signals": []}, "error": None})
        self.seen = []

    def classify(self, data):
        self.seen.append(data)
        return carom.Result._from_json(self.line)


def rec(address, cls):
    return {"recipient": address, "class": cls, "reason": "undefined"}


MIXED = [
    rec("hard@example.org", "hard"),
    rec("soft@example.org", "soft"),
    rec("block@example.org", "block"),
    rec("late@example.org", "delayed"),
    rec("scatter@example.org", "backscatter"),
    rec("ok@example.org", "delivered"),
    rec("away@example.org", "auto_reply"),
    rec("spam@example.org", "feedback"),
    rec(None, "hard"),
    rec("new@example.org", "some_future_class"),
]


def message():
    return email.message_from_bytes((DATA_DIR / "dsn-two-recipients.eml").read_bytes())


def test_documented_split():
    temporary, permanent = all_failures(message(), engine=FakeEngine(MIXED))
    assert permanent == {b"hard@example.org", b"soft@example.org", b"block@example.org"}
    assert temporary == {b"late@example.org"}
    assert PERMANENT_CLASSES == {Class.HARD, Class.SOFT, Class.BLOCK}
    assert TEMPORARY_CLASSES == {Class.DELAYED}


def test_addresses_are_bytes_like_flufl_unless_decoded():
    temporary, permanent = all_failures(message(), engine=FakeEngine(MIXED), decode=True)
    assert "hard@example.org" in permanent and all(isinstance(a, str) for a in permanent | temporary)


def test_sets_are_independent():
    records = [rec("x@example.org", "hard"), rec("x@example.org", "delayed")]
    temporary, permanent = all_failures(message(), engine=FakeEngine(records))
    assert temporary == permanent == {b"x@example.org"}


def test_narrower_permanent_classes():
    _, permanent = all_failures(message(), engine=FakeEngine(MIXED), permanent_classes={Class.HARD})
    assert permanent == {b"hard@example.org"}


def test_scan_message_is_the_permanent_set():
    assert scan_message(message(), engine=FakeEngine(MIXED)) == all_failures(message(), engine=FakeEngine(MIXED))[1]


def test_the_message_reaches_the_engine_as_bytes():
    fake = FakeEngine([])
    all_failures(message(), engine=fake)
    assert isinstance(fake.seen[0], bytes) and b"Final-Recipient" in fake.seen[0]


def test_real_engine_shape():
    for path in sorted(DATA_DIR.glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes())
        temporary, permanent = all_failures(msg)
        assert isinstance(temporary, set) and isinstance(permanent, set)
        assert all(isinstance(a, bytes) for a in temporary | permanent)


def test_real_engine_failed_and_delayed():
    two = email.message_from_bytes((DATA_DIR / "dsn-two-recipients.eml").read_bytes())
    temporary, permanent = all_failures(two)
    assert permanent == {b"alice@example.org", b"bob@example.org"} and temporary == set()
    delayed = email.message_from_bytes((DATA_DIR / "dsn-delayed.eml").read_bytes())
    temporary, permanent = all_failures(delayed, decode=True)
    assert temporary == {"carol@example.jp"} and permanent == set()
    plain = email.message_from_bytes((DATA_DIR / "not-a-bounce.eml").read_bytes())
    assert all_failures(plain) == (set(), set())


def test_refuses_other_inputs():
    with pytest.raises(TypeError):
        all_failures("a path?")
