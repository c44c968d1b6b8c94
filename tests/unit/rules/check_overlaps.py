#!/usr/bin/env python3
"""Finds rule alternatives that cannot be right: the same words in two rules, and words that
another rule always takes with another reason.

For every built-in rule whose only condition is `text` (read from `carom rules list`), each
top-level alternative of its pattern is turned into the shortest text it matches (Python's
regular-expression parser builds it; an alternative Python cannot parse or whose text the whole
pattern does not match is passed over and counted). Then:
  * an alternative written the same way in two rules is reported (with two reasons one of them
    can never win; with one reason it is a copy);
  * each text goes through `carom classify --explain` as the diagnostic of a plain RFC 3464 report
    (Status 5.0.0, no reply code, no SMTP command): if the rule matches but a rule with another
    reason decides, the alternative never decides on its own words, and is reported.

Usage: check_overlaps.py CAROM
Exit 0 when nothing is reported, 1 otherwise, 77 when Python's parser module is missing.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

try:
    import re._parser as sre  # Python 3.11+
    from re import _constants as C
except ImportError:  # older Pythons
    try:
        import sre_parse as sre
        import sre_constants as C
    except ImportError:
        sys.exit(77)


def rules_of(carom):
    """The built-in rules as the library reads them (`carom rules list`), in file order."""
    proc = subprocess.run([carom, "rules", "list"], capture_output=True, text=True, check=True)
    rules = [json.loads(l) for l in proc.stdout.splitlines() if l.strip()]
    return sorted((r for r in rules if "id" in r), key=lambda r: (r["file"], r["line"]))


def alternatives(pattern):
    """Top-level alternatives of a pattern (outside groups and classes)."""
    alts, depth, cls, start, i = [], 0, False, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if cls:
            if c == "]":
                cls = False
        elif c == "[":
            cls = True
            if pattern[i + 1:i + 2] == "]":
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            alts.append(pattern[start:i])
            start = i + 1
        i += 1
    alts.append(pattern[start:])
    return alts


def shortest(items):
    s = []
    for op, av in items:
        if op == C.LITERAL:
            s.append(chr(av))
        elif op in (C.NOT_LITERAL, C.ANY):
            s.append("q")
        elif op == C.IN:
            s.append(first_of_class(av))
        elif op == C.BRANCH:
            s.append(shortest(av[1][0]))
        elif op == C.SUBPATTERN:
            s.append(shortest(av[-1]))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            lo, _, sub = av
            s.append(shortest(sub) * lo)
        elif op in (C.AT,):
            pass
        elif op == C.CATEGORY:
            s.append(category(av))
        else:
            raise ValueError(op)
    return "".join(s)


def category(av):
    name = str(av)
    if "DIGIT" in name and "NOT" not in name:
        return "0"
    if "SPACE" in name and "NOT" not in name:
        return " "
    return "a"


def first_of_class(items):
    if items and items[0][0] == C.NEGATE:
        banned = {chr(v) for op, v in items[1:] if op == C.LITERAL}
        return next(c for c in "qxz0 " if c not in banned)
    op, av = items[0]
    if op == C.LITERAL:
        return chr(av)
    if op == C.RANGE:
        return chr(av[0])
    if op == C.CATEGORY:
        return category(av)
    raise ValueError(op)


def normalised(text):
    return " ".join(text.split())


def report(diag):
    return ("From: MAILER-DAEMON@reporter.example\nTo: sender@example.com\nSubject: Delivery Status Notification\n"
            "Date: Mon, 07 Dec 2026 10:00:00 +0000\nMIME-Version: 1.0\n"
            'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
            "--b\nContent-Type: text/plain\n\nDelivery to user@dest.example failed.\n\n"
            "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; reporter.example\n\n"
            "Final-Recipient: rfc822; user@dest.example\nAction: failed\nStatus: 5.0.0\n"
            f"Diagnostic-Code: smtp; {diag}\n\n--b--\n")


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    carom = argv[1]
    rules = rules_of(carom)
    reason = {r["id"]: r["reason"] for r in rules}
    problems, skipped, probes = [], 0, []
    seen = {}
    for r in rules:
        # Only text conditions, words as evidence (not "text .", not a provider's marker).
        if set(r["conditions"]) != {"text"} or r["tier"] != "text":
            continue
        whole = r["conditions"]["text"]
        for alt in alternatives(whole):
            key = alt.strip()
            if key in seen and seen[key][0] != r["id"]:
                other = seen[key]
                problems.append(f"{r['id']} ({reason[r['id']]}) and {other[0]} ({other[1]}) both have the words /{key}/")
            seen.setdefault(key, (r["id"], reason[r["id"]]))
            try:
                text = normalised(shortest(sre.parse(alt)))
                ok = bool(text) and re.search(whole, text) is not None
            except (ValueError, re.error, StopIteration, IndexError, OverflowError, TypeError):
                ok = False
            if not ok:
                skipped += 1
                continue
            probes.append((r["id"], alt, text))
    with tempfile.TemporaryDirectory() as tmp:
        mbox = os.path.join(tmp, "probes.mbox")
        with open(mbox, "w", encoding="utf-8") as f:
            for _, _, text in probes:
                f.write("From MAILER-DAEMON Mon Dec  7 10:00:00 2026\n" + report(text) + "\n")
        proc = subprocess.run([carom, "classify", "--explain", "--no-backscatter", "--no-progress", mbox],
                              capture_output=True, text=True)
    out = [json.loads(l) for l in proc.stdout.splitlines() if l.strip()]
    if len(out) != len(probes):
        print(f"carom wrote {len(out)} objects for {len(probes)} probes: {proc.stderr[-400:]}")
        return 1
    for (rid, alt, text), o in zip(probes, out):
        recs = o.get("records") or []
        if not recs:
            problems.append(f"{rid}: /{alt}/ -> '{text}' gives no record")
            continue
        rec = recs[0]
        hits = rec.get("hits") or []
        if rid in hits and rec.get("rule") != rid and rec.get("reason") != reason[rid]:
            problems.append(f"{rid} ({reason[rid]}): /{alt}/ never decides: '{text}' goes to {rec.get('rule')} "
                            f"({rec.get('reason')})")
    for p in problems:
        print(p)
    print(f"{len(probes)} alternatives probed, {skipped} passed over (not parsed here), {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
