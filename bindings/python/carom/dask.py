"""carom.dask: classify archives of bounces across machines with Dask (docs/scale.md).

    import carom.dask

    bag = carom.dask.records(["/archive/2026"], limits={"message_bytes": 10 << 20})
    bag.take(3)                                  # result dicts, as `carom classify` prints them
    df = carom.dask.to_dataframe("/archive/2026")  # one row per record

    python3 -m carom.dask classify [--scheduler tcp://HOST:8786] [--rules FILE]... PATH... > out.jsonl

The PATH arguments are walked on the client exactly as ``carom classify`` walks them (files,
directories with names sorted, Maildirs, mbox files; carom._sources), without reading the files:
the workers read them, so every worker must see the paths (a shared file system, same paths).
Small files are grouped into tasks; an mbox larger than ``range_bytes`` is cut into byte ranges
that workers read on their own. A range holds the messages whose "From " separator line starts
inside it: its reader skips to the first separator line at or after the range's start and reads
its last message past the range's end, up to the next separator line. So the ranges of a file
yield each of its messages exactly once, with the CLI's sources ("PATH:OFFSET").

Each task carries the engine's options as plain data (rule texts, context JSON, limits, header
names), never an engine: every worker process builds its engine once per set of options and
keeps it (_engine_for). A message that cannot be read, is too large or is not mail becomes an
error object on the worker, as in the CLI; a task does not fail for its input. Results come back
in input order: the order in which ``carom classify --jobs 1`` prints them.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import threading
from typing import Any, Dict, Iterable, Iterator, List, NamedTuple, Optional, Sequence, Tuple, Union

import dask
import dask.bag as db
from dask.base import tokenize
from dask.core import quote

from . import _sources
from ._engine import CLASSIFY_EXPLAIN, Engine, _context_json, _rule_sources
from ._result import Result

__all__ = ["records", "to_dataframe", "plan", "Options", "options", "RECORD_FIELDS", "COLUMNS", "main"]

#: An mbox larger than this is cut into byte ranges of this size (one task each).
DEFAULT_RANGE_BYTES = 32 << 20
#: Small files are grouped into one task up to this many bytes ...
DEFAULT_BATCH_BYTES = 32 << 20
#: ... or this many files.
DEFAULT_BATCH_FILES = 2000


class Options(NamedTuple):
    """The engine's options as plain data: what a task carries to the workers (and the key of
    the engine cached in each worker process)."""

    rules: Tuple[Tuple[str, bytes], ...] = ()
    context: Optional[bytes] = None
    limits: Tuple[Tuple[str, int], ...] = ()
    headers: Tuple[str, ...] = ()
    builtin_rules: bool = True
    backscatter: bool = True
    explain: bool = False


def options(rules: Any = None, context: Any = None, limits: Optional[Dict[str, int]] = None,
            headers: Optional[Iterable[str]] = None, *, builtin_rules: bool = True, backscatter: bool = True,
            explain: bool = False) -> Options:
    """Options from Engine's arguments (rule files and a context file are read here, on the
    client). Builds one engine on the client to check them: bad rules or limits raise here
    (InvalidRulesError, LimitError, ContextError...), not in a worker."""
    opts = Options(
        rules=tuple(_rule_sources(rules)),
        context=_context_json(context),
        limits=tuple(sorted((str(k).lower(), int(v)) for k, v in (limits or {}).items())),
        headers=(headers,) if isinstance(headers, str) else tuple(str(h) for h in (headers or ())),
        builtin_rules=bool(builtin_rules),
        backscatter=bool(backscatter),
        explain=bool(explain),
    )
    _engine_for(opts)
    return opts


# --- the workers' side ------------------------------------------------------------------------

_ENGINES: "collections.OrderedDict[Options, Engine]" = collections.OrderedDict()
_ENGINES_LOCK = threading.Lock()
_ENGINES_KEPT = 4


def _engine_for(opts: Options) -> Engine:
    """This process's engine for these options, built on first use and kept (the last few sets
    of options). Engines are thread-safe: the worker's threads share it."""
    with _ENGINES_LOCK:
        engine = _ENGINES.get(opts)
        if engine is None:
            engine = Engine(rules=list(opts.rules) or None, context=opts.context, limits=dict(opts.limits) or None,
                            headers=opts.headers or None, builtin_rules=opts.builtin_rules,
                            backscatter=opts.backscatter)
            _ENGINES[opts] = engine
            while len(_ENGINES) > _ENGINES_KEPT:
                _ENGINES.popitem(last=False)  # dropped, not closed: a thread may still use it
        else:
            _ENGINES.move_to_end(opts)
        return engine


