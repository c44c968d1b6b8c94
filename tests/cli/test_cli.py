#!/usr/bin/env python3
"""The carom command line, run as a user runs it: files, directories, mbox files, Maildirs and
standard input give exactly one JSON object per message, in input order; exit status 0 / 1 / 2;
the summary; --help and --version; the other subcommands. Standard library only.

Usage: test_cli.py path/to/carom [unittest options]
"""
import gzip
import json
import re
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

CAROM = None

PLAIN = textwrap.dedent("""\
    From: Alice <alice@example.com>
    To: bob@example.org
    Subject: {subject}
    Message-ID: <{subject}@example.com>

    Hello, this is message {subject}.
    """)

DSN = textwrap.dedent("""\
    From: MAILER-DAEMON@mx.example.net
    To: sender@example.com
    Subject: Undelivered Mail Returned to Sender
    MIME-Version: 1.0
    Content-Type: multipart/report; report-type=delivery-status; boundary="b0"

    --b0
    Content-Type: text/plain

    Your message could not be delivered.
    --b0
    Content-Type: message/delivery-status

    Reporting-MTA: dns; mx.example.net

    Final-Recipient: rfc822; nobody@example.net
    Action: failed
    Status: 5.1.1

    --b0--
    """)


def msg(subject):
    return PLAIN.format(subject=subject)


def envelope(sender="sender@example.com", second=0):
    return f"From {sender} Mon Jan  1 00:00:{second:02d} 2024\n"

PEAK_PROBE = ("import resource, subprocess, sys\n"
              "p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)\n"
              "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.stdout.count(b'\\n'), p.returncode)\n")


def peak_rss(args):
    """(peak resident kB, output lines, exit status) of one `carom ARGS...` run."""
    env = dict(os.environ)
    if "ASAN_OPTIONS" in env:
        # Under ASan each thread's fake stack for use-after-return detection maps ~10 MB: the
        # sanitizer's memory, not carom's. The bound is about carom's buffers.
        env["ASAN_OPTIONS"] += ":detect_stack_use_after_return=0"
    out = subprocess.run([sys.executable, "-c", PEAK_PROBE, CAROM] + args, capture_output=True, text=True,
                         timeout=240, env=env).stdout.split()
    return int(out[0]), int(out[1]), int(out[2])


def run(args, stdin=None, check_json=True):
    """Runs carom; returns (exit status, [objects], stderr)."""
    proc = subprocess.run([CAROM] + args, input=stdin, capture_output=True, timeout=240)
    objs = []
    if check_json:
        for line in proc.stdout.decode("utf-8").splitlines():
            objs.append(json.loads(line))
    return proc.returncode, objs, proc.stderr.decode("utf-8", "replace"), proc.stdout.decode("utf-8", "replace")


