"""Reads the function declarations of include/carom.h (shared by the abi checks)."""
import re


def strip_comments_and_preprocessor(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r"\\\n", " ", text)  # line continuations of macros
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def declarations(path):
    """Returns [(name, statement)] for every function declared in the header."""
    text = strip_comments_and_preprocessor(open(path, encoding="utf-8").read())
    text = text.replace('extern "C" {', " ").replace("extern \"C\"", " ")
    out = []
    # Statements end at ';'. Enum and struct bodies contain no '(' after comment removal, and a
    # typedef of a function pointer is not a declaration of a function.
    for stmt in text.split(";"):
        stmt = " ".join(stmt.replace("{", " { ").replace("}", " } ").split())
        if "}" in stmt:
            stmt = stmt[stmt.rindex("}") + 1:].strip()
        if "(" not in stmt or stmt.startswith("typedef"):
            continue
        m = re.match(r"^(.*?)\b([A-Za-z_]\w*)\s*\(", stmt)
        if m:
            out.append((m.group(2), stmt))
    return out
