#!/usr/bin/env python3
"""Checks the structure of the built-in rule files and embeds them into builtin_rules.cc.

Usage: embed.py OUTPUT.cc TAXONOMY.cc VERSION-FILE RULES-FILE...

Checks (docs/rules-format.md): the version line, the syntax of every line, known keys, known
reasons (the names and aliases of lib/base/taxonomy.cc), duplicate ids across all files, a
"says" line, a reason and at least one condition per rule, and text/host patterns in lower case
(text is case-folded before matching). RE2 validity is checked by the library when an engine is
built (the unit tests build one). Any error fails the build with FILE:LINE:COLUMN: message.
"""
import os
import re
import sys

FORMAT_VERSION = 1
FIELDS = ("status", "reply", "text", "command", "host", "format", "action", "reporter", "category", "report")
KEYS = set(FIELDS) | {"says", "reason", "priority", "excludes", "tier"}
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
STATUS_RE = re.compile(r"^([245*])\.([0-9]{1,3}|\*)\.([0-9]{1,3}|\*)$")
REPLY_RE = re.compile(r"^[245][0-9xX][0-9xX]$")
COMMANDS = {"CONN", "HELO", "EHLO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "BDAT", "QUIT", "RSET", "NONE"}
ACTIONS = {"failed", "delayed", "delivered", "relayed", "expanded", "expired"}
REPORTS = {"feedback", "auto-reply", "challenge", "virusnotice", "delivered", "relayed", "expanded"}
CLASSES = {"hard", "soft", "block", "backscatter", "delayed", "delivered", "auto_reply", "feedback"}


class RulesError(Exception):
    pass


def reasons_from(taxonomy_path):
    text = open(taxonomy_path, encoding="utf-8").read()
    names = set(re.findall(r'\{CAROM_REASON_[A-Z_]+,\s*"([a-z_-]+)"', text))
    names |= set(re.findall(r'\{"([a-z_-]+)",\s*CAROM_REASON_', text))
    if len(names) < 20:
        raise RulesError(f"{taxonomy_path}: could not read the reason names")
    return names


def upper_outside_escapes(pattern):
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            nxt = pattern[i + 1] if i + 1 < len(pattern) else ""
            i += 2
            if nxt in ("p", "P", "x") and i < len(pattern) and pattern[i] == "{":
                j = pattern.find("}", i)
                i = len(pattern) if j < 0 else j + 1
            elif nxt in ("p", "P"):
                i += 1
            continue
        if pattern.startswith("(?P<", i):
            j = pattern.find(">", i)
            i = len(pattern) if j < 0 else j + 1
            continue
        if pattern.startswith("[:", i):
            j = pattern.find(":]", i)
            if j >= 0:
                i = j + 2
                continue
        if c.casefold() != c:
            return i
        i += 1
    return -1


def check_file(path, name, reasons, ids):
    count = 0
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()

    def fail(line, col, msg):
        raise RulesError(f"{name}:{line}:{col}: {msg}")

    if not lines:
        fail(1, 1, "empty file: the first line must be \"carom-rules 1\"")
    m = re.match(r"^carom-rules[ \t]+([0-9]+)[ \t]*$", lines[0])
    if not m:
        fail(1, 1, "the first line must declare the format version: \"carom-rules 1\"")
    if int(m.group(1)) != FORMAT_VERSION:
        fail(1, m.start(1) + 1, f"format version {m.group(1)} is not {FORMAT_VERSION}")
    cur = None

    def finish(rule):
        if not rule["says"]:
            fail(rule["line"], 1, f"rule {rule['id']} has no \"says\" line (what the MTA actually writes)")
        if "reason" not in rule["keys"]:
            fail(rule["line"], 1, f"rule {rule['id']} has no \"reason\"")
        if not any(k in rule["keys"] for k in FIELDS):
            fail(rule["line"], 1, f"rule {rule['id']} has no match condition")

    for n, raw in enumerate(lines[1:], start=2):
        line = raw.rstrip("\r")
        ctrl = re.search(r"[\x00-\x08\x0b-\x1f\x7f]", line)
        if ctrl:
            # A built-in file is plain text: a control byte is an editing accident (e.g. "\b" written
            # as a backspace), never a pattern.
            fail(n, ctrl.start() + 1, f"control character 0x{ord(ctrl.group()):02x} in a rule file")
        stripped = line.strip(" \t")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" \t"))
        parts = stripped.split(None, 1)
        key = parts[0]
        value = parts[1].strip(" \t") if len(parts) > 1 else ""
        vcol = line.find(value, indent + len(key)) + 1 if value else len(line) + 1
        if key == "default" and not indent:
            if cur:
                finish(cur)
                cur = None
            if not re.match(r"^priority[ \t]+[0-9]{1,3}$", value):
                fail(n, vcol, "expected \"default priority N\" (N from 0 to 999)")
            continue
        if key == "class" and not indent:
            if cur:
                finish(cur)
                cur = None
            words = value.split()
            if not words or words[0] not in CLASSES:
                fail(n, vcol, f"unknown class \"{words[0] if words else ''}\"")
            if len(words) < 2:
                fail(n, vcol, "\"class\" needs a class and one or more reason names")
            for w in words[1:]:
                if w.lower() not in reasons:
                    fail(n, vcol, f"unknown reason \"{w}\"")
            continue
        if key in ("precedence", "outcome", "transient") and not indent:
            if cur:
                finish(cur)
                cur = None
            names = value.lower().split()
            if not names:
                fail(n, vcol, f"\"{key}\" needs one or more reason names")
            for w in names:
                if w not in reasons:
                    fail(n, vcol, f"unknown reason \"{w}\"")
            if len(set(names)) != len(names):
                fail(n, vcol, f"a reason named twice in \"{key}\"")
            if key == "transient" and len(names) < 2:
                fail(n, vcol, "\"transient\" needs the reason of giving up, then the troubles it outranks")
            continue
        if key == "rule":
            if indent:
                fail(n, indent + 1, "\"rule\" must start at the beginning of the line")
            if cur:
                finish(cur)
            if not ID_RE.match(value):
                fail(n, vcol, f"bad rule id {value!r}")
            if value in ids:
                fail(n, vcol, f"duplicate rule id {value} (also at {ids[value]})")
            ids[value] = f"{name}:{n}"
            cur = {"id": value, "line": n, "says": 0, "keys": set()}
            count += 1
            continue
        if cur is None:
            fail(n, indent + 1, f"\"{key}\" outside a rule")
        if not indent:
            fail(n, 1, "a rule's lines must be indented")
        if key not in KEYS:
            fail(n, indent + 1, f"unknown key \"{key}\"")
        if not value:
            fail(n, indent + 1, f"\"{key}\" needs a value")
        if key == "says":
            cur["says"] += 1
            continue
        if key in cur["keys"]:
            fail(n, indent + 1, f"duplicate \"{key}\" in rule {cur['id']}")
        cur["keys"].add(key)
        if key == "tier":
            if value != "provider":
                fail(n, vcol, "\"tier\" takes one value: provider")
        elif key == "excludes":
            for w in value.lower().split():
                if w not in reasons:
                    fail(n, vcol, f"unknown reason \"{w}\"")
        elif key == "reason":
            if value.lower() not in reasons:
                fail(n, vcol, f"unknown reason \"{value}\"")
        elif key == "priority":
            if not re.match(r"^[0-9]{1,3}$", value):
                fail(n, vcol, "\"priority\" must be a number from 0 to 999")
        elif key == "status":
            for w in value.split():
                if not STATUS_RE.match(w):
                    fail(n, vcol, f"bad status code pattern \"{w}\"")
        elif key == "reply":
            for w in value.split():
                if not REPLY_RE.match(w):
                    fail(n, vcol, f"bad reply code pattern \"{w}\"")
        elif key == "command":
            for w in value.split():
                if w.upper() not in COMMANDS:
                    fail(n, vcol, f"unknown SMTP command \"{w}\"")
        elif key == "report":
            for w in value.split():
                if w.lower() not in REPORTS:
                    fail(n, vcol, f"unknown report \"{w}\"")
        elif key == "action":
            for w in value.split():
                if w.lower() not in ACTIONS:
                    fail(n, vcol, f"unknown action \"{w}\"")
        elif key in ("text", "host", "reporter"):
            bad = upper_outside_escapes(value)
            if bad >= 0:
                fail(n, vcol + bad, "pattern has a letter that case folding changes: write it in lower case")
            # "\b" before a literal non-word character only matches after a letter or digit
            # ("\b\[tss" never matches " [tss"): almost always a mistake.
            nb = re.search(r"\\b(\\[\[(.\-]|[<>#/\-:;,'\" \[])", value)
            if nb:
                fail(n, vcol + nb.start(), "\\b before a non-word character: it can only match after a letter or digit")
    if cur:
        finish(cur)
    return count


