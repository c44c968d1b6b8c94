#!/bin/bash
# carom-milter in front of a real Postfix (docs/milter.md).
#
#   milter_postfix.sh CAROM_MILTER [unix|inet]
#
# unix (the default, as docs/milter.md advises): Postfix reaches the milter on a unix socket;
# inet: on a loopback TCP port.
#
# Two throw-away Postfix instances on 127.0.0.1 (postfix.sh): A, relay.ours.example, our server,
# whose smtpd asks carom-milter (--action reject, milter_default_action = accept); B, the remote
# MX, which accepts any recipient at remote.example and bounces the unknown ones. Checked:
#  1. real bounces: a message we sent through A bounces at B and comes back with X-Carom headers
#     (genuine, hard, userunknown); a forged message sent straight to B bounces, and A refuses
#     that bounce at DATA with 550 5.7.1 (A's log says milter-reject), so it never arrives;
#  2. mail with a sender is untouched; X-Carom-* headers that came with a bounce are removed;
#  3. 1,000 bounces (half forged) over four connections: every forged one refused, every genuine
#     one delivered once with its headers, none lost;
#  4. SIGUSR1 re-reads the context: with an empty context the forged bounce passes tagged, with
#     ours back it is refused again;
#  5. the milter killed (SIGKILL) in the middle of a stream of 200 bounces: Postfix's
#     milter_default_action (accept) takes over, every message is refused or delivered, none lost.
# It prints (does not assert) the time of an SMTP transaction on A (milter) and on B (none).
# Exit: 0 passed; 1 failed; 77 skipped (not root, Postfix not installed or will not start).
set -u

MILTER=${1:-}
if [ -z "$MILTER" ] || [ ! -x "$MILTER" ]; then
    echo "usage: milter_postfix.sh CAROM_MILTER (an executable)"; exit 2
fi
MILTER=$(cd "$(dirname "$MILTER")" && pwd)/$(basename "$MILTER")
TRANSPORT=${2:-unix}

. "$(dirname "${BASH_SOURCE[0]}")/postfix.sh"
read -r PORT_A PORT_B PORT_M < <(free_ports 3)
[ -n "$PORT_M" ] || fail "no free loopback ports"

CONTEXT="$T/context.json"
echo '{"domains": ["ours.example"], "relays": ["relay.ours.example"], "message_id_domains": ["mail.ours.example"]}' > "$CONTEXT"
if [ "$TRANSPORT" = inet ]; then
    SPEC="inet:$PORT_M@127.0.0.1" POSTFIX_SPEC="inet:127.0.0.1:$PORT_M"
else
    SPEC="unix:$T/milter.sock" POSTFIX_SPEC="unix:$T/milter.sock"
fi
"$MILTER" --socket "$SPEC" --action reject --context "$CONTEXT" > "$T/milter.log" 2>&1 &
MILTER_PID=$!
PIDS+=("$MILTER_PID")

make_instance a relay.ours.example "$PORT_A" ours.example someone remote.example "$PORT_B" \
"smtpd_milters = $POSTFIX_SPEC
milter_default_action = accept
milter_connect_timeout = 5s
# One connection brings hundreds of refused bounces here: no error limits, no error sleep.
smtpd_soft_error_limit = 10000
smtpd_hard_error_limit = 10000
smtpd_error_sleep_time = 0s"
make_instance b mx.remote.example "$PORT_B" remote.example realuser ours.example "$PORT_A"

wait_listening "$PORT_A" "$PORT_B" || skip "the Postfix instances do not listen on 127.0.0.1:$PORT_A/$PORT_B"
for _ in $(seq 100); do grep -q "listening on" "$T/milter.log" && break; sleep 0.1; done
grep -q "listening on" "$T/milter.log" || fail "carom-milter does not listen on $SPEC: $(cat "$T/milter.log")"
# The socket is the milter's user's and group's (mode 0660): Postfix's smtpd runs as postfix.
[ "$TRANSPORT" = inet ] || chgrp postfix "$T/milter.sock" || fail "chgrp postfix $T/milter.sock"
echo "A (milter) on 127.0.0.1:$PORT_A, B on 127.0.0.1:$PORT_B, carom-milter pid $MILTER_PID on $SPEC"

RESULT=0
python3 "$(dirname "${BASH_SOURCE[0]}")/milter_postfix.py" "$PORT_A" "$PORT_B" "$T" "$MILTER_PID" "$CONTEXT" || RESULT=1
[ "$RESULT" = 0 ] || { echo "---- carom-milter log"; tail -20 "$T/milter.log"; }
finish "$RESULT"
