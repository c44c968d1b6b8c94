#!/usr/bin/env python3
"""Nothing lost: N messages in, exactly N JSON objects out, in order, whatever the messages are.

tests/cli/test_cli.py covers the ordinary shapes (files, directories, Maildir, mbox quoting,
stdin, 3000 messages). This file adds the hostile contents in every container: empty, truncated,
binary, not an email, 100 MB (generated at test time under the build directory, never
committed), each as a file, inside an mbox (with `>From ` quoting around them), inside a
Maildir and on stdin. Each case asserts the exact count and the sources.

usage: test_nothing_lost.py CAROM WORKDIR
"""
import json
import os
import random
import shutil
import subprocess
import sys
import unittest

CAROM = WORKDIR = None
BIG = 100 * 1024 * 1024

BOUNCE = (
    "From: MAILER-DAEMON@mx.example.net\nTo: sender@example.com\n"
    "Subject: Undelivered Mail Returned to Sender\n\n"
    "This is the mail system at host mx.example.net.\n\n"
    "<nobody@example.org>: host in.example.org said: 550 5.1.1 <nobody@example.org>: user unknown"
    " (in reply to RCPT TO command)\n"
)


def quoted_body():
    return ">From the quoted line\n>>From twice quoted\nFrom the desk of nobody (not a separator)\n"


def contents():
    """The hostile messages, by name (all bytes)."""
    rnd = random.Random(9)
    return {
        "bounce": BOUNCE.encode(),
        "empty": b"",
        "truncated": BOUNCE.encode()[: len(BOUNCE) // 3],  # cut in the middle of a header
        "truncated-header-only": b"From: MAILER-DAEMON@example.net\nSubj",
        "binary": bytes(rnd.getrandbits(8) for _ in range(4096)),
        "nul-and-controls": b"\x00\x01\x02From: x\x00\n\n\xff\xfe\x00",
        "not-email": b"just some words, no header block at all\nand a second line\n",
        "crlf-bounce": BOUNCE.replace("\n", "\r\n").encode(),
        "cr-only": BOUNCE.replace("\n", "\r").encode(),
    }


def run(args, stdin=None):
    proc = subprocess.run([CAROM] + args, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=600)
    lines = proc.stdout.split(b"\n")
    assert lines[-1] == b"", "output does not end with a newline"
    objs = [json.loads(line) for line in lines[:-1]]
    return proc.returncode, objs, proc.stderr.decode("utf-8", "replace")


def big_message(path):
    """A 100 MB message: a bounce whose returned original carries a huge text attachment."""
    line = b"z" * 99 + b"\n"
    with open(path, "wb") as f:
        f.write(BOUNCE.encode() + b"\n")
        left = BIG - len(BOUNCE) - 1
        block = line * 10000
        while left >= len(block):
            f.write(block)
            left -= len(block)
        f.write(b"y" * left)
    return path


class NothingLost(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = os.path.join(WORKDIR, "nothing-lost")
        shutil.rmtree(cls.dir, ignore_errors=True)
        os.makedirs(cls.dir)
        cls.big = big_message(os.path.join(cls.dir, "big.eml"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def write(self, rel, data):
        path = os.path.join(self.dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def assertSources(self, objs, sources):
        self.assertEqual([o.get("source") for o in objs], sources)
        for o in objs:
            for key in ("source", "format", "records", "original", "backscatter", "error"):
                self.assertIn(key, o)

    def test_files(self):
        paths = [self.write(f"files/{name}.eml", data) for name, data in contents().items()]
        paths.append(self.big)
        paths.append(paths[0])  # a path given twice is read twice
        rc, objs, err = run(["classify"] + paths)
        self.assertSources(objs, paths)
        self.assertEqual(rc, 1, err)  # some are errors
        by = {o["source"]: o for o in objs}
        self.assertEqual(by[self.big]["error"]["code"], "too_large")
        self.assertEqual(by[paths[0]]["records"][0]["recipient"], "nobody@example.org")

    def test_big_message_within_a_raised_limit(self):
        rc, objs, err = run(["classify", "--limit", "message_bytes=200M", self.big])
        self.assertSources(objs, [self.big])
        self.assertIsNone(objs[0]["error"], err)
        self.assertEqual(len(objs[0]["records"]), 1)

    def test_mbox(self):
        # Each hostile message between two quoted ones; the mbox itself ends without a newline.
        parts, offsets, pos = [], [], 0
        items = list(contents().items())
        for i, (name, data) in enumerate(items):
            for chunk in (b"From sender@example.com Mon Jan  1 00:00:00 2024\n" + BOUNCE.encode() + quoted_body().encode() + b"\n",
                          b"From sender@example.com Mon Jan  1 00:00:01 2024\n" + data.replace(b"\nFrom ", b"\n>From ") + b"\n"):
                offsets.append(pos)
                parts.append(chunk)
                pos += len(chunk)
        data = b"".join(parts)[:-1]
        p = self.write("inbox.mbox", data)
        rc, objs, err = run(["classify", p])
        self.assertSources(objs, [f"{p}:{o}" for o in offsets])
        # The same on stdin.
        rc, objs, err = run(["classify", "-"], stdin=data)
        self.assertSources(objs, [f"-:{o}" for o in offsets])

    def test_mbox_with_a_100mb_message(self):
        p = os.path.join(self.dir, "big.mbox")
        head = b"From sender@example.com Mon Jan  1 00:00:00 2024\n" + BOUNCE.encode() + b"\n"
        sep = b"From sender@example.com Mon Jan  1 00:00:01 2024\n"
        with open(p, "wb") as f, open(self.big, "rb") as big:
            f.write(head + sep)
            shutil.copyfileobj(big, f, 1 << 20)
            f.write(b"\n" + sep + BOUNCE.encode())
        size = os.path.getsize(self.big)
        offsets = [0, len(head), len(head) + len(sep) + size + 1]
        rc, objs, err = run(["classify", p])
        self.assertSources(objs, [f"{p}:{o}" for o in offsets])
        self.assertEqual([o["error"]["code"] if o["error"] else None for o in objs], [None, "too_large", None])
        os.remove(p)

    def test_maildir(self):
        md = os.path.join(self.dir, "Maildir")
        names = []
        for i, (name, data) in enumerate(contents().items()):
            sub = "cur" if i % 2 else "new"
            rel = f"{1700000000 + i}.M{i}P1.host:2,S" if sub == "cur" else f"{1700000000 + i}.M{i}P1.host"
            names.append(self.write(f"Maildir/{sub}/{rel}", data))
        os.makedirs(os.path.join(md, "tmp"), exist_ok=True)
        os.link(self.big, os.path.join(md, "cur", "1800000000.big.host:2,"))
        rc, objs, err = run(["classify", md])
        self.assertEqual(len(objs), len(names) + 1, err)
        self.assertEqual(sorted(o["source"] for o in objs),
                         sorted(names + [os.path.join(md, "cur", "1800000000.big.host:2,")]))

    def test_stdin_each_kind(self):
        for name, data in contents().items():
            with self.subTest(name=name):
                rc, objs, err = run(["classify", "-"], stdin=data)
                self.assertSources(objs, ["-"])

    def test_stdin_100mb(self):
        with open(self.big, "rb") as f:
            proc = subprocess.run([CAROM, "classify", "-"], stdin=f, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  timeout=600)
        lines = proc.stdout.splitlines()
        self.assertEqual(len(lines), 1)
        self.assertEqual(json.loads(lines[0])["error"]["code"], "too_large")


def main():
    global CAROM, WORKDIR
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    CAROM, WORKDIR = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    prog = unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:], exit=False)
    return 0 if prog.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
