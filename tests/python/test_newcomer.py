"""What a new user of the binding meets (issue "The CLI, the Python binding and the docs as a
newcomer meets them"): each test fails without its fix."""
import pytest

import carom
from carom import Reason, Class, InvalidArgumentError
from conftest import DATA_DIR

BOUNCE = DATA_DIR / "dsn-two-recipients.eml"


def test_an_exception_in_the_sent_callback_reaches_the_caller():
    def boom(message_id, recipient):
        raise RuntimeError("send log unavailable")

    with carom.Engine(sent=boom, context={"message_id_domains": ["mail.example.com"]}) as e:
        with pytest.raises(RuntimeError, match="send log unavailable"):
            e.classify(BOUNCE)
        # The error is not carried over to the next message of a working callback.
    with carom.Engine(sent=lambda m, r: True, context={"message_id_domains": ["mail.example.com"]}) as e:
        assert e.classify(BOUNCE).records


def test_an_exception_in_the_sent_callback_reaches_the_caller_from_workers():
    def boom(message_id, recipient):
        raise KeyError("no such send log row")

    with carom.Engine(sent=boom, context={"message_id_domains": ["mail.example.com"]}) as e:
        with pytest.raises(KeyError):
            list(e.classify_many([BOUNCE, BOUNCE], workers=2))


@pytest.mark.parametrize("workers", [1, 2])
def test_classify_many_gives_an_io_result_for_a_missing_file_and_goes_on(tmp_path, workers):
    missing = str(tmp_path / "nope.eml")
    with carom.Engine() as e:
        results = list(e.classify_many([missing, BOUNCE, tmp_path / "gone.eml"], workers=workers))
    assert [r.source for r in results] == [missing, str(BOUNCE), str(tmp_path / "gone.eml")]
    assert results[0].error is not None and results[0].error.code == "io"
    assert results[1].error is None and results[1].records
    assert results[2].error is not None and results[2].error.code == "io"


def test_an_enum_prints_as_its_label():
    assert str(Reason.USERUNKNOWN) == "userunknown"
    assert f"{Class.HARD}" == "hard"
    assert f"{Reason.USERUNKNOWN:d}" == str(int(Reason.USERUNKNOWN))
    assert Reason.USERUNKNOWN == int(Reason.USERUNKNOWN)  # still an int
    with carom.Engine() as e:
        record = e.classify(BOUNCE).records[0]
    assert str(record.reason) == record.reason.label


def test_a_bad_header_name_is_named():
    with pytest.raises(InvalidArgumentError, match="Bad Header"):
        carom.Engine(headers=["Bad Header"])


def test_context_as_json_text():
    with carom.Engine(context='{"domains": ["example.com"]}') as e:
        assert e.classify(BOUNCE).records
    with carom.Engine(context='  {"domains": []}') as e:
        assert e.classify(BOUNCE).records
