"""``python3 -m carom``: the CLI's commands over the Python binding.

    python3 -m carom classify [--format jsonl|summary|pretty] [--rules FILE]... [--no-builtin-rules]
                              [--context FILE.json] [--limit NAME=VALUE]... [--header NAME]...
                              [--explain] [--workers N] PATH...
    python3 -m carom explain [OPTIONS] PATH...      (classify --explain --format pretty)
    python3 -m carom rules list [--rules FILE]... [--no-builtin-rules]
    python3 -m carom limits
    python3 -m carom version

PATH arguments are read as ``carom classify`` reads them (see carom._sources: files, directories,
Maildirs, mbox files, ``-``), and ``--format jsonl`` writes, byte for byte, what ``carom classify
--format jsonl`` writes: one JSON object per message, also for a message that cannot be read
(error code "io", or "too_large" before reading it whole). ``summary`` prints the CLI's counts
table. Exit status: 0 when every message was classified, 1 when some gave an error record, 2 on
usage or configuration errors.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from typing import Counter, Deque, Dict, Iterator, List, NoReturn, Optional, Sequence, Tuple

from . import CaromError, Engine, __version__, library_path, library_version, limit_bounds
from ._engine import _limit_name
from ._ffi import lib
from ._result import Result
from ._sources import Data, path_messages

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: {message}\n")
        sys.exit(EXIT_USAGE)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python3 -m carom", description="Classify bounce emails with carom.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    def engine_options(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--rules", action="append", default=[], metavar="FILE",
                        help="add a rule file (repeatable; later files take precedence)")
        sp.add_argument("--no-builtin-rules", action="store_true", help="use only the --rules files")
        sp.add_argument("--context", metavar="FILE", help="backscatter context (JSON file)")
        sp.add_argument("--limit", action="append", default=[], metavar="NAME=VALUE",
                        help="set a limit (repeatable; VALUE may end in k, M or G)")
        sp.add_argument("--header", action="append", default=[], metavar="NAME",
                        help="report this header of the returned original (repeatable)")

    for name in ("classify", "explain"):
        c = sub.add_parser(name, help="classify messages" if name == "classify" else "classify, every rule shown")
        engine_options(c)
        c.add_argument("--format", choices=("jsonl", "summary", "pretty"),
                       default="jsonl" if name == "classify" else "pretty")
        c.add_argument("--explain", action="store_true", help="list every rule that matched each record")
        c.add_argument("--workers", type=int, default=1, metavar="N", help="classify in N threads")
        c.add_argument("--progress", action="store_true", help="accepted for compatibility; no effect")
        c.add_argument("--no-progress", action="store_true", help="accepted for compatibility; no effect")
        c.add_argument("paths", nargs="+", metavar="PATH")

    r = sub.add_parser("rules", help="inspect the rule set")
    r.add_argument("action", choices=("list",))
    engine_options(r)

    sub.add_parser("limits", help="print every limit with its bounds and default")
    sub.add_parser("version", help="print versions")
    return p


def _limit_value(text: str) -> int:
    shifts = {"k": 10, "m": 20, "g": 30}
    shift = shifts.get(text[-1:].lower(), 0)
    digits = text[:-1] if shift else text
    if not digits.isdigit():
        raise ValueError(text)
    return int(digits) << shift


def _engine(args: argparse.Namespace) -> Engine:
    limits: Dict[str, int] = {}
    for item in args.limit:
        name, sep, value = item.partition("=")
        try:
            limits[name.strip()] = _limit_value(value.strip())
        except ValueError:
            raise TypeError(f"--limit wants NAME=VALUE with a non-negative integer, not {item!r}") from None
        if not sep:
            raise TypeError(f"--limit wants NAME=VALUE, not {item!r}")
    return Engine(rules=args.rules or None, context=args.context, limits=limits or None,
                  headers=args.header or None, builtin_rules=not args.no_builtin_rules)


def _human_bytes(b: float) -> str:
    if b >= 1e9:
        return f"{b / 1e9:.2f} GB"
    if b >= 1e6:
        return f"{b / 1e6:.2f} MB"
    if b >= 1e3:
        return f"{b / 1e3:.1f} kB"
    return f"{b:.0f} B"


class _Summary:
    """The CLI's --format summary table."""

    def __init__(self) -> None:
        self.messages = self.bounces = self.not_bounces = self.errors = self.records = self.bytes = 0
        self.classes: Counter[str] = collections.Counter()
        self.reasons: Counter[str] = collections.Counter()
        self.formats: Counter[str] = collections.Counter()
        self.error_codes: Counter[str] = collections.Counter()

    def add(self, result: Result, size: int) -> None:
        self.messages += 1
        self.bytes += size
        if result.error is not None:
            self.errors += 1
            self.error_codes[result.error.code or "unknown"] += 1
            return
        self.records += len(result.records)
        if result.records:
            self.bounces += 1
        else:
            self.not_bounces += 1
        self.formats[result.format or "(none)"] += 1
        for rec in result.records:
            self.classes[rec.class_name or "(none)"] += 1
            self.reasons[rec.reason_name or "(none)"] += 1

    def text(self, seconds: float) -> str:
        out: List[str] = []
        for name, v in (("messages", self.messages), ("  bounces", self.bounces),
                        ("  not bounces", self.not_bounces), ("  errors", self.errors), ("records", self.records)):
            out.append(f"{name:<22} {v:>10}")
        s = max(seconds, 1e-9)
        out.append(f"{'bytes read':<22} {_human_bytes(self.bytes):>10}")
        out.append(f"{'elapsed':<22} {seconds:>10.3f} s")
        out.append(f"{'throughput':<22} {self.messages / s:>10.0f} messages/s, {self.bytes / s / 1e6:.2f} MB/s")
        for title, counts, total in (("class", self.classes, self.records), ("reason", self.reasons, self.records),
                                     ("format", self.formats, self.bounces + self.not_bounces),
                                     ("error", self.error_codes, self.messages)):
            out.append("")
            out.append(f"{title:<22} {'count':>10} {'share':>7}")
            if not counts:
                out.append("  (none)")
                continue
            # Descending count, ties in name order (the CLI's stable sort of a std::map).
            for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].encode())):
                share = 100.0 * n / total if total else 0.0
                out.append(f"  {key:<20} {n:>10} {share:>6.1f}%")
        return "\n".join(out) + "\n"