class Base(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.dir = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def write(self, rel, data):
        path = os.path.join(self.dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
        return path

    def assertSources(self, objs, sources):
        """Exactly these sources, in this order: nothing dropped, nothing duplicated."""
        got = [o.get("source") for o in objs]
        self.assertEqual(got, sources)
        for o in objs:
            for key in ("source", "format", "records", "original", "backscatter", "error"):
                self.assertIn(key, o)


class Files(Base):
    def test_n_files_give_n_objects_in_order(self):
        paths = [self.write(f"m{i}.eml", msg(f"s{i}")) for i in (3, 1, 2, 10)]
        rc, objs, err, _ = run(["classify", "--format", "jsonl"] + paths)
        self.assertEqual(rc, 0, err)
        self.assertSources(objs, paths)
        for o in objs:
            self.assertIsNone(o["error"])

    def test_a_path_given_twice_is_classified_twice(self):
        p = self.write("a.eml", msg("a"))
        rc, objs, _, _ = run(["classify", p, p])
        self.assertEqual(rc, 0)
        self.assertSources(objs, [p, p])

    def test_default_format_is_jsonl(self):
        p = self.write("a.eml", msg("a"))
        _, with_flag, _, _ = run(["classify", "--format", "jsonl", p])
        _, without, _, _ = run(["classify", p])
        _, eq_form, _, _ = run(["classify", "--format=jsonl", p])
        self.assertEqual(with_flag, without)
        self.assertEqual(with_flag, eq_form)

    def test_empty_file_is_an_error_record(self):
        p = self.write("empty.eml", b"")
        good = self.write("good.eml", msg("g"))
        rc, objs, _, _ = run(["classify", p, good])
        self.assertEqual(rc, 1)
        self.assertSources(objs, [p, good])
        self.assertEqual(objs[0]["error"]["code"], "empty")
        self.assertEqual(objs[0]["records"], [])
        self.assertIsNone(objs[1]["error"])

    def test_binary_file_is_one_object(self):
        data = bytes(range(256)) * 64 + b"\x00\xff" * 1000
        p = self.write("blob.bin", data)
        rc, objs, _, _ = run(["classify", p])
        self.assertSources(objs, [p])
        self.assertEqual(rc, 1 if objs[0]["error"] else 0)

    def test_not_an_email(self):
        p = self.write("prose.txt", "just a few words\nwithout any header block\n")
        rc, objs, _, _ = run(["classify", p])
        self.assertEqual(rc, 1)
        self.assertSources(objs, [p])
        self.assertEqual(objs[0]["error"]["code"], "not_email")

    def test_missing_file_is_an_io_error_record_not_a_crash(self):
        missing = os.path.join(self.dir, "no-such.eml")
        good = self.write("good.eml", msg("g"))
        rc, objs, _, _ = run(["classify", good, missing, good])
        self.assertEqual(rc, 1)
        self.assertSources(objs, [good, missing, good])
        self.assertEqual(objs[1]["error"]["code"], "io")
        self.assertIn("No such file", objs[1]["error"]["message"])
        self.assertEqual(objs[1]["records"], [])
        self.assertEqual(objs[1]["backscatter"]["verdict"], "unknown")

    @unittest.skipIf(os.geteuid() == 0, "root reads any file")
    def test_unreadable_file(self):
        p = self.write("secret.eml", msg("s"))
        os.chmod(p, 0)
        rc, objs, _, _ = run(["classify", p])
        self.assertEqual(rc, 1)
        self.assertEqual(objs[0]["error"]["code"], "io")

    def test_eml_starting_with_from_line_is_one_message(self):
        data = envelope() + msg("a") + "\n" + envelope(second=1) + msg("b")
        p = self.write("saved.eml", data)
        rc, objs, _, _ = run(["classify", p])
        self.assertSources(objs, [p])

    def test_too_large_message(self):
        p = self.write("big.eml", msg("big") + "x" * 5000 + "\n")
        small = self.write("small.eml", msg("s"))
        rc, objs, err, _ = run(["classify", "--limit", "message_bytes=1k", p, small])
        self.assertEqual(rc, 1, err)
        self.assertSources(objs, [p, small])
        self.assertEqual(objs[0]["error"]["code"], "too_large")
        self.assertIsNone(objs[1]["error"])

    def test_bounce_has_records(self):
        p = self.write("dsn.eml", DSN)
        rc, objs, _, _ = run(["classify", p])
        self.assertEqual(rc, 0)
        self.assertSources(objs, [p])
        self.assertIsInstance(objs[0]["records"], list)

    def test_mixed_inputs_keep_argument_order(self):
        a = self.write("a.eml", msg("a"))
        box = self.write("box", envelope() + msg("m1") + "\n" + envelope(second=1) + msg("m2"))
        d = os.path.join(self.dir, "d")
        b = self.write("d/b.eml", msg("b"))
        rc, objs, _, _ = run(["classify", b, "-", box, a, d], stdin=msg("in").encode())
        self.assertEqual(rc, 0)
        second = len(envelope() + msg("m1") + "\n")
        self.assertSources(objs, [b, "-", f"{box}:0", f"{box}:{second}", a, b])


class Directories(Base):
    def test_directory_sorted_recursive_with_sidecars_skipped(self):
        for rel in ("z.eml", "a.eml", "sub/b.eml", "sub/deeper/c.eml", "m.eml"):
            self.write(f"tree/{rel}", msg(rel.replace("/", "-")))
        for rel in ("a.expected.json", "labels.jsonl", "README.md", ".hidden.eml", "sub/.git/config"):
            self.write(f"tree/{rel}", "not a message")
        tree = os.path.join(self.dir, "tree")
        rc, objs, _, _ = run(["classify", tree])
        self.assertEqual(rc, 0)
        self.assertSources(objs, [os.path.join(tree, r) for r in
                                  ("a.eml", "m.eml", "sub/b.eml", "sub/deeper/c.eml", "z.eml")])

    def test_trailing_slash(self):
        self.write("t/a.eml", msg("a"))
        rc, objs, _, _ = run(["classify", os.path.join(self.dir, "t") + "/"])
        self.assertSources(objs, [os.path.join(self.dir, "t", "a.eml")])

    def test_empty_directory_gives_nothing_and_says_so(self):
        os.makedirs(os.path.join(self.dir, "empty"))
        rc, objs, err, _ = run(["classify", os.path.join(self.dir, "empty")])
        self.assertEqual(rc, 0)
        self.assertEqual(objs, [])
        self.assertIn("no message found", err)

    def test_maildir_plus_plus_folders_are_read(self):
        for rel in ("cur/1.host:2,S", ".Bounces/cur/2.host:2,S", ".Bounces/new/3.host", ".Archive.2026/new/4.host"):
            self.write(f"Maildir/{rel}", msg(rel.replace("/", "-")))
        for sub in ("new", ".Bounces/tmp", ".Archive.2026/cur"):
            os.makedirs(os.path.join(self.dir, "Maildir", sub), exist_ok=True)
        self.write("Maildir/.NotAFolder/x", msg("x"))  # no cur/ and new/: not a Maildir++ folder
        md = os.path.join(self.dir, "Maildir")
        rc, objs, _, _ = run(["classify", md])
        self.assertEqual(rc, 0)
        self.assertSources(objs, [os.path.join(md, r) for r in
                                  ("cur/1.host:2,S", ".Archive.2026/new/4.host", ".Bounces/cur/2.host:2,S",
                                   ".Bounces/new/3.host")])

    def test_symlink_loop_terminates(self):
        self.write("loop/a.eml", msg("a"))
        os.symlink(os.path.join(self.dir, "loop"), os.path.join(self.dir, "loop", "again"))
        rc, objs, _, _ = run(["classify", os.path.join(self.dir, "loop")])
        self.assertEqual([os.path.basename(o["source"]) for o in objs], ["a.eml"])

    def test_dangling_symlink_is_an_io_error(self):
        self.write("dl/a.eml", msg("a"))
        os.symlink(os.path.join(self.dir, "nowhere"), os.path.join(self.dir, "dl", "b.eml"))
        rc, objs, _, _ = run(["classify", os.path.join(self.dir, "dl")])
        self.assertEqual(rc, 1)
        self.assertEqual(len(objs), 2)
        self.assertEqual(objs[1]["error"]["code"], "io")

    def test_maildir_cur_then_new_sorted(self):
        for rel in ("cur/200.M2P2.host:2,S", "cur/100.M1P1.host:2,S", "new/050.M0P0.host", "new/300.M3P3.host",
                    "tmp/999.M9P9.host"):
            self.write(f"Maildir/{rel}", msg(rel.split("/")[1].split(".")[0]))
        md = os.path.join(self.dir, "Maildir")
        rc, objs, _, _ = run(["classify", md])
        self.assertEqual(rc, 0)
        self.assertSources(objs, [os.path.join(md, r) for r in
                                  ("cur/100.M1P1.host:2,S", "cur/200.M2P2.host:2,S", "new/050.M0P0.host",
                                   "new/300.M3P3.host")])

    def test_maildir_inside_a_directory(self):
        self.write("top/a.eml", msg("a"))
        self.write("top/box/cur/1.host", msg("1"))
        self.write("top/box/new/2.host", msg("2"))
        os.makedirs(os.path.join(self.dir, "top/box/tmp"))
        top = os.path.join(self.dir, "top")
        rc, objs, _, _ = run(["classify", top])
        self.assertSources(objs, [os.path.join(top, r) for r in ("a.eml", "box/cur/1.host", "box/new/2.host")])


class Mbox(Base):
    def mbox(self, n, quoted=True):
        parts, offsets, pos = [], [], 0
        for i in range(n):
            body = msg(f"n{i}")
            if quoted:
                body += ">From the quoted line\n>>From a twice quoted line\nFrom the desk of nobody\n"
            chunk = envelope(second=i % 60) + body + "\n"
            offsets.append(pos)
            pos += len(chunk.encode())
            parts.append(chunk)
        return "".join(parts), offsets

    def test_three_messages_with_from_quoting(self):
        data, offsets = self.mbox(3)
        p = self.write("inbox", data)
        rc, objs, err, _ = run(["classify", p])
        self.assertEqual(rc, 0, err)
        self.assertSources(objs, [f"{p}:{o}" for o in offsets])
        for o in objs:
            self.assertIsNone(o["error"])

    def test_mbox_of_one_message_is_named_by_its_path(self):
        p = self.write("single", envelope() + msg("only"))
        rc, objs, _, _ = run(["classify", p])
        self.assertEqual(rc, 0)
        self.assertSources(objs, [p])
        rc, objs, _, _ = run(["classify", "-"], stdin=(envelope() + msg("only")).encode())
        self.assertSources(objs, ["-"])

    def test_mbox_suffix_and_crlf(self):
        data, offsets = self.mbox(3)
        crlf = data.replace("\n", "\r\n")
        p = self.write("inbox.mbox", crlf)
        rc, objs, _, _ = run(["classify", p])
        self.assertEqual(len(objs), 3)
        self.assertEqual(objs[1]["source"], f"{p}:{offsets[1] + data[:offsets[1]].count(chr(10))}")

    def test_oversized_message_inside_an_mbox(self):
        data = envelope() + msg("a") + "\n" + envelope(second=1) + msg("big") + "y" * 10000 + "\n\n" + \
            envelope(second=2) + msg("c")
        p = self.write("inbox", data)
        rc, objs, _, _ = run(["classify", "--limit", "message_bytes=2000", p])
        self.assertEqual(rc, 1)
        self.assertEqual([o["error"]["code"] if o["error"] else None for o in objs], [None, "too_large", None])

    def test_many_messages_stream(self):
        data, offsets = self.mbox(3000, quoted=False)
        p = self.write("big.mbox", data)
        rc, objs, err, _ = run(["classify", p])
        self.assertEqual(rc, 0, err)
        self.assertSources(objs, [f"{p}:{o}" for o in offsets])

    def test_memory_stays_bounded(self):
        # A 40 MB message in an mbox with a 1 MiB limit, and 20,000 small messages: the peak
        # resident size stays near that of a one-message run (the mbox is never held whole).
        small = self.write("one.eml", msg("one"))
        big = os.path.join(self.dir, "huge.mbox")
        with open(big, "w") as f:
            f.write(envelope() + msg("head") + ("z" * 999 + "\n") * 40000 + "\n")
            block = "".join(envelope(second=i % 60) + msg(f"k{i}") + "\n" for i in range(1000))
            for _ in range(20):
                f.write(block)
        base_kb, n, _ = peak_rss(["classify", small])
        self.assertEqual(n, 1)
        big_kb, n, rc = peak_rss(["classify", "--limit", "message_bytes=1M", big])
        self.assertEqual(n, 20001)
        self.assertEqual(rc, 1)  # the huge one is too_large
        self.assertLess(big_kb - base_kb, 24 * 1024, f"peak RSS {big_kb} kB vs {base_kb} kB for one message")

    def test_stdin_single_message(self):
        rc, objs, _, _ = run(["classify", "-"], stdin=msg("x").encode())
        self.assertEqual(rc, 0)
        self.assertSources(objs, ["-"])

    def test_stdin_mbox(self):
        data, offsets = self.mbox(3)
        rc, objs, _, _ = run(["classify", "-"], stdin=data.encode())
        self.assertEqual(rc, 0)
        self.assertSources(objs, [f"-:{o}" for o in offsets])

    def test_stdin_empty(self):
        rc, objs, _, _ = run(["classify", "-"], stdin=b"")
        self.assertEqual(rc, 1)
        self.assertSources(objs, ["-"])
        self.assertEqual(objs[0]["error"]["code"], "empty")


class Jobs(Base):
    """--jobs N: N threads share one engine; the output is byte for byte that of --jobs 1, for every
    kind of input, and memory follows the window of messages in flight, not the input."""

    CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "corpus")

    def inputs(self):
        files = [self.write(f"f{i}.eml", msg(f"f{i}") if i % 2 else DSN) for i in range(5)]
        self.write("tree/b/two.eml", DSN)
        self.write("tree/a/one.eml", msg("one"))
        self.write("tree/empty.eml", b"")
        for i, sub in enumerate(("cur", "new", "cur")):
            self.write(f"maildir/{sub}/{i}:2,S", msg(f"md{i}") if i else DSN)
        os.makedirs(os.path.join(self.dir, "maildir", "tmp"), exist_ok=True)
        parts = []
        for i in range(2000):
            body = DSN if i % 3 == 0 else msg(f"m{i}") + ">From the quoted line\n"
            parts.append(envelope(second=i % 60) + body + "\n")
        mbox = self.write("big.mbox", "".join(parts))
        return files + [os.path.join(self.dir, "tree"), os.path.join(self.dir, "maildir"), mbox,
                        os.path.join(self.dir, "missing.eml"), self.CORPUS]

    def same(self, args, stdin=None):
        outs = {}
        for jobs in ("1", "4", None):
            flag = ["--jobs", jobs] if jobs else []
            proc = subprocess.run([CAROM] + args[:1] + flag + args[1:], input=stdin, capture_output=True, timeout=240)
            outs[jobs] = (proc.returncode, proc.stdout)
        self.assertGreater(len(outs["1"][1]), 0)
        self.assertEqual(outs["4"], outs["1"], "--jobs 4 differs from --jobs 1")
        self.assertEqual(outs[None], outs["1"], "the default --jobs differs from --jobs 1")
        return outs["1"]

    def test_jsonl_is_identical_at_any_jobs(self):
        paths = self.inputs()
        rc, out = self.same(["classify"] + paths)
        self.assertEqual(rc, 1)  # the empty file and the missing one are error records
        objs = [json.loads(line) for line in out.decode().splitlines()]
        self.assertGreater(len(objs), 2000)
        # In input order: the mbox's messages by offset, right after the Maildir.
        sources = [o["source"] for o in objs]
        mbox = [s for s in sources if ".mbox:" in s]
        self.assertEqual(len(mbox), 2000)
        self.assertEqual(mbox, sorted(mbox, key=lambda s: int(s.rsplit(":", 1)[1])))

    def test_explain_pretty_and_stdin_are_identical_at_any_jobs(self):
        paths = self.inputs()
        self.same(["explain"] + paths[:8])
        self.same(["classify", "--format", "pretty"] + paths[:8])
        data = "".join(envelope(second=i % 60) + (DSN if i % 2 else msg(f"s{i}")) + "\n" for i in range(300))
        rc, out = self.same(["classify", "-"], stdin=data.encode())
        self.assertEqual(rc, 0)
        self.assertEqual(len(out.decode().splitlines()), 300)

    def test_summary_counts_every_worker(self):
        paths = self.inputs()
        lines = {}
        for jobs in ("1", "4"):
            proc = subprocess.run([CAROM, "classify", "--jobs", jobs, "--format", "summary"] + paths,
                                  capture_output=True, text=True, timeout=240)
            # Everything but the timing lines.
            lines[jobs] = [l for l in proc.stdout.splitlines() if not l.startswith(("elapsed", "throughput"))]
        self.assertEqual(lines["4"], lines["1"])
        _, objs, _, _ = run(["classify", "--jobs", "1"] + paths)
        self.assertEqual(lines["4"][0].split(), ["messages", str(len(objs))])

    def test_memory_stays_bounded_with_threads(self):
        big = os.path.join(self.dir, "huge.mbox")
        with open(big, "w") as f:
            f.write(envelope() + msg("head") + ("z" * 999 + "\n") * 40000 + "\n")
            block = "".join(envelope(second=i % 60) + msg(f"k{i}") + "\n" for i in range(1000))
            for _ in range(20):
                f.write(block)
        small = self.write("one.eml", msg("one"))
        base_kb, _, _ = peak_rss(["classify", "--jobs", "4", small])
        peak_kb, n, _ = peak_rss(["classify", "--jobs", "4", "--limit", "message_bytes=1M", big])
        self.assertEqual(n, 20001)
        # As with one thread (Mbox.test_memory_stays_bounded), plus the window: at most 16
        # messages and about 16 MiB of input in flight.
        self.assertLess(peak_kb - base_kb, 40 * 1024, f"peak RSS {peak_kb} kB vs {base_kb} kB for one message")

    def test_bad_jobs_values_are_usage_errors(self):
        p = self.write("a.eml", msg("a"))
        for bad in ("0", "-1", "abc", "1k", "257", ""):
            rc, _, err, _ = run(["classify", "--jobs", bad, p], check_json=False)
            self.assertEqual(rc, 2, bad)
            self.assertIn("--jobs", err)


class ExitCodesAndOptions(Base):
    def usage(self, args, needle):
        rc, _, err, out = run(args, check_json=False)
        self.assertEqual(rc, 2, f"{args}: {err}")
        self.assertIn(needle, err)
        self.assertEqual(out, "")

    def test_usage_errors(self):
        p = self.write("a.eml", msg("a"))
        self.usage(["classify", "--bogus", p], "unknown option '--bogus'")
        self.usage(["classify", "--format", "xml", p], "unknown format 'xml'")
        self.usage(["classify", "--format"], "--format needs a value")
        self.usage(["classify"], "no input")
        self.usage(["frobnicate"], "unknown command 'frobnicate'")
        self.usage([], "usage:")
        self.usage(["classify", "--limit", "nonsense=3", p], "unknown limit 'nonsense'")
        self.usage(["classify", "--limit", "message_bytes", p], "NAME=VALUE")
        self.usage(["classify", "--limit", "message_bytes=12x", p], "must be a number")
        self.usage(["classify", "--limit", "mime_depth=0", p], "out of range")
        self.usage(["classify", "--context", os.path.join(self.dir, "none.json"), p], "cannot read context file")
        self.usage(["classify", "--rules", os.path.join(self.dir, "none.rules"), p], "cannot read rule file")
        self.usage(["classify", "--header", "bad name", p], "--header")
        self.usage(["rules"], "rules needs a subcommand")
        self.usage(["rules", "check"], "needs one or more FILEs")
        self.usage(["limits", "extra"], "unexpected argument")

    def test_bad_context_json_exits_2_with_the_library_message(self):
        p = self.write("a.eml", msg("a"))
        ctx = self.write("ctx.json", '{"domains": ["example.com"')
        rc, _, err, out = run(["classify", "--context", ctx, p], check_json=False)
        self.assertEqual(rc, 2)
        self.assertIn(ctx, err)
        self.assertIn("JSON", err)
        self.assertEqual(out, "")
        ctx2 = self.write("ctx2.json", '{"no_such_key": 1}')
        rc, _, err, _ = run(["classify", "--context", ctx2, p], check_json=False)
        self.assertEqual(rc, 2)
        self.assertIn("no_such_key", err)

    def test_good_context(self):
        p = self.write("a.eml", DSN)
        ctx = self.write("ctx.json", json.dumps({"domains": ["example.com"], "relays": ["mx1.example.com"]}))
        rc, objs, err, _ = run(["classify", "--context", ctx, p])
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(objs), 1)

    def test_exit_0_and_1(self):
        good = self.write("a.eml", msg("a"))
        bad = self.write("b.eml", b"")
        self.assertEqual(run(["classify", good])[0], 0)
        self.assertEqual(run(["classify", good, bad])[0], 1)

    def test_options_after_paths_and_double_dash(self):
        p = self.write("a.eml", msg("a"))
        rc, objs, _, _ = run(["classify", p, "--format", "jsonl"])
        self.assertEqual(rc, 0)
        self.assertEqual(len(objs), 1)
        dash = self.write("--weird.eml", msg("w"))
        rc, objs, _, _ = run(["classify", "--", dash])
        self.assertSources(objs, [dash])

    def test_help_and_version(self):
        for args in (["--help"], ["-h"], ["help"], ["classify", "--help"], ["rules", "--help"], ["limits", "--help"]):
            rc, _, _, out = run(args, check_json=False)
            self.assertEqual(rc, 0, args)
            self.assertIn("usage: carom", out)
        rc, _, err, out = run(["--version"], check_json=False)
        self.assertEqual(rc, 0)
        lines = out.splitlines()
        self.assertEqual(len(lines), 3, out)
        self.assertRegex(lines[0], r"^carom \d+\.\d+\.\d+$")
        self.assertRegex(lines[1], r"^library \d+\.\d+\.\d+$")
        self.assertTrue(lines[2].startswith("rules "))
        self.assertEqual(err, "")

    def test_no_progress_line_when_stderr_is_not_a_terminal(self):
        data = "".join(envelope() + msg(f"k{i}") + "\n" for i in range(2000))
        p = self.write("box", data)
        rc, objs, err, _ = run(["classify", p])
        self.assertEqual(err, "")
        self.assertEqual(len(objs), 2000)