#: A unit of work, plain data (tuples of str / int / bytes):
#:   ("file", path, mbox_allowed)     a whole file, read as the CLI reads it
#:   ("range", path, start, end)      the messages of an mbox whose separator starts in [start, end)
#:   ("error", source, why)           a walk error (a missing path, an unreadable directory)
#:   ("message", source, data)        a message read on the client (standard input)
Unit = Tuple[Any, ...]


def _unit_messages(unit: Unit, limit: int) -> Iterator[Tuple[str, Any]]:
    kind = unit[0]
    if kind == "file":
        yield from _sources.read_file(unit[1], unit[2], limit)
    elif kind == "range":
        yield from _sources.mbox_range_messages(unit[1], unit[2], unit[3], limit=limit)
    elif kind == "error":
        yield unit[1], OSError(unit[2])
    elif kind == "message":
        yield unit[1], unit[2]
    else:
        raise ValueError(f"unknown unit {kind!r}")


def _unit_source(unit: Unit) -> str:
    return str(unit[1])


def classify_units(units: Sequence[Unit], opts: Options) -> List[str]:
    """One task: the JSON text (the CLI's jsonl line) of every message of these units, in order.
    Never raises for its input: unreadable files give "io" error objects, large messages
    "too_large" ones; an unexpected failure while reading a unit gives an "internal" error object
    for that unit's path after the messages already done, and the next unit goes on."""
    engine = _engine_for(opts)
    limit = engine.limits["message_bytes"]
    flags = CLASSIFY_EXPLAIN if opts.explain else 0
    out: List[str] = []
    for unit in units:
        try:
            for source, data in _unit_messages(unit, limit):
                out.append(engine._classify_json(data, source, flags))  # noqa: SLF001
        except Exception as exc:  # noqa: BLE001 - reported in the output, never a failed task
            out.append(Result._error_json(_unit_source(unit), "internal",  # noqa: SLF001
                                          f"carom.dask: {type(exc).__name__}: {exc}"))
    return out


# --- the client's side --------------------------------------------------------------------------

def _path_list(paths: Any) -> List[str]:
    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]
    out = []
    for p in paths:
        name = os.fspath(p)
        out.append(os.fsdecode(name) if isinstance(name, bytes) else name)
    return out


