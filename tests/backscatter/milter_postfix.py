"""The SMTP side of milter_postfix.sh: sends mail to the two Postfix instances and checks what
carom-milter did with each bounce (see milter_postfix.sh for the checks).

    milter_postfix.py PORT_A PORT_B TMPDIR MILTER_PID CONTEXT_FILE
"""
import concurrent.futures
import glob
import json
import os
import signal
import smtplib
import statistics
import sys
import time
from email.utils import formatdate

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bounce_samples import dsn  # noqa: E402

PORT_A, PORT_B, TMP, MILTER_PID, CONTEXT = (int(sys.argv[1]), int(sys.argv[2]), sys.argv[3],
                                            int(sys.argv[4]), sys.argv[5])
MAILDIR_A = os.path.join(TMP, "a", "mail", "someone", "new")
STAMP = str(int(time.time()))
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def message(mid, to, subject):
    return ("From: Someone <someone@ours.example>\r\nTo: <%s>\r\nSubject: %s\r\nDate: %s\r\n"
            "Message-ID: <%s>\r\n\r\nA test message of the carom milter test.\r\n"
            % (to, subject, formatdate(), mid))


def bounce_mid(n, forged):
    return "%s.%s.%d@%s" % (STAMP, "forged" if forged else "genuine", n,
                             "bulk.spammer.invalid" if forged else "mail.ours.example")


def send_bounces(items, port=PORT_A):
    """Sends (mid, text) bounces over one connection with MAIL FROM:<>; returns {mid: reply code}."""
    codes = {}
    with smtplib.SMTP("127.0.0.1", port, local_hostname="mx.remote.example", timeout=60) as s:
        for mid, text in items:
            try:
                s.sendmail("", ["someone@ours.example"], text)
                codes[mid] = 250
            except smtplib.SMTPDataError as e:
                codes[mid] = e.smtp_code
            except smtplib.SMTPResponseException as e:
                codes[mid] = e.smtp_code
    return codes