class JsonText(Base):
    def test_strings_are_escaped_and_valid_utf8(self):
        # A diagnostic with the bytes JSON text treats apart: the quote and the backslash
        # (escaped), a control character (\u0001), DEL and UTF-8 (as they are); and a file name
        # with a byte that is no UTF-8, which the source shows as U+FFFD (RFC 8259 section 8.1
        # asks for UTF-8 text).
        diag = b'550 5.1.1 "quoted" back\\slash \x01 del\x7f caf\xc3\xa9 end'
        data = DSN.encode().replace(b"Status: 5.1.1\n", b"Status: 5.1.1\nDiagnostic-Code: smtp; " + diag + b"\n")
        p = os.path.join(os.fsencode(self.dir), b"bad\xffname.eml")
        with open(p, "wb") as f:
            f.write(data)
        out = subprocess.run([os.fsencode(CAROM), b"classify", p], capture_output=True, timeout=60).stdout
        self.assertIn(b'"550 5.1.1 \\"quoted\\" back\\\\slash \\u0001 del\x7f caf\xc3\xa9 end"', out)
        self.assertIn(b'bad\xef\xbf\xbdname.eml"', out)
        obj = json.loads(out.decode("utf-8"))
        self.assertEqual(obj["records"][0]["diagnostic"], '550 5.1.1 "quoted" back\\slash \x01 del\x7f caf\u00e9 end')
        self.assertTrue(obj["source"].endswith("/bad\ufffdname.eml"), obj["source"])


