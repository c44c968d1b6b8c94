"""Where messages come from, as (source, bytes) pairs, read exactly as the CLI reads a PATH.

``path_messages(path)`` follows ``carom classify PATH`` rule for rule, so that the same input gives
the same messages, the same bytes and the same "source" in Python and in the CLI:

- ``-``: standard input (one message, or an mbox when its first line is an mbox separator);
- a directory: its entries with names sorted byte-wise, recursively; names starting with a dot and
  files named ``*.json``, ``*.jsonl`` or ``*.md`` are skipped; a subdirectory with ``cur/`` and
  ``new/`` is read as a Maildir;
- a Maildir: the regular files of ``cur/`` then ``new/``, names sorted, each one message;
- a file named ``*.eml``: one message, whatever its first line;
- any other file: an mbox when its first line is an mbox separator ("From " + sender + a time),
  otherwise one message.

An mbox message's source is ``<path>:<offset>``, the byte offset of its "From " line; its bytes
are what follows that line up to the next separator, with one level of mboxrd quoting removed
(``>From `` → ``From ``, ``>>From `` → ``>From ``) and the blank line that ends it dropped.

``mailbox_messages(box)`` reads any standard-library ``mailbox.Mailbox`` (mbox, Maildir, MH,
Babyl, MMDF) through that module's own index. It takes each message's raw bytes (``get_bytes``)
and never parses them into email.message.Message and re-serialises them, which would rewrite
the very headers a bounce reader looks at.
"""

from __future__ import annotations

import itertools
import mailbox
import os
import re
import stat
import sys
from typing import IO, Any, Dict, Iterator, List, Literal, Optional, Tuple, TypeVar, Union, cast, overload

__all__ = [
    "path_messages",
    "mbox_messages",
    "maildir_messages",
    "mailbox_messages",
    "is_mbox_separator",
]

PathArg = Union[str, "os.PathLike[str]"]
#: An item of the internal walk: (source, message bytes) or (source, the OSError that hid it).
Item = Tuple[str, Union[bytes, OSError]]
_T = TypeVar("_T")

# A line longer than this (line end included) is never an mbox separator (as in the CLI).
_HEAD_MAX = 4096
_MAX_DEPTH = 128
_TIME = re.compile(rb"[0-9]:[0-9][0-9]")
_SKIPPED_SUFFIXES = (".json", ".jsonl", ".md")


def is_mbox_separator(line: bytes) -> bool:
    """True for an mbox "From " line: "From ", a sender, then somewhere a time such as 12:34."""
    if not line.startswith(b"From "):
        return False
    body = line[5:].rstrip(b"\r\n")
    stripped = body.lstrip(b" \t")
    if not stripped:
        return False  # no sender
    sender_end = len(stripped)
    for i, c in enumerate(stripped):
        if c in (0x20, 0x09):
            sender_end = i
            break
    return _TIME.search(stripped, sender_end) is not None


def _is_whole(line: bytes) -> bool:
    return line.endswith(b"\n") and len(line) <= _HEAD_MAX


def _is_separator_line(line: bytes) -> bool:
    """A separator as the CLI takes one: a whole line (line end included, at most 4096 bytes)."""
    return _is_whole(line) and is_mbox_separator(line)


class TooLarge:
    """Stands for a message over the message_bytes limit: its size is counted, its bytes were
    dropped while reading (as the CLI does). ``size`` is what the message had in the input, after
    mbox unquoting and without the blank line that ends an mbox message."""

    __slots__ = ("size",)

    def __init__(self, size: int) -> None:
        self.size = size

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TooLarge) and other.size == self.size

    def __repr__(self) -> str:
        return f"TooLarge({self.size})"


