"""The send-log callback: Python answers become carom_sent_t, exceptions never reach C."""
import ctypes
import pickle
import sys

import pytest

import carom
from carom import Sent
from carom._engine import _raise_callback_error, _sent_trampoline
from conftest import DATA_DIR


def call(fn, message_id=b"m1@example.com", recipient=b"a@example.org"):
    tramp = _sent_trampoline(fn)
    mid = ctypes.create_string_buffer(message_id)
    rcpt = ctypes.create_string_buffer(recipient)
    return tramp(None, ctypes.addressof(mid), len(message_id), ctypes.addressof(rcpt) if recipient else None,
                 len(recipient))


def test_answers_map_to_sent_values():
    assert call(lambda m, r: True) == Sent.YES
    assert call(lambda m, r: False) == Sent.NO
    assert call(lambda m, r: None) == Sent.UNKNOWN
    assert call(lambda m, r: Sent.NO) == Sent.NO


def test_arguments_are_decoded():
    seen = []
    call(lambda m, r: seen.append((m, r)), b"abc@example.com", b"")
    call(lambda m, r: seen.append((m, r)), "é@example.com".encode(), b"x@example.org")
    assert seen == [("abc@example.com", None), ("é@example.com", "x@example.org")]


def test_an_exception_answers_unknown_and_is_kept_for_the_caller():
    def boom(m, r):
        raise RuntimeError("send log unavailable")

    assert call(boom) == Sent.UNKNOWN
    with pytest.raises(RuntimeError, match="unavailable"):
        _raise_callback_error()
    _raise_callback_error()  # raised once, then forgotten


def did_we_send(message_id, recipient):
    return message_id.endswith("@mail.example.com")


def test_engine_with_a_callback_classifies_and_pickles():
    with carom.Engine(sent=did_we_send, context={"message_id_domains": ["mail.example.com"]}) as e:
        raw = (DATA_DIR / "dsn-two-recipients.eml").read_bytes()
        first = e.classify(raw).to_json()
        with pickle.loads(pickle.dumps(e)) as clone:
            assert clone.classify(raw).to_json() == first
