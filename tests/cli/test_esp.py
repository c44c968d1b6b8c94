#!/usr/bin/env python3
"""ESP events in, the same taxonomy out (docs/taxonomy.md, "ESP events"), through the carom
command line: one project-written sample per ESP and event kind (tests/data/esp: the documented
shapes, made-up addresses) gives the class and reason that the ESP's documentation says; an
SNS-wrapped SES bounce and the same bounce written as a Postfix DSN get the same reason; JSON that
is malformed, or not an ESP event, gives a clear error and no records, never a crash; arrays and
JSON Lines are one message with one record per event. Standard library only.

Usage: test_esp.py path/to/carom [unittest options]
"""
import hashlib
import json
import os
import subprocess
import sys
import unittest

CAROM = None
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "esp")

# sample → (class, reason, what the ESP's documentation says the event means: the independent
# reason for the expectation).
EXPECTED = {
    # Amazon SES: "Contents of notifications" / "Contents of event data", bounce types table.
    "ses-bounce-permanent-noemail.json": ("hard", "userunknown", "Permanent/NoEmail: the intended recipient's mailbox does not exist"),
    "ses-event-bounce-noemail.json": ("hard", "userunknown", "eventType Bounce, Permanent/NoEmail: the mailbox does not exist"),
    "ses-bounce-permanent-general.json": ("soft", "onhold", "Permanent/General: a general hard bounce; the 5.0.0 text names no cause"),
    "ses-bounce-permanent-suppressed.json": ("soft", "suppressed", "Permanent/Suppressed: on the SES suppression list, not sent"),
    "ses-bounce-permanent-onaccountsuppressionlist.json": ("soft", "suppressed", "Permanent/OnAccountSuppressionList: on the account-level suppression list, not sent"),
    "ses-bounce-transient-mailboxfull.json": ("soft", "mailboxfull", "Transient/MailboxFull: the recipient's mailbox is full"),
    "ses-bounce-transient-messagetoolarge.json": ("soft", "mesgtoobig", "Transient/MessageTooLarge: the message exceeds a size limit"),
    "ses-bounce-transient-contentrejected.json": ("block", "contenterror", "Transient/ContentRejected: the content was rejected"),
    "ses-bounce-transient-attachmentrejected.json": ("block", "contenterror", "Transient/AttachmentRejected: an unacceptable attachment"),
    "ses-bounce-undetermined.json": ("soft", "onhold", "Undetermined/Undetermined: SES could not tell why"),
    "ses-complaint.json": ("feedback", "feedback", "Complaint: the recipient marked the message as spam (feedback type abuse)"),
    "ses-delivery.json": ("delivered", "delivered", "Delivery: the recipient's server accepted the message"),
    "ses-deliverydelay.json": ("delayed", "mailboxfull", "DeliveryDelay, delayType MailboxFull: delayed, the mailbox is full"),
    "ses-sns-bounce.json": ("hard", "userunknown", "an SNS notification whose Message is a bounce for an unknown user"),
    # SendGrid: Event Webhook reference (bounce / blocked / dropped / deferred / delivered / spamreport).
    "sendgrid-bounce.json": ("hard", "userunknown", "bounce, type bounce: the server refused permanently; 5.1.1 no such account"),
    "sendgrid-blocked.json": ("block", "blocked", "bounce, type blocked: the receiving server blocked the sending IP (a DNSBL)"),
    "sendgrid-blocked-noreason.json": ("block", "blocked", "bounce, type blocked, no reason text: blocked by the receiver"),
    "sendgrid-dropped.json": ("soft", "suppressed", "dropped, Bounced Address: SendGrid did not send, the address is on its bounce list"),
    "sendgrid-deferred.json": ("delayed", "mailboxfull", "deferred: temporarily rejected, retried; the reply says over quota"),
    "sendgrid-delivered.json": ("delivered", "delivered", "delivered: accepted by the receiving server"),
    "sendgrid-spamreport.json": ("feedback", "feedback", "spamreport: the recipient marked the message as spam"),
    # Mailgun: Events / webhooks (failed with severity, reason; complained; delivered).
    "mailgun-failed-permanent.json": ("hard", "userunknown", "failed, severity permanent, reason bounce: 550 5.1.1 no such account"),
    "mailgun-failed-suppress-bounce.json": ("soft", "suppressed", "failed, reason suppress-bounce: not sent, the address bounced before"),
    "mailgun-failed-temporary.json": ("delayed", "mailboxfull", "failed, severity temporary: Mailgun retries; 452 4.2.2 over quota"),
    "mailgun-failed-old.json": ("soft", "expired", "failed, reason old: Mailgun stopped retrying, the message is too old"),
    "mailgun-complained.json": ("feedback", "feedback", "complained: the recipient reported spam"),
    "mailgun-delivered.json": ("delivered", "delivered", "delivered: accepted by the recipient's server"),
    # Postmark: bounce webhook and bounce types (HardBounce, SoftBounce, Transient, ...).
    "postmark-hardbounce.json": ("hard", "userunknown", "HardBounce: unknown user, mailbox not found"),
    "postmark-softbounce.json": ("soft", "mailboxfull", "SoftBounce: temporarily undeliverable; the Details say mailbox full"),
    "postmark-transient.json": ("delayed", "expired", "Transient: message delayed"),
    "postmark-dnserror.json": ("soft", "networkerror", "DnsError: a temporary DNS error"),
    "postmark-spamnotification.json": ("block", "spamdetected", "SpamNotification: classified as spam by the receiver"),
    "postmark-autoresponder.json": ("auto_reply", "vacation", "AutoResponder: an out-of-office reply"),
    "postmark-manuallydeactivated.json": ("soft", "suppressed", "ManuallyDeactivated: the address was deactivated, not sent"),
    "postmark-spamcomplaint.json": ("feedback", "feedback", "RecordType SpamComplaint: marked as spam"),
    "postmark-delivery.json": ("delivered", "delivered", "RecordType Delivery: delivered"),
    # SparkPost: message events and bounce classes.
    "sparkpost-bounce-10.json": ("hard", "userunknown", "bounce_class 10 Invalid Recipient"),
    "sparkpost-bounce-22.json": ("soft", "mailboxfull", "bounce_class 22 Mailbox Full"),
    "sparkpost-bounce-50.json": ("block", "blocked", "bounce_class 51 Spam Block: the sending IP is on a block list"),
    "sparkpost-bounce-53.json": ("block", "virusdetected", "bounce_class 53 Prohibited Attachment (no text from the server)"),
    "sparkpost-bounce-60.json": ("auto_reply", "vacation", "bounce_class 60 Auto-Reply"),
    "sparkpost-out-of-band.json": ("hard", "userunknown", "out_of_band, bounce_class 10: a later bounce for an invalid recipient"),
    "sparkpost-policy-rejection.json": ("soft", "suppressed", "policy_rejection, bounce_class 25 Admin Failure: SparkPost's policy (suppression) refused it"),
    "sparkpost-delay.json": ("delayed", "networkerror", "delay: a temporary failure, retried; no MX could be reached"),
    "sparkpost-delivery.json": ("delivered", "delivered", "delivery: accepted by the receiving server"),
    "sparkpost-spam-complaint.json": ("feedback", "feedback", "spam_complaint (fbtype abuse)"),
}