def plan(paths: Any, *, range_bytes: int = DEFAULT_RANGE_BYTES, batch_bytes: int = DEFAULT_BATCH_BYTES,
         batch_files: int = DEFAULT_BATCH_FILES, limit: Optional[int] = None) -> List[List[Unit]]:
    """The tasks of a run, in input order: lists of units (see Unit). Walks the paths as the CLI
    does without reading files, except the first line of a file larger than ``range_bytes`` (is
    it an mbox?). Standard input ("-") is read here, on the client, and its messages travel in
    the tasks (``limit``: message_bytes, so that a huge one is not held)."""
    if range_bytes < 1 or batch_bytes < 1 or batch_files < 1:
        raise ValueError("range_bytes, batch_bytes and batch_files must be positive")
    tasks: List[List[Unit]] = []
    batch: List[Unit] = []
    batch_size = 0

    def flush() -> None:
        nonlocal batch, batch_size
        if batch:
            tasks.append(batch)
        batch, batch_size = [], 0

    def add(unit: Unit, size: int) -> None:
        nonlocal batch_size
        batch.append(unit)
        batch_size += size
        if batch_size >= batch_bytes or len(batch) >= batch_files:
            flush()

    for path in _path_list(paths):
        for entry in _sources.walk_entries(path):
            if isinstance(entry, _sources.FileEntry):
                if entry.mbox_allowed and entry.size > range_bytes and _is_mbox(entry.path):
                    flush()
                    for start in range(0, entry.size, range_bytes):
                        tasks.append([("range", entry.path, start, min(start + range_bytes, entry.size))])
                else:
                    add(("file", entry.path, entry.mbox_allowed), entry.size)
            elif isinstance(entry, str):  # "-": standard input
                for source, data in _sources._split_stream(sys.stdin.buffer, "-", True, limit):  # noqa: SLF001
                    if isinstance(data, OSError):
                        add(("error", source, data.strerror or str(data)), 0)
                    else:
                        add(("message", source, data), len(data) if isinstance(data, bytes) else 0)
            else:
                source, exc = entry
                add(("error", source, exc.strerror or str(exc)), 0)
    flush()
    return tasks


def _is_mbox(path: str) -> bool:
    try:
        return _sources.first_line_is_separator(path)
    except OSError:
        return False  # read whole by a worker, which reports the error as the CLI does


def _tasks(paths: Any, opts: Options, range_bytes: int, batch_bytes: int, batch_files: int) -> List[List[Unit]]:
    limit = _engine_for(opts).limits["message_bytes"]
    return plan(paths, range_bytes=range_bytes, batch_bytes=batch_bytes, batch_files=batch_files, limit=limit)


def _bag(paths: Any, opts: Options, range_bytes: int, batch_bytes: int, batch_files: int) -> db.Bag:
    """A bag of JSON texts, one partition per task, partitions in input order."""
    tasks = _tasks(paths, opts, range_bytes, batch_bytes, batch_files)
    # The options are one key of the graph, which each task depends on: they travel once per
    # worker, not once per task (rule files can be large). Units are quoted: plain data, never
    # taken for tasks or keys.
    opts_key = "carom-options-" + tokenize(opts)
    name = "carom-classify-" + tokenize(tasks, opts)
    graph: Dict[Any, Any] = {opts_key: opts}
    for i, units in enumerate(tasks):
        graph[(name, i)] = (classify_units, quote(units), opts_key)
    if not tasks:  # a bag needs a partition
        graph[(name, 0)] = []
    return db.Bag(graph, name, max(len(tasks), 1))


def records(paths: Any, *, rules: Any = None, context: Any = None, limits: Optional[Dict[str, int]] = None,
            headers: Optional[Iterable[str]] = None, builtin_rules: bool = True, backscatter: bool = True,
            explain: bool = False, range_bytes: int = DEFAULT_RANGE_BYTES, batch_bytes: int = DEFAULT_BATCH_BYTES,
            batch_files: int = DEFAULT_BATCH_FILES) -> db.Bag:
    """A dask.bag of result dicts, one per message at ``paths`` (a path or a list), in the order
    ``carom classify --jobs 1`` prints them, each equal to the CLI's JSON object for it (same keys,
    same values, "source" included). Engine options as for carom.Engine (no ``sent`` callback:
    it cannot travel as data). Computes on whatever scheduler is active (a distributed Client, or
    dask's default)."""
    opts = options(rules, context, limits, headers, builtin_rules=builtin_rules, backscatter=backscatter,
                   explain=explain)
    return _bag(paths, opts, range_bytes, batch_bytes, batch_files).map(json.loads)


