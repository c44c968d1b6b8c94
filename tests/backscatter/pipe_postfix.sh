#!/bin/bash
# The Postfix pipe(8) recipe of docs/backscatter.md, run as written against a real Postfix.
#
#   pipe_postfix.sh CAROM
#
# The master.cf service, the main.cf lines and the carom-bounce script are read from the docs'
# section "Postfix: a pipe(8) transport for the bounce address"; only paths change (the built
# carom, the context, the feed, the user nobody, the bounce domain bounces.ours.example). Two
# throw-away Postfix instances on 127.0.0.1 (postfix.sh): A, ours, relays bounces.ours.example to
# the carom transport; B, the remote MX, bounces unknown users. A message our application sends
# through A with the envelope sender list-bounces@bounces.ours.example bounces at B; its bounce
# must reach the feed (verdict genuine). The same message sent straight to B by a forger bounces
# too; its bounce must be dropped by the script (verdict backscatter, not in the feed). Both
# deliveries to the pipe must end "status=sent" (no deferral: the PATH and relay_domains traps).
# Exit: 0 passed; 1 failed; 77 skipped (not root, Postfix not installed or will not start).
set -u

CAROM=${1:-}
if [ -z "$CAROM" ] || [ ! -x "$CAROM" ]; then
    echo "usage: pipe_postfix.sh CAROM (the built carom)"; exit 2
fi
CAROM=$(cd "$(dirname "$CAROM")" && pwd)/$(basename "$CAROM")
DOCS="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/docs/backscatter.md"

. "$(dirname "${BASH_SOURCE[0]}")/postfix.sh"
read -r PORT_A PORT_B < <(free_ports 2)
[ -n "$PORT_B" ] || fail "no free loopback ports"

# The user nobody runs the pipe: give it the built CLI and library in a folder it can read
# (the checkout may be under a private home); the CLI finds the library by its RUNPATH $ORIGIN/..
mkdir -p "$T/lib/cli" "$T/feed"
cp "$CAROM" "$T/lib/cli/carom"
cp -L "$(dirname "$CAROM")/../libcarom.so.0" "$T/lib/libcarom.so.0" || fail "no libcarom.so.0 beside $CAROM"
chown nobody "$T/feed"
echo '{"domains": ["ours.example"], "relays": ["relay.ours.example"], "message_id_domains": ["mail.ours.example"]}' > "$T/context.json"

# The three blocks of the recipe, from the docs.
python3 - "$DOCS" "$T" <<'EOF' || fail "the Postfix recipe is not where the test expects it in $DOCS"
import re, sys
docs, tmp = sys.argv[1], sys.argv[2]
text = open(docs).read()
section = text.split("### Postfix: a `pipe(8)` transport for the bounce address", 1)[1].split("\n### ", 1)[0]
blocks = re.findall(r"```[a-z]*\n(.*?)```", section, re.S)
master, main, script = blocks[0], blocks[1], blocks[2]
subst = [("/usr/local/bin/carom-bounce", tmp + "/carom-bounce"), ("/usr/local/bin/carom", tmp + "/lib/cli/carom"),
         ("/etc/carom/context.json", tmp + "/context.json"), ("/var/lib/carom/bounces.jsonl", tmp + "/feed/bounces.jsonl"),
         ("user=carom", "user=nobody"), ("bounces.example.com", "bounces.ours.example")]
for old, new in subst:
    master, main, script = master.replace(old, new), main.replace(old, new), script.replace(old, new)
assert "relay_domains" in main and "pipe" in master and script.startswith("#!/bin/sh"), "recipe blocks changed"
open(tmp + "/master.snippet", "w").write(master)
# transport_maps is a hash: table in the docs; here the same route, inline.
open(tmp + "/main.snippet", "w").write("\n".join(l for l in main.splitlines() if not l.startswith("transport_maps")))
open(tmp + "/carom-bounce", "w").write(script)
EOF
chmod 755 "$T/carom-bounce"

# A's transport_maps (written by make_instance) is replaced by the recipe's route plus the way to B.
make_instance a relay.ours.example "$PORT_A" ours.example someone remote.example "$PORT_B" \
    "$(cat "$T/main.snippet")
transport_maps = inline:{ {bounces.ours.example = carom:}, {remote.example = smtp:[127.0.0.1]:$PORT_B} }" \
    "$(cat "$T/master.snippet")"
make_instance b mx.remote.example "$PORT_B" remote.example realuser bounces.ours.example "$PORT_A"
wait_listening "$PORT_A" "$PORT_B" || skip "the Postfix instances do not listen on 127.0.0.1:$PORT_A/$PORT_B"
echo "A relay.ours.example on 127.0.0.1:$PORT_A (pipe transport carom:), B on 127.0.0.1:$PORT_B"

RESULT=0
python3 - "$PORT_A" "$PORT_B" "$T" <<'EOF' || RESULT=1
import json, os, smtplib, sys, time
from email.utils import formatdate
port_a, port_b, tmp = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
stamp = str(int(time.time()))
genuine, forged = stamp + ".genuine@mail.ours.example", stamp + ".forged@bulk.spammer.invalid"

def send(port, helo, rcpt, mid):
    text = ("From: List <list@ours.example>\r\nTo: <%s>\r\nSubject: news\r\nDate: %s\r\nMessage-ID: <%s>\r\n\r\n"
            "A test message of the pipe recipe test.\r\n" % (rcpt, formatdate(), mid))
    with smtplib.SMTP("127.0.0.1", port, local_hostname=helo, timeout=20) as s:
        s.sendmail("list-bounces@bounces.ours.example", [rcpt], text)

send(port_a, "app.ours.example", "gone1@remote.example", genuine)
send(port_b, "spammer.invalid", "gone2@remote.example", forged)

def log():
    p = os.path.join(tmp, "a", "maillog")
    return open(p, errors="replace").read() if os.path.exists(p) else ""

deadline = time.time() + 90
while time.time() < deadline and log().count("relay=carom") < 2:
    time.sleep(0.5)
pipe_lines = [l for l in log().splitlines() if "relay=carom" in l]
feed_path = os.path.join(tmp, "feed", "bounces.jsonl")
feed = [json.loads(l) for l in open(feed_path)] if os.path.exists(feed_path) else []
print("pipe deliveries:\n  " + "\n  ".join(pipe_lines))
print("feed: %s" % [(r["backscatter"]["verdict"], [(x["recipient"], x["class"], x["reason"]) for x in r["records"]])
                    for r in feed])
failures = []
if len(pipe_lines) != 2 or not all("status=sent" in l for l in pipe_lines):
    failures.append("both bounces must be delivered to the pipe with status=sent (no deferral, no bounce)")
if len(feed) != 1:
    failures.append("the feed must hold exactly the genuine bounce, holds %d objects" % len(feed))
else:
    r = feed[0]
    if r["backscatter"]["verdict"] != "genuine" or r.get("original", {}).get("message_id", "").strip("<>") not in (genuine, ""):
        failures.append("the feed's bounce must be the genuine one")
    recs = [(x["recipient"], x["class"], x["reason"]) for x in r["records"]]
    if recs != [("gone1@remote.example", "hard", "userunknown")]:
        failures.append("the genuine bounce's record: %s" % recs)
    if forged in json.dumps(r):
        failures.append("the forged message's bounce reached the feed")
for f in failures:
    print("FAIL: " + f)
sys.exit(1 if failures else 0)
EOF
finish "$RESULT"
