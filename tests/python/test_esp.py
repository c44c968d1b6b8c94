"""ESP events through the binding (docs/python.md, docs/schema.md "ESP events"): classify reads
JSON as events, classify_events takes them decoded or as text, errors are results."""
import json

import pytest

import carom
from carom import Class, Reason
from conftest import SOURCE_ROOT

ESP = SOURCE_ROOT / "tests" / "data" / "esp"


@pytest.fixture(scope="module")
def engine():
    with carom.Engine() as e:
        yield e


def test_classify_reads_an_event_file(engine):
    r = engine.classify(ESP / "ses-sns-bounce.json")
    assert r.error is None
    assert r.format == "ses-event"
    (rec,) = r.records
    assert (rec.class_, rec.reason) == (Class.HARD, Reason.USERUNKNOWN)
    assert rec.recipient_source == "esp"


def test_classify_events_takes_decoded_events(engine):
    event = json.loads((ESP / "postmark-hardbounce.json").read_text())
    batch = json.loads((ESP / "sendgrid-dropped.json").read_text()) + json.loads(
        (ESP / "sendgrid-spamreport.json").read_text())
    assert engine.classify_events(event).records[0].reason == Reason.USERUNKNOWN
    r = engine.classify_events(batch)
    assert [x.reason for x in r.records] == [Reason.SUPPRESSED, Reason.FEEDBACK]
    assert engine.classify_events(json.dumps(event)).to_dict() == engine.classify_events(event).to_dict()


def test_the_same_as_the_cli_bytes(engine):
    data = (ESP / "mailgun-failed-temporary.json").read_bytes()
    a, b = engine.classify(data), engine.classify_events(data)
    assert a.to_dict() == b.to_dict()
    assert a.records[0].class_ == Class.DELAYED


@pytest.mark.parametrize("text", ['{"notificationType": "Bounce", ', '{"name": "kim"}', "[1, 2]", "[" * 100000],
                         ids=["malformed", "ordinary", "array", "deep"])
def test_bad_or_unknown_json_is_an_error_result(engine, text):
    r = engine.classify_events(text)
    assert len(r.records) == 0
    assert r.error is not None and r.error.code == "not_email"


def test_other_types_are_refused(engine):
    with pytest.raises(TypeError):
        engine.classify_events(42)