class Csv(Base):
    COLUMNS = ["source", "format", "recipient", "original_recipient", "envelope_recipient", "recipient_source",
               "action", "status", "reply_code", "class",
               "reason", "rule", "diagnostic", "remote_mta", "reporting_mta", "command", "timestamp", "sender",
               "token", "original_message_id", "original_subject", "backscatter", "error", "error_message"]

    def test_rows_match_the_json_records(self):
        import csv
        import io
        # Two recipients, a diagnostic with a comma and quotes, ordinary mail, a message over the limit.
        two = DSN.replace("Status: 5.1.1\n", 'Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 "nobody", sorry\n\n'
                          "Final-Recipient: rfc822; other@example.net\nAction: failed\nStatus: 5.2.2\n")
        paths = [self.write("a.eml", two), self.write("b.eml", msg("hello")), self.write("c.eml", DSN + "x" * 3000)]
        args = ["classify", "--limit", "message_bytes=2000"] + paths
        rc, objs, err, _ = run(args)
        self.assertEqual(rc, 1, err)  # c.eml is too large
        proc = subprocess.run([CAROM] + args + ["--format", "csv"], capture_output=True, timeout=60)
        text = proc.stdout.decode("utf-8")
        self.assertTrue(text.endswith("\r\n") and "\n" not in text.replace("\r\n", ""), text)  # RFC 4180 CRLF
        rows = list(csv.reader(io.StringIO(text, newline="")))
        self.assertEqual(rows[0], self.COLUMNS)
        rows = [dict(zip(self.COLUMNS, r)) for r in rows[1:]]
        self.assertTrue(all(len(r) == len(self.COLUMNS) for r in rows))
        want = []
        for obj in objs:
            for rec in obj["records"] or [None]:
                want.append((obj["source"], rec and rec["recipient"], rec and rec["recipient_source"],
                             rec and rec["class"], rec and rec["reason"],
                             rec and rec["status"], rec and rec["diagnostic"], rec and rec["token"],
                             obj["error"] and obj["error"]["code"]))
        got = [(r["source"], r["recipient"] or None, r["recipient_source"] or None, r["class"] or None, r["reason"] or None, r["status"] or None,
                r["diagnostic"] or None, r["token"] or None, r["error"] or None) for r in rows]
        self.assertEqual(got, want)
        self.assertEqual(len(rows), 4)  # two records, one row for ordinary mail, one for the error
        self.assertIn('550 5.1.1 ""nobody"", sorry', text)  # quotes doubled inside a quoted field
        self.assertEqual(rows[3]["error"], "too_large")
        # the same rows with any number of threads
        four = subprocess.run([CAROM] + args + ["--format", "csv", "--jobs", "4"], capture_output=True, timeout=60)
        self.assertEqual(four.stdout, proc.stdout)