def c_lines(text):
    # One literal per line (no literal beyond the length ISO C++ guarantees).
    out = []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for line in lines:
        esc = line.replace("\\", "\\\\").replace('"', '\\"').replace("??", "?\\?")
        out.append('    "' + esc + '\\n",')
    return "\n".join(out)


def main(argv):
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    output, taxonomy, version_file = argv[1], argv[2], argv[3]
    files = argv[4:]
    try:
        reasons = reasons_from(taxonomy)
        version = open(version_file, encoding="utf-8").read().strip()
        if not re.match(r"^[0-9A-Za-z.+-]{1,32}$", version):
            raise RulesError(f"{version_file}:1:1: bad version string")
        ids = {}
        total = 0
        for path in files:
            total += check_file(path, os.path.basename(path), reasons, ids)
    except RulesError as e:
        print(f"embed.py: {e}", file=sys.stderr)
        return 1
    names = [os.path.basename(p) for p in files]
    body = [
        "// Generated by lib/rules/embed.py from " + ", ".join("lib/rules/data/" + n for n in names) + ".",
        "// Do not edit: edit the .rules files instead.",
        f"// {total} rules, rule set version {version}.",
        "#include <cstddef>",
        "#include <string>",
        "",
        "#include \"rules/builtin.hh\"",
        "",
        "namespace carom::rules {",
        "",
        "namespace {",
    ]
    for i, path in enumerate(files):
        text = open(path, encoding="utf-8").read()
        body.append(f"// generated from lib/rules/data/{names[i]}")
        body.append(f"const char *const kFile{i}[] = {{")
        body.append(c_lines(text))
        body.append("};")
    body.append("template <std::size_t N>")
    body.append("std::string join(const char *const (&lines)[N]) {")
    body.append("    std::string s;")
    body.append("    for (const char *l : lines) s += l;")
    body.append("    return s;")
    body.append("}")
    body.append("}  // namespace")
    body.append("")
    body.append("std::vector<Source> builtin_sources() {")
    body.append("    std::vector<Source> v;")
    for i, n in enumerate(names):
        body.append(f'    v.push_back(Source{{"builtin:{n}", join(kFile{i})}});')
    body.append("    return v;")
    body.append("}")
    body.append("")
    body.append(f'const char *builtin_version() {{ return "{version}"; }}')
    body.append("")
    body.append("}  // namespace carom::rules")
    data = "\n".join(body) + "\n"
    tmp = output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(data)
    os.replace(tmp, output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
