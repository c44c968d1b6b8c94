#!/usr/bin/env python3
"""Turn the bounces that provoke.sh caught into corpus samples.

    make_samples.py OUTDIR CORPUSDIR

For each case of OUTDIR/cases.tsv whose bounce was caught, writes CORPUSDIR/<case>.eml (the bounce
as the MTA wrote it) and CORPUSDIR/<case>.expected.json: the recipient, and the action and status
the MTA itself printed in its report, with the class and reason of the case's CAUSE (cases.tsv; a
"-" reason means the report says nothing of the cause: no reason is expected)."""
import email, json, os, re, sys

out, corpus = sys.argv[1], sys.argv[2]
os.makedirs(corpus, exist_ok=True)
n = 0
for line in open(os.path.join(out, "cases.tsv")):
    case, rcpt, action, cls, reason = line.rstrip("\n").split("\t")
    src = os.path.join(out, case + ".eml")
    if not os.path.exists(src):
        print("no bounce for", case)
        continue
    text = open(src).read()
    rec = {"recipient": rcpt, "action": action}
    m = re.search(r"^Final-Recipient:\s*rfc822;\s*(\S+)", text, re.M | re.I)
    if m:  # the report's own recipient (an alias loop is reported for the address it looped on)
        rec["recipient"] = m.group(1)
    # The status the report prints, when it is specific (X.Y.0 says nothing certain) and the
    # diagnostic quotes no other code (Postfix writes 4.7.1 for a remote's "554 5.7.1" greeting).
    m = re.search(r"^Status:\s*([245]\.\d{1,3}\.\d{1,3})", text, re.M | re.I)
    d = re.search(r"^Diagnostic-Code:.*(?:\n[ \t].*)*", text, re.M | re.I)
    quoted = set(re.findall(r"\b[245]\.\d{1,3}\.\d{1,3}\b", d.group(0))) if d else set()
    if m and not m.group(1).endswith(".0") and (not quoted or quoted == {m.group(1)}):
        rec["status"] = m.group(1)
    if cls != "-":
        rec["class"] = cls
    if reason != "-":
        rec["reason"] = reason
    open(os.path.join(corpus, case + ".eml"), "w").write(text)
    with open(os.path.join(corpus, case + ".expected.json"), "w") as f:
        json.dump({"records": [rec]}, f)
        f.write("\n")
    n += 1
print(n, "samples written to", corpus)