def dated_dsn(rcpt, status, diag, when, action="failed", msgid="m1@mail.example.com"):
    """A Postfix-like DSN for rcpt with a Last-Attempt-Date and the returned headers."""
    return textwrap.dedent(f"""\
        From: MAILER-DAEMON@mx.example.com
        To: news@example.com
        Subject: Undelivered Mail Returned to Sender
        Date: {when}
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="b0"

        --b0
        Content-Type: text/plain

        Your message could not be delivered.
        --b0
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.example.com

        Final-Recipient: rfc822; {rcpt}
        Action: {action}
        Status: {status}
        Diagnostic-Code: smtp; {diag}
        Last-Attempt-Date: {when}

        --b0
        Content-Type: text/rfc822-headers

        From: news@example.com
        To: {rcpt}
        Subject: news
        Message-ID: <{msgid}>

        --b0--
        """)


class Suppressions(Base):
    FULL = ("5.2.2", "552 5.2.2 Mailbox full")

    def mix(self):
        def day(d, hour=10):  # February 2026 (March for d > 28)
            month, d = ("Feb", d) if d <= 28 else ("Mar", d - 28)
            return f"Mon, {d} {month} 2026 {hour:02d}:00:00 +0100"
        cases = [
            ("hard@example.org", "5.1.1", "550 5.1.1 <hard@example.org>: User unknown", day(1), "failed", None),
            ("Mixed.Case@Example.org", "5.1.1", "550 5.1.1 no such user", day(2), "failed", None),
            ("mixed.case@example.org", "5.1.1", "550 5.1.1 no such user", day(9), "failed", None),
            ("spoofed@example.org", "5.1.1", "550 5.1.1 no such user", day(1), "failed", "x@spam.example.net"),
            ("blocked@example.org", "5.7.1", "554 5.7.1 Client host [192.0.2.1] blocked using zen.example.net",
             day(1), "failed", None),
            ("late@example.org", "4.4.1", "451 4.4.1 Connection timed out", day(1), "delayed", None),
        ]
        for d in (1, 3, 5):  # three days within seven: suppressed
            cases.append(("repeat@example.org",) + self.FULL + (day(d), "failed", None))
        for d in (1, 5):  # two days only
            cases.append(("twice@example.org",) + self.FULL + (day(d), "failed", None))
        for d in (1, 15, 31):  # three days, spread over a month
            cases.append(("spread@example.org",) + self.FULL + (day(d), "failed", None))
        for hour in (8, 12, 16):  # three bounces on one day
            cases.append(("sameday@example.org",) + self.FULL + (day(4, hour), "failed", None))
        mbox = ""
        for i, (rcpt, status, diag, when, action, msgid) in enumerate(cases):
            mbox += envelope("MAILER-DAEMON", i % 60) + dated_dsn(rcpt, status, diag, when, action,
                                                                   msgid or "m1@mail.example.com") + "\n"
        ctx = self.write("ctx.json", '{"message_id_domains": ["mail.example.com"]}')
        return self.write("bounces.mbox", mbox), ctx

    def test_lists_exactly_the_addresses_to_stop_mailing(self):
        mbox, ctx = self.mix()
        rc, _, err, out = run(["suppressions", "--context", ctx, mbox], check_json=False)
        self.assertEqual(rc, 0, err)
        rows = [json.loads(line) for line in out.splitlines()]
        self.assertEqual([(r["address"], r["kind"], r["reason"], r["bounces"]) for r in rows], [
            ("hard@example.org", "hard", "userunknown", 1),
            ("mixed.case@example.org", "hard", "userunknown", 2),  # one address, whatever the case
            ("repeat@example.org", "soft", "mailboxfull", 3),
        ])
        self.assertEqual(rows[1]["last_bounce"], "2026-02-09T10:00:00+01:00")
        self.assertTrue(rows[2]["source"].startswith(mbox + ":"))
        # looser thresholds take the others in turn; backscatter, blocks and delays never
        rc, _, err, out = run(["suppressions", "--context", ctx, "--soft-count", "2", "--soft-days", "31",
                               "--format", "csv", mbox], check_json=False)
        self.assertEqual(rc, 0, err)
        lines = out.splitlines()
        self.assertEqual(lines[0], "address,kind,reason,bounces,last_bounce,source")
        self.assertEqual([l.split(",")[0] for l in lines[1:]], [
            "hard@example.org", "mixed.case@example.org", "repeat@example.org", "spread@example.org",
            "twice@example.org"])
        # without the context the forged bounce is an ordinary hard bounce
        rc, _, err, out = run(["suppressions", mbox], check_json=False)
        self.assertIn("spoofed@example.org", out)

    def test_bad_options(self):
        mbox, _ = self.mix()
        for bad in (["--soft-count", "0"], ["--soft-days", "x"], ["--format", "summary"], []):
            self.assertEqual(run(["suppressions"] + bad + ([mbox] if bad else []), check_json=False)[0], 2, bad)


