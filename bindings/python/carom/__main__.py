"""``python3 -m carom``: the CLI's commands over the Python binding.

    python3 -m carom classify [--format jsonl|summary] [--rules FILE]... [--no-builtin-rules]
                              [--context FILE.json] [--limit NAME=VALUE]... [--header NAME]...
                              [--explain] [--workers N] PATH...
    python3 -m carom rules list [--rules FILE]... [--no-builtin-rules]
    python3 -m carom version

Each PATH is a message file, a directory (its files, sorted), an mbox, a Maildir, or ``-``
(standard input). ``--format jsonl`` writes one JSON object per message, byte for byte what
``carom classify --format jsonl`` writes; ``summary`` a table of counts. Exit status: 0 when every
message was classified, 1 when some message could not be read (an error record, or a file that
could not be opened), 2 on usage or configuration errors.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from typing import Counter, Dict, List, Optional, Sequence

from . import CaromError, Engine, __version__, library_path, library_version
from ._sources import path_messages


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python3 -m carom", description="Classify bounce emails with carom.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    def engine_options(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--rules", action="append", default=[], metavar="FILE", help="add a rule file")
        sp.add_argument("--no-builtin-rules", action="store_true", help="use only the --rules files")
        sp.add_argument("--context", metavar="FILE", help="backscatter context (JSON file)")
        sp.add_argument("--limit", action="append", default=[], metavar="NAME=VALUE", help="set a limit")
        sp.add_argument("--header", action="append", default=[], metavar="NAME",
                        help="report this header of the returned original")

    c = sub.add_parser("classify", help="classify messages")
    engine_options(c)
    c.add_argument("--format", choices=("jsonl", "summary"), default="jsonl")
    c.add_argument("--explain", action="store_true", help="keep every rule that matched")
    c.add_argument("--workers", type=int, default=1, metavar="N", help="classify in N threads")
    c.add_argument("paths", nargs="+", metavar="PATH")

    r = sub.add_parser("rules", help="inspect the rule set")
    r.add_argument("action", choices=("list",))
    engine_options(r)

    sub.add_parser("version", help="print versions")
    return p


def _engine(args: argparse.Namespace) -> Engine:
    limits: Dict[str, int] = {}
    for item in args.limit:
        name, sep, value = item.partition("=")
        if not sep or not value.strip().isdigit():
            raise TypeError(f"--limit wants NAME=VALUE with a non-negative integer, not {item!r}")
        limits[name.strip()] = int(value)
    return Engine(rules=args.rules or None, context=args.context, limits=limits or None,
                  headers=args.header or None, builtin_rules=not args.no_builtin_rules)


def _classify(args: argparse.Namespace, engine: Engine) -> int:
    out = sys.stdout.buffer
    failures = 0
    messages = 0
    records = 0
    bounces = 0
    by_class: Counter[str] = collections.Counter()
    by_reason: Counter[str] = collections.Counter()
    errors: Counter[str] = collections.Counter()

    def inputs():
        nonlocal failures
        for path in args.paths:
            try:
                yield from path_messages(path)
            except OSError as exc:
                failures += 1
                sys.stderr.write(f"carom: {path}: {exc.strerror or exc}\n")

    for result in engine.classify_many(inputs(), workers=args.workers, explain=args.explain):
        messages += 1
        if result.error is not None:
            failures += 1
            errors[result.error.code] += 1
        if result.records:
            bounces += 1
        for rec in result.records:
            records += 1
            by_class[rec.class_name or "none"] += 1
            by_reason[rec.reason_name or "undefined"] += 1
        if args.format == "jsonl":
            out.write(result.to_json().encode("utf-8") + b"\n")
    if args.format == "summary":
        lines: List[str] = [
            f"{'messages':<16}{messages:>8}",
            f"{'bounces':<16}{bounces:>8}",
            f"{'records':<16}{records:>8}",
            f"{'errors':<16}{sum(errors.values()):>8}",
        ]
        for title, counter in (("class", by_class), ("reason", by_reason), ("error", errors)):
            if counter:
                lines.append("")
                lines.append(f"{title:<16}{'count':>8}")
                for name, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
                    lines.append(f"{name:<16}{n:>8}")
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
    out.flush()
    return 1 if failures else 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "version":
        print(f"carom {library_version()} (library {library_path}; python binding {__version__})")
        return 0
    try:
        engine = _engine(args)
    except (CaromError, OSError, TypeError) as exc:
        sys.stderr.write(f"carom: {exc}\n")
        return 2
    with engine:
        if args.command == "rules":
            for rule in engine.rules():
                sys.stdout.write(json.dumps(rule) + "\n")
            return 0
        try:
            return _classify(args, engine)
        except BrokenPipeError:  # `python3 -m carom classify ... | head`
            return 0


if __name__ == "__main__":
    sys.exit(main())
