# Throw-away Postfix instances on 127.0.0.1 for the real-MTA tests, sourced by real_mta.sh and
# milter_postfix.sh: each instance has its own config, queue, data and Maildir under $T, and
# cleanup stops them (and the processes in PIDS) by PID. The system instance, if any, is neither
# used nor touched, and nothing is installed. Exit 77 means skipped.
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; dump_logs; exit 1; }
. "$(dirname "${BASH_SOURCE[0]}")/postfix-conf.sh"

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
PIDS=()  # other processes the test starts (a milter): ended by PID in cleanup
dump_logs() {
    for x in a b; do
        if [ -f "$T/$x/maillog" ]; then echo "---- instance $x maillog (last 40 lines)"; tail -40 "$T/$x/maillog"; fi
    done
}
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
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

VUID=$(id -u nobody) VGID=$(id -g nobody)

# Postfix commands write their fatal errors to syslog and to stderr only when it is a terminal;
# without a syslog daemon, script(1) gives them a terminal to say why.
why() {
    command -v script >/dev/null && script -qec "/usr/sbin/postfix -c $1/etc $2" /dev/null 2>&1 | tail -3
}

make_instance() {  # name hostname port virtual_domain mailbox_user other_domain other_port [main.cf lines] [master.cf lines]
    local x=$1 host=$2 port=$3 domain=$4 user=$5 other=$6 other_port=$7 extra=${8:-} extra_master=${9:-}
    local d="$T/$x"
    mkdir -p "$d/etc" "$d/queue" "$d/data" "$d/mail"
    chown postfix "$d/data"
    chown "$VUID:$VGID" "$d/mail"
    cat > "$d/etc/main.cf" <<EOF
$(instance_main_cf "$d" "$host")
mydestination =
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
$extra
EOF
    cat > "$d/etc/master.cf" <<EOF
127.0.0.1:$port inet n - n - - smtpd
$(instance_master_services)
$extra_master
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


. "$(dirname "${BASH_SOURCE[0]}")/net.sh"

# finish RESULT: the test's last line and exit status (0 passed, else the logs and 1).
finish() {
    if [ "$1" = 0 ]; then
        echo "1 passed, 0 failed"
        exit 0
    fi
    dump_logs
    echo "0 passed, 1 failed"
    exit 1
}