class _Collector:
    """The bytes of one message while it is read. With a limit, bytes past the limit are dropped
    (only the size and the last four bytes are kept), as the CLI's splitter does."""

    __slots__ = ("parts", "size", "tail", "dropped", "limit", "cap")

    def __init__(self, limit: Optional[int], mbox: bool) -> None:
        self.parts: List[bytes] = []
        self.size = 0
        self.tail = b""
        self.dropped = False
        self.limit = limit
        # In an mbox the blank line that ends a message is still collected: allow for it.
        self.cap = None if limit is None else limit + (2 if mbox else 0)

    def add(self, data: bytes) -> None:
        self.size += len(data)
        self.tail = (self.tail + data[-4:])[-4:]
        if self.dropped:
            return
        if self.cap is not None and self.size > self.cap:
            self.dropped = True
            self.parts = []
            return
        self.parts.append(data)

    def single(self) -> Union[bytes, TooLarge]:
        if self.dropped:
            return TooLarge(self.size)
        return b"".join(self.parts)

    def mbox(self) -> Union[bytes, TooLarge]:
        """The message without the blank line that ends it in an mbox."""
        t = self.tail
        if t.endswith(b"\r\n\r\n"):
            cut = 2
        elif t.endswith(b"\n\n"):
            cut = 1
        elif self.size == len(t) and t in (b"\n", b"\r\n"):
            cut = len(t)
        else:
            cut = 0
        size = self.size - cut
        if self.dropped or (self.limit is not None and size > self.limit):
            return TooLarge(size)
        data = b"".join(self.parts)
        return data[: len(data) - cut]


#: What the splitters yield for one message: its bytes, a TooLarge, or the OSError that hid it.
Data = Union[bytes, TooLarge, OSError]


def _mbox_split(lines: Iterator[bytes], start: int, stop: Optional[int], limit: Optional[int],
                state: Dict[str, Any]) -> Iterator[Tuple[int, Data]]:
    """The messages of an mbox, as (offset of the separator line, data).

    ``lines`` yields the file's lines from byte ``start``, where a separator line begins. Every
    message whose separator line starts before ``stop`` (None: no bound) is yielded, read to its
    end (which may lie past ``stop``). ``state["eof"]`` tells afterwards whether the input ended
    (rather than a separator at or past ``stop``); ``state["count"]`` how many were yielded."""
    state["eof"] = False
    state["count"] = 0
    offset = start
    current = start
    collector: Optional[_Collector] = None
    try:
        for line in lines:
            here = offset
            offset += len(line)
            if _is_separator_line(line):
                if collector is not None:
                    state["count"] += 1
                    yield current, collector.mbox()
                if stop is not None and here >= stop:
                    return
                current, collector = here, _Collector(limit, True)
                continue
            if collector is None:  # not at a separator: the caller's mistake
                raise ValueError(f"no mbox separator line at byte {start}")
            quoted = len(line) - len(line.lstrip(b">"))
            if quoted and line[quoted : quoted + 5] == b"From ":
                collector.add(line[1:])  # mboxrd: one level of quoting removed
            else:
                collector.add(line)
    except OSError as exc:
        state["count"] += 1
        yield current, exc
        return
    state["eof"] = True
    if collector is not None:
        state["count"] += 1
        yield current, collector.mbox()


def _named(items: Iterator[Tuple[int, Data]], base: str, state: Dict[str, Any],
           whole_file: bool) -> Iterator[Tuple[str, Data]]:
    """Names mbox messages "<base>:<offset>", but an mbox that holds a single message by its path
    alone (the CLI's rule). ``whole_file``: the items start at the file's first byte, so that
    one message followed by the end of the input is the file's only one."""
    pending: Optional[Tuple[int, Data]] = None
    for item in items:
        if pending is not None:
            yield f"{base}:{pending[0]}", pending[1]
        pending = item
    if pending is None:
        return
    if whole_file and pending[0] == 0 and state["count"] == 1 and (state["eof"] or isinstance(pending[1], OSError)):
        yield base, pending[1]
    else:
        yield f"{base}:{pending[0]}", pending[1]