class Summary(Base):
    def test_summary_counts(self):
        paths = [self.write("a.eml", msg("a")), self.write("b.eml", DSN), self.write("c.eml", b""),
                 self.write("box", envelope() + msg("m1") + "\n" + envelope() + msg("m2"))]
        rc, _, err, out = run(["classify", "--format", "summary"] + paths, check_json=False)
        self.assertEqual(rc, 1, err)
        fields = {}
        for line in out.splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[-1].isdigit():
                fields[" ".join(parts[:-1])] = int(parts[-1])
        self.assertEqual(fields.get("messages"), 5, out)
        self.assertEqual(fields.get("errors"), 1, out)
        self.assertEqual(fields.get("bounces", 0) + fields.get("not bounces", 0), 4, out)
        self.assertIn("throughput", out)
        self.assertIn("messages/s", out)
        self.assertIn("MB/s", out)
        for section in ("class", "reason", "format", "error"):
            self.assertRegex(out, rf"(?m)^{section}\s+count\s+share$")
        self.assertRegex(out, r"(?m)^\s+empty\s+1\s")
        # the summary writes no JSON objects
        self.assertNotIn('"source"', out)

    def test_tables_per_domain_remote_mta_and_diagnostic(self):
        when = "Mon, 2 Feb 2026 10:00:00 +0100"
        full = ("5.2.2", "552 5.2.2 Mailbox full")
        box = ""
        cases = [(f"user{i}@big.example.org", "5.1.1", f"550 5.1.1 <user{i}@big.example.org>: User unknown")
                 for i in range(3)]
        cases += [("a@Small.Example.net",) + full, ("b@big.example.org", "5.7.1",
                  "554 5.7.1 Client host [192.0.2.7] blocked using zen.example.net")]
        for i, (rcpt, status, diag) in enumerate(cases):
            text = dated_dsn(rcpt, status, diag, when).replace("Final-Recipient", "Remote-MTA: dns; mx.big.example.org"
                                                                 "\nFinal-Recipient")
            box += envelope("MAILER-DAEMON", i) + text + "\n"
        rc, _, err, out = run(["classify", "--format", "summary", self.write("b.mbox", box)], check_json=False)
        self.assertEqual(rc, 0, err)
        # per receiving domain (lower-cased), with the class counts
        self.assertRegex(out, r"(?m)^receiving domain\s+records\s+hard\s+soft\s+block$")
        self.assertRegex(out, r"(?m)^  big\.example\.org\s+4\s+3\s+0\s+1$")
        self.assertRegex(out, r"(?m)^  small\.example\.net\s+1\s+0\s+1\s+0$")
        self.assertRegex(out, r"(?m)^remote MTA\s+count\s+share$")
        self.assertRegex(out, r"(?m)^  mx\.big\.example\.org\s+5\s+100\.0%$")
        # the same refusal to three recipients is one diagnostic
        self.assertRegex(out, r"(?m)^\s+3  # #\.#\.# <addr> User unknown$")


