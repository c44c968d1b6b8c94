#!/bin/bash
# Provoke bounces on real MTAs, with causes known by construction.
#
#   provoke.sh OUTDIR [postfix|exim|opensmtpd|all|quick]
#
# "quick" provokes a handful of the cases on both MTAs (about a minute): live_test.sh runs it as
# the meson test realmta_live and checks carom's reason and class against the causes.
#
# Starts throw-away MTAs on 127.0.0.1 under a temporary folder and sends them mail that must fail
# for a cause this script builds on purpose (an unknown user, a mailbox over quota, a closed port,
# a remote that refuses relaying, a pipe that exits 67, ...). Every bounce or delay notice that
# the MTA writes back to the sender is caught by a sink (the sender's "MX", tests/realmta/peer.py)
# and saved as OUTDIR/<mta>-<case>.eml; OUTDIR/cases.tsv lists, per case, the recipient and the
# reason and class that the CAUSE gives by docs/taxonomy.md (never carom's output).
#
# The MTAs:
#   postfix  /usr/sbin/postfix as installed (never the system instance): three instances with their
#            own main.cf/master.cf, queue and data folders under the temporary folder
#              A  mail.example.org  the sender's MTA; maximal_queue_lifetime = 0, so a temporary
#                                   failure is returned at once (what Postfix does on expiry)
#              D  mail.example.org  the same, but keeps the mail and sends delay notices
#                                   (delay_warning_time = 1s)
#              B  mx.example.net    a real remote Postfix (unknown users, relaying, size limit,
#                                   header/body checks, client and sender restrictions)
#   exim     Debian's exim4-daemon-light, fetched with `apt-get download` (or CAROM_EXIM_DEBS=DIR)
#            and unpacked, never installed; run as in tests/backscatter/pipe_exim.sh: a private
#            mount namespace with copies of /etc/passwd and /etc/group that add Debian-exim.
#   opensmtpd  Debian's opensmtpd, unpacked the same way (run_opensmtpd says how); not in "quick".
#   peer.py  a scripted SMTP peer for remote replies that a real MTA here cannot give on demand
#            (greetings 421/554, 450 at RCPT, a closed port is simply a port nobody listens on).
# Nothing is installed, no system file is changed; every daemon is stopped by its PID and the
# temporary folder is removed on exit (CAROM_REALMTA_KEEP=1 keeps it, for debugging).
# No real DNS is used except for one lookup of a name under .invalid (which never resolves).
# Exit: 0 done; 1 failed; 77 skipped (not root, Postfix missing, Exim packages not fetchable).
set -u
OUT=${1:?usage: provoke.sh OUTDIR [postfix|exim|opensmtpd|all|quick]}
WHICH=${2:-all}
QUICK=
[ "$WHICH" = quick ] && QUICK=1 && WHICH=all
# The cases of "quick" (MTA-CASE as in cases.tsv).
QUICK_CASES=" postfix-local-unknown-user postfix-virtual-mailbox-quota postfix-alias-command-exit75
 postfix-pipe-stderr-exit1 postfix-remote-unknown-user postfix-remote-relay-denied postfix-remote-message-too-big
 postfix-remote-client-rejected postfix-greeting-554-blocklist postfix-connection-refused
 postfix-connection-refused-delayed postfix-host-not-found exim-pipe-exit77 exim-remote-unknown-user
 exim-remote-header-checks exim-greeting-421-delay exim-greeting-421-delay-delayed "
