#!/usr/bin/env python3
"""Boot test: trace rings forced to overflow (kernel command line trace_ring=64) must report
their drops, never lose them silently, and give the same count everywhere: the hypervisor's JSON
report (trace.dropped), the trace footer, the runner's trace_files.dropped and its printed
summary line, Perfetto's otherData.dropped and `rthv-trace --summary`. A trace_ring that is not
a power of two in range refuses the run with a message naming it.
QEMU TCG with AMD-V and -icount 3 (like test_ctl_check.py): fast, deterministic time.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "..", "..", "tools", "run", "rthv_run.py")
sys.path.insert(0, HERE)
import guest_check  # noqa: E402
CHECKS = guest_check.Checker(verbose=True)  # prints every check as it is made
check, failures = CHECKS.check, CHECKS.errors


def run(args, tmp, ring, *extra):
    cmd = [sys.executable, RUNNER, "--elf", args.elf, "--build-dir", args.build_dir, "--accel",
           "tcg", "--qemu-cpu", "EPYC", "--smp", str(args.smp), "--icount", "3", "--config",
           args.config, "--ctl", os.path.join(tmp, "ctl.sock"), "--timeout", "100",
           "--cmdline", "trace_ring=%s" % ring] + list(extra)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return r.returncode, r.stdout


def overflow(args, tmp):
    trace, report_path = os.path.join(tmp, "small.rthvt"), os.path.join(tmp, "report.json")
    rc, out = run(args, tmp, args.ring, "--for", args.duration, "--trace", trace, "--json",
                  report_path)
    if not check(rc == 0, "run with trace_ring=%d (rc %d)" % (args.ring, rc)):
        print(out[-3000:])
        return
    with open(report_path) as f:
        report = json.load(f)
    hv, files = report["trace"], report["trace_files"]
    check(hv["ring_capacity"] == args.ring, "the rings hold %d records (report: %d)"
          % (args.ring, hv["ring_capacity"]))
    with open(trace) as f:
        text = f.read()
    footer = [int(line.split()[2]) for line in text.splitlines() if line.startswith("dropped ")]
    lost = sum(int(line.split()[5]) for line in text.splitlines()
               if line[:1].isdigit() and line.split()[2] == "lost")
    records = sum(1 for line in text.splitlines() if line[:1].isdigit())
    total = sum(footer)
    check(len(footer) == args.smp and total > 0, "the rings overflowed: footer %s" % footer)
    check(records <= args.ring * args.smp, "at most %d records kept per ring: %d in all"
          % (args.ring, records))
    check(footer == hv["dropped"] and total == hv["dropped_total"],
          "footer %s == the hypervisor's report %s (total %d)"
          % (footer, hv["dropped"], hv["dropped_total"]))
    check(files["dropped"] == footer, "the runner's trace_files.dropped %s" % files["dropped"])
    check(re.search(r"^trace: \d+ records, %d dropped \(per pCPU \[%s\]\)$"
                    % (total, ", ".join(map(str, footer))), out, re.M) is not None,
          "the runner prints the drops: %s" % [l for l in out.splitlines() if "dropped" in l])
    with open(files["perfetto"]) as f:
        other = json.load(f)["otherData"]
    check(other["dropped"] == footer, "Perfetto otherData.dropped %s" % other["dropped"])
    summary = subprocess.run([args.rthv_trace, trace, "--summary"], stdout=subprocess.PIPE,
                             text=True, check=True).stdout
    tool = [int(w[2]) for w in (l.split() for l in summary.splitlines()) if w[0] == "dropped"]
    check(tool == footer, "rthv-trace --summary dropped %s" % tool)
    # Nobody reads the rings during this run, so a full ring never has room again and no
    # "lost" marker can follow a gap: the footer alone carries the count, and must.
    check(lost <= total, "lost markers never claim more than was dropped: %d of %d"
          % (lost, total))


def refused(args, tmp):
    rc, out = run(args, tmp, "100", "--for", "0.1")
    check(rc != 0 and "trace_ring=100 refused" in out and "power of two" in out,
          "trace_ring=100 refuses the run with a clear message (rc %d): %s"
          % (rc, [l for l in out.splitlines() if "trace_ring" in l][:2]))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--elf", required=True)
    p.add_argument("--rthv-trace", required=True)
    p.add_argument("--build-dir", required=True)
    p.add_argument("--config", required=True)
    p.add_argument("--smp", type=int, default=2)
    p.add_argument("--ring", type=int, default=64)
    p.add_argument("--for", dest="duration", default="0.3")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="rthv-overflow-") as tmp:
        overflow(args, tmp)
        refused(args, tmp)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