def _classify(args: argparse.Namespace, engine: Engine) -> int:
    out = sys.stdout.buffer
    summary = _Summary()
    any_error = False
    first = True
    sizes: Deque[int] = collections.deque()  # input sizes, in input order, for the summary
    start = time.perf_counter()

    def inputs() -> Iterator[Tuple[str, Data]]:
        for path in args.paths:
            for source, data in path_messages(path, errors="yield", limit=engine.limits["message_bytes"]):
                sizes.append(len(data) if isinstance(data, bytes) else getattr(data, "size", 0))
                yield source, data

    explain = args.explain or args.command == "explain"
    for result in engine.classify_many(inputs(), workers=args.workers, explain=explain):
        if result.error is not None:
            any_error = True
        summary.add(result, sizes.popleft())
        if args.format == "jsonl":
            out.write(result.to_json().encode("utf-8") + b"\n")
        elif args.format == "pretty":
            if not first:
                out.write(b"\n")
            first = False
            out.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False).encode("utf-8") + b"\n")
    if args.format == "summary":
        out.write(summary.text(time.perf_counter() - start).encode("utf-8"))
    out.flush()
    return EXIT_ERRORS if any_error else EXIT_OK


def _limits() -> int:
    for i in range(lib.carom_limit_count()):
        name = _limit_name(i)
        lo, hi, default = limit_bounds(i)
        print(f"{name:<20} default {default:<12} min {lo:<12} max {hi}")
    return EXIT_OK


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "version":
        print(f"carom {library_version()} (library {library_path}; python binding {__version__})")
        return EXIT_OK
    if args.command == "limits":
        return _limits()
    try:
        engine = _engine(args)
    except (CaromError, OSError, TypeError) as exc:
        sys.stderr.write(f"carom: {exc}\n")
        return EXIT_USAGE
    with engine:
        if args.command == "rules":
            for rule in engine.rules():
                sys.stdout.write(json.dumps(rule) + "\n")
            return EXIT_OK
        try:
            return _classify(args, engine)
        except BrokenPipeError:  # `python3 -m carom classify ... | head`
            return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
