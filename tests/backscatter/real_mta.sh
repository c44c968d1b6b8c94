#!/bin/bash
# The real-MTA proof of the backscatter verdict (docs/backscatter.md).
#
#   real_mta.sh CLASSIFIER
#
# CLASSIFIER is tests/backscatter/bs_classify (or anything taking `[--context F] FILE...` and
# printing one carom JSON object per file). Two throw-away Postfix instances run on 127.0.0.1
# only, each with its own config, queue and data directories under a temporary directory (the
# system instance, if any, is neither used nor touched):
#
#   A  relay.ours.example  our outbound relay; delivers ours.example to a Maildir, routes
#                          remote.example to B
#   B  mx.remote.example   the remote MX: accepts any recipient at remote.example and then
#                          bounces the unknown ones (accept-then-bounce, the origin of
#                          backscatter); routes ours.example back to A
#
# Three messages, each to an unknown user at remote.example:
#   genuine   sent through A by our application (Message-ID @mail.ours.example)
#   forged    sent straight to B by a "spammer" with MAIL FROM someone@ours.example
#   forged2   the same, but the spammer says HELO relay.ours.example (our relay's name)
# Their three bounces come back through A into the Maildir and are classified with the context
#   {"domains": ["ours.example"], "relays": ["relay.ours.example"],
#    "message_id_domains": ["mail.ours.example"]}
# (forged2 with relays only, so the HELO claim alone is what is tested). Expected: the genuine
# bounce is not backscatter (verdict genuine), both forged ones are (class backscatter).
#
# CAROM_KEEP_BOUNCES=DIR keeps a copy of the three bounces there.
# Exit: 0 passed; 1 failed; 77 skipped (not root, Postfix not installed or will not start).
# Changes nothing on the machine: Postfix must be installed already (CI's .ci/setup installs it on
# a fresh machine); the system instance is neither used nor touched. No DNS: next hops are IP
# literals, DNS lookups are disabled.
set -u

CLASSIFIER=${1:-}
if [ -z "$CLASSIFIER" ] || [ ! -x "$CLASSIFIER" ]; then
    echo "usage: real_mta.sh CLASSIFIER (an executable)"; exit 2
fi
CLASSIFIER=$(cd "$(dirname "$CLASSIFIER")" && pwd)/$(basename "$CLASSIFIER")

. "$(dirname "${BASH_SOURCE[0]}")/postfix.sh"
read -r PORT_A PORT_B < <(free_ports 2)
[ -n "$PORT_A" ] && [ -n "$PORT_B" ] || fail "no free loopback ports"

make_instance a relay.ours.example "$PORT_A" ours.example someone remote.example "$PORT_B"
make_instance b mx.remote.example "$PORT_B" remote.example realuser ours.example "$PORT_A"

wait_listening "$PORT_A" "$PORT_B" || skip "the Postfix instances do not listen on 127.0.0.1:$PORT_A/$PORT_B"
echo "instance A relay.ours.example on 127.0.0.1:$PORT_A, instance B mx.remote.example on 127.0.0.1:$PORT_B"

# ---- the three messages, the bounces, the verdicts -------------------------------------------
RESULT=0
python3 - "$PORT_A" "$PORT_B" "$T" "$CLASSIFIER" <<'EOF' || RESULT=1
import glob, json, os, smtplib, subprocess, sys, time
from email.utils import formatdate

port_a, port_b, tmp, classifier = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
stamp = str(int(time.time()))

def message(mid, to, subject):
    return ("From: Someone <someone@ours.example>\r\nTo: <%s>\r\nSubject: %s\r\nDate: %s\r\n"
            "Message-ID: <%s>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
            "Test body for the carom backscatter proof.\r\n" % (to, subject, formatdate(), mid))

