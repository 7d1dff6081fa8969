#!/usr/bin/env python3
"""Task set utilisation vs planned bandwidth: the table in README.md ("Planning reservations").

For 1, 2 and 4 VCPUs, random task sets of a given total utilisation are planned with rthv-plan
under every (guest scheduler, server rule) pair; each cell is the mean planned bandwidth
(CPUs, vcpus * budget / period) over the sets that have a plan, with how many had one.
Deterministic: the task sets come from a seeded generator.
"""
import argparse
import json
import random
import subprocess
import sys

PERIODS = [2000, 3000, 4000, 5000, 6000, 8000, 10000, 12000, 15000, 20000, 24000, 30000, 40000]
VARIANTS = [("edf", "cbs"), ("edf", "deferrable"), ("rm", "cbs"), ("rm", "deferrable")]


def task_set(rng, total_ppm, n):
    """n tasks (C/T, implicit deadlines) whose utilisations sum to about total_ppm (UUniFast)."""
    left, utils = total_ppm, []
    for i in range(n - 1):
        nxt = int(left * rng.random() ** (1.0 / (n - 1 - i)))
        utils.append(left - nxt)
        left = nxt
    utils.append(left)
    lines = []
    for u in utils:
        t = rng.choice(PERIODS)
        c = max(1, min(t * 9 // 10, u * t // 1000000))
        lines.append(f"{c}/{t}")
    return "\n".join(lines) + "\n"


def plan(binary, text, vcpus, guest, server):
    out = subprocess.run([binary, "-", "--vcpus", str(vcpus), "--guest", guest, "--server",
                          server, "--json"], input=text, capture_output=True, text=True)
    if out.returncode == 2:
        sys.exit(f"rthv-plan refused a generated set: {out.stderr}")
    return json.loads(out.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plan", required=True, help="path of the rthv-plan binary")
    ap.add_argument("--sets", type=int, default=10, help="task sets per cell")
    ap.add_argument("--seed", type=int, default=16)
    args = ap.parse_args()
    print("| VCPUs | task U (CPUs) | " + " | ".join(f"{g} / {s}" for g, s in VARIANTS) + " |")
    print("|---|---|" + "---|" * len(VARIANTS))
    for vcpus in (1, 2, 4):
        for per_vcpu in (200000, 400000, 600000, 800000):
            rng = random.Random(args.seed * 1000 + vcpus * 10 + per_vcpu // 100000)
            total = per_vcpu * vcpus
            sets = [task_set(rng, total, rng.randint(2 * vcpus, 3 * vcpus + 1))
                    for _ in range(args.sets)]
            cells, actual = [], []
            for guest, server in VARIANTS:
                got = [plan(args.plan, s, vcpus, guest, server) for s in sets]
                actual = [g["utilisation_ppm"] for g in got]
                ok = [g["bandwidth_ppm"] for g in got if g["ok"]]
                mean = f"{sum(ok) / len(ok) / 1e6:.3f}" if ok else "-"
                cells.append(f"{mean} ({len(ok)}/{len(sets)})")
            u = sum(actual) / len(actual) / 1e6
            print(f"| {vcpus} | {u:.3f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
