"""carom: classify bounce emails (class, reason, status, remote MTA, diagnostic per recipient).

A pure-Python ctypes binding over libcarom.so.0 (include/carom.h); see docs/python.md.

    import carom

    with carom.Engine() as engine:
        result = engine.classify("bounce.eml")
        for record in result.records:
            print(record.recipient, record.class_.label, record.reason.label)
"""

from __future__ import annotations

from ._enums import Class, Field, Limit, Reason, Sent, Status, Verdict
from ._errors import (
    CaromError,
    CaromMemoryError,
    ContextError,
    InternalError,
    InvalidArgumentError,
    InvalidRulesError,
    LimitError,
    MessageError,
    RegexMemoryError,
    RulesVersionError,
    UnsupportedError,
)
from ._ffi import library_path, lib as _lib
from ._engine import Engine, limit_bounds
from ._result import Backscatter, Error, Original, Record, Result, Signal
from ._sources import mailbox_messages, maildir_messages, mbox_messages, path_messages

__all__ = [
    "Engine",
    "Result",
    "Record",
    "Original",
    "Backscatter",
    "Signal",
    "Error",
    "Class",
    "Reason",
    "Status",
    "Limit",
    "Field",
    "Verdict",
    "Sent",
    "CaromError",
    "InvalidArgumentError",
    "LimitError",
    "CaromMemoryError",
    "InternalError",
    "InvalidRulesError",
    "RulesVersionError",
    "ContextError",
    "RegexMemoryError",
    "UnsupportedError",
    "MessageError",
    "mbox_messages",
    "mailbox_messages",
    "maildir_messages",
    "path_messages",
    "limit_bounds",
    "library_version",
    "library_path",
    "__version__",
]

#: Version of this Python package (the C library's version it was written with).
__version__ = "0.2.0"


def library_version() -> str:
    """The version of the loaded C library, e.g. "0.2.0" (carom_version_string)."""
    return _lib.carom_version_string().decode("ascii", "replace")
