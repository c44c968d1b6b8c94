"""Writes a synthetic mbox for the Dask tests and bench/python/dask_scale.py (deterministic).

    write_mbox(path, n, seed=16, big_every=97, big_bytes=6000) -> number of messages written

Varied small messages: RFC 3464 DSN bounces (hard, soft, several recipients), plain-text
bounces, auto-replies and ordinary mail; some bodies hold mboxrd-quoted lines (">From ",
">>From ") and "From " lines that are not separators (no time); every `big_every`-th message has a
body of about `big_bytes` bytes, over a small message_bytes limit. Each message is written after
an mbox separator line and ends with the blank line an mbox puts after every message. All
addresses are made up (example.com / example.org / example.net).
"""
import random

_USERS = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy")
_DOMAINS = ("example.org", "example.net", "mail.example.org", "lists.example.net")
_DIAG = (
    ("5.1.1", "550", "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table"),
    ("5.2.2", "552", "552 5.2.2 <{rcpt}>: Mailbox full"),
    ("4.4.1", "451", "451 4.4.1 Connection timed out"),
    ("5.7.1", "554", "554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using zen.example.net"),
    ("5.0.0", "550", "550 Requested action not taken: mailbox unavailable"),
)
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _separator(rng, i):
    sender = "MAILER-DAEMON" if i % 3 else f"bounce-{i}@example.com"
    return (f"From {sender} {_WEEKDAYS[i % 7]} Feb {1 + i % 28:2d} "
            f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d} 2026\n")


def _body_lines(rng, i):
    lines = [f"Message number {i}."]
    r = rng.random()
    if r < 0.15:
        lines.append(">From the archive: a quoted line")  # mboxrd: unquoted once on reading
    elif r < 0.25:
        lines.append(">>From twice quoted")
    elif r < 0.35:
        lines.append("From here on, a line that starts with From but is no separator")
    return lines


def _dsn(rng, i, rcpts):
    boundary = f"=_b{i}"
    status, code, diag = rng.choice(_DIAG)
    per = []
    for rcpt in rcpts:
        per.append(f"Final-Recipient: rfc822; {rcpt}\nAction: {'delayed' if status.startswith('4') else 'failed'}\n"
                   f"Status: {status}\nRemote-MTA: dns; mx.{rcpt.split('@')[1]}\n"
                   f"Diagnostic-Code: smtp; {diag.format(rcpt=rcpt)}\n")
    body = "\n".join(_body_lines(rng, i))
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\nTo: sender@example.com\n"
        f"Subject: Undelivered Mail Returned to Sender\nDate: Tue, 03 Feb 2026 10:{i % 60:02d}:05 +0000\n"
        f"Message-ID: <bounce.{i}@mx.example.com>\nMIME-Version: 1.0\n"
        f"Content-Type: multipart/report; report-type=delivery-status; boundary=\"{boundary}\"\n\n"
        f"--{boundary}\nContent-Type: text/plain; charset=us-ascii\n\n"
        "This is the mail system at host mx.example.com.\n\n"
        f"I'm sorry to have to inform you that your message could not be delivered.\n{body}\n\n"
        f"--{boundary}\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.example.com\n\n" + "\n".join(per) + "\n"
        f"--{boundary}\nContent-Type: text/rfc822-headers\n\n"
        f"From: sender@example.com\nTo: {', '.join(rcpts)}\nSubject: news {i}\n"
        f"Message-ID: <news.{i}@example.com>\n\n--{boundary}--\n")


def _plain_bounce(rng, i, rcpt):
    status, code, diag = rng.choice(_DIAG)
    body = "\n".join(_body_lines(rng, i))
    return (
        "From: MAILER-DAEMON@mx.example.net\nTo: sender@example.com\nSubject: failure notice\n"
        f"Message-ID: <fail.{i}@mx.example.net>\n\n"
        "Hi. This is the qmail-send program at mx.example.net.\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
        f"<{rcpt}>:\n{diag.format(rcpt=rcpt)}\n\n{body}\n")


def _ordinary(rng, i, rcpt):
    body = "\n".join(_body_lines(rng, i))
    kind = rng.random()
    subject = "Out of office" if kind < 0.5 else f"Lunch on day {i}?"
    extra = "Auto-Submitted: auto-replied\n" if kind < 0.5 else ""
    return (f"From: {rcpt}\nTo: sender@example.com\nSubject: {subject}\n{extra}"
            f"Message-ID: <m.{i}@example.org>\n\n{body}\nSee you.\n")


def _big(rng, i, rcpt, size):
    line = "All work and no play makes a very long message. " * 2 + "\n"
    return (f"From: {rcpt}\nTo: sender@example.com\nSubject: big {i}\n\n" + line * (size // len(line) + 1))


def message(rng, i, big_every=97, big_bytes=6000):
    rcpt = f"{rng.choice(_USERS)}{i}@{rng.choice(_DOMAINS)}"
    if big_every and i % big_every == big_every - 1:
        return _big(rng, i, rcpt, big_bytes)
    r = rng.random()
    if r < 0.45:
        rcpts = [rcpt] + [f"{rng.choice(_USERS)}{i}x{k}@{rng.choice(_DOMAINS)}" for k in range(rng.randrange(3))]
        return _dsn(rng, i, rcpts)
    if r < 0.7:
        return _plain_bounce(rng, i, rcpt)
    return _ordinary(rng, i, rcpt)


def _quote(text):
    """mboxrd: one more '>' before each line that starts with '>'*k + 'From ' (k >= 1). A bare
    "From " line of a body is left as it is (an mboxo writer's habit): it has no time, so it is
    no separator, and a reader must not split there."""
    out = []
    for line in text.split("\n"):
        if line.startswith(">") and line.lstrip(">").startswith("From "):
            line = ">" + line
        out.append(line)
    return "\n".join(out)


def write_mbox(path, n, seed=16, big_every=97, big_bytes=6000):
    rng = random.Random(seed)
    with open(path, "w", encoding="ascii", newline="\n") as f:
        for i in range(n):
            f.write(_separator(rng, i))
            f.write(_quote(message(rng, i, big_every, big_bytes)))
            f.write("\n")
    return n