#: The record columns of to_dataframe, in the order of docs/schema.md.
RECORD_FIELDS = ("recipient", "original_recipient", "action", "status", "reply_code", "class", "reason", "rule",
                 "diagnostic_type", "diagnostic", "remote_mta", "reporting_mta", "command", "last_attempt",
                 "feedback_type", "timestamp", "timestamp_source", "token", "sender",
                 "envelope_recipient", "recipient_source")
#: Every column of to_dataframe.
COLUMNS = (("source", "format", "error_code", "error_message", "backscatter", "message_id", "record")
           + RECORD_FIELDS)


def _rows(texts: Iterable[str]) -> List[Dict[str, Any]]:
    rows: List[Dict[str, Any]] = []
    for text in texts:
        o = json.loads(text)
        error = o.get("error") or {}
        original = o.get("original") or {}
        base = {
            "source": o.get("source"),
            "format": o.get("format"),
            "error_code": error.get("code"),
            "error_message": error.get("message"),
            "backscatter": (o.get("backscatter") or {}).get("verdict"),
            "message_id": original.get("message_id"),
        }
        recs = o.get("records") or []
        if not recs:
            row = dict(base, record=None)
            row.update((f, None) for f in RECORD_FIELDS)
            rows.append(row)
        for i, rec in enumerate(recs):
            row = dict(base, record=i)
            row.update((f, rec.get(f)) for f in RECORD_FIELDS)
            rows.append(row)
    return rows


def to_dataframe(paths: Any, **kwargs: Any) -> Any:
    """A dask.dataframe with one row per record of the messages at ``paths`` (arguments as for
    records). Columns: COLUMNS. A message's columns (source, format, error_code, error_message,
    backscatter verdict, the original's message_id) repeat on each of its records; ``record`` is
    the record's index in its message (0, 1, ...). A message without records (not a bounce, or
    an error) still has one row, with ``record`` and every record column null: so every message
    of the input is in the frame. Rows come in input order; the index restarts in each partition
    (not unique: use source and record)."""
    import pandas as pd

    opts = options(kwargs.pop("rules", None), kwargs.pop("context", None), kwargs.pop("limits", None),
                   kwargs.pop("headers", None), builtin_rules=kwargs.pop("builtin_rules", True),
                   backscatter=kwargs.pop("backscatter", True))
    bag = _bag(paths, opts, kwargs.pop("range_bytes", DEFAULT_RANGE_BYTES),
               kwargs.pop("batch_bytes", DEFAULT_BATCH_BYTES), kwargs.pop("batch_files", DEFAULT_BATCH_FILES))
    if kwargs:
        raise TypeError(f"to_dataframe: unexpected arguments {sorted(kwargs)}")
    meta = pd.DataFrame({c: pd.Series(dtype="Int64" if c == "record" else "object") for c in COLUMNS})
    return bag.map_partitions(_rows).to_dataframe(meta=meta)


# --- python3 -m carom.dask classify ------------------------------------------------------------

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_FAILED = 0, 1, 2, 3


def _size(text: str) -> int:
    from .__main__ import _limit_value

    return _limit_value(text)