def _split_stream(stream: IO[bytes], base: str, mbox_allowed: bool,
                  limit: Optional[int] = None) -> Iterator[Tuple[str, Data]]:
    """Splits a byte stream into messages as the CLI's splitter does. With a ``limit`` (the
    message_bytes limit), a larger message is yielded as a TooLarge and never held whole."""
    lines = iter(stream)
    try:
        first: Optional[bytes] = next(lines)
    except StopIteration:
        first = None
    except OSError as exc:
        yield base, exc
        return
    if first is None or not (mbox_allowed and _is_separator_line(first)):
        collector = _Collector(limit, False)
        try:
            if first is not None:
                collector.add(first)
            for line in lines:
                collector.add(line)
        except OSError as exc:
            yield base, exc
            return
        yield base, collector.single()
        return
    state: Dict[str, Any] = {}
    yield from _named(_mbox_split(itertools.chain([first], lines), 0, None, limit, state), base, state, True)


def mbox_range_messages(path: PathArg, start: int, end: int, *,
                        limit: Optional[int] = None) -> Iterator[Tuple[str, Data]]:
    """The messages of an mbox file whose separator line starts in the byte range [start, end),
    read as the CLI reads the whole file (same bytes, same sources).

    The range is resynchronised on a separator line: reading starts at the first line that
    begins at or after ``start`` and is a separator ("From " + sender + a time, a whole line), and
    the last message is read past ``end`` up to the next separator line (or the end of the file).
    So ranges that tile a file yield each of its messages exactly once. The file's first line
    must be a separator (an mbox, as the CLI detects one). A file that cannot be opened yields
    one (path, OSError) from the range that starts at 0, nothing from the others. Yields
    (source, bytes | TooLarge | OSError)."""
    name = os.fspath(path)
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    if start < 0 or end < start:
        raise ValueError(f"bad byte range [{start}, {end})")
    try:
        f = open(name, "rb")
    except OSError as exc:
        if start == 0:
            yield name, exc
        return
    with f:
        try:
            pos = start
            if start > 0:
                f.seek(start - 1)
                pos = start - 1 + len(f.readline())  # the first line that starts at or after `start`
            while True:
                if pos >= end:
                    return
                line = f.readline()
                if not line:
                    return
                if _is_separator_line(line):
                    break
                pos += len(line)
        except OSError as exc:
            yield f"{name}:{pos}", exc
            return
        state: Dict[str, Any] = {}
        yield from _named(_mbox_split(itertools.chain([line], f), pos, end, limit, state), name, state, start == 0)


def first_line_is_separator(path: PathArg) -> bool:
    """Would the CLI read this file as an mbox? (Its first line is a separator line.) Reads at
    most 4096 bytes. Raises OSError."""
    with open(os.fspath(path), "rb") as f:
        return _is_separator_line(f.readline(_HEAD_MAX + 1))


def _ends_with_ci(name: str, suffix: str) -> bool:
    return name.lower().endswith(suffix)


def _join(directory: str, name: str) -> str:
    return directory + name if directory.endswith("/") else directory + "/" + name