FORMATS = {"ses": "ses-event", "sendgrid": "sendgrid-event", "mailgun": "mailgun-event", "postmark": "postmark-event",
           "sparkpost": "sparkpost-event"}

POSTFIX_DSN = "\n".join([
    "Date: Mon,  2 Mar 2026 10:15:04 +0100 (CET)",
    "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)",
    "Subject: Undelivered Mail Returned to Sender",
    "To: news@ours.example",
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b0"', "",
    "--b0", "Content-Type: text/plain", "",
    "This is the mail system at host mx.example.org.", "",
    "<kim.unknown@example.org>: host mx.example.org[192.0.2.25] said: 550 5.1.1",
    "    <kim.unknown@example.org>: Recipient address rejected: User unknown in local",
    "    recipient table (in reply to RCPT TO command)", "",
    "--b0", "Content-Type: message/delivery-status", "",
    "Reporting-MTA: dns; mx.example.org", "",
    "Final-Recipient: rfc822; kim.unknown@example.org", "Action: failed", "Status: 5.1.1",
    "Remote-MTA: dns; mx.example.org",
    "Diagnostic-Code: smtp; 550 5.1.1 <kim.unknown@example.org>: Recipient address rejected: User unknown in local recipient table",
    "", "--b0--", ""])


def classify(data=None, path=None, *args):
    """One JSON object per input: the parsed output of `carom classify`."""
    cmd = [CAROM, "classify", "--jobs", "1", *args, path if path else "-"]
    proc = subprocess.run(cmd, input=data, capture_output=True, timeout=120)
    assert proc.returncode >= 0, f"carom died of signal {-proc.returncode}"
    lines = [line for line in proc.stdout.decode().splitlines() if line.strip()]
    assert len(lines) == 1, (lines, proc.stderr)
    return json.loads(lines[0])