def delivered(wanted, seconds=90):
    """Waits until the Maildir holds a message for every wanted mid; returns {mid: [texts]}."""
    deadline = time.time() + seconds
    while True:
        found = {}
        for path in glob.glob(os.path.join(MAILDIR_A, "*")):
            with open(path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
            for line in text.splitlines():
                if line.startswith("Message-ID: <") and "@" in line:
                    found.setdefault(line[13:].rstrip(">"), []).append(text)
        if all(m in found for m in wanted) or time.time() > deadline:
            return found
        time.sleep(0.5)


def headers_of(text):
    head = text.split("\n\n", 1)[0]
    return [line.split(":", 1)[1].strip() for line in head.splitlines() if line.startswith("X-Carom-Verdict:")]


def maillog(instance):
    path = os.path.join(TMP, instance, "maillog")
    return open(path, encoding="utf-8", errors="replace").read() if os.path.exists(path) else ""


def real_bounces():
    genuine, forged = STAMP + ".real-genuine@mail.ours.example", STAMP + ".real-forged@bulk.spammer.invalid"
    with smtplib.SMTP("127.0.0.1", PORT_A, local_hostname="app.ours.example", timeout=20) as s:
        s.sendmail("someone@ours.example", ["nobody1@remote.example"], message(genuine, "nobody1@remote.example", "a"))
    with smtplib.SMTP("127.0.0.1", PORT_B, local_hostname="spammer.invalid", timeout=20) as s:
        s.sendmail("someone@ours.example", ["nobody2@remote.example"], message(forged, "nobody2@remote.example", "b"))
    # The bounce's own Message-ID is B's; find ours in its returned headers instead.
    deadline, text = time.time() + 90, None
    while time.time() < deadline and text is None:
        for path in glob.glob(os.path.join(MAILDIR_A, "*")):
            data = open(path, encoding="utf-8", errors="replace").read()
            if genuine in data:
                text = data
        time.sleep(0.5)
    check(text is not None, "the genuine bounce from Postfix B arrived")
    if text:
        head = text.split("\n\n", 1)[0]
        for want in ("X-Carom-Verdict: genuine", "X-Carom-Recipient: nobody1@remote.example",
                     "X-Carom-Class: hard", "X-Carom-Reason: userunknown"):
            check(want in head, "the genuine bounce carries '%s'" % want)
    deadline = time.time() + 60
    while time.time() < deadline and "5.7.1 Backscatter refused" not in maillog("a"):
        time.sleep(0.5)
    log_a = maillog("a")
    check("milter-reject: END-OF-MESSAGE" in log_a and "5.7.1 Backscatter refused" in log_a,
          "Postfix A refused the bounce of the forged message at end of DATA (milter-reject)")
    arrived = any(forged in open(p, errors="replace").read() for p in glob.glob(os.path.join(MAILDIR_A, "*")))
    check(not arrived, "the bounce of the forged message never reached the mailbox")


def untouched_and_stale_headers():
    mid = STAMP + ".ordinary@remote.example"
    with smtplib.SMTP("127.0.0.1", PORT_A, local_hostname="mx.remote.example", timeout=20) as s:
        s.sendmail("friend@remote.example", ["someone@ours.example"], message(mid, "someone@ours.example", "hi"))
    stale = bounce_mid(0, False)
    send_bounces([(stale, dsn(stale, False, "X-Carom-Verdict: backscatter\r\nX-Carom-Class: spoofed\r\n"))])
    got = delivered([mid, stale])
    check(mid in got and "X-Carom" not in got[mid][0], "mail with a sender is delivered untouched")
    check(stale in got and headers_of(got[stale][0]) == ["genuine"] and "spoofed" not in got[stale][0],
          "X-Carom-* headers that came with a bounce are removed; ours replace them")


def thousand():
    items = [(bounce_mid(n, n % 2 == 1), n % 2 == 1) for n in range(1, 1001)]
    texts = [(mid, dsn(mid, forged)) for mid, forged in items]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        parts = list(pool.map(send_bounces, [texts[i::4] for i in range(4)]))
    codes = {k: v for part in parts for k, v in part.items()}
    forged = {mid for mid, f in items if f}
    genuine = {mid for mid, f in items if not f}
    check(all(codes.get(m) == 550 for m in forged), "1,000 bounces: all 500 forged ones refused with 550")
    check(all(codes.get(m) == 250 for m in genuine), "1,000 bounces: all 500 genuine ones accepted")
    got = delivered(genuine)
    check(all(len(got.get(m, [])) == 1 and headers_of(got[m][0]) == ["genuine"] for m in genuine),
          "1,000 bounces: every genuine one delivered once, tagged genuine (%d of 500)" %
          sum(1 for m in genuine if m in got))
    check(not any(m in got for m in forged), "1,000 bounces: no forged one delivered")


def reload():
    def reload_with(context):
        with open(CONTEXT, "w") as f:
            json.dump(context, f)
        before = open(os.path.join(TMP, "milter.log")).read().count("engine rebuilt")
        os.kill(MILTER_PID, signal.SIGUSR1)
        deadline = time.time() + 20
        while time.time() < deadline and open(os.path.join(TMP, "milter.log")).read().count("engine rebuilt") == before:
            time.sleep(0.1)
    reload_with({})
    mid = bounce_mid(2001, True)
    codes = send_bounces([(mid, dsn(mid, True))])
    got = delivered([mid])
    check(codes.get(mid) == 250 and mid in got and headers_of(got[mid][0]) == ["unknown"],
          "after SIGUSR1 with an empty context the forged bounce passes, tagged unknown")
    reload_with({"domains": ["ours.example"], "relays": ["relay.ours.example"],
                 "message_id_domains": ["mail.ours.example"]})
    mid = bounce_mid(2003, True)
    check(send_bounces([(mid, dsn(mid, True))]).get(mid) == 550, "after SIGUSR1 with our context it is refused again")


def killed_mid_stream():
    items = [(bounce_mid(n, n % 2 == 1), n % 2 == 1) for n in range(3001, 3201)]
    texts = [(mid, dsn(mid, forged)) for mid, forged in items]
    before = maillog("a").count("milter-reject")
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        future = pool.submit(send_bounces, texts)
        deadline = time.time() + 30
        while time.time() < deadline and maillog("a").count("milter-reject") < before + 20:
            time.sleep(0.05)
        os.kill(MILTER_PID, signal.SIGKILL)
        codes = future.result()
    refused = [m for m, _ in items if codes.get(m) == 550]
    accepted = [m for m, _ in items if codes.get(m) == 250]
    check(len(refused) + len(accepted) == 200, "milter killed: every one of 200 bounces refused or accepted "
          "(%d refused, %d accepted, %d other)" % (len(refused), len(accepted), 200 - len(refused) - len(accepted)))
    check(all(f for m, f in items if m in refused), "milter killed: only forged bounces were refused")
    forged_accepted = [m for m, f in items if f and m in accepted]
    check(len(forged_accepted) > 0, "milter killed: after the kill Postfix accepted (milter_default_action)")
    got = delivered(accepted)
    check(all(m in got for m in accepted), "milter killed: every accepted bounce delivered (%d of %d)" %
          (sum(1 for m in accepted if m in got), len(accepted)))
    check(all(not headers_of(got[m][0]) for m in forged_accepted if m in got),
          "milter killed: what passed after the kill carries no X-Carom headers")


def latency():
    """One SMTP transaction, A (through the milter) against B (no milter): printed, not asserted."""
    def timed(port, n, rcpt, sender):
        times = []
        with smtplib.SMTP("127.0.0.1", port, local_hostname="mx.remote.example", timeout=60) as s:
            for i in range(n):
                mid = "%s.lat.%d.%d@mail.ours.example" % (STAMP, port, i)
                text = dsn(mid, False)
                t = time.perf_counter()
                s.sendmail(sender, [rcpt], text)
                times.append(time.perf_counter() - t)
        return statistics.median(times) * 1000
    a = timed(PORT_A, 100, "someone@ours.example", "")
    b = timed(PORT_B, 100, "realuser@remote.example", "")
    print("     latency: median SMTP transaction %.2f ms with carom-milter (A), %.2f ms without (B)" % (a, b))


real_bounces()
untouched_and_stale_headers()
thousand()
latency()
reload()
killed_mid_stream()
print("%d check(s) failed" % len(failures) if failures else "all checks passed")
sys.exit(1 if failures else 0)
