"""Configuration errors become CaromError subclasses carrying the status and the message."""
import pickle

import pytest

import carom
from carom import Status


def rules_parser_is_built():
    with carom.Engine() as e:
        probe = e.rules_version
    return probe != "0"  # the skeleton's stub rules module reports version "0" and accepts anything


needs_rules = pytest.mark.skipif(not rules_parser_is_built(), reason="the library's rules module is still the stub")


@needs_rules
def test_bad_rules_text_names_file_line_column():
    text = "this is not a carom rule file\n{{{ nor is this\n"
    with pytest.raises(carom.InvalidRulesError) as info:
        carom.Engine(rules={"mine.rules": text})
    err = info.value
    assert err.status in (Status.RULES, Status.RULES_VERSION)
    assert err.file == "mine.rules"
    assert err.line is not None and err.line >= 1
    assert err.column is not None and err.column >= 1
    assert str(err).startswith(f"mine.rules:{err.line}:{err.column}: ")
    assert isinstance(err, ValueError)


@needs_rules
def test_bad_rules_file_is_named_by_its_path(tmp_path):
    path = tmp_path / "broken.rules"
    path.write_text("garbage\n")
    with pytest.raises(carom.InvalidRulesError) as info:
        carom.Engine(rules=[path])
    assert info.value.file == str(path)


def test_bad_context_json():
    with pytest.raises(carom.ContextError) as info:
        carom.Engine(context=b'{"domains": ["example.com"')
    err = info.value
    assert err.status == Status.CONTEXT
    assert err.status_code == 12
    assert err.detail and "JSON" in err.detail
    assert isinstance(err, ValueError) and isinstance(err, carom.CaromError)


def test_context_with_an_unknown_key():
    with pytest.raises(carom.ContextError) as info:
        carom.Engine(context={"domians": ["example.com"]})
    assert "domians" in str(info.value)


def test_context_from_a_file(tmp_path):
    good = tmp_path / "context.json"
    good.write_text('{"domains": ["example.com"], "relays": ["mx1.example.com"]}')
    with carom.Engine(context=good) as e:
        assert e.classify(b"From: a@example.com\n\nx\n").ok
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    with pytest.raises(carom.ContextError):
        carom.Engine(context=str(bad))


@pytest.mark.parametrize("value", [0, 257, 10**12])
def test_limit_out_of_range(value):
    with pytest.raises(carom.LimitError) as info:
        carom.Engine(limits={"mime_depth": value})
    err = info.value
    assert err.status == Status.RANGE
    lo, hi, default = carom.limit_bounds("mime_depth")
    assert f"[{lo}, {hi}]" in str(err) and f"mime_depth={value}" in str(err)


def test_negative_limit_is_refused_not_wrapped():
    with pytest.raises(carom.LimitError):
        carom.Engine(limits={carom.Limit.MESSAGE_BYTES: -1})


def test_limit_must_be_an_int():
    with pytest.raises(TypeError):
        carom.Engine(limits={"mime_depth": "8"})
    with pytest.raises(TypeError):
        carom.Engine(limits={"mime_depth": True})


def test_unknown_limit_name():
    with pytest.raises(carom.InvalidArgumentError) as info:
        carom.Engine(limits={"mime_deepness": 3})
    assert "mime_depth" in str(info.value)  # lists the known names


def test_limits_in_range_are_kept():
    lo, hi, default = carom.limit_bounds(carom.Limit.MIME_DEPTH)
    with carom.Engine(limits={"mime_depth": lo, carom.Limit.RECIPIENTS: 5}) as e:
        assert e.limits["mime_depth"] == lo
        assert e.limits["recipients"] == 5
        assert e.limits["message_bytes"] == carom.limit_bounds("message_bytes")[2]


def test_bad_header_name():
    with pytest.raises(carom.InvalidArgumentError):
        carom.Engine(headers=["X-Bad Header:"])


def test_message_errors_do_not_raise_but_can(engine):
    result = engine.classify(b"")
    assert result.error is not None and result.error.status == Status.EMPTY
    assert result.error.code == "empty"
    assert result.records == ()
    with pytest.raises(carom.MessageError) as info:
        result.raise_for_error()
    assert info.value.status == Status.EMPTY


def test_message_too_large_is_a_result():
    lo = carom.limit_bounds("message_bytes")[0]
    with carom.Engine(limits={"message_bytes": 1024}) as e:
        result = e.classify(b"From: a@example.com\n\n" + b"x" * 4096)
    assert result.error is not None and result.error.status == Status.TOO_LARGE
    assert lo <= 1024


def test_errors_pickle():
    err = carom.ContextError(12, "invalid backscatter context", "context: not valid JSON")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is carom.ContextError
    assert (back.status, back.detail, str(back)) == (err.status, err.detail, str(err))


def test_error_classes_by_status():
    from carom._errors import error_for_status

    assert type(error_for_status(1, "x")) is carom.InvalidArgumentError
    assert type(error_for_status(3, "x")) is carom.CaromMemoryError
    assert isinstance(error_for_status(3, "x"), MemoryError)
    assert type(error_for_status(11, "x", "a:1:1: version 9")) is carom.RulesVersionError
    assert type(error_for_status(13, "x")) is carom.RegexMemoryError
    assert type(error_for_status(21, "x")) is carom.MessageError
    unknown = error_for_status(99, "unknown status")
    assert type(unknown) is carom.CaromError and unknown.status is Status.UNKNOWN and unknown.status_code == 99