def _parser() -> argparse.ArgumentParser:
    from .__main__ import _Parser

    p = _Parser(prog="python3 -m carom.dask", description="Classify bounce emails with carom on a Dask cluster.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    c = sub.add_parser("classify", help="classify PATHs, one JSON object per message on standard output")
    c.add_argument("--scheduler", metavar="ADDRESS",
                   help="a running scheduler (tcp://HOST:8786); default: a local cluster on this machine")
    c.add_argument("--workers", type=int, default=0, metavar="N",
                   help="local cluster only: N worker processes (default: the number of processors)")
    c.add_argument("--rules", action="append", default=[], metavar="FILE",
                   help="add a rule file (repeatable; later files take precedence)")
    c.add_argument("--no-builtin-rules", action="store_true", help="use only the --rules files")
    c.add_argument("--context", metavar="FILE", help="backscatter context (JSON file)")
    c.add_argument("--limit", action="append", default=[], metavar="NAME=VALUE",
                   help="set a limit (repeatable; VALUE may end in k, M or G)")
    c.add_argument("--header", action="append", default=[], metavar="NAME",
                   help="report this header of the returned original (repeatable)")
    c.add_argument("--explain", action="store_true", help="list every rule that matched each record")
    c.add_argument("--range-bytes", type=_size, default=DEFAULT_RANGE_BYTES, metavar="BYTES",
                   help="cut an mbox larger than this into ranges of this size (default 32M)")
    c.add_argument("--window", type=int, default=0, metavar="N",
                   help="tasks in flight at once (default: 4 per worker thread)")
    c.add_argument("paths", nargs="+", metavar="PATH")
    return p


def _limits(items: Sequence[str]) -> Dict[str, int]:
    out: Dict[str, int] = {}
    for item in items:
        name, sep, value = item.partition("=")
        try:
            out[name.strip()] = _size(value.strip())
        except ValueError:
            raise TypeError(f"--limit wants NAME=VALUE with a non-negative integer, not {item!r}") from None
        if not sep:
            raise TypeError(f"--limit wants NAME=VALUE, not {item!r}")
    return out


def _options_value(opts: Options) -> Options:
    return opts


def _write_in_order(client: Any, tasks: List[List[Unit]], opts: Options, out: Any, window: int) -> bool:
    """Runs the tasks on the cluster, at most ``window`` at a time, and writes each one's output
    in input order as soon as it and those before it are done. True when some message gave an
    error object. A task's results are released once written: memory follows the window. A task
    lost with a worker that died is run again by the scheduler (Dask's own recovery)."""
    # The options: one task whose result every classifying task takes (sent to each worker once).
    opts_future = client.submit(_options_value, opts, key="carom-options-" + tokenize(opts), pure=True)
    pending: "collections.deque[Any]" = collections.deque()
    following = iter(tasks)

    def submit_next() -> None:
        units = next(following, None)
        if units is not None:
            pending.append(client.submit(classify_units, units, opts_future, pure=False))

    for _ in range(window):
        submit_next()
    any_error = False
    while pending:
        future = pending.popleft()
        texts = future.result()
        future.release()
        submit_next()
        for text in texts:
            if not text.endswith('"error":null}'):
                any_error = True
            out.write(text.encode("utf-8") + b"\n")
    out.flush()
    return any_error


def main(argv: Optional[Sequence[str]] = None) -> int:
    from distributed import Client, LocalCluster

    from . import CaromError

    args = _parser().parse_args(argv)
    try:
        opts = options(args.rules or None, args.context, _limits(args.limit), args.header or None,
                       builtin_rules=not args.no_builtin_rules, explain=args.explain)
        tasks = _tasks(args.paths, opts, args.range_bytes, DEFAULT_BATCH_BYTES, DEFAULT_BATCH_FILES)
    except (CaromError, OSError, TypeError, ValueError) as exc:
        sys.stderr.write(f"carom: {exc}\n")
        return EXIT_USAGE
    cluster = None
    try:
        if args.scheduler:
            client = Client(args.scheduler)
        else:
            n = args.workers if args.workers > 0 else (os.cpu_count() or 1)
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address=None)
            client = Client(cluster)
        try:
            threads = sum(client.nthreads().values()) or 1
            window = args.window if args.window > 0 else 4 * threads
            any_error = _write_in_order(client, tasks, opts, sys.stdout.buffer, window)
        finally:
            client.close()
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the cluster failed: say so, never a silent partial output
        sys.stderr.write(f"carom: the run did not complete ({type(exc).__name__}: {exc}); the output is incomplete\n")
        return EXIT_FAILED
    finally:
        if cluster is not None:
            cluster.close()
    return EXIT_ERRORS if any_error else EXIT_OK


if __name__ == "__main__":
    # Run as the module carom.dask (not __main__), so that the functions the workers run are
    # importable there under that name.
    from carom.dask import main as _main

    sys.exit(_main())
