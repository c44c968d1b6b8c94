#!/usr/bin/env python3
"""Envelope decoding as data on the records, through the carom command line (docs/schema.md, "The
envelope" and "recipient_source"): a VERP address of the context's template names the recipient
we mailed (envelope_recipient; the recipient itself when the report names none or only the
returned message's To does); SRS and BATV layers are undone and give the sender, never a
recipient; recipient_source says where each record's recipient came from. Standard library only.

Usage: test_envelope.py path/to/carom [unittest options]
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

CAROM = None
TEMPLATE = "bounces+{recipient}@ours.example"


def dsn(final="alice@forward.example", to="bounces+alice=example.org@ours.example", extra_head=(),
        original=("From: News <news@ours.example>", "To: alice@example.org", "Subject: March news",
                  "Message-ID: <news-42@ours.example>")):
    """An RFC 3464 bounce for `final` sent back to `to`."""
    head = ["From: MAILER-DAEMON@mx.forward.example (Mail Delivery System)",
            "Subject: Undelivered Mail Returned to Sender", f"To: {to}", *extra_head, "MIME-Version: 1.0",
            'Content-Type: multipart/report; report-type=delivery-status; boundary="b0"', ""]
    body = ["--b0", "Content-Type: text/plain", "", "Your message could not be delivered.", "",
            "--b0", "Content-Type: message/delivery-status", "", "Reporting-MTA: dns; mx.forward.example", "",
            f"Final-Recipient: rfc822; {final}", "Action: failed", "Status: 5.1.1",
            f"Diagnostic-Code: smtp; 550 5.1.1 <{final}>: Recipient address rejected: User unknown", ""]
    if original is not None:
        body += ["--b0", "Content-Type: text/rfc822-headers", "", *original, ""]
    body += ["--b0--", ""]
    return "\n".join(head + body)


def postfix_unavailable(to="bounces+alice=example.org@ours.example"):
    """A Postfix bounce whose report is unavailable: the only recipient is the returned To."""
    return "\n".join([
        "Return-Path: <>",
        "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)",
        f"To: {to}",
        "Subject: Undelivered Mail Returned to Sender",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="b1"', "",
        "--b1", "Content-Type: text/plain", "",
        "This is the mail system at host mx.example.net.", "",
        "--- Delivery report unavailable ---", "",
        "--b1", "Content-Type: message/rfc822", "",
        "From: News <news@ours.example>", "To: list-members@lists.example.org", "Subject: March news",
        "Message-ID: <news-43@ours.example>", "", "Hello.", "",
        "--b1--", ""])


class Cli(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.context = os.path.join(self._tmp.name, "context.json")
        with open(self.context, "w") as f:
            json.dump({"verp": {"template": TEMPLATE}}, f)

    def tearDown(self):
        self._tmp.cleanup()

    def classify(self, text, context=True):
        args = [CAROM, "classify", "--jobs", "1"] + (["--context", self.context] if context else []) + ["-"]
        proc = subprocess.run(args, input=text.encode(), capture_output=True, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = proc.stdout.decode().splitlines()
        self.assertEqual(len(lines), 1)
        return json.loads(lines[0])

    def test_verp_bounce_naming_an_alias_keeps_both(self):
        # The done-when of the issue: the report names the forward target; the VERP address names
        # the address we mailed, which is the one to act on.
        rec = self.classify(dsn())["records"]
        self.assertEqual(len(rec), 1)
        self.assertEqual(rec[0]["recipient"], "alice@forward.example")
        self.assertEqual(rec[0]["envelope_recipient"], "alice@example.org")
        self.assertEqual(rec[0]["recipient_source"], "dsn")
        self.assertEqual(rec[0]["class"], "hard")

    def test_keys_come_last_in_order(self):
        keys = list(self.classify(dsn())["records"][0])
        self.assertEqual(keys[-4:], ["token", "sender", "envelope_recipient", "recipient_source"])

    def test_without_the_template_nothing_is_decoded(self):
        rec = self.classify(dsn(), context=False)["records"][0]
        self.assertEqual(rec["recipient"], "alice@forward.example")
        self.assertIsNone(rec["envelope_recipient"])
        self.assertEqual(rec["recipient_source"], "dsn")

    def test_delivered_to_is_read_before_to(self):
        rec = self.classify(dsn(to="Sender <other@ours.example>",
                                extra_head=["Delivered-To: bounces+bob=example.net@ours.example"]))["records"][0]
        self.assertEqual(rec["envelope_recipient"], "bob@example.net")

    def test_srs_and_batv_wrapped_verp_decodes(self):
        srs = "SRS0=HHH=TT=ours.example=prvs=1234abcdef=bounces+carol=example.com@forwarder.example"
        rec = self.classify(dsn(to=srs, original=None))["records"][0]
        self.assertEqual(rec["envelope_recipient"], "carol@example.com")
        self.assertEqual(rec["recipient"], "alice@forward.example")

    def test_the_returned_original_return_path_is_read_last(self):
        rec = self.classify(dsn(to="someone@elsewhere.example", original=(
            "Return-Path: <bounces+dave=example.org@ours.example>", "To: dave@example.org")))["records"][0]
        self.assertEqual(rec["envelope_recipient"], "dave@example.org")

    def test_recipient_only_from_the_returned_to_takes_the_verp_address(self):
        rec = self.classify(postfix_unavailable())["records"]
        self.assertEqual(len(rec), 1)
        self.assertEqual(rec[0]["recipient"], "alice@example.org")
        self.assertEqual(rec[0]["recipient_source"], "verp")
        self.assertEqual(rec[0]["envelope_recipient"], "alice@example.org")

    def test_recipient_from_the_returned_to_without_verp(self):
        rec = self.classify(postfix_unavailable(to="bounces@ours.example"))["records"][0]
        self.assertEqual(rec["recipient"], "list-members@lists.example.org")
        self.assertEqual(rec["recipient_source"], "original-header")
        self.assertIsNone(rec["envelope_recipient"])

    def test_token_follows_the_verp_recipient(self):
        import hashlib
        rec = self.classify(postfix_unavailable())["records"][0]
        text = f"{rec['sender'].lower()}\n{rec['recipient'].lower()}\nnews-43@ours.example"
        self.assertEqual(rec["token"], hashlib.sha256(text.encode()).hexdigest())

    def test_a_verp_address_on_ordinary_mail_invents_no_record(self):
        text = "\n".join(["From: Bob <bob@example.org>", "To: bounces+alice=example.org@ours.example",
                          "Subject: hello", "", "Just a note.", ""])
        self.assertEqual(self.classify(text)["records"], [])

    def test_malformed_verp_is_left_alone(self):
        rec = self.classify(dsn(to="bounces+alice@ours.example"))["records"][0]
        self.assertIsNone(rec["envelope_recipient"])
        self.assertEqual(rec["recipient"], "alice@forward.example")

    def test_batv_gives_the_sender_not_a_recipient(self):
        rec = self.classify(dsn(to="prvs=1234abcdef=news@ours.example", original=None))["records"][0]
        self.assertEqual(rec["sender"], "news@ours.example")
        self.assertEqual(rec["recipient"], "alice@forward.example")
        self.assertIsNone(rec["envelope_recipient"])

    def test_srs_gives_the_sender(self):
        rec = self.classify(dsn(to="SRS1=XyZ=fwd1.example==AbC=T5=ours.example=news@fwd2.example",
                                original=None))["records"][0]
        self.assertEqual(rec["sender"], "news@ours.example")

    def test_text_source(self):
        text = "\n".join([
            "Return-Path: <>", "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>",
            "To: news@ours.example", "Subject: Delivery failure", "",
            "Your message could not be delivered to the following recipients:", "",
            "    erin@example.net", "", "550 5.1.1 User unknown", ""])
        rec = self.classify(text, context=False)["records"]
        self.assertEqual([r["recipient"] for r in rec], ["erin@example.net"])
        self.assertEqual(rec[0]["recipient_source"], "text")

    def test_x_failed_recipients_source(self):
        text = "\n".join([
            "Return-Path: <>", "From: Mail Delivery System <Mailer-Daemon@mx.example.net>",
            "To: news@ours.example", "X-Failed-Recipients: frank@example.net",
            "Subject: Mail delivery failed: returning message to sender", "",
            "A message that you sent could not be delivered.", "", "550 5.1.1 User unknown", ""])
        rec = self.classify(text, context=False)["records"]
        self.assertEqual(rec[0]["recipient"], "frank@example.net")
        self.assertEqual(rec[0]["recipient_source"], "x-failed-recipients")


def main():
    global CAROM
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    CAROM = sys.argv.pop(1)
    unittest.main(verbosity=2)


if __name__ == "__main__":
    main()