class OtherCommands(Base):
    def test_limits_json_lines(self):
        rc, objs, _, _ = run(["limits"])
        self.assertEqual(rc, 0)
        names = [o["name"] for o in objs]
        self.assertIn("message_bytes", names)
        for o in objs:
            self.assertLessEqual(o["min"], o["default"])
            self.assertLessEqual(o["default"], o["max"])

    def test_rules_list(self):
        rc, _, err, out = run(["rules", "list"], check_json=False)
        self.assertEqual(rc, 0, err)
        objs = [json.loads(line) for line in out.splitlines() if line.strip()]
        for o in objs:
            self.assertIsInstance(o, dict)
        self.assertTrue(all("id" in o and "tier" in o for o in objs[:-1]))
        last = objs[-1]
        self.assertEqual(last["tiers"][0], "report")
        self.assertEqual(last["precedence"][0], "userunknown")
        self.assertIn("expired", last["outcome"])
        self.assertEqual(last["classes"]["vacation"], "auto_reply")

    def test_rules_check_missing_file(self):
        rc, _, err, _ = run(["rules", "check", os.path.join(self.dir, "none.rules")], check_json=False)
        self.assertEqual(rc, 1)
        self.assertIn("cannot read", err)

    def test_rules_check_reports_file_line_column(self):
        good = self.write("good.rules", "carom-rules 1\nrule my.one\n  says 550 go away\n  text go away\n"
                                        "  reason blocked\n")
        bad = self.write("bad.rules", "carom-rules 1\nrule my.bad\n  says x\n  text x\n  reason no-such-reason\n")
        rc, _, err, out = run(["rules", "check", good], check_json=False)
        self.assertEqual(rc, 0, err)
        self.assertIn(f"{good}: ok, 1 rule", out)
        rc, _, err, out = run(["rules", "check", good, bad], check_json=False)
        self.assertEqual(rc, 1)
        self.assertRegex(err, rf"{bad}:5:\d+: ")
        self.assertIn(f"{good}: ok", out)
        # the same file given to classify is a usage error, with the same message
        rc, _, err2, out = run(["classify", "--rules", bad, good], check_json=False)
        self.assertEqual(rc, 2)
        self.assertIn(err.strip(), err2)
        self.assertEqual(out, "")

    def test_user_rules_take_precedence(self):
        dsn = self.write("dsn.eml", DSN.replace("Status: 5.1.1\n", "Status: 5.1.1\nDiagnostic-Code: smtp; "
                                                "550 5.1.1 zebra crossing closed\n"))
        rules = self.write("z.rules", "carom-rules 1\nrule my.zebra\n  says 550 zebra crossing closed\n"
                                      "  text zebra crossing\n  reason mailboxfull\n")
        rc, objs, err, _ = run(["classify", "--rules", rules, dsn])
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(objs), 1)
        recs = objs[0]["records"]
        if recs:  # once a reader reads the report, the user's rule decides
            self.assertEqual(recs[0]["rule"], "my.zebra")
            self.assertEqual(recs[0]["reason"], "mailboxfull")
        rc, _, err, out = run(["rules", "list", "--no-builtin-rules", "--rules", rules], check_json=False)
        self.assertEqual(rc, 0, err)
        objs = [json.loads(l) for l in out.splitlines() if l.strip()]
        self.assertEqual([o["id"] for o in objs if "id" in o], ["my.zebra"])
        # the last line is how rules are weighed: no built-in precedence without built-in rules
        self.assertEqual(objs[-1]["precedence"], [])
        self.assertEqual(objs[-1]["classes"]["userunknown"], "hard")

    def test_explain_is_indented_json(self):
        a = self.write("a.eml", DSN)
        b = self.write("b.eml", msg("b"))
        rc, _, err, out = run(["explain", a, b], check_json=False)
        self.assertEqual(rc, 0, err)
        docs = [json.loads(chunk) for chunk in out.split("\n\n") if chunk.strip()]
        self.assertEqual([d["source"] for d in docs], [a, b])
        self.assertGreater(out.count("\n"), 10)
        for rec in docs[0]["records"]:
            self.assertIn("hits", rec)

    def test_explain_flag_on_classify(self):
        a = self.write("a.eml", DSN)
        rc, objs, _, _ = run(["classify", "--explain", a])
        for rec in objs[0]["records"]:
            self.assertIn("hits", rec)


class Verdict(Base):
    """carom verdict: one word, sysexits exit statuses (docs/backscatter.md)."""

    def test_words_and_exit_statuses(self):
        dsn = self.write("dsn.eml", DSN)
        plain = self.write("plain.eml", msg("hello"))
        rc, _, err, out = run(["verdict", dsn], check_json=False)
        self.assertEqual((rc, out), (0, "unknown\n"), err)
        rc, _, err, out = run(["verdict", plain], check_json=False)
        self.assertEqual((rc, out), (0, "none\n"), err)
        # standard input, and --exit-on mapping a verdict to a status
        rc, _, err, out = run(["verdict", "--exit-on", "unknown=99"], stdin=DSN.encode(), check_json=False)
        self.assertEqual((rc, out), (99, "unknown\n"), err)
        # --json prints the classify object
        rc, _, err, out = run(["verdict", "--json", dsn], check_json=False)
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)["backscatter"]["verdict"], "unknown")

    def test_context_decides(self):
        dsn = self.write("dsn.eml", DSN)
        ctx = self.write("ctx.json", '{"domains": ["example.com"]}')
        rc, _, err, out = run(["verdict", "--context", ctx, dsn], check_json=False)
        self.assertEqual(rc, 0, err)
        self.assertIn(out.strip(), ("backscatter", "genuine", "unknown"))

    def test_errors_follow_sysexits(self):
        self.assertEqual(run(["verdict", "--bogus"], check_json=False)[0], 64)
        self.assertEqual(run(["verdict", "--exit-on", "maybe=3"], check_json=False)[0], 64)
        self.assertEqual(run(["verdict", os.path.join(self.dir, "missing.eml")], check_json=False)[0], 66)
        empty = self.write("empty.eml", "")
        self.assertEqual(run(["verdict", empty], check_json=False)[0], 65)
        bad = self.write("bad.json", "{not json")
        dsn = self.write("dsn.eml", DSN)
        self.assertEqual(run(["verdict", "--context", bad, dsn], check_json=False)[0], 75)

    def test_takes_the_engine_options_of_classify(self):
        # --rules / --no-builtin-rules, --header and --limit as in classify; --source names the
        # message in the JSON object (an MTA's pipe gives a temporary file or standard input).
        dsn = DSN.replace("Status: 5.1.1\n", "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 zebra crossing closed\n")
        dsn = dsn.replace("--b0--", "--b0\nContent-Type: text/rfc822-headers\n\nFrom: sender@example.com\n"
                                    "To: nobody@example.net\nX-Campaign: spring-42\n\n--b0--")
        path = self.write("dsn.eml", dsn)
        rules = self.write("z.rules", "carom-rules 1\nrule my.zebra\n  says 550 zebra crossing closed\n"
                                      "  text zebra crossing\n  reason mailboxfull\n")
        rc, _, err, out = run(["verdict", "--json", "--rules", rules, "--header", "X-Campaign",
                               "--source", "queue-7F3A", path], check_json=False)
        self.assertEqual(rc, 0, err)
        obj = json.loads(out)
        self.assertEqual(obj["source"], "queue-7F3A")
        self.assertEqual((obj["records"][0]["rule"], obj["records"][0]["reason"]), ("my.zebra", "mailboxfull"))
        self.assertEqual(obj["original"]["headers"], {"x-campaign": "spring-42"})
        rc, _, err, out = run(["verdict", "--json", "--no-builtin-rules", f"--rules={rules}", "-"],
                              stdin=DSN.encode(), check_json=False)
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)["source"], "-")
        self.assertNotIn("status.x.1.1", out)  # no built-in rule decided
        # the limit applies: the message is over it (65, the data cannot be read as asked)
        self.assertEqual(run(["verdict", "--limit", "message_bytes=100", path], check_json=False)[0], 65)
        self.assertEqual(run(["verdict", "--limit=message_bytes=1M", path], check_json=False)[0], 0)
        for bad in ([path, "--limit", "bogus=1"], [path, "--limit", "message_bytes=lots"], [path, "--rules"],
                    [path, "--source"], [path, "--header"]):
            self.assertEqual(run(["verdict"] + bad, check_json=False)[0], 64, bad)
        missing_rules = os.path.join(self.dir, "missing.rules")
        self.assertEqual(run(["verdict", "--rules", missing_rules, path], check_json=False)[0], 75)

    def test_no_backscatter_option(self):
        dsn = self.write("dsn.eml", DSN)
        rc, objs, err, _ = run(["classify", "--no-backscatter", dsn])
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(objs), 1)


