#!/bin/bash
# The meson test realmta_live: provokes a handful of bounces on real Postfix and Exim
# (provoke.sh quick: throw-away instances on 127.0.0.1, nothing installed, all stopped by PID and
# removed) and checks that carom gives each the class and reason of its known cause.
#
#   live_test.sh CAROM
#
# Exit: 0 passed; 1 failed; 77 skipped (not root, Postfix missing, Exim not fetchable: whatever
# provoke.sh skips). CAROM_EXIM_DEBS=DIR uses Exim .deb files already fetched.
set -u
CAROM=${1:?usage: live_test.sh CAROM}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=$(mktemp -d /tmp/carom-realmta-out.XXXXXX) || exit 1
trap 'rm -rf "$OUT"' EXIT
bash "$HERE/provoke.sh" "$OUT" quick
rc=$?
[ $rc = 77 ] && exit 77
[ $rc = 0 ] || { echo "FAIL: provoke.sh exited $rc"; exit 1; }
python3 - "$CAROM" "$OUT" <<'PYEOF'
import json, os, subprocess, sys
carom, out = sys.argv[1], sys.argv[2]
passed = failed = 0
for line in open(os.path.join(out, "cases.tsv")):
    case, rcpt, action, cls, reason = line.rstrip("\n").split("\t")
    path = os.path.join(out, case + ".eml")
    if not os.path.exists(path):
        print(f"FAIL {case}: no bounce came back"); failed += 1; continue
    res = json.loads(subprocess.run([carom, "classify", path], capture_output=True, text=True).stdout)
    recs = res.get("records", [])
    got = (recs[0].get("action"), recs[0].get("class"), recs[0].get("reason")) if len(recs) == 1 else None
    want = (action, None if cls == "-" else cls, None if reason == "-" else reason)
    ok = got is not None and all(w is None or w == g for w, g in zip(want, got))
    print(("ok  " if ok else "FAIL") + f" {case}: expected {want}, got {got}")
    passed, failed = passed + ok, failed + (not ok)
print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 and passed > 0 else 1)
PYEOF
