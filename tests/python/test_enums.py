"""The IntEnums mirror the library's enums exactly (names from the library itself)."""
import ctypes

import pytest

from carom import Class, Limit, Reason, Status, Verdict
from carom._ffi import lib


def known(enum_cls):
    return [m for m in enum_cls if m.value >= 0 and m.name != "UNKNOWN"]


def name_of(fn, value):
    raw = fn(value)
    return raw.decode() if raw is not None else None


def test_classes_match_the_library():
    count = lib.carom_class_count()
    assert count == max(m.value for m in known(Class)) + 1
    for value in range(count):
        assert Class(value).label == name_of(lib.carom_class_name, value), value
    assert name_of(lib.carom_class_name, count) is None


def test_reasons_match_the_library_including_gaps():
    count = lib.carom_reason_count()
    assert count == max(m.value for m in known(Reason)) + 1
    python_values = {m.value for m in known(Reason)}
    for value in range(count):
        library_name = name_of(lib.carom_reason_name, value)
        if value in python_values:
            assert Reason(value).label == library_name, value
        else:
            assert library_name is None, f"the library knows reason {value} ({library_name}); mirror it"
    assert name_of(lib.carom_reason_name, count) is None


def test_reason_names_resolve_back_in_the_library():
    for member in known(Reason):
        out = ctypes.c_int(-1)
        name = member.label.encode()
        assert lib.carom_reason_from_name(name, len(name), ctypes.byref(out)) == 0
        assert out.value == member.value


def test_limits_match_the_library():
    count = lib.carom_limit_count()
    assert count == len(known(Limit))
    for value in range(count):
        assert Limit(value).label == name_of(lib.carom_limit_name, value)
    assert name_of(lib.carom_limit_name, count) is None


def test_statuses_match_the_library():
    python_values = {m.value for m in known(Status)}
    for value in range(0, 128):
        library_name = name_of(lib.carom_status_name, value)
        if value in python_values:
            assert Status(value).label == library_name, value
        else:
            assert library_name is None, f"the library knows status {value} ({library_name}); mirror it"
        assert lib.carom_status_string(value)  # never NULL


def test_unknown_values_map_to_a_generic_member():
    assert Reason(9999) is Reason.UNKNOWN
    assert Class(4242) is Class.UNKNOWN
    assert Status(77) is Status.UNKNOWN
    assert Verdict(9) is Verdict.UNKNOWN
    assert Reason.from_label("some-future-reason") is Reason.UNKNOWN
    assert Class.from_label("AUTO_REPLY") is Class.AUTO_REPLY
    with pytest.raises(ValueError):
        Reason("userunknown")  # not an int: the normal Enum error


def test_labels_are_the_json_names():
    assert Class.AUTO_REPLY.label == "auto_reply"
    assert Reason.USERUNKNOWN.label == "userunknown"
    assert Status.TOO_LARGE.label == "too_large"