def _is_dir(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        return False


def _is_maildir(path: str) -> bool:
    return _is_dir(_join(path, "cur")) and _is_dir(_join(path, "new"))


def _sorted_names(path: str) -> List[str]:
    # Byte-wise order, as the CLI's std::sort of the raw names.
    return sorted(os.listdir(path), key=os.fsencode)


class FileEntry:
    """A file the walk reads: ``mbox_allowed`` is False for a Maildir message or a ``*.eml``
    file (one message whatever its first line); ``size`` as the walk's stat saw it."""

    __slots__ = ("path", "mbox_allowed", "size")

    def __init__(self, path: str, mbox_allowed: bool, size: int) -> None:
        self.path, self.mbox_allowed, self.size = path, mbox_allowed, size

    def __repr__(self) -> str:
        return f"FileEntry({self.path!r}, mbox_allowed={self.mbox_allowed}, size={self.size})"


#: An entry of the walk: a file to read, standard input ("-"), or (source, the OSError that hid it).
Entry = Union[FileEntry, str, Tuple[str, OSError]]


def _file_entry(path: str, maildir_message: bool, size: int) -> FileEntry:
    # A *.eml file holds one message by definition, even when it starts with a "From " line.
    return FileEntry(path, not maildir_message and not _ends_with_ci(path, ".eml"), size)


def _maildir(path: str) -> Iterator[Union[FileEntry, Tuple[str, OSError]]]:
    for sub in ("cur", "new"):
        directory = _join(path, sub)
        try:
            names = _sorted_names(directory)
        except OSError as exc:
            yield directory, exc
            continue
        for name in names:
            if name.startswith("."):
                continue
            full = _join(directory, name)
            try:
                st = os.stat(full)
            except OSError as exc:
                yield full, exc
                continue
            if stat.S_ISREG(st.st_mode):
                yield _file_entry(full, True, st.st_size)


def _directory(path: str, depth: int, open_dirs: List[Tuple[int, int]]) -> Iterator[Entry]:
    try:
        st = os.stat(path)
    except OSError as exc:
        yield path, exc
        return
    ident = (st.st_dev, st.st_ino)
    if ident in open_dirs:
        return  # a link loop
    if depth > _MAX_DEPTH:
        yield path, OSError("directories nested too deeply")
        return
    try:
        names = _sorted_names(path)
    except OSError as exc:
        yield path, exc
        return
    open_dirs.append(ident)
    try:
        for name in names:
            if name.startswith("."):
                continue
            full = _join(path, name)
            try:
                est = os.stat(full)
            except OSError as exc:  # e.g. a dangling symbolic link
                yield full, exc
                continue
            if stat.S_ISDIR(est.st_mode):
                if _is_maildir(full):
                    yield from _maildir(full)
                else:
                    yield from _directory(full, depth + 1, open_dirs)
            elif stat.S_ISREG(est.st_mode) and not any(_ends_with_ci(name, s) for s in _SKIPPED_SUFFIXES):
                yield _file_entry(full, False, est.st_size)
    finally:
        open_dirs.pop()


def walk_entries(path: PathArg) -> Iterator[Entry]:
    """The CLI's walk of one PATH argument, without reading any file: yields a FileEntry for each
    file to read, "-" for standard input, and (source, OSError) for what could not be listed or
    found, in the CLI's order."""
    name = os.fspath(path)
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    if name == "-":
        yield "-"
        return
    try:
        st = os.stat(name)
    except OSError as exc:
        yield name, exc
        return
    if stat.S_ISDIR(st.st_mode):
        if _is_maildir(name):
            yield from _maildir(name)
        else:
            yield from _directory(name, 0, [])
        return
    yield _file_entry(name, False, st.st_size)


def read_file(path: str, mbox_allowed: bool, limit: Optional[int] = None) -> Iterator[Tuple[str, Data]]:
    """The messages of one file as the CLI reads it (an mbox when allowed and its first line is a
    separator; otherwise one message). An unopenable file yields (path, OSError)."""
    try:
        f = open(path, "rb")
    except OSError as exc:
        yield path, exc
        return
    with f:
        yield from _split_stream(f, path, mbox_allowed, limit)


def _walk(path: PathArg, limit: Optional[int] = None) -> Iterator[Tuple[str, Data]]:
    for entry in walk_entries(path):
        if isinstance(entry, FileEntry):
            yield from read_file(entry.path, entry.mbox_allowed, limit)
        elif isinstance(entry, str):
            yield from _split_stream(sys.stdin.buffer, "-", True, limit)
        else:
            yield entry


def _raising(items: Iterator[Tuple[str, Union[_T, OSError]]]) -> Iterator[Tuple[str, _T]]:
    for source, data in items:
        if isinstance(data, OSError):
            if not data.filename:
                data.filename = source
            raise data
        yield source, data


@overload
def path_messages(path: PathArg, *, errors: Literal["raise"] = ..., limit: None = ...) -> Iterator[Tuple[str, bytes]]:
    ...


@overload
def path_messages(path: PathArg, *, errors: Literal["raise"] = ...,
                  limit: int) -> Iterator[Tuple[str, Union[bytes, TooLarge]]]:
    ...


@overload
def path_messages(path: PathArg, *, errors: str, limit: Optional[int] = ...) -> Iterator[Tuple[str, Data]]:
    ...


def path_messages(path: PathArg, *, errors: str = "raise",
                  limit: Optional[int] = None) -> Iterator[Tuple[str, Data]]:
    """Yields (source, bytes) for every message at ``path``, exactly as ``carom classify PATH``
    reads it (see the module documentation). An unreadable file or directory raises OSError;
    with ``errors="yield"`` it yields ``(source, OSError)`` instead and goes on, and
    Engine.classify turns such a pair into a Result whose error code is "io", as the CLI does.
    With ``limit`` (bytes, the message_bytes limit) a larger message is never held whole: it is
    yielded as a ``carom._sources.TooLarge`` (its size), which Engine.classify reports as the
    CLI does (error code "too_large")."""
    if errors == "yield":
        return _walk(path, limit)
    if errors != "raise":
        raise ValueError("errors must be 'raise' or 'yield'")
    return _raising(_walk(path, limit))


def mbox_messages(path: PathArg) -> Iterator[Tuple[str, bytes]]:
    """Yields (``"<path>:<offset>"``, bytes) for each message of an mbox file, split as the CLI
    splits it (mboxrd unquoting, strict "From " separator lines). A file whose first line is not
    a separator is one message, with the path as its source."""
    name = os.fspath(path)
    with open(name, "rb") as f:
        # Without a limit the splitter never yields a TooLarge.
        yield from _raising(cast("Iterator[Item]", _split_stream(f, name, True)))


def maildir_messages(path: PathArg) -> Iterator[Tuple[str, bytes]]:
    """Yields (file path, bytes) for each message of a Maildir: cur/ then new/, names sorted."""
    def read() -> Iterator[Item]:
        for entry in _maildir(os.fspath(path)):
            if isinstance(entry, FileEntry):
                # Without a limit read_file never yields a TooLarge.
                yield from cast("Iterator[Item]", read_file(entry.path, False))
            else:
                yield entry

    return _raising(read())


def mailbox_messages(box: mailbox.Mailbox[Any]) -> Iterator[Tuple[str, bytes]]:
    """Yields (source, raw bytes) for each message of a standard-library mailbox object, in the
    mailbox's key order (sorted keys for Maildir and MH). The source is ``<path>:<offset>`` for
    mbox and MMDF (the byte offset of the message in the file), the message file's path for
    Maildir and MH, ``<path>:<key>`` otherwise. Messages are read with ``get_bytes``: raw, never
    re-serialised. (The mailbox module splits mbox files on every line that starts with "From "
    and keeps ">From " quoting: to read an mbox exactly as the CLI does, use mbox_messages.)"""
    base = os.fspath(getattr(box, "_path", "") or "")
    keys = list(box.iterkeys())
    if isinstance(box, (mailbox.Maildir, mailbox.MH)):
        keys.sort(key=lambda k: str(k))
    for key in keys:
        if isinstance(box, (mailbox.mbox, mailbox.MMDF)):
            # _lookup gives the (start, stop) byte offsets every single-file mailbox keeps.
            # _lookup is private to mailbox: typeshed's stubs do not declare it.
            source = f"{base}:{box._lookup(key)[0]}"  # type: ignore[union-attr]  # noqa: SLF001
        elif isinstance(box, mailbox.Maildir):
            source = os.path.join(base, box._lookup(key))  # type: ignore[attr-defined]  # noqa: SLF001  # "cur/<name>"
        elif isinstance(box, mailbox.MH):
            source = os.path.join(base, str(key))
        else:
            source = f"{base}:{key}"
        data = box.get_bytes(key, from_=False) if isinstance(box, (mailbox.mbox, mailbox.MMDF)) else box.get_bytes(key)
        yield source, data


def read_stream(stream: IO[bytes]) -> Tuple[Optional[str], bytes]:
    """(source, bytes) of a binary file object: its ``name`` when it has one."""
    data = stream.read()
    if isinstance(data, str):
        raise TypeError("carom needs bytes: open the file in binary mode ('rb')")
    name = getattr(stream, "name", None)
    return (name if isinstance(name, str) else None), data
