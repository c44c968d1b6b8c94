"""A drop-in for flufl.bounce's entry points (what Mailman's bounce runner calls), over carom.

    from carom.compat import all_failures          # instead of: from flufl.bounce import ...
    temporary, permanent = all_failures(msg)

Shape, as in flufl.bounce: ``all_failures(msg)`` takes an ``email.message.Message`` and returns
``(temporary, permanent)``, two sets of addresses as ``bytes``; ``scan_message(msg)`` returns the
permanent set alone. Pass ``decode=True`` for sets of ``str``.

What goes where (flufl.bounce counts a DSN's ``Action: failed`` as permanent and ``Action: delayed``
as temporary; carom's classes refine the same split):

=====================  ==========================================================================
``permanent``          recipients of records whose class is ``hard``, ``soft`` or ``block``: the
                       message was returned undelivered (flufl's "failed"), whatever the reason.
``temporary``          recipients of records whose class is ``delayed`` (a delay warning: the
                       server is still trying; flufl's "delayed").
neither                ``backscatter`` (a bounce of mail we never sent: counting it would punish
                       an innocent address), ``delivered``, ``auto_reply``, ``feedback``, and
                       messages that are not bounces or cannot be read.
=====================  ==========================================================================

The two sets are computed independently, as in flufl.bounce: an address with a failed record and
a delayed one is in both. Addresses are the records' recipients as carom reports them (the
address part only, no display name); records without a recipient are skipped.

To suppress only what certainly will not work, narrow the permanent classes:
``all_failures(msg, permanent_classes={Class.HARD})``. To use your rules, context (backscatter
detection is much stronger with it) or limits, pass ``engine=carom.Engine(...)``; otherwise one
default engine is built on first use and shared (engines are immutable and thread-safe).
"""

from __future__ import annotations

import email.message
from typing import AbstractSet, Literal, Optional, Set, Tuple, Union, overload

from ._engine import Engine
from ._enums import Class
from ._result import Result

__all__ = ["all_failures", "scan_message", "PERMANENT_CLASSES", "TEMPORARY_CLASSES"]

#: Classes whose recipients are permanent failures (flufl.bounce: Action: failed).
PERMANENT_CLASSES: AbstractSet[Class] = frozenset({Class.HARD, Class.SOFT, Class.BLOCK})
#: Classes whose recipients are temporary failures (flufl.bounce: Action: delayed).
TEMPORARY_CLASSES: AbstractSet[Class] = frozenset({Class.DELAYED})

_default_engine: Optional[Engine] = None


def _engine() -> Engine:
    # Built lazily so that importing carom.compat costs nothing; a race builds two identical
    # engines and keeps one, which is harmless.
    global _default_engine
    if _default_engine is None:
        _default_engine = Engine()
    return _default_engine


def _classify(msg: Union[email.message.Message, bytes], engine: Optional[Engine]) -> Result:
    eng = engine if engine is not None else _engine()
    if isinstance(msg, (bytes, bytearray)):
        return eng.classify(bytes(msg))
    if isinstance(msg, email.message.Message):
        # flufl.bounce's callers hold a parsed Message; carom needs bytes. as_bytes() re-serialises
        # (compat32 keeps header text as read); callers that still have the raw bytes should pass
        # those instead.
        return eng.classify(msg.as_bytes())
    raise TypeError("all_failures: expected an email.message.Message or bytes, got " + type(msg).__name__)


@overload
def all_failures(
    msg: Union[email.message.Message, bytes],
    *,
    engine: Optional[Engine] = ...,
    decode: Literal[False] = ...,
    permanent_classes: AbstractSet[Class] = ...,
    temporary_classes: AbstractSet[Class] = ...,
) -> Tuple[Set[bytes], Set[bytes]]:
    ...


@overload
def all_failures(
    msg: Union[email.message.Message, bytes],
    *,
    engine: Optional[Engine] = ...,
    decode: Literal[True],
    permanent_classes: AbstractSet[Class] = ...,
    temporary_classes: AbstractSet[Class] = ...,
) -> Tuple[Set[str], Set[str]]:
    ...


@overload
def all_failures(
    msg: Union[email.message.Message, bytes],
    *,
    engine: Optional[Engine] = ...,
    decode: bool,
    permanent_classes: AbstractSet[Class] = ...,
    temporary_classes: AbstractSet[Class] = ...,
) -> Union[Tuple[Set[bytes], Set[bytes]], Tuple[Set[str], Set[str]]]:
    ...


def all_failures(
    msg: Union[email.message.Message, bytes],
    *,
    engine: Optional[Engine] = None,
    decode: bool = False,
    permanent_classes: AbstractSet[Class] = PERMANENT_CLASSES,
    temporary_classes: AbstractSet[Class] = TEMPORARY_CLASSES,
) -> Union[Tuple[Set[bytes], Set[bytes]], Tuple[Set[str], Set[str]]]:
    """Returns ``(temporary, permanent)``: the sets of addresses that failed temporarily and
    permanently according to the bounce ``msg`` (see the module documentation for the exact
    split). Addresses are bytes (flufl.bounce's type) unless ``decode=True``: sets of ``bytes``
    by default, of ``str`` with ``decode=True``."""
    result = _classify(msg, engine)
    temporary: Set[str] = set()
    permanent: Set[str] = set()
    for record in result.records:
        if not record.recipient:
            continue
        if record.class_ in permanent_classes:
            permanent.add(record.recipient)
        if record.class_ in temporary_classes:
            temporary.add(record.recipient)
    if decode:
        return temporary, permanent
    return {a.encode("utf-8") for a in temporary}, {a.encode("utf-8") for a in permanent}


@overload
def scan_message(
    msg: Union[email.message.Message, bytes], *, engine: Optional[Engine] = ..., decode: Literal[False] = ...
) -> Set[bytes]:
    ...


@overload
def scan_message(
    msg: Union[email.message.Message, bytes], *, engine: Optional[Engine] = ..., decode: Literal[True]
) -> Set[str]:
    ...


@overload
def scan_message(
    msg: Union[email.message.Message, bytes], *, engine: Optional[Engine] = ..., decode: bool
) -> Union[Set[bytes], Set[str]]:
    ...


def scan_message(
    msg: Union[email.message.Message, bytes], *, engine: Optional[Engine] = None, decode: bool = False
) -> Union[Set[bytes], Set[str]]:
    """The permanent failures alone (flufl.bounce's older entry point): ``bytes`` addresses, or
    ``str`` with ``decode=True``."""
    return all_failures(msg, engine=engine, decode=decode)[1]
