"""Results as frozen dataclasses.

A Result is built from the library's own JSON rendering (carom_result_to_json), which is the
CLI's output format; the C result is freed before classify returns, so nothing borrowed from the
library escapes. ``to_json()`` returns the library's text unchanged, so it equals the line the CLI
prints for the same message and source; ``to_dict()`` is that text parsed.

Absent values are ``None``, never ``""``. Class and reason are enums (``Class``, ``Reason``); a
value newer than this module becomes ``Class.UNKNOWN`` / ``Reason.UNKNOWN`` and its name is still
in ``class_name`` / ``reason_name``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, Mapping, Optional, Tuple, Type, TypeVar

from ._enums import Class, Reason, Status, Verdict
from ._errors import MessageError
from . import _ffi

__all__ = ["Record", "Original", "Signal", "Backscatter", "Error", "Result"]


def _s(value: Any) -> Optional[str]:
    """None for absent and empty values (the library already renders "" as null)."""
    if value is None or value == "":
        return None
    return str(value)


_T = TypeVar("_T")


def _new(cls: Type[_T], values: Dict[str, Any]) -> _T:
    # Frozen dataclasses set fields through object.__setattr__ one by one; results are built in
    # bulk (classify_many), so fill __dict__ at once. The field set is the dataclass's own.
    obj = object.__new__(cls)
    obj.__dict__.update(values)
    return obj


@dataclass(frozen=True)
class Record:
    """One recipient of a bounce: what happened and why."""

    recipient: Optional[str]
    original_recipient: Optional[str]
    action: Optional[str]
    status: Optional[str]
    #: True when the bounce gave no status code and `status` was derived (from the reply code or
    #: the action), as Sisimai's pseudo codes are.
    status_derived: bool
    reply_code: Optional[str]
    class_: Class
    reason: Reason
    rule: Optional[str]
    diagnostic_type: Optional[str]
    diagnostic: Optional[str]
    remote_mta: Optional[str]
    reporting_mta: Optional[str]
    command: Optional[str]
    last_attempt: Optional[str]
    feedback_type: Optional[str]
    #: The library's names for class and reason (kept also when the enums say UNKNOWN).
    class_name: Optional[str] = None
    reason_name: Optional[str] = None
    #: Every rule that matched, when classified with explain=True; otherwise None.
    hits: Optional[Tuple[Any, ...]] = None
    #: When it happened: RFC 3339 with the offset the bounce wrote ("2026-02-03T10:11:12+09:00",
    #: "-00:00" for an unknown offset), or None (docs/schema.md).
    timestamp: Optional[str] = None
    #: Where timestamp came from: "last-attempt", "arrival" or "date"; None without a timestamp.
    timestamp_source: Optional[str] = None
    #: SHA-256 hex of the lower-cased sender and recipient and the original's Message-ID (schema.md).
    token: Optional[str] = None
    #: The bounced message's sender: Return-Path, else From of the original, else the bounce's To.
    sender: Optional[str] = None
    #: The recipient decoded from the VERP address the bounce came back to (the context's
    #: template): the address that was mailed, the one to act on when set; None otherwise.
    envelope_recipient: Optional[str] = None
    #: Where recipient came from: "dsn", "x-failed-recipients", "text", "original-header",
    #: "verp", "arf", "from-header"; None without a recipient.
    recipient_source: Optional[str] = None

    @property
    def last_attempt_datetime(self) -> Optional[datetime]:
        """last_attempt as an aware datetime (UTC when the text has no offset), or None."""
        if not self.last_attempt:
            return None
        text = self.last_attempt.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            return None
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)

    @property
    def timestamp_datetime(self) -> Optional[datetime]:
        """timestamp as an aware datetime in the offset it was written with ("-00:00", an unknown
        offset, gives UTC), or None."""
        if not self.timestamp:
            return None
        text = self.timestamp
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return None

    def to_dict(self) -> Dict[str, Any]:
        """The record as in the JSON output (key "class", not "class_")."""
        out: Dict[str, Any] = {
            "recipient": self.recipient,
            "original_recipient": self.original_recipient,
            "action": self.action,
            "status": self.status,
            "status_derived": self.status_derived,
            "reply_code": self.reply_code,
            "class": self.class_name,
            "reason": self.reason_name,
            "rule": self.rule,
            "diagnostic_type": self.diagnostic_type,
            "diagnostic": self.diagnostic,
            "remote_mta": self.remote_mta,
            "reporting_mta": self.reporting_mta,
            "command": self.command,
            "last_attempt": self.last_attempt,
            "feedback_type": self.feedback_type,
        }
        if self.hits is not None:
            out["hits"] = list(self.hits)
        out["timestamp"] = self.timestamp
        out["timestamp_source"] = self.timestamp_source
        out["token"] = self.token
        out["sender"] = self.sender
        out["envelope_recipient"] = self.envelope_recipient
        out["recipient_source"] = self.recipient_source
        return out

    @classmethod
    def _from_json(cls, o: Mapping[str, Any]) -> "Record":
        get = o.get
        # `or None`: the library renders absent values as null already; this also maps a stray
        # "" to None. Built in bulk, hence the plain dict.
        values = {key: get(key) or None for key in _RECORD_STRINGS}
        values["status_derived"] = bool(get("status_derived"))
        cname = values["class_name"] = get("class") or None
        rname = values["reason_name"] = get("reason") or None
        values["class_"] = _CLASS.get(cname, Class.UNKNOWN) if cname else Class.NONE
        values["reason"] = _REASON.get(rname, Reason.UNKNOWN) if rname else Reason.UNDEFINED
        hits = get("hits")
        values["hits"] = tuple(hits) if hits is not None else None
        return _new(cls, values)


_RECORD_STRINGS = (
    "recipient",
    "original_recipient",
    "action",
    "status",
    "reply_code",
    "rule",
    "diagnostic_type",
    "diagnostic",
    "remote_mta",
    "reporting_mta",
    "command",
    "last_attempt",
    "feedback_type",
    "timestamp",
    "timestamp_source",
    "token",
    "sender",
    "envelope_recipient",
    "recipient_source",
)
# Constant lookup tables, JSON name → member (names not listed map to UNKNOWN).
_CLASS = {m.label: m for m in Class if m.value >= 0}
_REASON = {m.label: m for m in Reason if m.value >= 0}


@dataclass(frozen=True)
class Original:
    """What the bounce tells about the message that bounced (the returned original)."""

    message_id: Optional[str]
    from_: Optional[str]
    to: Tuple[str, ...]
    subject: Optional[str]
    date: Optional[str]
    return_path: Optional[str]
    list_id: Optional[str]
    #: Extra headers requested with Engine(headers=...), lower-case names.
    headers: Dict[str, Any] = field(default_factory=dict, hash=False)

    @classmethod
    def _from_json(cls, o: Mapping[str, Any]) -> "Original":
        return _new(
            cls,
            {
                "message_id": _s(o.get("message_id")),
                "from_": _s(o.get("from")),
                "to": tuple(o.get("to") or ()),
                "subject": _s(o.get("subject")),
                "date": _s(o.get("date")),
                "return_path": _s(o.get("return_path")),
                "list_id": _s(o.get("list_id")),
                "headers": dict(o.get("headers") or {}),
            },
        )


@dataclass(frozen=True)
class Signal:
    """One backscatter signal: which check, its outcome, and the evidence it saw."""

    name: str
    outcome: str
    evidence: Optional[str]


@dataclass(frozen=True)
class Backscatter:
    """The backscatter verdict on the whole message and the signals behind it."""

    verdict: Verdict
    signals: Tuple[Signal, ...] = ()

    @classmethod
    def _from_json(cls, o: Optional[Mapping[str, Any]]) -> "Backscatter":
        if not o:
            return cls(Verdict.UNKNOWN, ())
        signals = tuple(
            Signal(str(s.get("name")), str(s.get("outcome")), _s(s.get("evidence"))) for s in o.get("signals") or ()
        )
        return _new(cls, {"verdict": Verdict.from_label(str(o.get("verdict") or "unknown")), "signals": signals})


@dataclass(frozen=True)
class Error:
    """Why a message could not be read: status (enum), its stable name, and the message."""

    status: Status
    code: str
    message: Optional[str]


@dataclass(frozen=True)
class Result:
    """The outcome for one message: one Record per bounced recipient (none if not a bounce)."""

    source: Optional[str]
    format: Optional[str]
    records: Tuple[Record, ...]
    original: Optional[Original]
    backscatter: Backscatter
    error: Optional[Error]
    _json: str = field(default="", repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """True when the message could be read (it may still have no records)."""
        return self.error is None

    @property
    def is_bounce(self) -> bool:
        """True when the message reports at least one recipient."""
        return bool(self.records)

    def raise_for_error(self) -> "Result":
        """Raises MessageError when the message could not be read; returns self otherwise."""
        if self.error is not None:
            raise MessageError(int(self.error.status), _ffi.status_text(int(self.error.status)), self.error.message)
        return self

    def to_json(self, **dumps_kwargs: Any) -> str:
        """The result as one line of JSON, exactly as the CLI prints it (``carom classify
        --format jsonl``) for the same source. Keyword arguments (indent=...) re-render it with
        json.dumps instead."""
        if dumps_kwargs:
            return json.dumps(self.to_dict(), **dumps_kwargs)
        return self._json

    def to_dict(self) -> Dict[str, Any]:
        """The result as a new dict, equal to the CLI's JSON object parsed."""
        parsed: Dict[str, Any] = json.loads(self._json)
        return parsed

    @classmethod
    def _error(cls, source: Optional[str], code: str, message: str) -> "Result":
        """A result for a message that was not classified, rendered as the CLI renders it."""
        return cls._from_json(cls._error_json(source, code, message))

    @staticmethod
    def _error_json(source: Optional[str], code: str, message: str) -> str:
        """The CLI's error object for a message that was not classified."""
        return (
            '{"source":' + (json.dumps(source, ensure_ascii=False) if source is not None else "null")
            + ',"format":null,"records":[],"original":null,"backscatter":{"verdict":"unknown","signals":[]},'
            + '"error":{"code":' + json.dumps(code) + ',"message":' + json.dumps(message, ensure_ascii=False) + "}}"
        )

    @classmethod
    def _from_json(cls, text: str) -> "Result":
        o = json.loads(text)
        err = o.get("error")
        error = None
        if err:
            code = str(err.get("code") or "")
            error = Error(Status.from_label(code), code, _s(err.get("message")))
        original = o.get("original")
        return _new(
            cls,
            {
                "source": o.get("source"),
                "format": _s(o.get("format")),
                "records": tuple(Record._from_json(r) for r in o.get("records") or ()),
                "original": Original._from_json(original) if original else None,
                "backscatter": Backscatter._from_json(o.get("backscatter")),
                "error": error,
                "_json": text,
            },
        )
