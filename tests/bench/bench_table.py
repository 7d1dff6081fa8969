#!/usr/bin/env python3
"""Run rthv_bench and print rthv's core against the Xen-shaped baseline, side by side.

Benchmark names are OP/IMPL/n:N/m:M with IMPL in {rthv, baseline}. Each (op, n, m) becomes one
row: rthv ns, baseline ns (CPU time per operation) and ratio = baseline / rthv, i.e. how many
times faster rthv is. With --json FILE the rows are also written as a JSON list of objects with
keys op, n, m, rthv_ns, baseline_ns.

Usage: bench_table.py --bench PATH/rthv_bench [--json FILE] [--min-time S] [--repetitions R]
                      [--filter REGEX]
"""
import argparse
import json
import re
import subprocess
import sys

NAME = re.compile(r"^(?P<op>\w+)/(?P<impl>rthv|baseline)/n:(?P<n>\d+)/m:(?P<m>\d+)$")
SCALE_TO_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def run_bench(path, min_time, repetitions, bench_filter):
    cmd = [path, "--benchmark_format=json", f"--benchmark_min_time={min_time}"]
    if repetitions > 1:
        cmd += [f"--benchmark_repetitions={repetitions}",
                "--benchmark_report_aggregates_only=true"]
    if bench_filter:
        cmd.append(f"--benchmark_filter={bench_filter}")
    done = subprocess.run(cmd, stdout=subprocess.PIPE, check=False, text=True)
    if done.returncode != 0:
        sys.exit(f"bench_table: {path} exited with status {done.returncode}")
    return json.loads(done.stdout)


def collect(report, repetitions):
    """{(op, n, m): {impl: ns}} from Google Benchmark's JSON report."""
    times = {}
    for b in report.get("benchmarks", []):
        name = b.get("run_name", b["name"])
        if repetitions > 1 and b.get("aggregate_name") != "median":
            continue
        match = NAME.match(name)
        if not match:
            continue
        ns = float(b["cpu_time"]) * SCALE_TO_NS[b.get("time_unit", "ns")]
        key = (match["op"], int(match["n"]), int(match["m"]))
        times.setdefault(key, {})[match["impl"]] = ns
    return times


def make_rows(times):
    rows = []
    for (op, n, m), by_impl in sorted(times.items()):
        if "rthv" not in by_impl or "baseline" not in by_impl:
            sys.exit(f"bench_table: {op} n={n} m={m} lacks a rthv or baseline result")
        rows.append({"op": op, "n": n, "m": m,
                     "rthv_ns": round(by_impl["rthv"], 1),
                     "baseline_ns": round(by_impl["baseline"], 1)})
    return rows


def print_table(rows):
    header = f"{'op':<10} {'n':>6} {'m':>3} {'rthv ns':>10} {'baseline ns':>12} {'ratio':>8}"
    print(header)
    print("-" * len(header))
    for r in rows:
        ratio = r["baseline_ns"] / r["rthv_ns"] if r["rthv_ns"] > 0 else float("inf")
        print(f"{r['op']:<10} {r['n']:>6} {r['m']:>3} {r['rthv_ns']:>10.1f} "
              f"{r['baseline_ns']:>12.1f} {ratio:>7.1f}x")
    print("ratio = baseline ns / rthv ns (how many times faster rthv is); CPU time per op.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", required=True, help="path to the rthv_bench binary")
    parser.add_argument("--json", metavar="FILE", help="also write the rows as JSON here")
    parser.add_argument("--min-time", type=float, default=0.05,
                        help="Google Benchmark min time per benchmark, seconds (default 0.05)")
    parser.add_argument("--repetitions", type=int, default=1,
                        help="repeat each benchmark and report the median (default 1)")
    parser.add_argument("--filter", help="only benchmarks matching this regex")
    args = parser.parse_args()

    report = run_bench(args.bench, args.min_time, args.repetitions, args.filter)
    rows = make_rows(collect(report, args.repetitions))
    if not rows:
        sys.exit("bench_table: no benchmark results")
    print_table(rows)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(rows, out, indent=2)
            out.write("\n")


if __name__ == "__main__":
    main()
