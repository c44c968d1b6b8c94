#!/usr/bin/env python3
"""The operator's fields of a record through the carom command line (docs/schema.md): timestamp
and timestamp_source from Last-Attempt-Date, else Arrival-Date, else the bounce's Date; the token
as documented (recomputed here with hashlib), the same for the LF, CRLF and CR forms of one bounce
and on every run; sender from the original's Return-Path, else its From, else the bounce's To.
Standard library only.

Usage: test_stamp.py path/to/carom [unittest options]
"""
import hashlib
import json
import subprocess
import sys
import tempfile
import os
import unittest

CAROM = None


def bounce(last_attempt=None, arrival=None, date="Tue, 03 Feb 2026 19:15:01 +0900", original=None,
           to="Newsletter-Bounces@Example.COM"):
    """A Postfix-like RFC 3464 bounce for nobody@example.org, LF line ends. `original` is the list of
    header lines of the returned message (text/rfc822-headers), None for no returned message."""
    head = []
    if date is not None:
        head.append(f"Date: {date}")
    head += ["From: MAILER-DAEMON@mx.example.net (Mail Delivery System)",
             "Subject: Undelivered Mail Returned to Sender"]
    if to is not None:
        head.append(f"To: {to}")
    head += ["MIME-Version: 1.0",
             'Content-Type: multipart/report; report-type=delivery-status; boundary="b0"', ""]
    per_message = ["Reporting-MTA: dns; mx.example.net"]
    if arrival is not None:
        per_message.append(f"Arrival-Date: {arrival}")
    per_rcpt = ["Final-Recipient: rfc822; Nobody@Example.org", "Action: failed", "Status: 5.1.1",
                "Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown"]
    if last_attempt is not None:
        per_rcpt.append(f"Last-Attempt-Date: {last_attempt}")
    body = ["--b0", "Content-Type: text/plain", "", "Your message could not be delivered.", "",
            "--b0", "Content-Type: message/delivery-status", ""] + per_message + [""] + per_rcpt + [""]
    if original is not None:
        body += ["--b0", "Content-Type: text/rfc822-headers", ""] + original + [""]
    body += ["--b0--", ""]
    return "\n".join(head + body)


ORIGINAL = ["Return-Path: <Bounces+Nobody=example.org@News.Example.COM>",
            "From: Our News <news@example.com>",
            "To: nobody@example.org",
            "Subject: March news",
            "Date: Mon, 02 Feb 2026 08:00:00 -0500",
            "Message-ID: <Newsletter-42@example.com>"]


