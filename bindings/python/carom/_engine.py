"""carom.Engine: built once from rules, context and limits; classifies any number of messages.

The C engine is immutable and thread-safe, and ctypes releases the GIL during each call, so one
Engine may be used from many threads at once with no lock. An Engine pickles as its constructor
arguments (rule texts, context, limits, headers), so multiprocessing / concurrent.futures /
Dask workers rebuild an identical engine in their own process and load the library there.
"""

from __future__ import annotations

import collections
import ctypes
import json
import os
import sys
import threading
from ctypes import c_size_t, c_uint64, c_void_p
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Deque,
    Dict,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Tuple,
    TypeVar,
    Union,
)

from . import _ffi
from ._enums import Sent
from ._errors import InvalidArgumentError, LimitError
from ._result import Result
from ._sources import Data, TooLarge, maildir_messages, mbox_messages, path_messages, read_stream
from ._ffi import lib

if TYPE_CHECKING:
    from concurrent.futures import Future
    from ctypes import _FuncPointer

    from ._ffi import EngineHandle, OptionsHandle

__all__ = ["Engine", "Message", "limit_bounds"]

#: What classify accepts: raw bytes, a path (str or os.PathLike), a binary file object, an
#: email.message.Message (re-serialised: prefer raw bytes), or a (source, bytes) pair as yielded
#: by carom.mbox_messages / carom.maildir_messages.
Message = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]", Any]

CLASSIFY_EXPLAIN = 1

#: A key of Engine(limits=...): a limit's name or number (a Limit member); a mapping may mix them.
_LimitKey = TypeVar("_LimitKey", bound=Union[str, int])

_is_finalizing = sys.is_finalizing
_U64_MAX = (1 << 64) - 1


def _library_limits() -> Dict[str, int]:
    """Limit names → values, from the library (so limits newer than this module work too)."""
    names = ((lib.carom_limit_name(i), i) for i in range(lib.carom_limit_count()))
    return {name.decode(): i for name, i in names if name}


def _limit_name(number: int) -> str:
    """The library's name of a limit number (one below carom_limit_count(), which has a name)."""
    name = lib.carom_limit_name(number)
    if name is None:
        raise InvalidArgumentError(1, _ffi.status_text(1), f"unknown limit {number!r}")
    return name.decode()


def limit_bounds(limit: Union[str, int]) -> Tuple[int, int, int]:
    """(minimum, maximum, default) of a limit, by name ("message_bytes") or Limit member."""
    number = _limit_number(limit)
    lo, hi, default = c_uint64(), c_uint64(), c_uint64()
    lib.carom_limit_bounds(number, lo, hi, default)
    return lo.value, hi.value, default.value


def _limit_number(limit: Union[str, int]) -> int:
    if isinstance(limit, str):
        table = _library_limits()
        if limit.lower() not in table:
            raise InvalidArgumentError(
                1, _ffi.status_text(1), f"unknown limit {limit!r} (known: {', '.join(sorted(table))})"
            )
        return table[limit.lower()]
    if isinstance(limit, int) and not isinstance(limit, bool) and 0 <= int(limit) < lib.carom_limit_count():
        return int(limit)
    raise InvalidArgumentError(1, _ffi.status_text(1), f"unknown limit {limit!r}")


def _read_bytes(path: Union[str, "os.PathLike[str]"]) -> bytes:
    with open(os.fspath(path), "rb") as f:
        return f.read()


def _rule_sources(rules: Any) -> List[Tuple[str, bytes]]:
    """Normalises Engine(rules=...) to (name, text) pairs; files are read now."""
    if rules is None:
        return []
    if isinstance(rules, (str, os.PathLike, bytes)):
        rules = [rules]
    items: Iterable[Any] = rules.items() if isinstance(rules, Mapping) else rules
    out: List[Tuple[str, bytes]] = []
    for item in items:
        if isinstance(item, tuple) and len(item) == 2:
            name, text = item
            out.append((str(name), text.encode("utf-8") if isinstance(text, str) else bytes(text)))
        elif isinstance(item, (str, os.PathLike)):
            out.append((os.fspath(item), _read_bytes(item)))
        elif isinstance(item, (bytes, bytearray)):
            out.append(("<rules>", bytes(item)))
        else:
            raise TypeError(
                "rules: expected paths, (name, text) pairs, a {name: text} mapping or bytes, got "
                + type(item).__name__
            )
    return out