sends = {
    # name: (port, helo, recipient, message-id)
    "genuine": (port_a, "app.ours.example", "nobody1@remote.example", "%s.genuine@mail.ours.example" % stamp),
    "forged": (port_b, "spammer.invalid", "nobody2@remote.example", "%s.forged@bulk.spammer.invalid" % stamp),
    "forged2": (port_b, "relay.ours.example", "nobody3@remote.example", "%s.forged2@bulk.spammer.invalid" % stamp),
}
for name, (port, helo, rcpt, mid) in sends.items():
    with smtplib.SMTP("127.0.0.1", port, local_hostname=helo, timeout=20) as s:
        s.sendmail("someone@ours.example", [rcpt], message(mid, rcpt, "carom proof: " + name))
    print("sent %-8s via %s:%d HELO %s, MAIL FROM someone@ours.example, RCPT %s" %
          (name, "A" if port == port_a else "B", port, helo, rcpt))

maildir = os.path.join(tmp, "a", "mail", "someone", "new")
deadline = time.time() + 60
found = {}
while time.time() < deadline and len(found) < len(sends):
    for path in glob.glob(os.path.join(maildir, "*")):
        data = open(path, "rb").read()
        for name, (_, _, _, mid) in sends.items():
            if mid.encode() in data:
                found[name] = path
    time.sleep(0.5)
missing = [n for n in sends if n not in found]
if missing:
    print("FAIL: no bounce within 60 s for: " + ", ".join(missing))
    sys.exit(1)
print("all %d bounces arrived in A's Maildir" % len(found))
keep = os.environ.get("CAROM_KEEP_BOUNCES")
if keep:  # for inspection: copies the bounces as they arrived
    os.makedirs(keep, exist_ok=True)
    for name, path in found.items():
        with open(path, "rb") as src, open(os.path.join(keep, name + ".eml"), "wb") as dst:
            dst.write(src.read())

contexts = {
    "full": {"domains": ["ours.example"], "relays": ["relay.ours.example"],
             "message_id_domains": ["mail.ours.example"]},
    "relays": {"relays": ["relay.ours.example"]},
}
for k, v in contexts.items():
    with open(os.path.join(tmp, k + ".json"), "w") as f:
        json.dump(v, f)

def classify(path, context):
    cmd = [classifier, "--context", os.path.join(tmp, context + ".json"), path]
    p = subprocess.run(cmd, capture_output=True, timeout=30)
    if p.returncode not in (0, 1) or not p.stdout.strip():
        print("FAIL: %s exited %d: %s" % (cmd, p.returncode, p.stderr.decode("utf-8", "replace")))
        sys.exit(1)
    return json.loads(p.stdout.decode().splitlines()[0])

ok = True
for name, context, want in (("genuine", "full", "genuine"), ("forged", "full", "backscatter"),
                            ("forged2", "relays", "backscatter")):
    r = classify(found[name], context)
    recs = r.get("records") or []
    verdict = (r.get("backscatter") or {}).get("verdict")
    classes = [x.get("class") for x in recs]
    print("%-8s context=%-6s format=%s records=%s verdict=%s" % (
        name, context, r.get("format"),
        [(x.get("recipient"), x.get("class"), x.get("reason"), x.get("status")) for x in recs], verdict))
    for s in (r.get("backscatter") or {}).get("signals") or []:
        print("           signal %-16s %-11s %s" % (s["name"], s["outcome"], s["evidence"]))
    if not recs:
        print("FAIL: %s: the bounce gave no records" % name)
        ok = False
    elif want == "genuine" and (verdict != "genuine" or "backscatter" in classes):
        print("FAIL: %s: the genuine bounce must not be backscatter" % name)
        ok = False
    elif want == "backscatter" and (verdict != "backscatter" or any(c != "backscatter" for c in classes)):
        print("FAIL: %s: the bounce of the forged message must be backscatter" % name)
        ok = False
if not ok:
    for name in sends:
        print("---- bounce of %s: %s" % (name, found[name]))
        print(open(found[name], encoding="utf-8", errors="replace").read()[:4000])
sys.exit(0 if ok else 1)
EOF

finish "$RESULT"
