#!/usr/bin/env python3
"""Boot test for AMD-V guests: boot rthv under QEMU TCG (which emulates SVM with nested paging
but not NRIPS, so every RIP advance is the hypervisor's own) with a test=vmx-... selector (the
one-guest-per-CPU test of arch/x86/hvm, whatever the backend) and check the "hvm" section of
its JSON report and its console. The checks shared with VT-x come from guest_check.py.

Scenarios (--scenario):
  smoke      test=vmx-smoke, multi-threaded TCG (wall-clock time): periodic, exit-storm (then
             busy, interactive with --smp 4); every exit kind the guests cause is seen, the
             hypercall arrives through VMCALL's #UD, every guest progresses.
  deadlines  test=vmx:periodic on one CPU with -icount (deterministic time): every job meets
             its deadline, responses within [C, T].
  escape     test=vmx:busy+ept-escape, -icount: a nested page fault at the address read
             crashes that domain only.
  triple     test=vmx:interactive+triple-fault, -icount: the shutdown crashes that domain only.
  cli-spin   test=vmx:cli-spin+busy, -icount: guests that never give the CPU back, one with
             interrupts disabled, are preempted every slice (INTR intercept, V_INTR_MASKING).
  refusal    -cpu qemu64,-svm (neither VT-x nor AMD-V): the clear refusal, naming both.
"""
import argparse
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import guest_check as common  # noqa: E402

SELECTOR = {
    "smoke": "vmx-smoke",
    "deadlines": "vmx:periodic",
    "escape": "vmx:busy+ept-escape",
    "triple": "vmx:interactive+triple-fault",
    "cli-spin": "vmx:cli-spin+busy",
    "refusal": "vmx-smoke",
}
# QEMU 7.2 -icount runs all CPUs round-robin in one thread: a CPU is then starved whenever
# another runs a busy guest, so the mixed smoke runs multi-threaded on the wall clock instead.
ICOUNT = {"deadlines", "escape", "triple", "cli-spin"}
ICOUNT_SHIFT = 3  # 8 ns per instruction: a 125 MIPS CPU


def run(a, tmp):
    cpu = "qemu64,-svm" if a.scenario == "refusal" else a.cpu
    args = ["--accel", "tcg", "--smp", str(a.smp), "--for", str(a.duration), "--qemu-cpu", cpu,
            "--cmdline", "test=" + SELECTOR[a.scenario]]
    if a.scenario in ICOUNT:
        args += ["--icount", str(ICOUNT_SHIFT)]
    return common.run_rthv(a.elf, tmp, args)


def check_accounting(c, g, hvm, wall_clock):
    # The shared checks, without test_vmx_check's Bochs-calibrated shares (periodic idle >=
    # 1/2, exit-storm overhead >= 30 %): under TCG, QEMU's own VMRUN/#VMEXIT emulation falls
    # inside the guest's entry-to-exit stamps. Wall-clock runs (4 vCPU threads on a shared
    # 2-core host) start APs later and lose more to the host: looser bounds there.
    min_elapsed, min_share = (75, 70) if wall_clock else (90, 80)
    common.check_accounting(c, g, hvm, min_elapsed, min_share)


def check_smoke(c, w, hvm):
    for name, g in w.items():
        common.check_alive(c, g, name)
    per, storm = w.get("periodic"), w.get("exit-storm")
    if common.check_alive(c, per, "periodic"):
        c.check(per["exits"]["hlt"] >= 1, "periodic never blocked by HLT")
        c.check(per["exits"]["hypercall"] >= 3, "periodic made no hypercalls (VMCALL via #UD)")
        c.check(per["exits"]["io"] >= 1, "periodic did no port I/O")
        jobs_due = hvm["run_ns"] // (common.PERIOD_US * 1000)
        c.check(per["reports"]["jobs"] >= jobs_due // 2, "periodic: %d jobs, expected about %d"
                % (per["reports"]["jobs"], jobs_due))
    common.check_exit_storm(c, storm)
    busy = w.get("busy")
    if busy is not None and common.check_alive(c, busy, "busy"):
        c.check(busy["exits"]["external_interrupt"] >= 1, "busy: never an INTR exit")


def check_deadlines(c, w, hvm):
    per = w.get("periodic")
    if not common.check_alive(c, per, "periodic"):
        return
    rep = per["reports"]
    jobs_due = hvm["run_ns"] // (common.PERIOD_US * 1000)
    c.check(rep["jobs"] >= jobs_due - 2, "periodic: %d jobs of %d" % (rep["jobs"], jobs_due))
    common.check_periodic_deadlines(c, per)
    c.check(per["exits"]["hlt"] >= jobs_due - 2, "periodic: %d HLT exits" % per["exits"]["hlt"])


def check_run(c, a, r, hvm, text):
    c.check(r.get("result") == "pass", "run failed: result %r" % r.get("result"))
    c.check(hvm.get("available") is True and hvm.get("backend") == "svm",
            "backend %r available %r" % (hvm.get("backend"), hvm.get("available")))
    w = common.guests_by_workload(c, hvm, a.smp)
    for g in w.values():
        common.check_console(c, text, g)
        check_accounting(c, g, hvm, a.scenario not in ICOUNT)
    if a.scenario == "smoke":
        check_smoke(c, w, hvm)
    elif a.scenario == "deadlines":
        check_deadlines(c, w, hvm)
    elif a.scenario == "escape":
        common.check_escape(c, w, text, "nested page fault")
    elif a.scenario == "triple":
        common.check_triple(c, w)
    elif a.scenario == "cli-spin":
        # Deterministic time: every slice ends in an INTR exit, at most the last one is cut.
        slices = hvm["run_ns"] // hvm["slice_ns"]
        for name in ("cli-spin", "busy"):
            g = w.get(name)
            if common.check_alive(c, g, name):
                got = g["exits"]["external_interrupt"]
                c.check(got >= slices - 1, "%s: %d INTR exits in %d slices" % (name, got, slices))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--elf", required=True)
    p.add_argument("--scenario", choices=sorted(SELECTOR), required=True)
    p.add_argument("--smp", type=int, default=2)
    p.add_argument("--cpu", default="max", help="QEMU CPU model with SVM (max, EPYC)")
    p.add_argument("--for", dest="duration", type=float, default=0.1)
    a = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="rthv-svm-test-") as tmp:
        rc, r, text = run(a, tmp)
    print(json.dumps(r.get("hvm", r), indent=1))
    c = common.Checker()
    hvm = r.get("hvm", {})
    common.check_clean_end(c, r, text)
    if a.scenario == "refusal":
        common.check_refused(c, rc, r, hvm, text)
        why = hvm.get("refusal", "")
        c.check("VMX" in why and "SVM" in why, "refusal %r does not name VT-x and AMD-V" % why)
    else:
        c.check(rc == 0, "runner exit status %d" % rc)
        check_run(c, a, r, hvm, text)
    return c.report()


if __name__ == "__main__":
    sys.exit(main())
