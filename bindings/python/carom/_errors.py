"""Exceptions: every failing carom_status_t becomes a CaromError subclass.

Each exception carries the library's status (``.status``, a :class:`carom.Status`), the library's
short sentence for it (``.status_text``, from carom_status_string) and, when the library gave one,
its detail message (``.detail``, e.g. "my.rules:3:7: unknown reason 'mailfull'").

Subclasses also derive from the closest built-in exception, so ``except ValueError`` catches a bad
rule file, a bad context or an out-of-range limit, and ``except MemoryError`` an allocation failure.

Classifying a message never raises for the message's content: an unreadable message gives a
Result whose ``error`` says why (see Result.raise_for_error for those who prefer an exception).
"""

from __future__ import annotations

import re
from typing import Dict, Optional, Tuple, Type

from ._enums import Status

__all__ = [
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
    "error_for_status",
]


class CaromError(Exception):
    """A carom call failed. ``status`` is the library's carom_status_t."""

    def __init__(self, status: int, status_text: str, detail: Optional[str] = None) -> None:
        self.status = Status(status)
        #: The raw number, kept even when this module does not know it (status is then UNKNOWN).
        self.status_code = int(status)
        self.status_text = status_text
        self.detail = detail or None
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The library's detail message when it gave one, otherwise its status sentence."""
        return self.detail if self.detail else self.status_text

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.status_code}, {self.status_text!r}, {self.detail!r})"

    def __reduce__(self) -> Tuple[Type[CaromError], Tuple[int, str, Optional[str]]]:  # exceptions cross process boundaries (multiprocessing)
        return (type(self), (self.status_code, self.status_text, self.detail))


class InvalidArgumentError(CaromError, ValueError):
    """CAROM_E_INVALID: an argument the library refused (bad header name, unknown limit...)."""


class LimitError(CaromError, ValueError):
    """CAROM_E_RANGE: a limit value outside its documented bounds (never clamped)."""


class CaromMemoryError(CaromError, MemoryError):
    """CAROM_E_NOMEM: the library could not allocate memory."""


class InternalError(CaromError):
    """CAROM_E_INTERNAL: a bug in carom; please report it with the message."""


_LOCATION = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<text>.*)\Z", re.S)


class InvalidRulesError(CaromError, ValueError):
    """CAROM_E_RULES: a rule file does not parse or a pattern does not compile.

    The library's message has the form "file:line:column: message"; the parts are also available
    as ``file``, ``line``, ``column`` and ``text`` (None when the message has another form).
    """

    def __init__(self, status: int, status_text: str, detail: Optional[str] = None) -> None:
        super().__init__(status, status_text, detail)
        m = _LOCATION.match(detail or "")
        self.file: Optional[str] = m.group("file") if m else None
        self.line: Optional[int] = int(m.group("line")) if m else None
        self.column: Optional[int] = int(m.group("column")) if m else None
        self.text: Optional[str] = m.group("text") if m else None


class RulesVersionError(InvalidRulesError):
    """CAROM_E_RULES_VERSION: a rule file declares a format version this library refuses."""


class ContextError(CaromError, ValueError):
    """CAROM_E_CONTEXT: the backscatter context JSON is malformed or has bad values."""


class RegexMemoryError(LimitError):
    """CAROM_E_REGEX_MEMORY: the rules need more memory than the rule_memory limit allows."""


class UnsupportedError(CaromError, NotImplementedError):
    """CAROM_E_UNSUPPORTED: the feature was not built into this library."""


class MessageError(CaromError):
    """A message could not be read (too large, not an email...). Raised only on request, by
    Result.raise_for_error(); classify itself returns a Result carrying the error."""


_BY_STATUS: Dict[int, Type[CaromError]] = {
    Status.INVALID: InvalidArgumentError,
    Status.RANGE: LimitError,
    Status.NOMEM: CaromMemoryError,
    Status.INTERNAL: InternalError,
    Status.RULES: InvalidRulesError,
    Status.RULES_VERSION: RulesVersionError,
    Status.CONTEXT: ContextError,
    Status.REGEX_MEMORY: RegexMemoryError,
    Status.UNSUPPORTED: UnsupportedError,
}


def error_for_status(status: int, status_text: str, detail: Optional[str] = None) -> CaromError:
    """The exception for a failing status (message statuses 20-29 give MessageError)."""
    cls = _BY_STATUS.get(int(status))
    if cls is None:
        cls = MessageError if 20 <= int(status) < 30 else CaromError
    return cls(status, status_text, detail)