class Samples(unittest.TestCase):
    def test_enough_samples(self):
        files = sorted(f for f in os.listdir(DATA) if f.endswith(".json"))
        self.assertEqual(files, sorted(EXPECTED))
        self.assertGreaterEqual(len(EXPECTED), 25)
        for vendor in FORMATS:
            self.assertGreaterEqual(sum(f.startswith(vendor + "-") for f in files), 6, vendor)

    def test_documented_class_and_reason(self):
        for name, (cls, reason, why) in EXPECTED.items():
            with self.subTest(sample=name, documented=why):
                out = classify(path=os.path.join(DATA, name))
                self.assertIsNone(out["error"])
                self.assertEqual(out["format"], FORMATS[name.split("-")[0]])
                self.assertEqual(len(out["records"]), 1)
                r = out["records"][0]
                self.assertEqual((r["class"], r["reason"]), (cls, reason), why)
                self.assertEqual(r["recipient_source"], "esp")
                self.assertTrue(r["rule"] and r["rule"] != "none")
                self.assertRegex(r["timestamp"] or "", r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
                self.assertEqual(r["timestamp_source"], "event")

    def test_token_is_recomputable(self):
        out = classify(path=os.path.join(DATA, "ses-sns-bounce.json"))
        r = out["records"][0]
        key = out["original"]["message_id"]  # from the JSON alone, as docs/schema.md says
        self.assertEqual((key, out["original"]["subject"]), ("news-2026-03@ours.example", "March news"))
        expected = hashlib.sha256(f"{r['sender']}\n{r['recipient']}\n{key}".encode()).hexdigest()
        self.assertEqual(r["sender"], "news@ours.example")
        self.assertEqual(r["token"], expected)

    def test_words_decide_before_the_esp_type(self):
        # The SNS sample says Permanent/General; the remote server's words say user unknown.
        r = classify(path=os.path.join(DATA, "ses-sns-bounce.json"))["records"][0]
        self.assertEqual(r["reason"], "userunknown")
        self.assertFalse(r["rule"].startswith("esp."))
        # With no words, the ESP's type names the reason and the rule says so.
        r = classify(path=os.path.join(DATA, "sparkpost-bounce-53.json"))["records"][0]
        self.assertEqual(r["rule"], "esp.sparkpost.class.53")


class SameAsEmail(unittest.TestCase):
    def test_sns_ses_bounce_and_postfix_dsn_agree(self):
        event = classify(path=os.path.join(DATA, "ses-sns-bounce.json"))["records"][0]
        email = classify(POSTFIX_DSN.encode())
        self.assertEqual(email["format"], "postfix")
        mail = email["records"][0]
        self.assertEqual(event["recipient"], mail["recipient"])
        self.assertEqual((event["class"], event["reason"], event["status"]), (mail["class"], mail["reason"], mail["status"]))
        self.assertEqual(event["rule"], mail["rule"])


class Containers(unittest.TestCase):
    def events(self, *names):
        out = []
        for n in names:
            with open(os.path.join(DATA, n)) as f:
                v = json.load(f)
            out += v if isinstance(v, list) else [v]
        return out

    def test_array_is_one_message(self):
        batch = self.events("sendgrid-bounce.json", "sendgrid-delivered.json", "sendgrid-spamreport.json")
        out = classify(json.dumps(batch).encode())
        self.assertEqual([r["class"] for r in out["records"]], ["hard", "delivered", "feedback"])
        self.assertEqual(out["original"]["message_id"], "news-2026-03@ours.example")  # one sent message
        batch[1]["smtp-id"] = "<other@ours.example>"
        self.assertIsNone(classify(json.dumps(batch).encode())["original"])  # two: no one original

    def test_json_lines(self):
        events = self.events("mailgun-failed-permanent.json", "postmark-hardbounce.json", "sparkpost-bounce-22.json")
        data = "\r\n".join(json.dumps(e) for e in events) + "\r\n\r\n"
        out = classify(data.encode())
        self.assertIsNone(out["error"])
        self.assertEqual([r["reason"] for r in out["records"]], ["userunknown", "userunknown", "mailboxfull"])
        self.assertEqual(out["format"], "mailgun-event")  # the first event's

    def test_bom_and_pretty_printing(self):
        with open(os.path.join(DATA, "postmark-hardbounce.json"), "rb") as f:
            data = f.read()
        self.assertIn(b"\n  ", data)
        out = classify(b"\xef\xbb\xbf" + data)
        self.assertEqual(out["records"][0]["reason"], "userunknown")


class NotEvents(unittest.TestCase):
    def assert_error(self, data, words, *args):
        out = classify(data, None, *args)
        self.assertEqual(out["records"], [])
        self.assertIsNotNone(out["error"])
        self.assertEqual(out["error"]["code"], "not_email")
        self.assertIn(words, out["error"]["message"])

    def test_malformed_json(self):
        self.assert_error(b'{"notificationType": "Bounce", "bounce": {', "not JSON at byte")
        self.assert_error(b'[{"event": "bounce", "email": "kim@example.org"},', "not JSON: the array is not closed")
        self.assert_error(b'[{"event": "bounce", "email": "kim@example.org"}, {"event": }]', "array element 2: not JSON at byte")
        self.assert_error(b'{"event": "bounce"} trailing', "not JSON at byte")

    def test_a_bad_line_of_json_lines(self):
        good = json.dumps({"event": "bounce", "email": "kim@example.org", "reason": "550 5.1.1 user unknown"})
        self.assert_error((good + "\n{\"event\": \n").encode(), "line 2")

    def test_numbers_out_of_range(self):
        # A number no double holds is not JSON to the parser; one a double holds is no time.
        self.assert_error(b'[{"event": "bounce", "email": "kim@example.org", "timestamp": 1e999}]', "not JSON")
        for ts in (b"1e300", b"-5", b"18446744073709551615", b'"99999999999999999999"'):
            with self.subTest(timestamp=ts):
                out = classify(b'{"event": "bounce", "email": "kim@example.org", "timestamp": ' + ts + b'}')
                self.assertIsNone(out["error"])
                self.assertIsNone(out["records"][0]["timestamp"])

    def test_deep_nesting_is_refused(self):
        self.assert_error(b"[" * 200000 + b"]" * 200000, "nested deeper")
        self.assert_error(b'{"a":' * 100000, "nested deeper")

    def test_one_event_over_text_bytes_is_refused(self):
        big = json.dumps({"event": "bounce", "email": "kim@example.org", "reason": "x" * 5000})
        self.assert_error(big.encode(), "more than the text_bytes limit", "--limit", "text_bytes=4k")

    def test_a_large_batch_is_read_event_by_event(self):
        batch = [{"event": "bounce", "email": f"user{i}@example.org", "type": "bounce",
                  "reason": "550 5.1.1 user unknown", "timestamp": 1772442900 + i} for i in range(3000)]
        out = classify(json.dumps(batch).encode(), None, "--limit", "text_bytes=4k")
        self.assertIsNone(out["error"])
        self.assertEqual(len(out["records"]), 3000)
        self.assertEqual(out["records"][-1]["recipient"], "user2999@example.org")
        out = classify(json.dumps(batch).encode(), None, "--limit", "recipients=100")
        self.assertEqual(out["error"]["code"], "too_many_recipients")

    def test_ordinary_json_is_not_a_bounce(self):
        for data in (b'{"name": "kim", "email": "kim@example.org"}', b"[1, 2, 3]", b"{}", b"[]",
                     b'{"Type": "Notification", "TopicArn": "arn:x", "Message": "hello"}',
                     b'{"event": "bounce"}'):
            with self.subTest(data=data):
                self.assert_error(data, "no event of Amazon SES, SendGrid, Mailgun, Postmark or SparkPost")

    def test_an_event_without_recipient_gives_no_record(self):
        out = classify(b'{"event": "bounce", "email": "not an address", "reason": "550 user unknown"}')
        self.assertIsNone(out["error"])
        self.assertEqual(out["records"], [])


if __name__ == "__main__":
    CAROM = sys.argv.pop(1)
    unittest.main()
