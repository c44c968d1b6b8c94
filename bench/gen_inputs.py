#!/usr/bin/env python3
"""Writes the synthetic inputs of docs/performance.md (nothing here is committed output).

  gen_inputs.py big OUT.eml [--mb 15]     one RFC 3464 bounce of about MB megabytes: a text part, a
                                          delivery-status part, and the returned message with a
                                          text part and several large base64 image attachments
  gen_inputs.py mbox OUT.mbox [--mb 1024] an mbox of about MB megabytes: bounces of several
                                          formats (Postfix DSN, Exim, qmail, Sendmail, an
                                          auto-reply) with varying recipients, repeated

All addresses are made up (example.com / example.org / example.net). Deterministic output.
"""
import argparse
import base64
import random

BOUNDARY = "=_report_0123456789"
INNER = "=_mixed_9876543210"


def b64_lines(n_bytes, rng):
    raw = rng.randbytes(n_bytes) if hasattr(rng, "randbytes") else bytes(rng.getrandbits(8) for _ in range(n_bytes))
    enc = base64.b64encode(raw).decode("ascii")
    return "\n".join(enc[i:i + 76] for i in range(0, len(enc), 76))


def big_message(mb):
    rng = random.Random(15)
    n_att = 5
    att_bytes = int(mb * 1024 * 1024 * 3 / 4 / n_att)  # base64 grows by 4/3
    parts = []
    for k in range(n_att):
        parts.append(
            f"--{INNER}\nContent-Type: image/png; name=\"photo{k}.png\"\n"
            f"Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=\"photo{k}.png\"\n\n"
            + b64_lines(att_bytes, rng) + "\n")
    original = (
        "From: Sender Example <sender@example.com>\nTo: someone@example.org\n"
        "Subject: holiday photos\nDate: Tue, 03 Feb 2026 10:00:00 +0000\n"
        "Message-ID: <photos.4711@mail.example.com>\nMIME-Version: 1.0\n"
        f"Content-Type: multipart/mixed; boundary=\"{INNER}\"\n\n"
        f"--{INNER}\nContent-Type: text/plain; charset=us-ascii\n\nHere are the photos.\n"
        + "".join(parts) + f"--{INNER}--\n")
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\nTo: sender@example.com\n"
        "Subject: Undelivered Mail Returned to Sender\nDate: Tue, 03 Feb 2026 10:00:05 +0000\n"
        "Message-ID: <bounce.4711@mx.example.com>\nMIME-Version: 1.0\n"
        f"Content-Type: multipart/report; report-type=delivery-status; boundary=\"{BOUNDARY}\"\n\n"
        f"--{BOUNDARY}\nContent-Type: text/plain; charset=us-ascii\n\n"
        "This is the mail system at host mx.example.com.\n\n"
        "I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n"
        "<someone@example.org>: host mx.example.org[192.0.2.25] said: 552 5.2.2\n"
        "    Mailbox full (in reply to RCPT TO command)\n\n"
        f"--{BOUNDARY}\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.example.com\nArrival-Date: Tue, 03 Feb 2026 10:00:00 +0000\n\n"
        "Final-Recipient: rfc822; someone@example.org\nAction: failed\nStatus: 5.2.2\n"
        "Remote-MTA: dns; mx.example.org\nDiagnostic-Code: smtp; 552 5.2.2 Mailbox full\n\n"
        f"--{BOUNDARY}\nContent-Type: message/rfc822\n\n" + original + f"\n--{BOUNDARY}--\n")


