"""Where messages come from: files, directories, mbox files and Maildirs, as (source, bytes).

The ``source`` string is what the CLI puts in the JSON's "source" field for the same message:

- a file: the path as given;
- a directory: each regular file below it, in sorted order, as ``<dir>/<name>``;
- an mbox: ``<path>:<offset>``, the byte offset of the message's "From " line;
- a Maildir: the path of each message file (``<maildir>/cur/<name>`` or ``new/``), sorted;
- standard input: ``-``.

mbox and Maildir go through the standard ``mailbox`` module, but only for its index: messages are
read as raw bytes (``get_bytes`` / ``get_file``), never parsed into email.message.Message and
re-serialised, which would rewrite the very headers a bounce reader looks at.
"""

from __future__ import annotations

import mailbox
import os
import sys
from typing import IO, Iterator, List, Tuple, Union

__all__ = ["mbox_messages", "maildir_messages", "path_messages", "is_mbox", "is_maildir", "read_path"]

PathArg = Union[str, "os.PathLike[str]"]


def read_path(path: PathArg) -> Tuple[str, bytes]:
    """(source, bytes) of one message file; ``-`` reads standard input."""
    name = os.fspath(path)
    if name == "-":
        return "-", sys.stdin.buffer.read()
    with open(name, "rb") as f:
        return name, f.read()


def is_mbox(path: PathArg) -> bool:
    """True for a regular file that starts with an mbox "From " separator line."""
    try:
        with open(os.fspath(path), "rb") as f:
            return f.read(5) == b"From "
    except OSError:
        return False


def is_maildir(path: PathArg) -> bool:
    """True for a directory that has the cur, new and tmp subdirectories of a Maildir."""
    p = os.fspath(path)
    return all(os.path.isdir(os.path.join(p, d)) for d in ("cur", "new", "tmp"))


def mbox_messages(path: PathArg) -> Iterator[Tuple[str, bytes]]:
    """Yields (``"<path>:<offset>"``, raw message bytes without the "From " line) for each
    message of an mbox file, in file order."""
    name = os.fspath(path)
    box = mailbox.mbox(name, create=False)
    try:
        for key in box.iterkeys():
            # mailbox keeps (start, stop) byte offsets of each message in its table of contents;
            # _lookup is the accessor every mbox method uses (stable since Python 3.0).
            start = box._lookup(key)[0]  # noqa: SLF001
            yield f"{name}:{start}", box.get_bytes(key, from_=False)
    finally:
        box.close()


def maildir_messages(path: PathArg) -> Iterator[Tuple[str, bytes]]:
    """Yields (message file path, raw bytes) for each message of a Maildir (cur and new), sorted
    by path."""
    name = os.fspath(path)
    box = mailbox.Maildir(name, factory=None, create=False)
    # Maildir's table of contents maps each key to its file ("cur/<name>" or "new/<name>");
    # _lookup is the accessor every Maildir method uses (stable since Python 3.0).
    entries = sorted((os.path.join(name, box._lookup(key)), key) for key in box.iterkeys())  # noqa: SLF001
    for filename, key in entries:
        yield filename, box.get_bytes(key)


def _files_below(directory: str) -> List[str]:
    out: List[str] = []
    for root, dirs, files in os.walk(directory):
        dirs.sort()
        out.extend(os.path.join(root, f) for f in files)
    out.sort()
    return out


def path_messages(path: PathArg) -> Iterator[Tuple[str, bytes]]:
    """Every message at ``path``, as the CLI reads a PATH argument: ``-`` (standard input), a
    Maildir, a directory (its files, recursively, sorted), an mbox, or one message file."""
    name = os.fspath(path)
    if name == "-":
        yield read_path(name)
    elif os.path.isdir(name):
        if is_maildir(name):
            yield from maildir_messages(name)
        else:
            for f in _files_below(name):
                yield from path_messages(f)
    elif is_mbox(name):
        yield from mbox_messages(name)
    else:
        yield read_path(name)


def read_stream(stream: IO[bytes]) -> Tuple[str | None, bytes]:
    """(source, bytes) of a binary file object: its ``name`` when it has one."""
    data = stream.read()
    if isinstance(data, str):
        raise TypeError("carom needs bytes: open the file in binary mode ('rb')")
    name = getattr(stream, "name", None)
    return (name if isinstance(name, str) else None), data