def _context_json(context: Any) -> Optional[bytes]:
    if context is None:
        return None
    if isinstance(context, Mapping):
        return json.dumps(dict(context)).encode("utf-8")
    if isinstance(context, (bytes, bytearray)):
        return bytes(context)
    if isinstance(context, str) and context.lstrip().startswith("{"):
        return context.encode("utf-8")  # JSON text, not a file name
    if isinstance(context, (str, os.PathLike)):
        return _read_bytes(context)
    raise TypeError("context: expected a dict, JSON text (str or bytes), or the path of a JSON file")


# The first exception a send-log callback raised during the classification running in this
# thread: the callback cannot unwind through C, so it answers "unknown" and the exception is
# raised again once carom_classify returns (Engine.classify then raises it).
_callback_error = threading.local()


def _sent_trampoline(fn: Callable[[str, Optional[str]], Any]) -> _FuncPointer:
    """Wraps a Python send-log callback as carom_sent_callback_t. It runs in the classifying
    thread (ctypes takes the GIL for it); an exception answers "unknown" and is kept for
    _raise_callback_error instead of unwinding into C."""

    def call(user_data: Optional[int], mid: Optional[int], mid_len: int, rcpt: Optional[int], rcpt_len: int) -> int:
        try:
            message_id = ctypes.string_at(mid, mid_len).decode("utf-8", "replace") if mid else ""
            recipient = ctypes.string_at(rcpt, rcpt_len).decode("utf-8", "replace") if rcpt and rcpt_len else None
            answer = fn(message_id, recipient)
            if answer is None:
                return int(Sent.UNKNOWN)
            if isinstance(answer, Sent):
                return int(answer)
            return int(Sent.YES) if answer else int(Sent.NO)
        except BaseException as exc:  # noqa: BLE001 - nothing may unwind through C frames
            if getattr(_callback_error, "exc", None) is None:
                _callback_error.exc = exc
            return int(Sent.UNKNOWN)

    return _ffi.SentCallback(call)


def _raise_callback_error() -> None:
    """Raises (and forgets) the exception a send-log callback raised in this thread, if any."""
    exc = getattr(_callback_error, "exc", None)
    if exc is not None:
        _callback_error.exc = None
        raise exc


