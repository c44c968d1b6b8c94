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
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; dump_logs; exit 1; }
if [ -z "$CLASSIFIER" ] || [ ! -x "$CLASSIFIER" ]; then
    echo "usage: real_mta.sh CLASSIFIER (an executable)"; exit 2
fi
CLASSIFIER=$(cd "$(dirname "$CLASSIFIER")" && pwd)/$(basename "$CLASSIFIER")

[ "$(id -u)" = 0 ] || skip "needs root to run Postfix; run the test as root"
command -v python3 >/dev/null || skip "python3 is needed to speak SMTP"

# ---- Postfix, as installed -------------------------------------------------------------------
# The test never installs anything: CI's setup installs Debian's postfix on its fresh machine
# (.ci/setup); elsewhere a machine without Postfix skips this test.
if ! [ -x /usr/sbin/postfix ] || ! [ -x /usr/lib/postfix/sbin/master ]; then
    skip "Postfix is not installed (CI installs it on its fresh machine: .ci/setup with CI=true); this test installs nothing"
fi
POSTFIX_VERSION=$(/usr/sbin/postconf -d -h mail_version 2>/dev/null)
echo "postfix $POSTFIX_VERSION"

# ---- two instances ----------------------------------------------------------------------------
T=$(mktemp -d /tmp/carom-mta.XXXXXX) || fail "mktemp"
chmod 755 "$T"
started_a=0 started_b=0
dump_logs() {
    for x in a b; do
        if [ -f "$T/$x/maillog" ]; then echo "---- instance $x maillog (last 40 lines)"; tail -40 "$T/$x/maillog"; fi
    done
}
cleanup() {
    for x in a b; do
        [ -d "$T/$x/etc" ] || continue
        /usr/sbin/postfix -c "$T/$x/etc" stop >/dev/null 2>&1
        # If master did not go away, end it (and only it) by its pid file.
        pidf="$T/$x/queue/pid/master.pid"
        if [ -f "$pidf" ]; then
            pid=$(tr -dc 0-9 < "$pidf")
            for _ in 1 2 3 4 5 6 7 8 9 10; do
                [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break
                sleep 0.5
            done
            [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill "$pid" 2>/dev/null
        fi
    done
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

read -r PORT_A PORT_B < <(python3 - <<'EOF'
import socket
socks = []
for _ in range(2):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(*[s.getsockname()[1] for s in socks])
EOF
)
[ -n "$PORT_A" ] && [ -n "$PORT_B" ] || fail "no free loopback ports"
VUID=$(id -u nobody) VGID=$(id -g nobody)

# Postfix commands write their fatal errors to syslog and to stderr only when it is a terminal;
# without a syslog daemon, script(1) gives them a terminal to say why.
why() {
    command -v script >/dev/null && script -qec "/usr/sbin/postfix -c $1/etc $2" /dev/null 2>&1 | tail -3
}

make_instance() {  # name hostname port virtual_domain mailbox_user other_domain other_port
    local x=$1 host=$2 port=$3 domain=$4 user=$5 other=$6 other_port=$7
    local d="$T/$x"
    mkdir -p "$d/etc" "$d/queue" "$d/data" "$d/mail"
    chown postfix "$d/data"
    chown "$VUID:$VGID" "$d/mail"
    cat > "$d/etc/main.cf" <<EOF
compatibility_level = 3.6
myhostname = $host
mydomain = ${host#*.}
myorigin = \$mydomain
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
queue_directory = $d/queue
data_directory = $d/data
maillog_file = $d/maillog
maillog_file_prefixes = $d
mail_owner = postfix
setgid_group = postdrop
alias_maps =
alias_database =
local_recipient_maps =
biff = no
append_dot_mydomain = no
smtputf8_enable = no
# Our virtual domain: one real mailbox (a Maildir); mail to unknown users there is accepted and
# then bounced by virtual(8) when smtpd_reject_unlisted_recipient is off.
virtual_mailbox_domains = $domain
virtual_mailbox_base = $d/mail
virtual_mailbox_maps = inline:{ {$user@$domain = $user/} }
virtual_uid_maps = static:$VUID
virtual_gid_maps = static:$VGID
virtual_minimum_uid = 1
smtpd_reject_unlisted_recipient = no
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_banner = \$myhostname ESMTP
# No DNS: the other instance is an IP literal next hop; nothing else ever leaves.
transport_maps = inline:{ {$other = smtp:[127.0.0.1]:$other_port} }
default_transport = error:5.7.1 outside delivery is disabled in this test
relay_transport = error:5.7.1 outside delivery is disabled in this test
smtp_dns_support_level = disabled
smtp_host_lookup = native
smtp_bind_address = 127.0.0.1
smtp_tls_security_level = none
smtpd_tls_security_level = none
queue_run_delay = 5s
minimal_backoff_time = 5s
maximal_backoff_time = 10s
EOF
    cat > "$d/etc/master.cf" <<EOF
127.0.0.1:$port inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
smtp      unix  - - n - - smtp
relay     unix  - - n - - smtp
showq     unix  n - n - - showq
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
local     unix  - n n - - local
virtual   unix  - n n - - virtual
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF
    if ! /usr/sbin/postfix -c "$d/etc" check >"$d/check.log" 2>&1; then
        cat "$d/check.log"; why "$d" check
        skip "postfix check fails for instance $x"
    fi
    if ! /usr/sbin/postfix -c "$d/etc" start >"$d/start.log" 2>&1; then
        cat "$d/start.log"; why "$d" start
        skip "postfix will not start (instance $x)"
    fi
}

make_instance a relay.ours.example "$PORT_A" ours.example someone remote.example "$PORT_B" && started_a=1
make_instance b mx.remote.example "$PORT_B" remote.example realuser ours.example "$PORT_A" && started_b=1

# Wait until both listen (bounded).
python3 - "$PORT_A" "$PORT_B" <<'EOF' || skip "the Postfix instances do not listen on 127.0.0.1:$PORT_A/$PORT_B"
import socket, sys, time
deadline = time.time() + 20
for port in map(int, sys.argv[1:]):
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            break
        except OSError:
            if time.time() > deadline:
                sys.exit(1)
            time.sleep(0.2)
EOF
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

if [ "$RESULT" = 0 ]; then
    echo "1 passed, 0 failed"
    exit 0
fi
dump_logs
echo "0 passed, 1 failed"
exit 1
