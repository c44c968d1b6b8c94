#!/usr/bin/env python3
"""Every extern "C" definition runs its body through carom::guard / carom::guard_value, so that
no exception crosses the C ABI. A definition may instead be a single `return carom_X(...)` that
forwards to another definition of the same file that is guarded.

Usage: check_guard.py lib/capi/carom_api.cc [more .cc files]
"""
import re
import sys


def strip(text):
    text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    # blank out string and char literals (keeping their length) so braces inside do not count
    text = re.sub(r'"(?:\\.|[^"\\\n])*"', lambda m: '"' + " " * (len(m.group(0)) - 2) + '"', text)
    text = re.sub(r"'(?:\\.|[^'\\\n])'", "' '", text)
    return text


def matching(text, i):
    """Index of the brace closing the one at text[i]."""
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    raise ValueError("unbalanced braces")


def definitions(path):
    raw = open(path, encoding="utf-8").read()
    text = strip(raw)
    found = []
    for m in re.finditer(r'extern\s+"\s*"\s*\{', text):  # literal blanked: extern "C" {
        start = m.end() - 1
        end = matching(text, start)
        block = text[start + 1:end]
        i = 0
        while True:
            d = re.search(r"\b(carom_\w+)\s*\(", block[i:])
            if not d:
                break
            name = d.group(1)
            # the parameter list, then either ';' (a declaration) or '{' (a definition)
            p = i + d.end() - 1
            depth = 0
            for k in range(p, len(block)):
                if block[k] == "(":
                    depth += 1
                elif block[k] == ")":
                    depth -= 1
                    if depth == 0:
                        break
            rest = block[k + 1:].lstrip()
            if rest.startswith("{"):
                b = k + 1 + (len(block[k + 1:]) - len(rest))
                e = matching(block, b)
                found.append((name, block[b:e + 1]))
                i = e + 1
            else:
                i = k + 1
    return found


def main(paths):
    problems, count = [], 0
    for path in paths:
        defs = definitions(path)
        guarded = {n for n, body in defs if re.search(r"\bguard(_value)?\s*(<[^>]*>)?\s*\(", body)}
        for name, body in defs:
            count += 1
            if name in guarded:
                continue
            fwd = re.fullmatch(r"\{\s*return\s+(carom_\w+)\s*\([^;]*\)\s*;\s*\}", body.strip(), re.S)
            if fwd and fwd.group(1) in guarded:
                continue
            problems.append(f"{path}: extern \"C\" {name} does not run through guard()/guard_value()")
        if not defs:
            problems.append(f"{path}: no extern \"C\" definitions found (is the parser broken?)")
    for p in problems:
        print("FAIL:", p)
    print(f"{count} extern \"C\" definitions checked")
    print(f"{count - len(problems) if count >= len(problems) else 0} passed, {len(problems)} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
