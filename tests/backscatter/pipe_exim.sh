#!/bin/bash
# The Exim recipe of docs/backscatter.md (router + pipe transport, with the carom-bounce script
# of the Postfix recipe), run as written in Debian's Exim.
#
#   pipe_exim.sh CAROM
#
# Exim is never installed: Debian's exim4-daemon-light (and libidn12, which it needs and a
# machine without Exim lacks) are fetched with `apt-get download` into a temporary folder and
# unpacked there with dpkg-deb -x; CAROM_EXIM_DEBS=DIR uses .deb files already fetched instead.
# Exim insists on its compiled-in user Debian-exim: the daemon runs in a private mount namespace
# (unshare -m) where copies of /etc/passwd and /etc/group that add that user are bind-mounted;
# the machine's files are not touched, and the unpacked /usr/sbin is mounted over the real one
# there (Exim re-executes itself by its compiled-in path). The daemon listens on 127.0.0.1 only and is stopped by PID.
# A genuine and a forged bounce are sent to list-bounces@bounces.ours.example with MAIL FROM:<>;
# the genuine one must reach the feed, the forged one must be dropped, both delivered by the pipe
# (no deferral).
# Exit: 0 passed; 1 failed; 77 skipped (not root, no unshare, no network to fetch the packages).
set -u

CAROM=${1:-}
if [ -z "$CAROM" ] || [ ! -x "$CAROM" ]; then
    echo "usage: pipe_exim.sh CAROM (the built carom)"; exit 2