def samples():
    """Small bounces of several shapes; {n} makes every recipient different."""
    yield lambda n: (
        "From: MAILER-DAEMON@mx.example.com (Mail Delivery System)\nTo: list@example.com\n"
        "Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n\n"
        "--b1\nContent-Type: text/plain\n\nThis is the mail system at host mx.example.com.\n\n"
        f"<user{n}@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1 <user{n}@example.org>:\n"
        "    Recipient address rejected: User unknown in local recipient table (in reply to\n    RCPT TO command)\n\n"
        "--b1\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\n\n"
        f"Final-Recipient: rfc822; user{n}@example.org\nAction: failed\nStatus: 5.1.1\n"
        f"Diagnostic-Code: smtp; 550 5.1.1 <user{n}@example.org>: Recipient address rejected\n\n"
        "--b1\nContent-Type: text/rfc822-headers\n\nFrom: list@example.com\n"
        f"To: user{n}@example.org\nSubject: newsletter {n}\nMessage-ID: <n{n}@example.com>\n\n--b1--\n")
    yield lambda n: (
        "From: Mail Delivery System <Mailer-Daemon@relay.example.net>\nTo: list@example.com\n"
        "Subject: Mail delivery failed: returning message to sender\nX-Failed-Recipients: "
        f"user{n}@example.net\nAuto-Submitted: auto-replied\n\n"
        "This message was created automatically by mail delivery software.\n\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n\n"
        f"  user{n}@example.net\n    host mx.example.net [198.51.100.7]\n"
        "    SMTP error from remote mail server after RCPT TO:<x@example.net>:\n"
        "    452 4.2.2 The email account that you tried to reach is over quota\n\n"
        "------ This is a copy of the message, including all the headers. ------\n\n"
        f"From: list@example.com\nTo: user{n}@example.net\nSubject: newsletter {n}\n\nHello.\n")
    yield lambda n: (
        "From: MAILER-DAEMON@qmail.example.org\nTo: list@example.com\nSubject: failure notice\n\n"
        "Hi. This is the qmail-send program at qmail.example.org.\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
        f"<user{n}@example.org>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n"
        "--- Below this line is a copy of the message.\n\n"
        f"From: list@example.com\nTo: user{n}@example.org\nSubject: hello\n\nHi.\n")
    yield lambda n: (
        "From: Mail Delivery Subsystem <MAILER-DAEMON@sm.example.net>\nTo: list@example.com\n"
        "Subject: Returned mail: see transcript for details\nMIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b2\"\n\n"
        "--b2\n\nThe original message was received at Mon, 2 Feb 2026 09:00:00 +0100\n\n"
        "   ----- The following addresses had permanent fatal errors -----\n"
        f"<user{n}@example.net>\n    (reason: 550 5.7.1 Message rejected as spam)\n\n"
        "   ----- Transcript of session follows -----\n... while talking to mx.example.net.:\n"
        ">>> DATA\n<<< 550 5.7.1 Message rejected as spam\n554 5.0.0 Service unavailable\n\n"
        "--b2\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; sm.example.net\n\n"
        f"Final-Recipient: RFC822; user{n}@example.net\nAction: failed\nStatus: 5.7.1\n"
        "Diagnostic-Code: SMTP; 550 5.7.1 Message rejected as spam\n\n--b2--\n")
    yield lambda n: (
        f"From: user{n}@example.org\nTo: list@example.com\nSubject: Out of office: newsletter\n"
        "Auto-Submitted: auto-replied\nPrecedence: bulk\n\n"
        "I am out of the office until Monday and will read your message when I return.\n")


def mbox(mb, out):
    target = int(mb * 1024 * 1024)
    gens = list(samples())
    written = n = 0
    while written < target:
        body = gens[n % len(gens)](n)
        body = body.replace("\nFrom ", "\n>From ")
        chunk = f"From MAILER-DAEMON Tue Feb  3 10:00:{n % 60:02d} 2026\n{body}\n"
        out.write(chunk)
        written += len(chunk)
        n += 1
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kind", choices=["big", "mbox"])
    ap.add_argument("out")
    ap.add_argument("--mb", type=float)
    a = ap.parse_args()
    with open(a.out, "w", encoding="ascii", newline="\n") as f:
        if a.kind == "big":
            f.write(big_message(a.mb or 15))
        else:
            n = mbox(a.mb or 1024, f)
            print(f"{n} messages")


if __name__ == "__main__":
    main()