# skipped CASE: true when a quick run leaves CASE out
QUICK_CASES=" $(echo $QUICK_CASES) "  # one space between names
skipped() { [ -n "$QUICK" ] && [[ "$QUICK_CASES" != *" $1 "* ]]; }
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/../backscatter/postfix-conf.sh"
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (Postfix instances, Exim's mount namespace)"
command -v python3 >/dev/null || skip "python3 is needed"
. "$HERE/../backscatter/net.sh"

T=$(mktemp -d /tmp/carom-realmta.XXXXXX) || exit 1
chmod 755 "$T"
PIDS=()
cleanup() {
    local p x pid
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    for x in A B D; do
        [ -d "$T/$x/etc" ] || continue
        /usr/sbin/postfix -c "$T/$x/etc" stop >/dev/null 2>&1
        if [ -f "$T/$x/queue/pid/master.pid" ]; then
            pid=$(tr -dc 0-9 < "$T/$x/queue/pid/master.pid")
            for _ in 1 2 3 4 5 6 7 8 9 10; do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
            [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill "$pid" 2>/dev/null
        fi
    done
    if [ "${CAROM_REALMTA_KEEP:-}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

read -r P_SINK P_PEER P_421 P_554 P_SILENT P_A P_D P_B1 P_B2 P_B3 P_B4 P_E P_452 P_O < <(free_ports 14)
# A closed port: below the ephemeral range, where nothing here listens (tcpmux).
P_CLOSED=1
echo -n > "$OUT/cases.tsv"
mkdir -p "$T/sink"

# ---- the scripted peers ---------------------------------------------------------------------------
cat > "$T/peer.json" <<EOF
{"ports": {
 "$P_SINK": {"name": "mx.example.com", "save": "$T/sink"},
 "$P_PEER": {"name": "mx1.example.net", "greeting": "220 mx1.example.net ESMTP ready",
   "ehlo": ["PIPELINING", "SIZE 20000000", "8BITMIME"],
   "rcpt": {"ghost": "550 5.1.1 <{addr}>: Recipient address rejected: User unknown in local recipient table",
            "gone": "550 5.1.1 The email account that you tried to reach does not exist. Please try\\n5.1.1 double-checking the recipient's email address for typos or\\n5.1.1 unnecessary spaces. For more information, go to\\n5.1.1  https://support.example.com/mail/answer/6596 q7si1234567qkj.123 - gsmtp",
            "stuffed": "552 5.2.2 <{addr}>: Recipient address rejected: Mailbox full",
            "overquota": "452 4.2.2 The email account that you tried to reach is over quota. Please direct\\n4.2.2 the recipient to\\n4.2.2  https://support.example.com/mail/?p=422 a1si55662qkb.9 - gsmtp",
            "greylisted": "450 4.2.0 <{addr}>: Recipient address rejected: Greylisted, see http://postgrey.example.net/help/example.net",
            "tempfail": "451 4.3.0 <{addr}>: Temporary lookup failure",
            "disabled": "550 5.2.1 <{addr}>: Recipient address rejected: Account disabled",
            "tlsonly": "530 5.7.0 Must issue a STARTTLS command first",
            "ratelimit": "450 4.7.1 <{addr}>: Recipient address rejected: Rate limit exceeded, try again later",
            "moved": "551 5.1.6 User has moved; please try <new.address@example.org>"}},
 "$P_421": {"name": "mx2.example.net", "greeting": "421 4.3.2 mx2.example.net Service not available, closing transmission channel"},
 "$P_554": {"name": "mx3.example.net", "greeting": "554 5.7.1 mx3.example.net ESMTP not accepting messages from 127.0.0.1: listed at bl.example.org"},
 "$P_452": {"name": "mx4.example.net", "greeting": "421 4.7.0 mx4.example.net Too many concurrent SMTP connections from this IP address; please try again later"},
 "$P_SILENT": {"name": "mx5.example.net", "greeting": "220 mx5.example.net ESMTP", "eod": "451 4.3.0 Error: queue file write error"}
}}
EOF
python3 "$HERE/peer.py" "$T/peer.json" > "$T/peer.log" 2>&1 &
PIDS+=($!)
wait_listening "$P_SINK" "$P_PEER" "$P_421" "$P_554" "$P_452" "$P_SILENT" || { cat "$T/peer.log"; echo "FAIL: the peers do not listen"; exit 1; }

# send MTA PORT CASE RCPT [SIZE]: one message from newsletter@example.com, Subject "case MTA-CASE"
send() {
    python3 - "$@" <<'EOF'
import os, smtplib, sys, time
mta, port, case, rcpt = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
size = int(sys.argv[5]) if len(sys.argv) > 5 else 0
extra = sys.argv[6] if len(sys.argv) > 6 else ""
body = "Hello,\n\nthe monthly letter of the example association.\n" + extra + "\n"
if size:
    body += ("x" * 70 + "\n") * (size // 71)
hops = "".join(f"Received: from relay{i}.example.org (relay{i}.example.org [192.0.2.{i}])\n\tby relay{i+1}.example.org; {time.strftime('%a, %d %b %Y %H:%M:%S +0000', time.gmtime())}\n" for i in range(int(os.environ.get("HOPS", "0"))))
msg = hops + (f"From: Example Newsletter <newsletter@example.com>\nTo: <{rcpt}>\nSubject: case {mta}-{case}\n"
       f"Message-ID: <{case}.{int(time.time())}@example.com>\nDate: {time.strftime('%a, %d %b %Y %H:%M:%S +0000', time.gmtime())}\n"
       f"MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n{body}")
if os.environ.get("SUBMIT_CONF"):  # through sendmail(1) and pickup, not SMTP
    import subprocess
    subprocess.run(["/usr/sbin/sendmail", "-C", os.environ["SUBMIT_CONF"], "-f", "newsletter@example.com", rcpt],
                   input=msg.encode(), check=True)
    sys.exit(0)
try:
    with smtplib.SMTP("127.0.0.1", port, local_hostname="client.example.com", timeout=30) as s:
        s.sendmail("newsletter@example.com", [rcpt], msg)
except smtplib.SMTPException as e:
    print(f"{mta}-{case}: refused at submission: {e}")
EOF
}
# expect MTA CASE RCPT ACTION CLASS REASON: the known cause of a case (cases.tsv)
expect() { printf '%s-%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" >> "$OUT/cases.tsv"; }
# collect: saves each caught bounce as OUT/<mta>-<case>[-delayed].eml
collect() {
    python3 - "$T/sink" "$OUT" <<'EOF'
import os, re, sys
sink, out = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(sink)):
    if not name.endswith(".eml"):
        continue
    text = open(os.path.join(sink, name), errors="replace").read()
    if open(os.path.join(sink, name[:-4] + ".from")).read() != "":
        continue  # not a bounce (only mail from the null sender is kept)
    m = re.search(r"^Subject: case (\S+)", text, re.M)
    if not m:
        print("unmatched sink message", name); continue
    case = m.group(1)
    delayed = bool(re.search(r"^Action: delayed", text, re.M | re.I)) or "Warning: message" in text.split("\n\n")[0]
    dest = os.path.join(out, case + ("-delayed" if delayed else "") + ".eml")
    if not os.path.exists(dest):
        open(dest, "w").write(text)
EOF
}

# await_bounces MTA SECONDS LOG LINES: collects until every case of MTA has its bounce (or the time
# is up; then says how many are missing and shows the end of the MTA's log)
await_bounces() {
    local deadline=$((SECONDS + $2)) missing=0
    while [ $SECONDS -lt $deadline ]; do
        collect
        missing=0
        while IFS=$'\t' read -r case _; do [ -f "$OUT/$case.eml" ] || missing=$((missing + 1)); done < <(grep "^$1-" "$OUT/cases.tsv")
        [ $missing = 0 ] && break
        sleep 2
    done
    [ $missing = 0 ] || { echo "$1: $missing case(s) gave no bounce"; tail -"$4" "$3"; }
}

# ==== Postfix ======================================================================================
VUID=$(id -u nobody) VGID=$(id -g nobody)
# make_pf NAME HOSTNAME MAIN_EXTRA MASTER_LINES
make_pf() {
    local x=$1 host=$2 extra=$3 master=$4 d="$T/$1"
    mkdir -p "$d/etc" "$d/queue" "$d/data" "$d/mail" "$d/files"
    chown postfix "$d/data"; chown "$VUID:$VGID" "$d/mail" "$d/files"
    cat > "$d/etc/main.cf" <<EOF
$(instance_main_cf "$d" "$host")
alias_database =
biff = no
append_dot_mydomain = no
smtputf8_enable = no
smtp_dns_support_level = disabled
smtp_host_lookup = native
smtp_bind_address = 127.0.0.1
smtp_tls_security_level = none
smtpd_tls_security_level = none
smtp_helo_timeout = 3s
smtp_connect_timeout = 3s
queue_run_delay = 2s
minimal_backoff_time = 2s
maximal_backoff_time = 4s
virtual_mailbox_base = $d/mail
virtual_uid_maps = static:$VUID
virtual_gid_maps = static:$VGID
virtual_minimum_uid = 1
default_privs = nobody
smtpd_banner = \$myhostname ESMTP Postfix
$extra
EOF
    cat > "$d/etc/master.cf" <<EOF
$(instance_master_services)
smtpdns   unix  - - n - - smtp -o smtp_dns_support_level=enabled -o smtp_host_lookup=dns
$master
EOF
    /usr/sbin/postfix -c "$d/etc" check > "$d/check.log" 2>&1 || { cat "$d/check.log"; echo "FAIL: postfix check ($x)"; exit 1; }
    /usr/sbin/postfix -c "$d/etc" start > "$d/start.log" 2>&1 || { cat "$d/start.log" "$d/maillog"; echo "FAIL: postfix start ($x)"; exit 1; }
}

run_postfix() {
    if ! [ -x /usr/sbin/postfix ] || ! [ -x /usr/lib/postfix/sbin/master ]; then
        echo "postfix: not installed, skipped"; return 77
    fi
    echo "postfix $(/usr/sbin/postconf -d -h mail_version)"
    local routes="example.com smtp:[127.0.0.1]:$P_SINK
  b.example.net smtp:[127.0.0.1]:$P_B1
  outside.example.net smtp:[127.0.0.1]:$P_B1
  b2.example.net smtp:[127.0.0.1]:$P_B4
  clientblock.example.net smtp:[127.0.0.1]:$P_B2
  senderblock.example.net smtp:[127.0.0.1]:$P_B3
  peer.example.net smtp:[127.0.0.1]:$P_PEER
  greet421.example.net smtp:[127.0.0.1]:$P_421
  greet554.example.net smtp:[127.0.0.1]:$P_554
  busy.example.net smtp:[127.0.0.1]:$P_452
  dataerr.example.net smtp:[127.0.0.1]:$P_SILENT
  closed.example.net smtp:[127.0.0.1]:$P_CLOSED
  nohost.example.net smtpdns:[mx.nohost.invalid]
  pipes.example.org pipex:"
    # The sender's side: local users (aliases to files and commands), a virtual domain, pipes.
    local sender_common="mydestination = mail.example.org, localhost
local_recipient_maps =
alias_maps = texthash:\$config_directory/aliases
allow_mail_to_commands = alias
allow_mail_to_files = alias
virtual_mailbox_domains = virt.example.org
virtual_mailbox_maps = inline:{ {full@virt.example.org = full.mbox}, {known@virt.example.org = known/} }
smtpd_reject_unlisted_recipient = no
message_size_limit = 100000
virtual_mailbox_limit = 102400
mailbox_size_limit = 102400
hopcount_limit = 8
transport_maps = texthash:\$config_directory/transport
default_transport = error:5.7.1 outside delivery is disabled in this test
relay_transport = error:5.7.1 outside delivery is disabled in this test"
    local pipes='pipex unix - n n - - pipe flags=q user=nobody argv=/bin/sh '"$T"'/pipe.sh ${user}'
    for x in A D; do
        mkdir -p "$T/$x/etc" "$T/$x/files/ro"
        printf '%s\n' "$routes" | sed 's/^ *//' > "$T/$x/etc/transport"
        cat > "$T/$x/etc/aliases" <<EOF
quota $T/$x/files/quota.mbox
readonly $T/$x/files/ro/mbox
cmd67 "|exit 67"
cmd75 "|exit 75"
cmd77 "|exit 77"
cmd69 "|echo 'dovecot-lda: Fatal: Invalid user settings. Refer to server log for more information.' >&2; exit 69"
loopa loopb@mail.example.org
loopb loopa@mail.example.org
EOF
    done
    # pipes.example.org: a pipe(8) transport whose command fails as its recipient's name says.
    cat > "$T/pipe.sh" <<'EOF'
case $1 in
    exit67) exit 67 ;;  # EX_NOUSER
    exit75) exit 75 ;;  # EX_TEMPFAIL
    locked) echo "Mailbox locked by another process, try later" >&2; exit 1 ;;
esac
EOF
    make_pf B mx.example.net "mydestination =
local_recipient_maps =
alias_maps =
virtual_mailbox_domains = b.example.net, b2.example.net
virtual_mailbox_maps = inline:{ {known@b.example.net = known/}, {known@b2.example.net = known/} }
smtpd_reject_unlisted_recipient = yes
mynetworks = 192.0.2.0/24
smtpd_relay_restrictions = reject_unauth_destination
message_size_limit = 30000
header_checks = regexp:\$config_directory/header_checks
body_checks = regexp:\$config_directory/body_checks
blockclient = check_client_access inline:{ {127.0.0.1 = REJECT} }
blocksender = check_sender_access inline:{ {example.com = REJECT} }
transport_maps = inline:{ {example.com = smtp:[127.0.0.1]:$P_SINK} }
default_transport = error:5.7.1 outside delivery is disabled in this test" \
"127.0.0.1:$P_B1 inet n - n - - smtpd
127.0.0.1:$P_B2 inet n - n - - smtpd -o smtpd_client_restrictions=\$blockclient
127.0.0.1:$P_B3 inet n - n - - smtpd -o smtpd_sender_restrictions=\$blocksender
127.0.0.1:$P_B4 inet n - n - - smtpd -o smtpd_reject_unlisted_recipient=no"
    mkdir -p "$T/B/etc"
    printf '/^Subject: .*header-checks/ REJECT\n' > "$T/B/etc/header_checks"
    printf '/casino bonus/ REJECT 5.7.1 Rejected by local policy: links to casino sites are not accepted here\n' > "$T/B/etc/body_checks"
    /usr/sbin/postfix -c "$T/B/etc" reload >/dev/null 2>&1
    # A: returns at the first temporary failure (maximal_queue_lifetime = 0 means one try). Its
    # report says "failed" with the 4.x.x status of the last try and no words of giving up: by
    # docs/taxonomy.md (principle 4) the words of the trouble decide such a record, not "expired".
    make_pf A mail.example.org "$sender_common
maximal_queue_lifetime = 0
bounce_queue_lifetime = 0" "127.0.0.1:$P_A inet n - n - - smtpd
$pipes"
    # D: keeps deferred mail and warns after a second.
    make_pf D mail.example.org "$sender_common
maximal_queue_lifetime = 1d
delay_warning_time = 1s" "127.0.0.1:$P_D inet n - n - - smtpd
$pipes"
    chmod 555 "$T/A/files/ro" "$T/D/files/ro"
    # Two mailboxes that are nearly at their size limit (100000 of 102400 bytes) already.
    for f in "$T/A/files/quota.mbox" "$T/A/mail/full.mbox"; do
        python3 -c 'import sys; open(sys.argv[1], "w").write("From old@example.com Mon Dec  7 10:00:00 2026\nSubject: old\n\n" + ("y" * 99 + "\n") * 1000)' "$f"
        chown "$VUID:$VGID" "$f"
    done
    wait_listening "$P_A" "$P_D" "$P_B1" "$P_B2" "$P_B3" "$P_B4" || { echo "FAIL: Postfix does not listen"; return 1; }

    local p=postfix
    # case  rcpt  action class reason [size] [body words]
    c() { local case=$1 rcpt=$2; shift 2; skipped "$p-$case" && return; expect $p "$case" "$rcpt" "$1" "$2" "$3"; send $p "$P_A" "$case" "$rcpt" "${4:-0}" "${5:-}"; }
    cd_() { local case=$1 rcpt=$2; shift 2; skipped "$p-$case-delayed" && return; expect $p "$case-delayed" "$rcpt" delayed delayed "$1"; send $p "$P_D" "$case" "$rcpt" "${2:-0}"; }
    c local-unknown-user       nosuch@mail.example.org      failed hard userunknown
    c virtual-unknown-user     nosuch@virt.example.org      failed hard userunknown
    c virtual-mailbox-quota    full@virt.example.org        failed soft mailboxfull 8000
    c local-file-quota         quota@mail.example.org       failed soft mailboxfull 8000
    c local-file-not-writable  readonly@mail.example.org    failed soft mailererror
    c alias-command-exit67     cmd67@mail.example.org       failed hard userunknown
    c alias-command-exit75     cmd75@mail.example.org       failed soft mailererror
    c alias-command-exit77     cmd77@mail.example.org       failed soft mailererror
    c alias-command-stderr69   cmd69@mail.example.org       failed soft mailererror
    c pipe-exit67              exit67@pipes.example.org     failed hard userunknown
    c pipe-stderr-exit1        locked@pipes.example.org failed soft mailererror
    c pipe-exit75              exit75@pipes.example.org     failed soft mailererror
    c alias-loop               loopa@mail.example.org       failed soft networkerror
    c remote-unknown-user      nobody@b.example.net         failed hard userunknown
    c remote-accept-then-unknown nobody@b2.example.net      failed hard userunknown
    c remote-relay-denied      someone@outside.example.net  failed block norelaying
    c remote-message-too-big   known@b.example.net          failed soft mesgtoobig 40000
    c remote-header-checks     known@b2.example.net         failed block contenterror
    c remote-body-checks       known@b.example.net          failed block policyviolation 0 "casino bonus inside"
    c remote-client-rejected   known@clientblock.example.net failed block blocked
    c remote-sender-rejected   known@senderblock.example.net failed block rejected
    c peer-550-user-unknown    ghost@peer.example.net       failed hard userunknown
    c peer-550-gmail-style     gone@peer.example.net        failed hard userunknown
    c peer-552-mailbox-full    stuffed@peer.example.net     failed soft mailboxfull
    c peer-452-over-quota      overquota@peer.example.net   failed soft mailboxfull
    c peer-450-greylisted      greylisted@peer.example.net  failed soft onhold
    c peer-451-lookup-failure  tempfail@peer.example.net    failed soft systemerror
    c peer-550-disabled        disabled@peer.example.net    failed soft suspend
    c peer-530-starttls        tlsonly@peer.example.net     failed block failedstarttls
    c peer-450-rate-limit      ratelimit@peer.example.net   failed block speeding
    c peer-551-moved           moved@peer.example.net       failed hard hasmoved
    c greeting-421             someone@greet421.example.net failed soft systemerror
    c greeting-554-blocklist   someone@greet554.example.net failed block blocked
    c greeting-421-too-many    someone@busy.example.net     failed block toomanyconn
    c data-451-write-error     someone@dataerr.example.net  failed soft systemerror
    c connection-refused       someone@closed.example.net   failed soft networkerror
    c host-not-found           someone@nohost.example.net   failed hard hostunknown
    cd_ connection-refused     someone@closed.example.net   networkerror
    cd_ greeting-421           someone@greet421.example.net systemerror
    cd_ peer-450-greylisted    greylisted@peer.example.net  onhold
    cd_ alias-command-exit75   cmd75@mail.example.org       mailererror
    # hop count: a message that already carries more Received: lines than hopcount_limit
    skipped $p-too-many-hops || expect $p too-many-hops known@virt.example.org failed soft networkerror
    skipped $p-too-many-hops || HOPS=10 SUBMIT_CONF="$T/A/etc" send $p "$P_A" too-many-hops known@virt.example.org
    await_bounces postfix 40 "$T/A/maillog" 60
}

# ==== Exim ==========================================================================================
run_exim() {
    command -v unshare >/dev/null && command -v dpkg-deb >/dev/null || { echo "exim: needs unshare and dpkg-deb, skipped"; return 77; }
    local E="$T/exim"
    mkdir -p "$E/debs" "$E/root" "$E/spool" "$E/log" "$E/mail"
    if [ -n "${CAROM_EXIM_DEBS:-}" ]; then
        cp "$CAROM_EXIM_DEBS"/*.deb "$E/debs/" || { echo "exim: no .deb files in CAROM_EXIM_DEBS"; return 77; }
    else
        (cd "$E/debs" && timeout 120 apt-get download -q -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
            exim4-daemon-light libidn12 >/dev/null 2>&1) || { echo "exim: cannot fetch the packages, skipped"; return 77; }
    fi
    local deb
    for deb in "$E"/debs/*.deb; do dpkg-deb -x "$deb" "$E/root" || return 1; done
    chmod u-s "$E/root/usr/sbin/exim4"
    local libs="$E/root/usr/lib/x86_64-linux-gnu:$E/root/lib/x86_64-linux-gnu"
    echo "exim $(dpkg-deb -f "$(ls "$E"/debs/exim4-daemon-light_*.deb | head -1)" Version)"
    # Exim run with -C keeps no privilege to change users: everything runs as Debian-exim (64999).
    python3 -c 'import sys; open(sys.argv[1], "w").write("From old@example.com Mon Dec  7 10:00:00 2026\nSubject: old\n\n" + ("y" * 99 + "\n") * 1000)' "$E/mail/full"
    cat > "$E/pipe.sh" <<'EOF'
case $1 in
    exit67) exit 67 ;;  # EX_NOUSER
    exit75) exit 75 ;;  # EX_TEMPFAIL
    exit77) exit 77 ;;  # EX_NOPERM
    stderr1) echo "maildrop: Unable to create a dot-lock at /var/mail/stderr1.lock." >&2; exit 1 ;;
esac
EOF
    printf 'exit67: exit67\nexit75: exit75\nexit77: exit77\nstderr1: stderr1\n' > "$E/codes"
    chown -R 64999:64999 "$E/spool" "$E/log" "$E/mail"
    cat > "$E/ports" <<EOF
example.com: $P_SINK
b.example.net: $P_B1
outside.example.net: $P_B1
b2.example.net: $P_B4
clientblock.example.net: $P_B2
peer.example.net: $P_PEER
greet421.example.net: $P_421
greet554.example.net: $P_554
closed.example.net: $P_CLOSED
EOF
    cat > "$E/exim.conf" <<EOF
keep_environment = LD_LIBRARY_PATH
spool_directory = $E/spool
log_file_path = $E/log/%slog
primary_hostname = smtp.example.org
qualify_domain = example.org
daemon_smtp_ports = $P_E
local_interfaces = 127.0.0.1
host_lookup =
never_users = root
acl_smtp_rcpt = acl_rcpt
# Delay notices after a second, for the cases whose subject asks for one.
delay_warning = 1s
delay_warning_condition = \${if match{\$h_subject:}{-delay}}
begin acl
acl_rcpt:
  accept

begin routers
remote:
  driver = manualroute
  domains = partial-lsearch;$E/ports
  address_data = \${lookup{\$domain}lsearch{$E/ports}}
  route_list = * 127.0.0.1
  transport = remote_smtp
  self = send
  no_more
nohost:
  driver = accept
  domains = nohost.example.net
  transport = nohost_smtp
  no_more
mailbox:
  driver = accept
  domains = local.example.org
  local_parts = full : known
  transport = local_mbox
commands:
  driver = accept
  domains = local.example.org
  local_parts = exit67 : exit75 : exit77 : stderr1
  # (a looked-up value is untainted; the local part itself may not reach a command line)
  address_data = \${lookup{\$local_part}lsearch{$E/codes}}
  transport = cmd_pipe

begin transports
remote_smtp:
  driver = smtp
  port = \${if eq{\$address_data}{}{25}{\$address_data}}
  allow_localhost
  hosts_avoid_tls = *
  # every peer is 127.0.0.1 (on its own port): never hand a message down another peer's connection
  connection_max_messages = 1
nohost_smtp:
  driver = smtp
  hosts = mx.nohost.invalid
local_mbox:
  driver = appendfile
  file = $E/mail/full
  user = Debian-exim
  quota = 100k
cmd_pipe:
  driver = pipe
  command = /bin/sh $E/pipe.sh \$address_data
  user = Debian-exim
  return_fail_output

begin retry
*  *  F,5s,1s
EOF
    cp /etc/passwd "$E/passwd"; cp /etc/group "$E/group"
    grep -q '^Debian-exim:' "$E/passwd" || echo 'Debian-exim:x:64999:64999:Exim:/nonexistent:/usr/sbin/nologin' >> "$E/passwd"
    grep -q '^Debian-exim:' "$E/group" || echo 'Debian-exim:x:64999:' >> "$E/group"
    unshare -m bash -c 'mount --bind "$1/passwd" /etc/passwd && mount --bind "$1/group" /etc/group &&
        mount --bind "$1/root/usr/sbin" /usr/sbin &&
        exec env LD_LIBRARY_PATH="$2" /usr/sbin/exim4 -C "$1/exim.conf" -bdf -q1s -oX "$3"' exim "$E" "$libs" "$P_E" \
        > "$E/exim.out" 2>&1 &
    PIDS+=($!)
    wait_listening "$P_E" || { cat "$E/exim.out" "$E"/log/*; echo "FAIL: Exim does not listen"; return 1; }

    local p=exim
    c() { local case=$1 rcpt=$2; shift 2; skipped "$p-$case" && return; expect $p "$case" "$rcpt" "$1" "$2" "$3"; send $p "$P_E" "$case" "$rcpt" "${4:-0}" "${5:-}"; }
    # a case whose subject ends in -delay also gets a delay notice (delay_warning_condition)
    cw() { local case=$1 rcpt=$2 dreason=$7; shift 2; skipped "$p-$case-delay" && return; expect $p "$case-delay-delayed" "$rcpt" delayed delayed "$dreason"
           expect $p "$case-delay" "$rcpt" "$1" "$2" "$3"; send $p "$P_E" "$case-delay" "$rcpt" "${4:-0}"; }
    # Exim says "Unrouteable address", as for a domain it cannot route: no reason is certain
    c  local-unknown-user     nosuch@local.example.org      failed - -
    cw appendfile-quota       full@local.example.org        failed soft mailboxfull 8000 -
    c  pipe-exit67            exit67@local.example.org      failed soft mailererror
    c  pipe-exit77            exit77@local.example.org      failed soft mailererror
    c  pipe-stderr-exit1      stderr1@local.example.org     failed soft mailererror
    c  pipe-exit75            exit75@local.example.org      failed soft mailererror
    c  remote-unknown-user    nobody@b.example.net          failed hard userunknown
    c  remote-relay-denied    someone@outside.example.net   failed block norelaying
    c  remote-message-too-big known@b.example.net           failed soft mesgtoobig 40000
    c  remote-header-checks   known@b2.example.net          failed block contenterror
    c  remote-client-rejected known@clientblock.example.net failed block blocked
    c  peer-552-mailbox-full  stuffed@peer.example.net      failed soft mailboxfull
    c  peer-551-moved         moved@peer.example.net        failed hard hasmoved
    c  peer-550-disabled      disabled@peer.example.net     failed soft suspend
    c  peer-530-starttls      tlsonly@peer.example.net      failed block failedstarttls
    c  peer-450-greylisted    greylisted@peer.example.net   failed soft expired
    cw greeting-421           someone@greet421.example.net  failed soft expired 0 -
    c  greeting-554-blocklist someone@greet554.example.net  failed block blocked
    cw connection-refused     someone@closed.example.net    failed soft expired 0 -
    c  host-not-found         someone@nohost.example.net    failed soft expired
    await_bounces exim 60 "$E/log/mainlog" 40
}

# ==== OpenSMTPD =====================================================================================
# Debian's opensmtpd, fetched with `apt-get download` (or CAROM_OPENSMTPD_DEBS=DIR) and unpacked,
# never installed. smtpd wants its users, /var/spool/smtpd, its chroot /var/lib/opensmtpd/empty and
# /usr/libexec/opensmtpd: in a private mount (and UTS) namespace, a tmpfs on /var holds the first
# ones, the unpacked libexec is mounted on /usr/libexec and copies of passwd/group add the users.
run_opensmtpd() {
    command -v unshare >/dev/null && command -v dpkg-deb >/dev/null || { echo "opensmtpd: needs unshare and dpkg-deb, skipped"; return 77; }
    [ -d /usr/libexec ] || { echo "opensmtpd: no /usr/libexec to mount on, skipped"; return 77; }
    local O="$T/opensmtpd"
    mkdir -p "$O/debs" "$O/root"
    if [ -n "${CAROM_OPENSMTPD_DEBS:-}" ]; then
        cp "$CAROM_OPENSMTPD_DEBS"/opensmtpd_*.deb "$O/debs/" || { echo "opensmtpd: no .deb in CAROM_OPENSMTPD_DEBS"; return 77; }
    else
        (cd "$O/debs" && timeout 120 apt-get download -q -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
            opensmtpd >/dev/null 2>&1) || { echo "opensmtpd: cannot fetch the package, skipped"; return 77; }
    fi
    dpkg-deb -x "$O"/debs/opensmtpd_*.deb "$O/root" || return 1
    if LD_LIBRARY_PATH= ldd "$O/root/usr/sbin/smtpd" | grep -q "not found"; then echo "opensmtpd: libraries missing, skipped"; return 77; fi
    echo "opensmtpd $(dpkg-deb -f "$(ls "$O"/debs/opensmtpd_*.deb | head -1)" Version)"
    cp /etc/passwd "$O/passwd"; cp /etc/group "$O/group"
    echo 'opensmtpd:x:64990:64990:smtpd:/nonexistent:/usr/sbin/nologin' >> "$O/passwd"
    echo 'opensmtpq:x:64991:64991:smtpq:/nonexistent:/usr/sbin/nologin' >> "$O/passwd"
    printf 'opensmtpd:x:64990:\nopensmtpq:x:64991:\n' >> "$O/group"
    printf 'u@exit67.example.org nobody\nu@stderr.example.org nobody\n' > "$O/vusers"
    cat > "$O/smtpd.conf" <<EOF
listen on 127.0.0.1 port $P_O
table vusers file:$O/vusers
action "sink" relay host smtp://127.0.0.1:$P_SINK
action "peer" relay host smtp://127.0.0.1:$P_PEER
action "b" relay host smtp://127.0.0.1:$P_B1
action "b4" relay host smtp://127.0.0.1:$P_B4
action "exit67" mda "/bin/sh -c 'exit 67'" virtual <vusers>
action "stderr" mda "/bin/sh -c 'echo procmail: Lock failure on /var/mail/u >&2; exit 1'" virtual <vusers>
match from any for domain "example.com" action "sink"
match from any for domain "peer.example.net" action "peer"
match from any for domain "b.example.net" action "b"
match from any for domain "outside.example.net" action "b"
match from any for domain "b2.example.net" action "b4"
match from any for domain "exit67.example.org" action "exit67"
match from any for domain "stderr.example.org" action "stderr"
match from local for any action "sink"
EOF
    unshare -m -u bash -c 'hostname mail.example.net && mount --bind "$1/passwd" /etc/passwd && mount --bind "$1/group" /etc/group &&
        mount -t tmpfs tmpfs /var && mkdir -p /var/spool/smtpd /var/lib/opensmtpd/empty /var/run /var/mail &&
        chmod 711 /var/spool/smtpd && mount --bind "$1/root/usr/libexec" /usr/libexec &&
        exec "$1/root/usr/sbin/smtpd" -d -f "$1/smtpd.conf"' opensmtpd "$O" > "$O/smtpd.log" 2>&1 &
    PIDS+=($!)
    wait_listening "$P_O" || { cat "$O/smtpd.log"; echo "FAIL: OpenSMTPD does not listen"; return 1; }

    local p=opensmtpd
    c() { local case=$1 rcpt=$2; shift 2; skipped "$p-$case" && return; expect $p "$case" "$rcpt" "$1" "$2" "$3"; send $p "$P_O" "$case" "$rcpt" "${4:-0}" "${5:-}"; }
    c peer-550-user-unknown  ghost@peer.example.net        failed hard userunknown
    c peer-552-mailbox-full  stuffed@peer.example.net      failed soft mailboxfull
    c peer-551-moved         moved@peer.example.net        failed hard hasmoved
    c remote-unknown-user    nobody@b.example.net          failed hard userunknown
    c remote-relay-denied    someone@outside.example.net   failed block norelaying
    c remote-header-checks   known@b2.example.net          failed block contenterror
    # (a 554 greeting is retried by OpenSMTPD 6.8 as if it were temporary: no case for it)
    c mda-exit67             u@exit67.example.org          failed soft mailererror
    c mda-stderr-exit1       u@stderr.example.org          failed soft mailererror
    await_bounces opensmtpd 40 "$O/smtpd.log" 30
}

# ==== run ===========================================================================================
rc=0
case $WHICH in
    postfix|all) run_postfix || rc=$? ;;
esac
case $WHICH in
    exim|all) run_exim || rc=$? ;;
esac
case $WHICH in
    opensmtpd|all) [ -z "$QUICK" ] && { run_opensmtpd || rc=$?; } ;;
esac
collect
echo "saved: $(ls "$OUT"/*.eml 2>/dev/null | wc -l) bounce(s) in $OUT"
exit $rc