fi
CAROM=$(cd "$(dirname "$CAROM")" && pwd)/$(basename "$CAROM")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DOCS="$HERE/../../docs/backscatter.md"
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (a mount namespace for Exim's user)"
command -v unshare >/dev/null && command -v dpkg-deb >/dev/null || skip "needs unshare and dpkg-deb"
command -v python3 >/dev/null || skip "python3 is needed to speak SMTP"

T=$(mktemp -d /tmp/carom-exim.XXXXXX) || exit 1
chmod 755 "$T"
EXIM_PID=
cleanup() {
    [ -n "$EXIM_PID" ] && kill "$EXIM_PID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
fail() {
    echo "FAIL: $*"
    for f in "$T"/log/mainlog "$T"/log/paniclog "$T/exim.out"; do [ -s "$f" ] && { echo "---- $f"; tail -30 "$f"; }; done
    exit 1
}

# ---- Exim, unpacked --------------------------------------------------------------------------
mkdir -p "$T/debs" "$T/root"
if [ -n "${CAROM_EXIM_DEBS:-}" ]; then
    cp "$CAROM_EXIM_DEBS"/*.deb "$T/debs/" || skip "no .deb files in CAROM_EXIM_DEBS=$CAROM_EXIM_DEBS"
else
    # No cache written: apt-get would otherwise refresh /var/cache/apt/*.bin (a test changes nothing).
    (cd "$T/debs" && timeout 120 apt-get download -q -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
        exim4-daemon-light libidn12 >/dev/null 2>&1) ||
        skip "cannot fetch exim4-daemon-light and libidn12 with apt-get download (offline?); set CAROM_EXIM_DEBS"
fi
for deb in "$T"/debs/*.deb; do dpkg-deb -x "$deb" "$T/root" || fail "dpkg-deb -x $deb"; done
EXIM="$T/root/usr/sbin/exim4"
LIBS="$T/root/usr/lib/x86_64-linux-gnu:$T/root/lib/x86_64-linux-gnu"
[ -x "$EXIM" ] || fail "no exim4 in the unpacked package"
# Not setuid: the daemon runs as root already, and the loader ignores LD_LIBRARY_PATH (libidn12
# from the unpacked folder) in a setuid program.
chmod u-s "$EXIM"
missing=$(LD_LIBRARY_PATH="$LIBS" ldd "$EXIM" | grep "not found")
[ -z "$missing" ] || skip "the unpacked Exim lacks libraries: $missing"

# ---- the recipe, from the docs -----------------------------------------------------------------
mkdir -p "$T/lib/cli" "$T/feed" "$T/spool" "$T/log"
cp "$CAROM" "$T/lib/cli/carom"
cp -L "$(dirname "$CAROM")/../libcarom.so.0" "$T/lib/libcarom.so.0" || fail "no libcarom.so.0 beside $CAROM"
# Exim run with -C (a configuration outside its trusted list) keeps no privilege to change users:
# the pipe runs as Exim's own user here (the recipe's "user = carom" becomes Debian-exim).
chown 64999:64999 "$T/feed" "$T/spool" "$T/log"
echo '{"domains": ["ours.example"], "relays": ["relay.ours.example"], "message_id_domains": ["mail.ours.example"]}' > "$T/context.json"
. "$HERE/net.sh"
read -r PORT < <(free_ports 1)

python3 - "$DOCS" "$T" "$PORT" <<'EOF' || fail "the recipes are not where the test expects them in $DOCS"
import re, sys
docs, tmp, port = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(docs).read()
def blocks(title):
    section = text.split("### " + title, 1)[1].split("\n### ", 1)[0]
    return re.findall(r"```[a-z]*\n(.*?)```", section, re.S)
script = blocks("Postfix: a `pipe(8)` transport for the bounce address")[2]
exim = blocks("Exim: a router and a pipe transport")[0]
subst = [("/usr/local/bin/carom-bounce", tmp + "/carom-bounce"), ("/usr/local/bin/carom", tmp + "/lib/cli/carom"),
         ("/etc/carom/context.json", tmp + "/context.json"), ("/var/lib/carom/bounces.jsonl", tmp + "/feed/bounces.jsonl"),
         ("user = carom", "user = Debian-exim"), ("bounces.example.com", "bounces.ours.example")]
for old, new in subst:
    script, exim = script.replace(old, new), exim.replace(old, new)
routers, transports = exim.split("\n# transports", 1)
open(tmp + "/carom-bounce", "w").write(script)
open(tmp + "/exim.conf", "w").write(f"""keep_environment = LD_LIBRARY_PATH
spool_directory = {tmp}/spool
log_file_path = {tmp}/log/%slog
primary_hostname = mx.ours.example
daemon_smtp_ports = {port}
local_interfaces = 127.0.0.1
host_lookup =
domainlist relay_to_domains = bounces.ours.example
acl_smtp_rcpt = acl_rcpt
never_users = root

begin acl
acl_rcpt:
  accept domains = +relay_to_domains
  deny message = relay not permitted

begin routers
{routers}
begin transports
# transports{transports}
""")
EOF
chmod 755 "$T/carom-bounce"

# ---- the daemon, in its own mount namespace ------------------------------------------------------
cp /etc/passwd "$T/passwd"; cp /etc/group "$T/group"
grep -q '^Debian-exim:' "$T/passwd" || echo 'Debian-exim:x:64999:64999:Exim:/nonexistent:/usr/sbin/nologin' >> "$T/passwd"
grep -q '^Debian-exim:' "$T/group" || echo 'Debian-exim:x:64999:' >> "$T/group"
# Exim re-executes itself as /usr/sbin/exim4 for each delivery: the unpacked sbin is mounted there.
unshare -m bash -c 'mount --bind "$1/passwd" /etc/passwd && mount --bind "$1/group" /etc/group &&
    mount --bind "$1/root/usr/sbin" /usr/sbin &&
    exec env LD_LIBRARY_PATH="$2" /usr/sbin/exim4 -C "$1/exim.conf" -bdf -oX "$3"' exim "$T" "$LIBS" "$PORT" \
    > "$T/exim.out" 2>&1 &
EXIM_PID=$!
wait_listening "$PORT" || fail "Exim does not listen on 127.0.0.1:$PORT"
echo "Exim (unpacked) on 127.0.0.1:$PORT, pid $EXIM_PID"

# ---- two bounces --------------------------------------------------------------------------------
python3 - "$PORT" "$T" "$HERE" <<'EOF' || fail "the Exim recipe did not do what docs/backscatter.md says"
import json, os, smtplib, sys, time
port, tmp = int(sys.argv[1]), sys.argv[2]
sys.path.insert(0, sys.argv[3])
from bounce_samples import dsn
stamp = str(int(time.time()))
genuine, forged = stamp + ".genuine@mail.ours.example", stamp + ".forged@bulk.spammer.invalid"
with smtplib.SMTP("127.0.0.1", port, local_hostname="mx.remote.example", timeout=20) as s:
    for mid, is_forged in ((genuine, False), (forged, True)):
        s.sendmail("", ["list-bounces@bounces.ours.example"], dsn(mid, is_forged, to="list-bounces@bounces.ours.example"))
def mainlog():
    p = os.path.join(tmp, "log", "mainlog")
    return open(p, errors="replace").read() if os.path.exists(p) else ""
deadline = time.time() + 60
while time.time() < deadline and mainlog().count("T=carom_pipe") < 2:
    time.sleep(0.3)
pipe = [l for l in mainlog().splitlines() if "T=carom_pipe" in l]
print("pipe deliveries:\n  " + "\n  ".join(pipe))
feed_path = os.path.join(tmp, "feed", "bounces.jsonl")
feed = [json.loads(l) for l in open(feed_path)] if os.path.exists(feed_path) else []
print("feed: %s" % [(r["backscatter"]["verdict"], [(x["recipient"], x["class"], x["reason"]) for x in r["records"]]) for r in feed])
ok = len(pipe) == 2 and all(" => " in l for l in pipe)
ok = ok and len(feed) == 1 and feed[0]["backscatter"]["verdict"] == "genuine" and genuine in json.dumps(feed[0])
ok = ok and [(x["recipient"], x["class"], x["reason"]) for x in feed[0]["records"]] == [("gone@remote.example", "hard", "userunknown")]
sys.exit(0 if ok else 1)
EOF
echo "1 passed, 0 failed"
