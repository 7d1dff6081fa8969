#!/usr/bin/env python3
"""Boot test for timer-interrupt latency to a guest handler (guests/timerlat, issue 14 item 3):
boot a timerlat scenario under Bochs (deterministic time; VT-x, or AMD-V with the ryzen model)
and judge it from the hypervisor's JSON report, where the guest's figures arrive through the
report device.

Always checked (what deterministic time makes exact, not how fast):
  - the guest measured every sample of both phases (spin: waiting running; halt: waiting in HLT)
    and reported timerlat_done, with no unexpected vector (timerlat_faults = 0);
  - no interrupt was delivered before its deadline (timerlat_*_early = 0);
  - each halted wait cost one HLT exit: an HLT that returned without its interrupt (an
    interrupt shadow left set after the hypervisor completed `sti; hlt`) would loop on HLT.
With --bound-us N: every sample's latency, both phases, is at most N us (a reservation's bound);
with --reach-us M: the spin phase's max is at least M us, so samples did fall while the VCPU
was out of budget (the bound was exercised, not just met).

Prints the figures in emulated ns and, under Bochs, in instructions (ns x IPS / 1e9): a
benchmark-style figure, not asserted.
"""
import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import guest_check  # noqa: E402

PHASES = ("spin", "halt")


def check(a, r, text):
    failures = guest_check.bochs_run_failures(a, r, text)

    def c(ok, message):
        if not ok:
            failures.append(message)

    guest = {d["domain"]: d for d in r.get("linux", [])}.get(a.domain)
    vcpu = {v["domain"]: v for v in r.get("vcpus", [])}.get(a.domain)
    if guest is None or vcpu is None:
        return failures + ["no domain %s in the report" % a.domain]
    f = guest.get("reported", {})
    c(f.get("timerlat_done") == 1, "%s: no timerlat_done (reported %s)" % (a.domain, f))
    c(f.get("timerlat_faults") == 0, "%s: %r unexpected vectors" % (a.domain,
                                                                   f.get("timerlat_faults")))
    for phase in PHASES:
        key = "timerlat_%s_" % phase
        c(f.get(key + "samples") == a.samples, "%s: %r samples, expected %d"
          % (phase, f.get(key + "samples"), a.samples))
        c(f.get(key + "early") == 0, "%s: %r interrupts before their deadline"
          % (phase, f.get(key + "early")))
        if a.bound_us is not None:
            c(f.get(key + "max_ns", 1 << 62) <= a.bound_us * 1000, "%s: max %r ns > bound %d us"
              % (phase, f.get(key + "max_ns"), a.bound_us))
    if a.reach_us is not None:
        c(f.get("timerlat_spin_max_ns", 0) >= a.reach_us * 1000,
          "spin max %r ns < %d us: no sample waited for a replenishment"
          % (f.get("timerlat_spin_max_ns"), a.reach_us))
    hlt = vcpu.get("exits", {}).get("hlt", 0)
    # The halt phase's waits, plus the final halt after timerlat_done.
    c(hlt <= a.samples + 2, "%d HLT exits for %d halted waits: HLT returned without its "
      "interrupt" % (hlt, a.samples))
    print("%s (%s, %d CPUs):" % (os.path.basename(a.config), a.backend, a.smp))
    print("phase   min_ns  avg_ns  p50_ns  p99_ns  max_ns | instructions min avg max")
    for phase in PHASES:
        v = [f.get("timerlat_%s_%s_ns" % (phase, s), 0) for s in ("min", "avg", "p50", "p99",
                                                                  "max")]
        ins = [round(x * a.ips / 1e9) for x in (v[0], v[1], v[4])]
        print("%-6s %7d %7d %7d %7d %7d | %d %d %d" % tuple([phase] + v + ins))
    return failures


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--elf", required=True)
    p.add_argument("--config", required=True)
    p.add_argument("--backend", choices=sorted(guest_check.BOCHS_CPU), default="vmx")
    p.add_argument("--smp", type=int, default=1)
    p.add_argument("--for", dest="duration", type=float, default=1.3)
    p.add_argument("--ips", type=int, default=100_000_000)
    p.add_argument("--domain", default="timerlat")
    p.add_argument("--samples", type=int, default=500)
    p.add_argument("--bound-us", type=int, default=None)
    p.add_argument("--reach-us", type=int, default=None)
    a = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="rthv-timerlat-") as tmp:
        _, r, text = guest_check.run_bochs(a, tmp)
    failures = check(a, r, text)
    return guest_check.exit_status(failures)


if __name__ == "__main__":
    sys.exit(main())
