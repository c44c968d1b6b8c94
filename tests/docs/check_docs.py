#!/usr/bin/env python3
"""The docs check: what README.md and docs/*.md show works as shown.

    check_docs.py SOURCE_ROOT BUILD_ROOT        check the project's docs
    check_docs.py --self-test SOURCE_ROOT BUILD_ROOT
                                                plant broken docs and prove each is caught

Code blocks, by their fence's language:
- sh: run with bash (-e, pipefail) in a scratch folder whose entries link to the source tree's
  (so `$PWD/bindings/python` and `corpus/` resolve, and output files land in the scratch), with
  the built `carom` first on PATH. A block that cannot run here (it installs, starts a service,
  names a placeholder path, or is CI itself) is marked on the line before its fence:
      <!-- docs-check: excerpt: WHY -->
  and is not run; WHY must be said. Every `carom` / `carom-milter` command of any sh block, run
  or not, must name a real command and only options that command's help lists.
- python: run with the package of bindings/python and the built library, from the source root;
  an excerpt (marked the same way) is only compiled.
- c: a block with `int main` is compiled against include/ and the built library and run on a
  sample; any other c block must be marked as an excerpt.
- json: must parse (a block that starts with a key is read inside braces).
- a block that starts with `carom-rules 1`: `carom rules check` must accept it.
Links: every relative link target of a doc exists; a `#fragment` names a heading there.
Exit status 0 when all holds, 1 with one line per problem otherwise.
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

MARK = re.compile(r"<!--\s*docs-check:\s*excerpt:\s*(.*?)\s*-->")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
SAMPLE = "tests/python/data/dsn-two-recipients.eml"
CLI_NAMES = ("carom", "carom-milter")


class Block:
    def __init__(self, path, line, lang, text, excerpt):
        self.path, self.line, self.lang, self.text, self.excerpt = path, line, lang, text, excerpt

    def where(self, root):
        return f"{self.path.relative_to(root)}:{self.line}"


def blocks(path):
    """The fenced code blocks of a Markdown file, with the excerpt mark before each."""
    out, lines = [], path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].startswith("```"):
            i += 1
            continue
        lang = lines[i][3:].strip().split(" ")[0]
        prev = next((lines[k] for k in range(i - 1, -1, -1) if lines[k].strip()), "")
        m = MARK.search(prev)
        end = i + 1
        while end < len(lines) and not lines[end].startswith("```"):
            end += 1
        out.append(Block(path, i + 1, lang, "\n".join(lines[i + 1:end]) + "\n", m.group(1) if m else None))
        i = end + 1
    return out


def slug(heading):
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    s = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return s.replace(" ", "-")


def check_links(path, root, problems):
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # links inside code are not links
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue
        file_part, _, fragment = target.partition("#")
        dest = (path.parent / file_part).resolve() if file_part else path
        if not dest.exists():
            problems.append(f"{path.relative_to(root)}: link to {target}: no such file")
            continue
        if fragment and dest.suffix == ".md":
            anchors = {slug(h) for h in re.findall(r"^#+ (.*)$", dest.read_text(encoding="utf-8"), re.M)}
            if fragment not in anchors:
                problems.append(f"{path.relative_to(root)}: link to {target}: no such heading")


class Checker:
    def __init__(self, source, build, docs_root=None):
        self.source, self.build = Path(source).resolve(), Path(build).resolve()
        self.root = Path(docs_root).resolve() if docs_root else self.source
        self.cli = {n: self.build / "lib" / "cli" / n for n in CLI_NAMES}
        self.library = self.build / "lib"
        self.help = {}
        self.problems = []

    def env(self, **extra):
        env = dict(os.environ)
        env["PATH"] = f"{self.build / 'lib' / 'cli'}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}"
        env["PYTHONPATH"] = str(self.source / "bindings" / "python")
        env["CAROM_LIBRARY"] = str(self.library)
        env.update(extra)
        return env

    def doc_files(self):
        return [self.root / "README.md"] + sorted((self.root / "docs").glob("*.md"))

    def run(self):
        for path in self.doc_files():
            if not path.exists():
                continue
            check_links(path, self.root, self.problems)
            for b in blocks(path):
                self.check_block(b)
        return self.problems

    def fail(self, block, what):
        self.problems.append(f"{block.where(self.root)}: {what}")

    def check_block(self, b):
        if b.excerpt is not None and not b.excerpt:
            self.fail(b, "an excerpt mark must say why the block is not run")
        if b.text.startswith("carom-rules 1"):
            self.check_rules(b)
        elif b.lang == "sh":
            self.check_commands(b)
            if b.excerpt is None:
                self.run_sh(b)
        elif b.lang == "python":
            self.check_python(b)
        elif b.lang == "c":
            self.check_c(b)
        elif b.lang == "json":
            self.check_json(b)

    # --- sh ---------------------------------------------------------------------------------
    def help_of(self, name, sub):
        key = (name, sub)
        if key not in self.help:
            args = [str(self.cli[name]), "--help"] if name != "carom" else [str(self.cli[name]), "help"] + sub.split()
            r = subprocess.run(args, capture_output=True, text=True, timeout=30)
            self.help[key] = r.stdout + r.stderr if r.returncode == 0 else None
        return self.help[key]

    def check_commands(self, b):
        for line in logical_lines(b.text):
            for seg in re.split(r"\s(?:\|\||&&|\||;)\s", line):
                try:
                    words = shlex.split(seg, comments=True)
                except ValueError:
                    words = seg.split()
                while words and re.match(r"^[A-Za-z_]+=", words[0]):
                    words = words[1:]
                if not words or os.path.basename(words[0]) not in CLI_NAMES:
                    continue
                if not self.cli[os.path.basename(words[0])].exists():
                    continue  # carom-milter is built only with libmilter
                self.check_command(b, os.path.basename(words[0]), [w.strip("[]") for w in words[1:]])

    def check_command(self, b, name, args):
        sub = ""
        if name == "carom":
            positional = [a for a in args if not a.startswith("-")]
            sub = positional[0] if positional else ""
            if sub in ("COMMAND", ""):
                sub = ""
        text = self.help_of(name, sub)
        if text is None:
            self.fail(b, f"`{name} {sub}`: no such command (its help fails)")
            return
        for a in args:
            opt = a.split("=", 1)[0].rstrip(".")
            if opt.startswith("--") and len(opt) > 2 and not re.search(re.escape(opt) + r"(?![\w-])", text):
                self.fail(b, f"`{name} {sub}`: option {opt} is not in its help")

    def run_sh(self, b):
        with tempfile.TemporaryDirectory(prefix="docs-check-") as scratch:
            for entry in self.source.iterdir():
                if not entry.name.startswith("."):
                    os.symlink(entry, Path(scratch) / entry.name)
            r = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", b.text], cwd=scratch,
                               env=self.env(HOME=scratch), stdin=subprocess.DEVNULL, capture_output=True,
                               text=True, timeout=120)
            if r.returncode != 0:
                self.fail(b, f"sh block exits {r.returncode}: {r.stderr.strip()[-300:]}")

    # --- other languages --------------------------------------------------------------------
    def check_python(self, b):
        try:
            compile(b.text, b.where(self.root), "exec")
        except SyntaxError as e:
            self.fail(b, f"python does not compile: {e}")
            return
        if b.excerpt is not None:
            return
        r = subprocess.run([sys.executable, "-c", b.text], cwd=self.source, env=self.env(),
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            self.fail(b, f"python block exits {r.returncode}: {r.stderr.strip()[-300:]}")

    def check_c(self, b):
        if "int main" not in b.text:
            if b.excerpt is None:
                self.fail(b, "a C block without main must be marked as an excerpt")
            return
        if b.excerpt is not None:
            return
        with tempfile.TemporaryDirectory(prefix="docs-check-") as scratch:
            src, exe = Path(scratch) / "example.c", Path(scratch) / "example"
            src.write_text(b.text)
            cc = [os.environ.get("CC", "cc"), "-std=c99", "-Wall", "-Werror", "-I", str(self.source / "include"),
                  str(src), "-o", str(exe), "-L", str(self.library), "-lcarom", f"-Wl,-rpath,{self.library}"]
            r = subprocess.run(cc, capture_output=True, text=True, timeout=120)
            if r.returncode != 0:
                self.fail(b, f"C block does not compile: {r.stderr.strip()[-300:]}")
                return
            r = subprocess.run([str(exe), str(self.source / SAMPLE)], capture_output=True, text=True, timeout=60)
            if r.returncode != 0 or not r.stdout.strip():
                self.fail(b, f"C block exits {r.returncode} (output: {r.stdout.strip()[:100]!r})")

    def check_json(self, b):
        import json
        text = b.text.strip()
        try:
            json.loads("{" + text + "}" if text.startswith('"') else text)
        except ValueError as e:
            self.fail(b, f"json does not parse: {e}")

    def check_rules(self, b):
        with tempfile.TemporaryDirectory(prefix="docs-check-") as scratch:
            f = Path(scratch) / "example.rules"
            f.write_text(b.text)
            r = subprocess.run([str(self.cli["carom"]), "rules", "check", str(f)], capture_output=True, text=True,
                               timeout=60)
            if r.returncode != 0:
                self.fail(b, f"carom rules check refuses the rules: {(r.stdout + r.stderr).strip()[-300:]}")


def logical_lines(text):
    """Lines of a shell block with backslash continuations joined."""
    return text.replace("\\\n", " ").splitlines()


PLANTED = {
    "README.md": "# Demo\n\nSee [the guide](docs/guide.md) and [nothing](docs/missing.md).\n",
    "docs/guide.md": (
        "# Guide\n\n## Usage\n\nBack to [usage](#usage), to [nowhere](#no-such-part).\n\n"
        "```sh\nfalse\n```\n\n"
        "<!-- docs-check: excerpt: a placeholder path -->\n```sh\ncarom classify --no-such-flag /var/x\n```\n\n"
        "<!-- docs-check: excerpt:  -->\n```sh\ntrue\n```\n\n"
        "<!-- docs-check: excerpt: not run -->\n```sh\ncarom frobnicate x\n```\n\n"
        "```python\nraise SystemExit(3)\n```\n\n"
        "```c\ncarom_engine_free(engine);\n```\n\n"
        "```json\n{\"a\": 1,}\n```\n\n"
        "```\ncarom-rules 1\nrule broken\n  text (\n  reason userunknown\n```\n\n"
        "```sh\ncarom classify --format jsonl corpus/postfix > out.jsonl && test -s out.jsonl\n```\n"),
}
EXPECTED = [
    "README.md: link to docs/missing.md: no such file",
    "docs/guide.md: link to #no-such-part: no such heading",
    "docs/guide.md:7: sh block exits 1",
    "docs/guide.md:12: `carom classify`: option --no-such-flag is not in its help",
    "docs/guide.md:17: an excerpt mark must say why",
    "docs/guide.md:22: `carom frobnicate`: no such command",
    "docs/guide.md:26: python block exits 3",
    "docs/guide.md:30: a C block without main must be marked as an excerpt",
    "docs/guide.md:34: json does not parse",
    "docs/guide.md:38: carom rules check refuses the rules",
]


def self_test(source, build):
    """Plants one instance of each problem and checks that exactly those are reported."""
    with tempfile.TemporaryDirectory(prefix="docs-check-planted-") as root:
        for name, text in PLANTED.items():
            (Path(root) / name).parent.mkdir(parents=True, exist_ok=True)
            (Path(root) / name).write_text(text)
        problems = Checker(source, build, docs_root=root).run()
    missed = [e for e in EXPECTED if not any(p.startswith(e) for p in problems)]
    extra = [p for p in problems if not any(p.startswith(e) for e in EXPECTED)]
    for m in missed:
        print(f"not caught: {m}")
    for x in extra:
        print(f"reported though fine: {x}")
    return 1 if missed or extra else 0


def main(argv):
    if len(argv) == 4 and argv[1] == "--self-test":
        return self_test(argv[2], argv[3])
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    problems = Checker(argv[1], argv[2]).run()
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
