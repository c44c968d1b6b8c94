# Loopback helpers for the MTA tests (sourced by postfix.sh and pipe_exim.sh).
# free_ports N: N free loopback ports, on one line.
free_ports() {
    python3 - "$1" <<'PYEOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(*[s.getsockname()[1] for s in socks])
PYEOF
}

# wait_listening PORT...: true once every port accepts a connection (20 s at most).
wait_listening() {
    python3 - "$@" <<'PYEOF'
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
PYEOF
}
