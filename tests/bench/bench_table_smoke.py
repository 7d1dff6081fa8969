#!/usr/bin/env python3
"""Smoke test of `./rthv bench`: run bench_table.py with a tiny min time and check that the
table and the JSON are complete and well formed. Never asserts on timing.

Usage: bench_table_smoke.py TABLE_SCRIPT RTHV_BENCH WORK_DIR
"""
import itertools
import json
import math
import os
import subprocess
import sys

OPS = ("wake_pick", "replenish", "tickle")
NS = (16, 256, 4096, 65536)
MS = (4, 64)


def fail(msg):
    sys.exit(f"bench_table_smoke: FAIL: {msg}")


def main():
    script, bench, work = sys.argv[1:4]
    json_path = os.path.join(work, "bench_smoke.json")
    if os.path.exists(json_path):
        os.remove(json_path)
    done = subprocess.run([sys.executable, script, "--bench", bench, "--min-time", "0.0001",
                           "--json", json_path], stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        fail(f"bench_table.py exited with {done.returncode}")
    expected = set(itertools.product(OPS, NS, MS))

    lines = done.stdout.splitlines()
    if not lines or lines[0].split() != ["op", "n", "m", "rthv", "ns", "baseline", "ns", "ratio"]:
        fail(f"bad table header: {lines[:1]}")
    table = {}
    for line in lines[2:]:
        cols = line.split()
        if len(cols) != 6 or not cols[5].endswith("x"):
            continue
        key = (cols[0], int(cols[1]), int(cols[2]))
        table[key] = [float(cols[3]), float(cols[4]), float(cols[5][:-1])]
    if set(table) != expected:
        fail(f"table rows missing {sorted(expected - set(table))} extra "
             f"{sorted(set(table) - expected)}")
    for key, values in table.items():
        # With a tiny min time a fast op can measure 0 CPU ns on a loaded machine (the process
        # clock's granularity); the table must still be complete, finite and non-negative.
        times, ratio = values[:2], values[2]
        if not all(math.isfinite(v) and v >= 0 for v in times) or not ratio >= 0:
            fail(f"negative or non-finite number in table row {key}: {values}")

    with open(json_path, encoding="utf-8") as f:
        rows = json.load(f)
    if not isinstance(rows, list):
        fail("JSON is not a list")
    seen = set()
    for row in rows:
        if set(row) != {"op", "n", "m", "rthv_ns", "baseline_ns"}:
            fail(f"JSON row has keys {sorted(row)}")
        if not all(math.isfinite(row[k]) and row[k] >= 0 for k in ("rthv_ns", "baseline_ns")):
            fail(f"negative or non-finite time in JSON row {row}")
        seen.add((row["op"], row["n"], row["m"]))
    if seen != expected or len(rows) != len(expected):
        fail(f"JSON rows differ from the expected op x n x m set: {sorted(seen ^ expected)}")
    print(f"bench_table_smoke: OK ({len(rows)} rows)")


if __name__ == "__main__":
    main()