class Engine:
    """A compiled carom engine.

    ``rules``: extra rule files, which take precedence over the built-in rules: a path, a list
    of paths, ``(name, text)`` pairs, or a ``{name: text}`` mapping. Files are read once, here.
    ``context``: the backscatter context (docs/backscatter.md) as a dict, JSON text (a str that
    starts with ``{``, or bytes), or the path of a JSON file. ``limits``: ``{"message_bytes": 10_000_000, ...}`` (names or Limit members);
    values outside a limit's bounds raise LimitError. ``headers``: names of extra headers of the
    returned original to report in ``Result.original.headers``. ``builtin_rules=False`` leaves
    only your rules. ``backscatter=False`` switches the backscatter judgement off (records keep
    their bounce class). ``sent``: a send-log callback ``sent(message_id, recipient) -> True | False |
    None`` ("did we send this?"), called from the classifying thread; it must be thread-safe. An
    exception it raises is raised again by the classify call that was running (the message's
    result is discarded).

    Raises InvalidRulesError (with file, line and column), ContextError, LimitError, TypeError.
    Use as a context manager or call close(); both are idempotent.
    """

    def __init__(
        self,
        rules: Any = None,
        context: Any = None,
        limits: Optional[Mapping[_LimitKey, int]] = None,
        headers: Optional[Iterable[str]] = None,
        *,
        builtin_rules: bool = True,
        backscatter: bool = True,
        sent: Optional[Callable[[str, Optional[str]], Any]] = None,
    ) -> None:
        self._handle: Optional[EngineHandle] = None  # set first: __del__ runs even when __init__ raises
        rule_sources = _rule_sources(rules)
        context_json = _context_json(context)
        limit_values: Dict[int, int] = {}
        for key, value in (limits or {}).items():
            limit_values[_limit_number(key)] = value
        header_names = (headers,) if isinstance(headers, str) else tuple(headers or ())
        callback = _sent_trampoline(sent) if sent is not None else None

        options = _ffi.OptionsPtr()
        lib.carom_options_new(options)
        try:
            lib.carom_options_use_builtin_rules(options, 1 if builtin_rules else 0)
            lib.carom_options_use_backscatter(options, 1 if backscatter else 0)
            for number, value in limit_values.items():
                self._set_limit(options, number, value)
            for name, text in rule_sources:
                name_bytes = os.fsencode(name)
                lib.carom_options_add_rules(options, name_bytes, len(name_bytes), text, len(text), c_void_p())
            for header in header_names:
                hb = str(header).encode("utf-8")
                try:
                    lib.carom_options_add_original_header(options, hb, len(hb))
                except InvalidArgumentError:
                    raise InvalidArgumentError(
                        1, _ffi.status_text(1),
                        f"headers: {header!r} is not a header field name (printable ASCII, no ':' or white space)",
                    ) from None
            if context_json is not None:
                lib.carom_options_set_context_json(options, context_json, len(context_json), c_void_p())
            if callback is not None:
                lib.carom_options_set_sent_callback(options, callback, None)
            values = {}
            for i in range(lib.carom_limit_count()):
                v = c_uint64()
                lib.carom_options_get_limit(options, i, v)
                values[_limit_name(i)] = v.value
            handle = _ffi.EnginePtr()
            lib.carom_engine_new(options, handle, c_void_p())
        finally:
            lib.carom_options_free(options)
        self._handle = handle
        self._callback = callback  # must outlive the C engine
        self._limits = values
        self._message_limit = values["message_bytes"]
        self._config = {
            "rules": rule_sources,
            "context": context_json,
            "limits": {_limit_name(n): v for n, v in limit_values.items()},
            "headers": header_names,
            "builtin_rules": bool(builtin_rules),
            "backscatter": bool(backscatter),
            "sent": sent,
        }

    @staticmethod
    def _set_limit(options: OptionsHandle, number: int, value: object) -> None:
        name = _limit_name(number)
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"limit {name}: expected an int, got {type(value).__name__}")
        lo, hi, default = limit_bounds(number)
        detail = f"limit {name}={value} is outside [{lo}, {hi}] (default {default})"
        if not 0 <= value <= _U64_MAX:  # c_uint64 would wrap a negative value silently
            raise LimitError(2, _ffi.status_text(2), detail)
        try:
            lib.carom_options_set_limit(options, number, value)
        except LimitError as exc:
            raise LimitError(exc.status_code, exc.status_text, detail) from None

    # --- lifetime ---------------------------------------------------------------------------
    def close(self) -> None:
        """Frees the C engine. Idempotent. No classification may be running on it."""
        handle, self._handle = self._handle, None
        if handle is not None:
            lib.carom_engine_free(handle)

    @property
    def closed(self) -> bool:
        return self._handle is None

    def __enter__(self) -> "Engine":
        self._live()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        # At interpreter shutdown module globals (lib) may already be gone: leave it to the OS.
        if _is_finalizing():
            return
        try:
            self.close()
        except Exception:  # noqa: BLE001 - nothing useful to do in a finaliser
            pass

    def __reduce__(self) -> Tuple[Callable[[Dict[str, Any]], "Engine"], Tuple[Dict[str, Any]]]:
        self._live()
        return (_rebuild, (self._config,))

    def __repr__(self) -> str:
        state = "closed" if self._handle is None else f"{self.rule_count} rules"
        return f"<carom.Engine {state}>"

    def _live(self) -> EngineHandle:
        handle = self._handle
        if handle is None:
            raise ValueError("operation on a closed carom.Engine")
        return handle

    # --- information --------------------------------------------------------------------------
    @property
    def rules_version(self) -> str:
        """Version of the built-in rule set."""
        return lib.carom_engine_rules_version(self._live()).decode("utf-8", "replace")

    @property
    def rule_count(self) -> int:
        """Number of rules (built-in and added)."""
        return int(lib.carom_engine_rule_count(self._live()))

    @property
    def limits(self) -> Dict[str, int]:
        """Every limit's value in this engine, by name."""
        return dict(self._limits)

    def rules(self) -> List[Dict[str, Any]]:
        """The rule set, one dict per rule (id, file, line, conditions, reason, class, priority, tier, says)."""
        text, length = c_void_p(), c_size_t()
        lib.carom_engine_rules_json(self._live(), text, length)
        body = _ffi.take_string(text, length.value) or ""
        return [json.loads(line) for line in body.splitlines() if line.strip()]

    def decision(self) -> Dict[str, Any]:
        """How the rules are weighed: tiers, precedence, outcome reasons and each reason's class."""
        text, length = c_void_p(), c_size_t()
        lib.carom_engine_decision_json(self._live(), text, length)
        decision: Dict[str, Any] = json.loads(_ffi.take_string(text, length.value) or "{}")
        return decision

    # --- classification -------------------------------------------------------------------------
    def classify(self, message: Message, *, source: Optional[str] = None, explain: bool = False) -> Result:
        """Classifies one message.

        ``message``: raw bytes; a path (str or os.PathLike) of a message file; a binary file
        object; a ``(source, bytes)`` pair; or an email.message.Message (re-serialised with
        as_bytes(), which may alter it: prefer raw bytes). ``source`` is reported as the JSON's
        "source" (default: the path, or None for bytes). ``explain=True`` keeps every rule hit in
        ``Record.hits``. Never raises for the message's content: see ``Result.error``.
        """
        src, data = _resolve(message)
        return self._classify(data, source if source is not None else src, CLASSIFY_EXPLAIN if explain else 0)

    def classify_events(self, events: Any, *, source: Optional[str] = None, explain: bool = False) -> Result:
        """Classifies ESP events (docs/schema.md, "ESP events"): Amazon SES, SendGrid, Mailgun,
        Postmark or SparkPost, one record per recipient of each event, as one message.

        ``events``: a decoded event (``dict``), a list of them, or their JSON text (``str``,
        ``bytes``: one object, an array, JSON Lines, or an SNS notification). ``engine.classify``
        reads the same bytes the same way; this method only spares the caller the encoding.
        JSON that holds no known event gives a Result whose ``error`` code is ``"not_email"``.
        """
        if isinstance(events, (dict, list)):
            data = json.dumps(events, separators=(",", ":"), ensure_ascii=False).encode()
        elif isinstance(events, str):
            data = events.encode()
        elif isinstance(events, (bytes, bytearray, memoryview)):
            data = bytes(events)
        else:
            raise TypeError(f"events must be a dict, a list, str or bytes, not {type(events).__name__}")
        return self._classify(data, source, CLASSIFY_EXPLAIN if explain else 0)

    def _classify(self, data: Data, source: Optional[str], flags: int) -> Result:
        return Result._from_json(self._classify_json(data, source, flags))

    def _classify_json(self, data: Data, source: Optional[str], flags: int) -> str:
        """The CLI's JSON text for one message (carom.dask uses it: no Result is built)."""
        handle = self._live()
        if isinstance(data, OSError):
            # An input that could not be read: the CLI's error object, code "io".
            return Result._error_json(source, "io", data.strerror or str(data))
        size = data.size if isinstance(data, TooLarge) else len(data)
        if isinstance(data, TooLarge) or size > self._message_limit:
            # Refused before the library sees it, with the CLI's wording for the same case.
            return Result._error_json(
                source,
                "too_large",
                f"the message has {size} bytes, more than the message_bytes limit of {self._message_limit}",
            )
        result = _ffi.ResultPtr()
        _callback_error.exc = None
        lib.carom_classify_ex(handle, data, len(data), flags, result)
        try:
            _raise_callback_error()
            text, length = c_void_p(), c_size_t()
            if source is None:
                lib.carom_result_to_json(result, None, 0, text, length)
            else:
                sb = os.fsencode(source)
                lib.carom_result_to_json(result, sb, len(sb), text, length)
            body = _ffi.take_string(text, length.value)
        finally:
            lib.carom_result_free(result)
        return body or "{}"

    def classify_many(
        self, messages: Iterable[Message], *, workers: int = 1, explain: bool = False, window: int = 0
    ) -> Iterator[Result]:
        """Classifies many messages, yielding one Result per input, in input order.

        Inputs are anything classify accepts (paths, bytes, ``(source, bytes)`` pairs such as
        ``mbox_messages(path)`` yields). As in the CLI, a path that cannot be read gives a Result
        with error code "io" (``Result.error``) and the others go on. ``workers`` > 1 classifies in that many threads (the C
        engine runs without the GIL); at most ``window`` (default 4 × workers) messages are in
        flight, so an endless iterator is fine.
        """
        flags = CLASSIFY_EXPLAIN if explain else 0
        self._live()
        if workers <= 1:
            for message in messages:
                src, data = _resolve_in_batch(message)
                yield self._classify(data, src, flags)
            return

        def one(message: Message) -> Result:
            src, data = _resolve_in_batch(message)
            return self._classify(data, src, flags)

        from concurrent.futures import ThreadPoolExecutor  # only when threads are asked for

        limit = window if window > 0 else 4 * workers
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="carom") as pool:
            pending: Deque[Future[Result]] = collections.deque()
            for message in messages:
                pending.append(pool.submit(one, message))
                if len(pending) >= limit:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()

    def classify_path(self, path: Union[str, "os.PathLike[str]"], **kwargs: Any) -> Iterator[Result]:
        """Every message at ``path`` as ``carom classify PATH`` reads it: a file, a directory
        (names sorted, recursively), an mbox, a Maildir or ``-`` (standard input). As in the CLI,
        an input that cannot be read gives a Result with error code "io" instead of raising."""
        return self.classify_many(path_messages(path, errors="yield", limit=self._message_limit), **kwargs)

    def classify_mbox(self, path: Union[str, "os.PathLike[str]"], **kwargs: Any) -> Iterator[Result]:
        """Each message of an mbox file (source ``"<path>:<offset>"``), split as the CLI does."""
        return self.classify_many(mbox_messages(path), **kwargs)

    def classify_maildir(self, path: Union[str, "os.PathLike[str]"], **kwargs: Any) -> Iterator[Result]:
        """Each message of a Maildir (cur and new; source: the message file's path)."""
        return self.classify_many(maildir_messages(path), **kwargs)


