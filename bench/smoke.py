#!/usr/bin/env python3
"""Smoke test of the benchmark tools (run by `meson test --suite bench`): carom-bench's JSON,
its --trials figures, bench/compare and bench/cli_jobs.py work and agree with the corpus. Asserts no
timing."""
import json
import os
import subprocess
import sys


def main():
    bench, corpus, compare, cli_jobs, cli = sys.argv[1:6]
    files = sum(len(fs) for _, _, fs in os.walk(corpus))
    out = subprocess.run([bench, "--json", "--rounds", "1", "--trials", "3", corpus],
                         check=True, capture_output=True, text=True).stdout
    r = json.loads(out)
    assert r["messages"] > 0 and r["messages"] <= files, r
    assert r["trials"] == 3, r
    assert r["slowest_messages_per_s"] <= r["messages_per_s"] <= r["fastest_messages_per_s"], r
    assert r["peak_rss_kb"] > 0 and r["p50_us"] <= r["p99_us"], r
    sc = subprocess.run([bench, "--scaling", "2", "--rounds", "1", "--trials", "2", corpus],
                        check=True, capture_output=True, text=True).stdout
    assert "2 alternating trials" in sc and "x of the medians" in sc and "x of the best" in sc, sc
    bad = subprocess.run([bench, "--rounds", "0", corpus], capture_output=True, text=True)
    assert bad.returncode == 2 and "usage" in bad.stderr, bad
    cmp = subprocess.run([sys.executable, compare, "--pairs", "2", "--rounds", "1", bench, bench, corpus],
                         check=True, capture_output=True, text=True).stdout
    assert cmp.count("pair ") == 2 and "ratio new/old of the means" in cmp, cmp
    jobs = subprocess.run([sys.executable, cli_jobs, "--messages", "300", "--repeat", "1", "--cli", cli,
                           "--bench", bench], capture_output=True, text=True)
    assert jobs.returncode == 0 and "output identical      yes" in jobs.stdout, jobs
    assert "--jobs 2 / --jobs 1" in jobs.stdout and "carom-bench   300 messages" in jobs.stdout, jobs.stdout
    print("ok")


if __name__ == "__main__":
    main()