def classify(text, *args):
    """The records of one message given on standard input."""
    data = text.encode() if isinstance(text, str) else text
    proc = subprocess.run([CAROM, "classify", "--jobs", "1", *args, "-"], input=data, capture_output=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    lines = proc.stdout.decode().splitlines()
    assert len(lines) == 1, lines
    return json.loads(lines[0])


def token(sender, recipient, key):
    """docs/schema.md's definition, computed here independently of carom."""
    text = f"{(sender or '').lower()}\n{(recipient or '').lower()}\n{key or ''}"
    return hashlib.sha256(text.encode()).hexdigest()


class Timestamp(unittest.TestCase):
    def stamp(self, **kw):
        (rec,) = classify(bounce(original=ORIGINAL, **kw))["records"]
        return rec["timestamp"], rec["timestamp_source"]

    def test_last_attempt_date_first(self):
        self.assertEqual(self.stamp(last_attempt="Tue, 3 Feb 2026 10:11:12 +0900",
                                    arrival="Tue, 3 Feb 2026 10:00:00 +0900"),
                         ("2026-02-03T10:11:12+09:00", "last-attempt"))

    def test_arrival_date_when_no_last_attempt(self):
        self.assertEqual(self.stamp(arrival="Mon, 2 Feb 2026 23:00:00 -0330"),
                         ("2026-02-02T23:00:00-03:30", "arrival"))

    def test_the_bounces_date_when_neither(self):
        self.assertEqual(self.stamp(), ("2026-02-03T19:15:01+09:00", "date"))
        self.assertEqual(self.stamp(date="Tue, 3 Feb 2026 10:15:01 EST"), ("2026-02-03T10:15:01-05:00", "date"))
        self.assertEqual(self.stamp(date="Tue, 3 Feb 2026 10:15:01 -0000"), ("2026-02-03T10:15:01-00:00", "date"))

    def test_an_unreadable_date_gives_way_to_the_next(self):
        self.assertEqual(self.stamp(last_attempt="Sun, 31 Feb 2026 10:00:00 +0000",
                                    arrival="Tue, 3 Feb 2026 01:02:03 +0100"),
                         ("2026-02-03T01:02:03+01:00", "arrival"))
        self.assertEqual(self.stamp(arrival="soon"), ("2026-02-03T19:15:01+09:00", "date"))

    def test_none_at_all(self):
        self.assertEqual(self.stamp(date=None), (None, None))
        self.assertEqual(self.stamp(date="yesterday"), (None, None))

    def test_last_attempt_is_unchanged_beside_it(self):
        (rec,) = classify(bounce(last_attempt="Tue, 3 Feb 2026 10:11:12 +0900"))["records"]
        self.assertEqual(rec["last_attempt"], "2026-02-03T01:11:12Z")
        self.assertEqual(rec["timestamp"], "2026-02-03T10:11:12+09:00")

    def test_the_new_keys_come_last(self):
        (rec,) = classify(bounce(original=ORIGINAL))["records"]
        self.assertEqual(list(rec)[-6:], ["timestamp", "timestamp_source", "token", "sender",
                                          "envelope_recipient", "recipient_source"])
        (rec,) = classify(bounce(original=ORIGINAL), "--explain")["records"]
        self.assertEqual(list(rec)[-7:], ["hits", "timestamp", "timestamp_source", "token", "sender",
                                          "envelope_recipient", "recipient_source"])


class Token(unittest.TestCase):
    def test_documented_definition(self):
        out = classify(bounce(original=ORIGINAL))
        (rec,) = out["records"]
        self.assertEqual(out["original"]["message_id"], "Newsletter-42@example.com")
        self.assertEqual(rec["token"], token(rec["sender"], rec["recipient"], "Newsletter-42@example.com"))
        # and by hand: printf '%s\n%s\n%s' 'bounces+nobody=example.org@news.example.com' \
        #   'nobody@example.org' 'Newsletter-42@example.com' | sha256sum
        self.assertEqual(rec["token"], "982aa5d1b9f2514d788350176e10b6f0b2d4cecba63c1c8471785854e521b1a8")

    def test_original_date_without_message_id(self):
        original = [h for h in ORIGINAL if not h.startswith("Message-ID")]
        out = classify(bounce(original=original))
        (rec,) = out["records"]
        self.assertEqual(out["original"]["date"], "2026-02-02T13:00:00Z")
        self.assertEqual(rec["token"], token(rec["sender"], rec["recipient"], "2026-02-02T13:00:00Z"))

    def test_empty_key_without_original(self):
        (rec,) = classify(bounce())["records"]
        self.assertEqual(rec["token"], token(rec["sender"], rec["recipient"], ""))

    def test_same_token_for_every_line_end_and_every_run(self):
        lf = bounce(last_attempt="Tue, 3 Feb 2026 10:11:12 +0900", original=ORIGINAL)
        variants = {"LF": lf, "CRLF": lf.replace("\n", "\r\n"), "CR": lf.replace("\n", "\r")}
        seen = {}
        for name, text in variants.items():
            for run in range(2):
                (rec,) = classify(text)["records"]
                seen[(name, run)] = (rec["token"], rec["sender"], rec["timestamp"])
        self.assertEqual(len(set(seen.values())), 1, seen)
        self.assertEqual(seen[("LF", 0)][0],
                         token("bounces+nobody=example.org@news.example.com", "nobody@example.org",
                               "Newsletter-42@example.com"))

    def test_same_token_as_files_in_an_mbox(self):
        lf = bounce(original=ORIGINAL)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "bounces.mbox")
            with open(path, "w") as f:
                f.write("From MAILER-DAEMON Tue Feb  3 10:15:01 2026\n" + lf + "\n")
                f.write("From MAILER-DAEMON Tue Feb  3 10:15:02 2026\n" + lf + "\n")
            proc = subprocess.run([CAROM, "classify", path], capture_output=True, timeout=120)
            objs = [json.loads(l) for l in proc.stdout.decode().splitlines()]
        self.assertEqual(len(objs), 2)
        self.assertEqual(objs[0]["records"][0]["token"], objs[1]["records"][0]["token"])
        self.assertEqual(objs[0]["records"][0]["token"], classify(lf)["records"][0]["token"])


class Sender(unittest.TestCase):
    def sender(self, original, to="Newsletter-Bounces@Example.COM"):
        (rec,) = classify(bounce(original=original, to=to))["records"]
        return rec["sender"]

    def test_return_path_first(self):
        # the domain in lower case, the local part as written
        self.assertEqual(self.sender(ORIGINAL), "Bounces+Nobody=example.org@news.example.com")

    def test_from_without_return_path(self):
        self.assertEqual(self.sender([h for h in ORIGINAL if not h.startswith("Return-Path")]), "news@example.com")
        null = ["Return-Path: <>"] + [h for h in ORIGINAL if not h.startswith("Return-Path")]
        self.assertEqual(self.sender(null), "news@example.com")

    def test_the_bounces_to_without_original(self):
        self.assertEqual(self.sender(None), "Newsletter-Bounces@example.com")
        self.assertEqual(self.sender(None, to="Bounces <x@Example.NET>, y@example.net"), "x@example.net")

    def test_none(self):
        self.assertIsNone(self.sender(None, to=None))


def main():
    global CAROM
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    CAROM = sys.argv.pop(1)
    unittest.main(verbosity=2)


if __name__ == "__main__":
    main()