def _resolve(message: Message) -> Tuple[Optional[str], Data]:
    """(source, bytes) of one input of classify; a (source, OSError or TooLarge) pair as yielded
    by path_messages(errors="yield", limit=...) is passed through."""
    if isinstance(message, bytes):
        return None, message
    if isinstance(message, (bytearray, memoryview)):
        return None, bytes(message)
    if isinstance(message, str):
        if "\n" in message:
            raise TypeError("a str is a path; to classify message text, pass bytes (text.encode())")
        name = message
        with open(name, "rb") as f:
            return name, f.read()
    if isinstance(message, os.PathLike):
        name = os.fspath(message)
        if isinstance(name, bytes):
            name = os.fsdecode(name)
        with open(name, "rb") as f:
            return name, f.read()
    if isinstance(message, tuple) and len(message) == 2:
        src, data = message
        if isinstance(data, (OSError, TooLarge)):  # from path_messages(errors="yield", limit=...)
            return (None if src is None else str(src)), data
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError("a (source, data) pair needs bytes data")
        return (None if src is None else str(src)), bytes(data)
    # email.message is imported lazily: if nobody imported it, this cannot be a Message.
    email_message = sys.modules.get("email.message")
    if email_message is not None and isinstance(message, email_message.Message):
        return None, message.as_bytes()
    if hasattr(message, "read"):
        return read_stream(message)
    raise TypeError(
        "carom.Engine.classify: expected bytes, a path, a binary file, a (source, bytes) pair or an "
        "email.message.Message, got " + type(message).__name__
    )


def _resolve_in_batch(message: Message) -> Tuple[Optional[str], Data]:
    """_resolve, but a path that cannot be read becomes its OSError (an "io" error Result)."""
    if isinstance(message, (str, os.PathLike)) and not (isinstance(message, str) and "\n" in message):
        try:
            return _resolve(message)
        except OSError as exc:
            name = os.fspath(message)
            return (os.fsdecode(name) if isinstance(name, bytes) else name), exc
    return _resolve(message)


def _rebuild(config: Dict[str, Any]) -> Engine:
    return Engine(
        rules=config["rules"],
        context=config["context"],
        limits=config["limits"],
        headers=config["headers"],
        builtin_rules=config["builtin_rules"],
        backscatter=config.get("backscatter", True),
        sent=config["sent"],
    )
