#!/usr/bin/env python3
"""Smoke test of `./rthv bench`: run bench_table.py on the small cases and check that the
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
NS = (16, 256)
IMPLS = ("rthv", "xen", "dl")
MS = (4, 64)


def fail(msg):
    sys.exit(f"bench_table_smoke: FAIL: {msg}")


def main():
    script, bench, work = sys.argv[1:4]
    json_path = os.path.join(work, "bench_smoke.json")
    if os.path.exists(json_path):
        os.remove(json_path)
    # One repetition, only the small cases (the fixed iteration counts make n = 65536 slow):
    # completeness and shape, not timing.
    done = subprocess.run([sys.executable, script, "--bench", bench, "--repetitions", "2",
                           "--filter", "n:(16|256)/", "--json", json_path],
                          stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        fail(f"bench_table.py exited with {done.returncode}")
    expected = set(itertools.product(OPS, NS, MS))

    lines = done.stdout.splitlines()
    want = ["op", "n", "m", "|", "rthv", "med", "min", "max", "|", "xen", "med", "min", "max",
            "|", "dl", "med", "min", "max", "|", "xen/rthv", "dl/rthv"]
    if not lines or lines[0].split() != want:
        fail(f"bad table header: {lines[:1]}")
    table = {}
    for line in lines[2:]:
        cols = [c for c in line.split() if c != "|"]
        if len(cols) != 14 or not cols[13].endswith("x"):
            continue
        key = (cols[0], int(cols[1]), int(cols[2]))
        table[key] = [float(c) for c in cols[3:12]] + [float(cols[12][:-1]), float(cols[13][:-1])]
    if set(table) != expected:
        fail(f"table rows missing {sorted(expected - set(table))} extra "
             f"{sorted(set(table) - expected)}")
    for key, values in table.items():
        # With a tiny min time a fast op can measure 0 CPU ns on a loaded machine (the process
        # clock's granularity); the table must still be complete, finite and non-negative.
        if not all(math.isfinite(v) and v >= 0 for v in values):
            fail(f"negative or non-finite number in table row {key}: {values}")
        for i in range(3):  # min <= median <= max per implementation
            lo, med, hi = values[3 * i + 1], values[3 * i], values[3 * i + 2]
            if not lo <= med <= hi:
                fail(f"median outside [min, max] in table row {key}: {values}")

    with open(json_path, encoding="utf-8") as f:
        rows = json.load(f)
    if not isinstance(rows, list):
        fail("JSON is not a list")
    seen = set()
    for row in rows:
        times = [f"{i}{s}" for i in IMPLS for s in ("_ns", "_min_ns", "_max_ns")]
        if set(row) != {"op", "n", "m", "repetitions", "ratio_xen", "ratio_dl", *times}:
            fail(f"JSON row has keys {sorted(row)}")
        if row["repetitions"] != 2:
            fail(f"JSON row has {row['repetitions']} repetitions, asked for 2")
        if not all(math.isfinite(row[k]) and row[k] >= 0 for k in times):
            fail(f"negative or non-finite time in JSON row {row}")
        seen.add((row["op"], row["n"], row["m"]))
    if seen != expected or len(rows) != len(expected):
        fail(f"JSON rows differ from the expected op x n x m set: {sorted(seen ^ expected)}")
    print(f"bench_table_smoke: OK ({len(rows)} rows)")


if __name__ == "__main__":
    main()
