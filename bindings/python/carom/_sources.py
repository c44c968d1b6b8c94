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

import mailbox
import os
import re
import stat
import sys
from typing import IO, Iterator, List, Optional, Tuple, Union

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


def _split_stream(stream: IO[bytes], base: str, mbox_allowed: bool) -> Iterator[Item]:
    """Splits a byte stream into messages as the CLI's splitter does."""
    lines = iter(stream)
    try:
        first: Optional[bytes] = next(lines)
    except StopIteration:
        first = None
    except OSError as exc:
        yield base, exc
        return
    if first is None or not (mbox_allowed and _is_whole(first) and is_mbox_separator(first)):
        chunks: List[bytes] = [] if first is None else [first]
        try:
            chunks.extend(lines)
        except OSError as exc:
            yield base, exc
            return
        yield base, b"".join(chunks)
        return

    def finish(parts: List[bytes]) -> bytes:
        data = b"".join(parts)
        if data.endswith(b"\r\n\r\n"):
            return data[:-2]
        if data.endswith(b"\n\n"):
            return data[:-1]
        if data in (b"\n", b"\r\n"):
            return b""
        return data

    offset = len(first)
    source = f"{base}:0"
    parts: List[bytes] = []
    try:
        for line in lines:
            start = offset
            offset += len(line)
            if _is_whole(line) and is_mbox_separator(line):
                yield source, finish(parts)
                source, parts = f"{base}:{start}", []
                continue
            quoted = len(line) - len(line.lstrip(b">"))
            if quoted and line[quoted : quoted + 5] == b"From ":
                parts.append(line[1:])  # mboxrd: one level of quoting removed
            else:
                parts.append(line)
    except OSError as exc:
        yield source, exc
        return
    yield source, finish(parts)


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


def _file(path: str, maildir_message: bool) -> Iterator[Item]:
    try:
        f = open(path, "rb")
    except OSError as exc:
        yield path, exc
        return
    with f:
        yield from _split_stream(f, path, not maildir_message and not _ends_with_ci(path, ".eml"))


def _maildir(path: str) -> Iterator[Item]:
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
                mode = os.stat(full).st_mode
            except OSError as exc:
                yield full, exc
                continue
            if stat.S_ISREG(mode):
                yield from _file(full, True)


def _directory(path: str, depth: int, open_dirs: List[Tuple[int, int]]) -> Iterator[Item]:
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
                mode = os.stat(full).st_mode
            except OSError as exc:  # e.g. a dangling symbolic link
                yield full, exc
                continue
            if stat.S_ISDIR(mode):
                if _is_maildir(full):
                    yield from _maildir(full)
                else:
                    yield from _directory(full, depth + 1, open_dirs)
            elif stat.S_ISREG(mode) and not any(_ends_with_ci(name, s) for s in _SKIPPED_SUFFIXES):
                yield from _file(full, False)
    finally:
        open_dirs.pop()


def _walk(path: PathArg) -> Iterator[Item]:
    name = os.fspath(path)
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    if name == "-":
        yield from _split_stream(sys.stdin.buffer, "-", True)
        return
    try:
        mode = os.stat(name).st_mode
    except OSError as exc:
        yield name, exc
        return
    if stat.S_ISDIR(mode):
        if _is_maildir(name):
            yield from _maildir(name)
        else:
            yield from _directory(name, 0, [])
        return
    yield from _file(name, False)


def _raising(items: Iterator[Item]) -> Iterator[Tuple[str, bytes]]:
    for source, data in items:
        if isinstance(data, OSError):
            if not data.filename:
                data.filename = source
            raise data
        yield source, data


def path_messages(path: PathArg, *, errors: str = "raise") -> Iterator[Tuple[str, bytes]]:
    """Yields (source, bytes) for every message at ``path``, exactly as ``carom classify PATH``
    reads it (see the module documentation). An unreadable file or directory raises OSError;
    with ``errors="yield"`` it yields ``(source, OSError)`` instead and goes on, and
    Engine.classify turns such a pair into a Result whose error code is "io", as the CLI does."""
    if errors == "yield":
        return _walk(path)  # type: ignore[return-value]
    if errors != "raise":
        raise ValueError("errors must be 'raise' or 'yield'")
    return _raising(_walk(path))


def mbox_messages(path: PathArg) -> Iterator[Tuple[str, bytes]]:
    """Yields (``"<path>:<offset>"``, bytes) for each message of an mbox file, split as the CLI
    splits it (mboxrd unquoting, strict "From " separator lines). A file whose first line is not
    a separator is one message, with the path as its source."""
    name = os.fspath(path)
    with open(name, "rb") as f:
        yield from _raising(_split_stream(f, name, True))


def maildir_messages(path: PathArg) -> Iterator[Tuple[str, bytes]]:
    """Yields (file path, bytes) for each message of a Maildir: cur/ then new/, names sorted."""
    return _raising(_maildir(os.fspath(path)))


def mailbox_messages(box: mailbox.Mailbox) -> Iterator[Tuple[str, bytes]]:
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
            source = f"{base}:{box._lookup(key)[0]}"  # noqa: SLF001
        elif isinstance(box, mailbox.Maildir):
            source = os.path.join(base, box._lookup(key))  # noqa: SLF001  # "cur/<name>"
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