class Newcomer(Base):
    """What a new user meets: each of these failed before it was fixed."""

    def test_an_unreadable_path_is_named_on_stderr(self):
        missing = os.path.join(self.dir, "nonexistent.eml")
        rc, objs, err, _ = run(["classify", missing])
        self.assertEqual(rc, 1)
        self.assertEqual(objs[0]["error"]["code"], "io")
        self.assertIn(missing + ": No such file", err)

    def test_the_summary_names_the_sources_of_errors(self):
        missing = os.path.join(self.dir, "gone.eml")
        rc, _, _, out = run(["classify", "--format", "summary", missing, self.write("a.eml", DSN)], check_json=False)
        self.assertEqual(rc, 1)
        self.assertRegex(out, r"errors \(the first 20, by source\)\n  io +" + re.escape(missing))

    def test_verdict_refuses_an_mbox_of_several_messages(self):
        mbox = "From a@example.com Mon Dec  7 10:00:00 2026\n" + DSN + "\nFrom b@example.com Mon Dec  7 10:00:01 2026\n" + DSN
        rc, _, err, out = run(["verdict", "-"], stdin=mbox.encode(), check_json=False)
        self.assertEqual(rc, 65)
        self.assertIn("several messages", err)
        self.assertEqual(out, "")

    def test_white_space_lines_before_the_headers_are_skipped(self):
        for lead in ("\n\n", "   \n\t\n", " \r\n\r\n"):
            path = self.write("lead.eml", lead + DSN)
            rc, objs, _, _ = run(["classify", path])
            self.assertEqual((rc, objs[0]["error"]), (0, None), repr(lead))
            self.assertEqual(len(objs[0]["records"]), 1, repr(lead))
        rc, objs, _, _ = run(["classify", self.write("blank.eml", "  \n\t\n\n")])
        self.assertEqual(objs[0]["error"]["code"], "empty")

    def test_gzip_input_gets_a_hint(self):
        path = self.write("all.mbox.gz", gzip.compress(DSN.encode()))
        rc, objs, _, _ = run(["classify", path])
        self.assertEqual(objs[0]["error"]["code"], "not_email")
        self.assertIn("zcat", objs[0]["error"]["message"])

    def test_no_builtin_rules_without_rules_is_a_usage_error(self):
        path = self.write("a.eml", DSN)
        for args in (["classify", "--no-builtin-rules", path], ["verdict", "--no-builtin-rules", path]):
            rc, _, err, _ = run(args, check_json=False)
            self.assertIn(rc, (2, 64), args)
            self.assertIn("--rules", err)

    def test_a_write_failure_is_exit_74(self):
        if not os.path.exists("/dev/full"):
            self.skipTest("no /dev/full")
        path = self.write("a.eml", DSN)
        with open("/dev/full", "wb") as full:
            proc = subprocess.run([CAROM, "classify", path], stdout=full, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(proc.returncode, 74)
        self.assertIn(b"cannot write the output", proc.stderr)

    def test_help_command_gives_the_commands_help(self):
        for args, first in ((["help", "classify"], "usage: carom classify"),
                            (["help", "suppressions"], "usage: carom suppressions"),
                            (["help", "verdict"], "usage: carom verdict")):
            rc, _, _, out = run(args, check_json=False)
            self.assertEqual(rc, 0, args)
            self.assertTrue(out.startswith(first), (args, out[:80]))


    def test_the_progress_line_says_how_much_is_done_and_how_long_the_rest_takes(self):
        """On a terminal, after a second: "N messages, X of TOTAL (P%), M:SS left"; erased at the end.

        The run waits on a FIFO (its size counts 0) that is written 1.5 s later, so the line is
        drawn once the first file's message is written and the second arrives."""
        import pty
        import threading
        import time
        first = self.write("first.eml", DSN)
        fifo = os.path.join(self.dir, "later.eml")
        os.mkfifo(fifo)

        def feed():
            time.sleep(1.5)
            with open(fifo, "w") as f:
                f.write(DSN)

        master, slave = pty.openpty()
        feeder = threading.Thread(target=feed)
        feeder.start()
        proc = subprocess.run([CAROM, "classify", first, fifo], stdout=subprocess.PIPE, stderr=slave, timeout=60)
        feeder.join()
        os.close(slave)
        err = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            err += chunk
        os.close(master)
        self.assertEqual(proc.returncode, 0)
        total = os.path.getsize(first)
        self.assertRegex(err.decode(), r"\rcarom: [12] messages, [0-9.]+ k?B of [0-9.]+ k?B \([0-9]+%\), [0-9]+:[0-9]{2} left, "
                                       r"[0-9]+ messages/s")
        self.assertTrue(err.endswith(b"\r\x1b[K"), err[-20:])
        self.assertIn(f"of {total} B", err.decode())  # the total is the file's size (the FIFO counts 0)


class CountingResult(unittest.TextTestResult):
    pass


def main():
    global CAROM
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    CAROM = os.path.abspath(sys.argv[1])
    runner = unittest.TextTestRunner(verbosity=2, resultclass=CountingResult)
    prog = unittest.main(argv=[sys.argv[0]] + sys.argv[2:], testRunner=runner, exit=False)
    r = prog.result
    failed = len(r.failures) + len(r.errors)
    skipped = len(r.skipped)
    print(f"{r.testsRun - failed - skipped} passed, {failed} failed, {skipped} skipped")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
