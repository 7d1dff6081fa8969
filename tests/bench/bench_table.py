#!/usr/bin/env python3
"""Run rthv_bench and print rthv's core against both baselines, side by side.

Benchmark names are OP/paired/n:N/m:M; each reports counters IMPL_ns for IMPL in {rthv, xen,
dl}: xen = the Xen rt.c-shaped baseline (sorted lists), dl = the Linux SCHED_DEADLINE-shaped one
(red-black tree, cpudl heap, per-VCPU timers). Each case runs a fixed number of operations per
implementation, timed in alternating chunks (rthv_bench.cpp), and is repeated --repetitions
times (default 5), repetitions of different cases interleaved at random. Every (op, n, m)
becomes one row with, per implementation, the median, min and max thread-CPU ns per operation
over the repetitions, and the ratios xen/rthv and dl/rthv: the median over the repetitions of
the ratio measured within each repetition (how many times faster rthv is; below 1 = slower).

--json FILE writes the rows (keys: op, n, m, repetitions, and IMPL_ns / IMPL_min_ns /
IMPL_max_ns for IMPL in rthv, xen, dl, plus ratio_xen, ratio_dl). --compare FILE prints, for
each row, how much each ratio moved against an earlier --json FILE (reproducibility check).

Usage: bench_table.py --bench PATH/rthv_bench [--json FILE] [--repetitions R]
                      [--filter REGEX] [--compare FILE]
"""
import argparse
import json
import re
import statistics
import subprocess
import sys

IMPLS = ("rthv", "xen", "dl")
NAME = re.compile(r"^(?P<op>\w+)/paired/n:(?P<n>\d+)/m:(?P<m>\d+)")


def run_bench(path, repetitions, bench_filter):
    # Repetitions of all cases and implementations run in random order, so a change in the
    # machine's load (other builds on the same cores) spreads over every column instead of
    # landing on one implementation's block of repetitions.
    cmd = [path, "--benchmark_format=json", f"--benchmark_repetitions={repetitions}",
           "--benchmark_enable_random_interleaving=true"]
    if bench_filter:
        cmd.append(f"--benchmark_filter={bench_filter}")
    done = subprocess.run(cmd, stdout=subprocess.PIPE, check=False, text=True)
    if done.returncode != 0:
        sys.exit(f"bench_table: {path} exited with status {done.returncode}")
    return json.loads(done.stdout)


def collect(report):
    """{(op, n, m): {impl: [ns per op, one per repetition]}} from Google Benchmark's JSON."""
    times = {}
    for b in report.get("benchmarks", []):
        if b.get("run_type", "iteration") != "iteration":
            continue  # aggregates: we compute our own from the repetitions
        if b.get("error_occurred"):
            sys.exit(f"bench_table: {b['name']}: {b.get('error_message', 'error')}")
        match = NAME.match(b.get("run_name", b["name"]))
        if not match:
            continue
        key = (match["op"], int(match["n"]), int(match["m"]))
        for impl in IMPLS:
            times.setdefault(key, {}).setdefault(impl, []).append(float(b[f"{impl}_ns"]))
    return times


def make_rows(times):
    rows = []
    for (op, n, m), by_impl in sorted(times.items()):
        row = {"op": op, "n": n, "m": m}
        for impl in IMPLS:
            samples = by_impl.get(impl)
            if not samples:
                sys.exit(f"bench_table: {op} n={n} m={m} lacks a {impl} result")
            row["repetitions"] = len(samples)
            row[f"{impl}_ns"] = round(statistics.median(samples), 2)
            row[f"{impl}_min_ns"] = round(min(samples), 2)
            row[f"{impl}_max_ns"] = round(max(samples), 2)
        for impl in ("xen", "dl"):
            paired = [b / a for a, b in zip(by_impl["rthv"], by_impl[impl]) if a > 0]
            row[f"ratio_{impl}"] = round(statistics.median(paired), 3) if paired else None
        rows.append(row)
    return rows


def spread(row, impl):
    return f"{row[impl + '_ns']:>9.1f} {row[impl + '_min_ns']:>9.1f} {row[impl + '_max_ns']:>9.1f}"


def ratio_text(value):
    return f"{value:>8.2f}x" if value is not None else f"{'inf':>9}"


def print_table(rows):
    header = (f"{'op':<10} {'n':>6} {'m':>3} | {'rthv med':>9} {'min':>9} {'max':>9} | "
              f"{'xen med':>9} {'min':>9} {'max':>9} | {'dl med':>9} {'min':>9} {'max':>9} | "
              f"{'xen/rthv':>9} {'dl/rthv':>9}")
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['op']:<10} {r['n']:>6} {r['m']:>3} | {spread(r, 'rthv')} | {spread(r, 'xen')} | "
              f"{spread(r, 'dl')} | {ratio_text(r['ratio_xen'])} {ratio_text(r['ratio_dl'])}")
    reps = rows[0]["repetitions"] if rows else 0
    print(f"CPU ns per op: median, min, max of {reps} repetitions (fixed operations each). "
          "ratio = median over repetitions of baseline ns / rthv ns measured in the same "
          "repetition (how many times faster rthv is).")


def print_comparison(rows, earlier_path):
    with open(earlier_path, encoding="utf-8") as f:
        earlier = {(r["op"], r["n"], r["m"]): r for r in json.load(f)}
    worst = 0.0
    print(f"\nratio change against {earlier_path} (this run / earlier run - 1):")
    for r in rows:
        old = earlier.get((r["op"], r["n"], r["m"]))
        if not old:
            continue
        cells = []
        for impl in ("xen", "dl"):
            a, b = r[f"ratio_{impl}"], old.get(f"ratio_{impl}")
            if a and b:
                change = a / b - 1
                worst = max(worst, abs(change))
                cells.append(f"{impl} {b:8.2f}x -> {a:8.2f}x ({100 * change:+6.1f} %)")
        print(f"{r['op']:<10} {r['n']:>6} {r['m']:>3}  " + "  ".join(cells))
    print(f"largest ratio change: {100 * worst:.1f} %")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", required=True, help="path to the rthv_bench binary")
    parser.add_argument("--json", metavar="FILE", help="also write the rows as JSON here")
    parser.add_argument("--repetitions", type=int, default=5,
                        help="repetitions of each case (default 5, at least 1)")
    parser.add_argument("--filter", help="only benchmarks matching this regex")
    parser.add_argument("--compare", metavar="FILE", help="an earlier --json FILE to compare")
    args = parser.parse_args()

    report = run_bench(args.bench, max(1, args.repetitions), args.filter)
    rows = make_rows(collect(report))
    if not rows:
        sys.exit("bench_table: no benchmark results")
    print_table(rows)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(rows, out, indent=2)
            out.write("\n")
    if args.compare:
        print_comparison(rows, args.compare)


if __name__ == "__main__":
    main()
