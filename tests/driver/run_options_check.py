#!/usr/bin/env python3
"""Issue 11.4: without KVM, `./rthv run` picks the emulator whose time is faithful for what it
boots - Bochs for a scenario on several CPUs, QEMU TCG with -icount on one - and says which and
why; an explicit --accel is never overridden. KVM is taken as absent (or present) here, so the
choice is checked whatever this machine has. And the hypervisor command line: a scenario run
passes no test= (running its scenario is what the hypervisor does), a self-test keeps its own."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools",
                                "run"))
import run_options  # noqa: E402

FAILURES = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILURES.append(what)


def parse(argv, kvm):
    saved = run_options.kvm_usable
    run_options.kvm_usable = lambda: kvm
    try:
        return run_options.parse_args(argv, "test")
    finally:
        run_options.kvm_usable = saved


def main():
    a = parse([], kvm=False)
    check(a.accel == "bochs" and "faithful" in a.accel_reason,
          "default scenario, 4 CPUs, no KVM: bochs (%s: %s)" % (a.accel, a.accel_reason))
    a = parse(["--smp", "2", "--for", "1"], kvm=False)
    check(a.accel == "bochs", "2 CPUs, no KVM: bochs (%s)" % a.accel)
    a = parse(["--smp", "1"], kvm=False)
    check(a.accel == "tcg" and a.icount == 3 and run_options.pick_tcg_clock(a) is None,
          "1 CPU, no KVM: tcg with -icount 3 and no caveat (%s, icount %s)" % (a.accel, a.icount))
    a = parse(["--smp", "2", "--cmdline", "test=fault"], kvm=False)
    check(a.accel == "tcg", "a boot self-test, no KVM: tcg (%s)" % a.accel)
    line = run_options.kernel_cmdline(a)
    check("test=" in line, "a self-test keeps its test= (%r)" % line)
    a = parse(["--for", "1", "--cmdline", "loglevel=3"], kvm=False)
    line = run_options.kernel_cmdline(a)
    check(run_options.is_scenario(a) and "test=" not in line,
          "a scenario run names no test: the hypervisor runs its scenario (%r)" % line)
    a = parse([], kvm=True)
    check(a.accel == "kvm", "KVM usable: kvm (%s)" % a.accel)
    a = parse(["--accel", "tcg"], kvm=False)
    check(a.accel == "tcg" and a.accel_reason is None and run_options.pick_tcg_clock(a),
          "--accel tcg is kept, with the SMP caveat (%s)" % a.accel)
    # One vCPU asked for under TCG keeps the wall clock (interactive runs need it), with a
    # caveat: the guests' jobs overrun their budgets there (run_options.pick_tcg_clock).
    a = parse(["--accel", "tcg", "--smp", "1"], kvm=False)
    caveat = run_options.pick_tcg_clock(a)
    check(a.icount is None and caveat is not None and "--icount 3" in caveat,
          "--accel tcg --smp 1: the wall clock, with a caveat naming --icount 3 (%s)" % caveat)
    a = parse(["--accel", "tcg", "--smp", "1", "--icount", "3"], kvm=False)
    check(run_options.pick_tcg_clock(a) is None and a.icount == 3,
          "--accel tcg --smp 1 --icount 3: no caveat (icount %s)" % a.icount)
    print("%d failure(s)" % len(FAILURES))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
