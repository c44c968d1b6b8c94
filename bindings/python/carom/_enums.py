"""The C enums of carom.h, mirrored as IntEnums.

The numbers are copied from include/carom.h by hand; tests/python/test_enums.py compares every
member with the library (carom_status_name, carom_class_name, carom_reason_name,
carom_limit_name up to each carom_*_count()), so a drift fails the suite instead of mislabelling
results.

The library may be newer than this module and report a value this module does not know (carom.h
promises that values are added, never renumbered). Such a value converts to the enum's generic
member (``Status.UNKNOWN``, ``Class.UNKNOWN``, ``Reason.UNKNOWN`` ...) instead of raising, and
the result keeps the library's own name for it (``Record.reason_name``), so nothing is lost.
The generic members are Python-only (value -1) and never passed to the library.
"""

from __future__ import annotations

import enum
from typing import Dict, Mapping, Optional, Type, TypeVar, cast

__all__ = ["Status", "Class", "Reason", "Limit", "Field", "Verdict", "Sent"]

_E = TypeVar("_E", bound="_CaromEnum")


class _CaromEnum(enum.IntEnum):
    """An IntEnum whose unknown values map to the member UNKNOWN."""

    @classmethod
    def _missing_(cls, value: object) -> Optional["_CaromEnum"]:
        if isinstance(value, int):
            return cls["UNKNOWN"]
        return None  # not an int: ValueError as usual

    def __str__(self) -> str:
        """The label (``str(Reason.USERUNKNOWN) == "userunknown"``); ``int(x)`` gives the number."""
        return self.label

    def __format__(self, spec: str) -> str:
        """f"{reason}" is the label; a numeric format (f"{reason:d}") formats the number."""
        return self.label if not spec else int.__format__(int(self), spec)

    @property
    def label(self) -> str:
        """The library's name for this value (as in the JSON output), e.g. ``"auto_reply"``."""
        return self.name.lower()

    @classmethod
    def from_label(cls: Type[_E], label: str) -> _E:
        """The member named ``label`` (case-insensitive), or UNKNOWN for a name not known here."""
        return _by_label(cls).get(label.lower(), cls["UNKNOWN"])


_LABELS: Dict[type, Mapping[str, "_CaromEnum"]] = {}


def _by_label(cls: Type[_E]) -> Mapping[str, _E]:
    table = _LABELS.get(cls)
    if table is None:
        # Built once per class from constant members: immutable after that.
        own = {m.name.lower(): m for m in cls if m.value >= 0}
        _LABELS[cls] = own
        return own
    # The table of cls holds cls's own members (built just above).
    return cast("Mapping[str, _E]", table)


class Status(_CaromEnum):
    """carom_status_t: why a call or a message failed (CAROM_OK is 0)."""

    UNKNOWN = -1
    OK = 0
    # API use
    INVALID = 1
    RANGE = 2
    NOMEM = 3
    INTERNAL = 4
    # configuration
    RULES = 10
    RULES_VERSION = 11
    CONTEXT = 12
    REGEX_MEMORY = 13
    UNSUPPORTED = 14
    # one message (carried by a Result, never raised by classify)
    EMPTY = 20
    TOO_LARGE = 21
    HEADER_TOO_LONG = 22
    TOO_DEEP = 23
    TOO_MANY_PARTS = 24
    TOO_MANY_RECIPIENTS = 25
    NOT_EMAIL = 26
    HEADERS_TOO_LARGE = 27


class Class(_CaromEnum):
    """carom_class_t: what a sender should do about a record (docs/taxonomy.md)."""

    UNKNOWN = -1
    NONE = 0
    HARD = 1
    SOFT = 2
    BLOCK = 3
    BACKSCATTER = 4
    DELAYED = 5
    DELIVERED = 6
    AUTO_REPLY = 7
    FEEDBACK = 8


class Reason(_CaromEnum):
    """carom_reason_t: why (Sisimai's reason names, plus carom's own)."""

    UNKNOWN = -1
    UNDEFINED = 0
    USERUNKNOWN = 1
    HOSTUNKNOWN = 2
    HASMOVED = 3
    NOTACCEPT = 4
    MAILBOXFULL = 10
    EXCEEDLIMIT = 11
    MESGTOOBIG = 12
    EMAILTOOLARGE = 13
    SYSTEMFULL = 14
    SUSPEND = 15
    EXPIRED = 16
    NETWORKERROR = 17
    SYSTEMERROR = 18
    MAILERERROR = 19
    ONHOLD = 20
    BLOCKED = 30
    SPAMDETECTED = 31
    VIRUSDETECTED = 32
    POLICYVIOLATION = 33
    BADREPUTATION = 34
    AUTHFAILURE = 35
    REQUIREPTR = 36
    SECURITYERROR = 37
    FAILEDSTARTTLS = 38
    CONTENTERROR = 39
    NOTCOMPLIANTRFC = 40
    FILTERED = 41
    REJECTED = 42
    NORELAYING = 43
    SYNTAXERROR = 44
    TOOMANYCONN = 45
    SPEEDING = 46
    RATELIMITED = 47
    SUPPRESSED = 48
    DELIVERED = 60
    DELAYED = 61
    FEEDBACK = 62
    VACATION = 63
    CHALLENGE = 70
    VIRUSNOTICE = 71


class Limit(_CaromEnum):
    """carom_limit_t: the limits of docs/limits.md (names as in carom_limit_name)."""

    UNKNOWN = -1
    MESSAGE_BYTES = 0
    HEADER_LINE_BYTES = 1
    HEADER_BYTES = 2
    MIME_DEPTH = 3
    MIME_PARTS = 4
    RECIPIENTS = 5
    DIAGNOSTIC_BYTES = 6
    RULE_MEMORY = 7
    TEXT_BYTES = 8


class Field(_CaromEnum):
    """carom_field_t: string fields of a result (per record below 100, per message from 100)."""

    UNKNOWN = -1
    RECIPIENT = 0
    ORIGINAL_RECIPIENT = 1
    ACTION = 2
    STATUS = 3
    REPLY_CODE = 4
    RULE = 5
    DIAGNOSTIC_TYPE = 6
    DIAGNOSTIC = 7
    REMOTE_MTA = 8
    REPORTING_MTA = 9
    COMMAND = 10
    LAST_ATTEMPT = 11
    FEEDBACK_TYPE = 12
    TIMESTAMP = 13
    TIMESTAMP_SOURCE = 14
    TOKEN = 15
    SENDER = 16
    #: Since 0.2: the VERP-decoded recipient (the address that was mailed), docs/schema.md.
    ENVELOPE_RECIPIENT = 17
    #: Since 0.2: where the recipient came from ("dsn", "text", "verp", ...), docs/schema.md.
    RECIPIENT_SOURCE = 18
    FORMAT = 100
    ORIGINAL_MESSAGE_ID = 101
    ORIGINAL_FROM = 102
    ORIGINAL_SUBJECT = 103
    ORIGINAL_DATE = 104
    ORIGINAL_RETURN_PATH = 105
    ORIGINAL_LIST_ID = 106


class Verdict(_CaromEnum):
    """carom_verdict_t: the backscatter verdict of a message."""

    UNKNOWN = 0
    GENUINE = 1
    BACKSCATTER = 2


class Sent(_CaromEnum):
    """carom_sent_t: the answer of a send-log callback."""

    UNKNOWN = 0
    YES = 1
    NO = 2
