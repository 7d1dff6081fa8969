#!/usr/bin/env python3
"""Boot test: run rthv through tools/run/rthv_run.py and check its JSON report.

Checks: the runner passes; every CPU came online (cpus_online == --smp == cpus_expected), with
one per-CPU block each and no more (percpu_blocks, sized by the CPUs found); each
CPU took about runtime/period timer interrupts (at least half, so the one-shot timer really
re-arms); every AP took reschedule IPIs and its first deadline was armed remotely; no fault;
the timer mode is the one the emulator must give (TSC-deadline on Bochs, LAPIC one-shot on TCG).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "..", "..", "tools", "run", "rthv_run.py")
EXPECTED_TIMER = {"tcg": "lapic-oneshot", "bochs": "tsc-deadline"}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--elf", required=True)
    p.add_argument("--accel", required=True)
    p.add_argument("--smp", type=int, required=True)
    p.add_argument("--for", dest="duration", type=float, default=0.2)
    p.add_argument("--cmdline", default="")
    p.add_argument("--expect-cpus", type=int, help="CPUs that must come up (default --smp)")
    p.add_argument("--runner-arg", action="append", default=[])
    a = p.parse_args()
    want_cpus = a.expect_cpus or a.smp
    # The heartbeat self-test, not what the hypervisor runs without test= (the scenario).
    cmdline = a.cmdline if "test=" in a.cmdline else ("test=boot " + a.cmdline).strip()
    with tempfile.TemporaryDirectory(prefix="rthv-boot-test-") as tmp:
        out = os.path.join(tmp, "report.json")
        cmd = [sys.executable, RUNNER, "--elf", a.elf, "--accel", a.accel, "--smp", str(a.smp),
               "--for", str(a.duration), "--json", out, "--quiet", "--cmdline", cmdline]
        cmd += a.runner_arg
        rc = subprocess.run(cmd).returncode
        with open(out) as f:
            r = json.load(f)
    print(json.dumps(r, indent=1))
    errors = []

    def check(cond, what):
        if not cond:
            errors.append(what)

    check(rc == 0, "runner exit status %d (expected 0)" % rc)
    check(r.get("result") == "pass", "result %r" % r.get("result"))
    check(r.get("accel") == a.accel, "accel %r" % r.get("accel"))
    check(r.get("faults") == 0, "faults %r" % r.get("faults"))
    check(r.get("cpus_online") == want_cpus, "cpus_online %r != %d" % (r.get("cpus_online"), want_cpus))
    check(r.get("cpus_expected") == want_cpus, "cpus_expected %r" % r.get("cpus_expected"))
    check(r.get("percpu_blocks") == want_cpus, "percpu_blocks %r != %d" % (r.get("percpu_blocks"), want_cpus))
    check(r.get("percpu_block_bytes", 0) > 0, "percpu_block_bytes %r" % r.get("percpu_block_bytes"))
    check(r.get("tsc_hz", 0) > 0, "tsc_hz missing")
    if a.accel in EXPECTED_TIMER:
        check(r.get("timer_mode") == EXPECTED_TIMER[a.accel], "timer_mode %r" % r.get("timer_mode"))
    if a.accel == "bochs":
        # Bochs with clock sync=none ticks the TSC at exactly ips: the PIT calibration must agree.
        ips = r.get("ips", 0)
        check(abs(r.get("tsc_hz", 0) - ips) <= ips // 100, "tsc_hz %r vs ips %r" % (r.get("tsc_hz"), ips))
    cpus = r.get("cpus", [])
    check(len(cpus) == want_cpus, "%d CPU entries" % len(cpus))
    ticks = r.get("runtime_ms", 0) * 1_000_000 // max(1, r.get("tick_period_ns", 1))
    apic_ids = set()
    for c in cpus:
        n = c.get("cpu")
        apic_ids.add(c.get("apic_id"))
        check(c.get("timer_irqs", 0) >= ticks // 2,
              "cpu%s took %s timer interrupts, expected about %d" % (n, c.get("timer_irqs"), ticks))
        if n != 0:
            check(c.get("rearm_irqs", 0) >= 1, "cpu%s never armed remotely" % n)
            check(c.get("reschedule_irqs", 0) >= 1, "cpu%s took no reschedule IPI" % n)
    check(len(apic_ids) == len(cpus), "APIC ids not distinct: %r" % sorted(apic_ids))
    for e in errors:
        print("FAIL:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
