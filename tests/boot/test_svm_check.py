#!/usr/bin/env python3
"""Boot test for AMD-V guests: boot rthv under QEMU TCG (which emulates SVM with nested paging
but not NRIPS, so every RIP advance is the hypervisor's own) or, with --bochs-cpu ryzen, under
Bochs (SVM, nested paging and NRIPS: RIPs come from the VMCB's NEXT_RIP; deterministic time)
with one of the guest scenarios of tests/boot/scenarios/ (one guest per CPU, the whole CPU
reserved for it) and check the "vcpus" and "pcpus" sections of its JSON report and its console.
The checks shared with VT-x come from guest_check.py.

Every run checks where the backend took each RIP advance from (the report's scenario.svm section):
all CPUID/HLT advances from NEXT_RIP with NRIPS, all from the known length without (--nrips yes
/ no also demand which), every I/O advance from EXITINFO2, never a NEXT_RIP that disagreed. And
the guests' own counters must match their exits instruction for instruction, so an intercepted
instruction that ran twice or an instruction skipped after one shows (check_instruction_counts).

Scenarios (--scenario; the file is tests/boot/scenarios/guests-NAME.cfg, periodic for deadlines):
  smoke      multi-threaded TCG (wall-clock time): periodic, exit-storm (smoke-4cpu: then busy,
             interactive); every exit kind the guests cause is seen, the hypercall arrives
             through VMCALL's #UD, every guest progresses.
  deadlines  periodic alone on one CPU with -icount (deterministic time): every job meets its
             deadline, responses within [C, T].
  escape     busy + ept-escape, -icount: a nested page fault at the address read crashes that
             domain only.
  triple     interactive + triple-fault, -icount: the shutdown crashes that domain only.
  cli-spin   cli-spin, then busy, each alone on one CPU with -icount: guests that never give
             the CPU back, one with interrupts disabled, are preempted every period of their
             server (INTR intercept, V_INTR_MASKING). Two boots of one CPU, not one of two:
             with two, -icount runs the CPUs in turn and a CPU beside a spinning guest hardly
             runs at all (QEMU 7.2; test_scenario.cmake has the same limit).
  escape-periodic, triple-periodic: escape and triple with a periodic guest (HLT exits, so
             NRIPS is used, and deadlines to meet) beside the crashing one; for Bochs, whose
             other containment neighbours (busy, interactive) cause no CPUID/HLT exits.
  refusal    the smoke scenario on -cpu qemu64,-svm (neither VT-x nor AMD-V): the clear
             refusal, naming both.
"""
import argparse
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import guest_check as common  # noqa: E402

# The scenarios each test boots, one after the other (tests/boot/scenarios/guests-NAME.cfg).
CONFIGS = {
    "smoke": ["smoke"],
    "smoke-4cpu": ["smoke-4cpu"],
    "deadlines": ["periodic"],
    "escape": ["escape"],
    "triple": ["triple"],
    "cli-spin": ["cli-spin-1cpu", "busy-1cpu"],
    "refusal": ["smoke"],
    "escape-periodic": ["escape-periodic"],
    "triple-periodic": ["triple-periodic"],
}
# QEMU 7.2 -icount runs all CPUs round-robin in one thread: a CPU is then starved whenever
# another runs a busy guest, so the mixed smoke runs multi-threaded on the wall clock instead.
ICOUNT = {"deadlines", "escape", "triple", "cli-spin", "escape-periodic", "triple-periodic"}
ICOUNT_SHIFT = 3  # 8 ns per instruction: a 125 MIPS CPU


def run(a, tmp, config):
    args = ["--smp", str(a.smp), "--for", str(a.duration), "--config", common.scenario(config)]
    if a.bochs_cpu:  # Bochs time is always deterministic (TSC = instructions)
        return common.run_rthv(a.elf, tmp, args + ["--accel", "bochs", "--bochs-cpu", a.bochs_cpu])
    cpu = "qemu64,-svm" if a.scenario == "refusal" else a.cpu
    args += ["--accel", "tcg", "--qemu-cpu", cpu]
    # -1: never -icount, which the runner would pick for more vCPUs than host cores.
    args += ["--icount", str(ICOUNT_SHIFT if a.scenario in ICOUNT else -1)]
    return common.run_rthv(a.elf, tmp, args)


def deterministic(a):
    return a.bochs_cpu is not None or a.scenario in ICOUNT


def hello_bytes(g):
    """Port writes of the guest's greeting (guests/runtime.cpp: one OUT per character)."""
    return len("hello from %s (domain %d)\n" % (g["domain"], g["domain_id"]))


def check_rip_sources(c, r, nrips):
    """scenario.svm: which way each RIP advance went (arch/x86/svm/svm_report.hpp). `nrips`:
    "yes" or "no" demands that path and at least one advance through it; "any" takes what the
    CPU says."""
    svm = r.get("scenario", {}).get("svm")
    if not c.check(isinstance(svm, dict), "no scenario.svm section in the report"):
        return
    guests = r.get("vcpus", [])
    # CPUID and HLT skip their instruction (skip_instruction); I/O takes EXITINFO2.
    skipped = sum(g["exits"]["cpuid"] + g["exits"]["hlt"] for g in guests)
    io = sum(g["exits"]["io"] for g in guests)
    used, unused = ("rip_from_next_rip", "rip_from_length") if svm["nrips"] else \
        ("rip_from_length", "rip_from_next_rip")
    c.check(svm[used] == skipped and svm[unused] == 0,
            "nrips=%s: %d advances from %s, %d from %s; expected %d CPUID/HLT exits all by %s"
            % (svm["nrips"], svm[used], used, svm[unused], unused, skipped, used))
    c.check(svm["rip_from_exit_info2"] == io, "%d I/O advances from EXITINFO2, %d I/O exits"
            % (svm["rip_from_exit_info2"], io))
    c.check(svm["next_rip_disagreed"] == 0, "NEXT_RIP disagreed %d times with RIP + length"
            % svm["next_rip_disagreed"])
    if nrips != "any":
        c.check(svm["nrips"] == (nrips == "yes"), "nrips %r, expected %s" % (svm["nrips"], nrips))
        c.check(svm[used] > 0, "no RIP advance through %s: the path is untested" % used)


def check_instruction_counts(c, w, exact_hlt):
    """Each intercepted instruction retired exactly once: the guests' loops fix the ratio of
    their exits, so a CPUID/HLT/IN/VMCALL re-executed (RIP not advanced) or the instruction
    after it skipped (advanced too far) breaks it."""
    storm = w.get("exit-storm")
    if storm is not None and storm["state"] != "crashed":
        e, caused = storm["exits"], storm["exits_caused"]
        loop_io = e["io"] - hello_bytes(storm)  # the loop: CPUID, then IN
        c.check(e["cpuid"] - 1 <= loop_io <= e["cpuid"],
                "exit-storm: %d CPUID but %d IN exits" % (e["cpuid"], loop_io))
        # A report (one VMCALL) every 1024 instructions executed, the count reported with it.
        c.check(e["hypercall"] == caused // 1024 and caused % 1024 == 0,
                "exit-storm: %d hypercalls, last report %d" % (e["hypercall"], caused))
        c.check(caused <= e["cpuid"] + loop_io <= caused + 1024,
                "exit-storm: reported %d, exits say %d" % (caused, e["cpuid"] + loop_io))
    per = w.get("periodic")
    if per is not None and per["state"] != "crashed":
        e, jobs = per["exits"], per["jobs"]
        c.check(e["io"] == hello_bytes(per), "periodic: %d I/O exits" % e["io"])
        # Per job: set_timer, (HLT until the release), then three reports (guests/periodic.cpp).
        c.check(4 * jobs - 2 <= e["hypercall"] <= 4 * jobs + 1,
                "periodic: %d hypercalls for %d jobs" % (e["hypercall"], jobs))
        if exact_hlt:  # deterministic time, no misses: one HLT per job, woken at its release
            c.check(jobs <= e["hlt"] <= jobs + 1, "periodic: %d HLT for %d jobs"
                    % (e["hlt"], jobs))


def check_accounting(c, g, run_ns, wall_clock):
    # The shared checks, without test_vmx_check's Bochs-calibrated shares (periodic idle >=
    # 1/2, exit-storm overhead >= 30 %): under TCG, QEMU's own VMRUN/#VMEXIT emulation falls
    # inside the guest's entry-to-exit stamps. Wall-clock runs (4 vCPU threads on a shared
    # 2-core host) start APs later and lose more to the host: looser bounds there.
    min_elapsed, min_share = (75, 70) if wall_clock else (90, 80)
    common.check_accounting(c, g, run_ns, min_elapsed, min_share)


def check_smoke(c, w, run_ns):
    for name, g in w.items():
        common.check_alive(c, g, name)
    per, storm = w.get("periodic"), w.get("exit-storm")
    if common.check_alive(c, per, "periodic"):
        c.check(per["exits"]["hlt"] >= 1, "periodic never blocked by HLT")
        c.check(per["exits"]["hypercall"] >= 3, "periodic made no hypercalls (VMCALL via #UD)")
        c.check(per["exits"]["io"] >= 1, "periodic did no port I/O")
        jobs_due = run_ns // (common.PERIOD_US * 1000)
        c.check(per["jobs"] >= jobs_due // 2, "periodic: %d jobs, expected about %d"
                % (per["jobs"], jobs_due))
    common.check_exit_storm(c, storm)
    busy = w.get("busy")
    if busy is not None and common.check_alive(c, busy, "busy"):
        c.check(busy["exits"]["external_interrupt"] >= 1, "busy: never an INTR exit")


def check_beside_crash(c, w, text, crashing):
    """escape-periodic / triple-periodic: the periodic guest meets every deadline while the
    other domain crashes the way escape / triple demand."""
    per = w.get("periodic")
    if common.check_alive(c, per, "periodic"):
        common.check_periodic_deadlines(c, per)
    if crashing == "ept-escape":
        common.check_crashed(c, w.get(crashing), crashing, "memory_violation",
                             ["nested page fault", common.UNMAPPED_GPA])
        c.check("escape succeeded" not in text, "the guest read outside its memory")
    else:
        common.check_crashed(c, w.get(crashing), crashing, "triple_fault", ["triple fault"])


def check_deadlines(c, w, run_ns):
    per = w.get("periodic")
    if not common.check_alive(c, per, "periodic"):
        return
    jobs_due = run_ns // (common.PERIOD_US * 1000)
    c.check(per["jobs"] >= jobs_due - 2, "periodic: %d jobs of %d" % (per["jobs"], jobs_due))
    common.check_periodic_deadlines(c, per)
    c.check(per["exits"]["hlt"] >= jobs_due - 2, "periodic: %d HLT exits" % per["exits"]["hlt"])


def check_run(c, a, r, text):
    sc = r.get("scenario", {})
    run_ns = sc.get("run_ns", 0)
    c.check(r.get("result") == "pass", "run failed: result %r" % r.get("result"))
    c.check(sc.get("available") is True and sc.get("backend") == "svm",
            "backend %r available %r" % (sc.get("backend"), sc.get("available")))
    w = common.guests_by_workload(c, r, a.smp)
    for g in w.values():
        common.check_console(c, text, g)
        check_accounting(c, g, run_ns, not deterministic(a))
    check_rip_sources(c, r, a.nrips)
    check_instruction_counts(c, w, deterministic(a))
    if a.scenario.startswith("smoke"):
        check_smoke(c, w, run_ns)
        if deterministic(a) and "periodic" in w:
            common.check_periodic_deadlines(c, w["periodic"])
    elif a.scenario in ("escape-periodic", "triple-periodic"):
        check_beside_crash(c, w, text, "ept-escape" if a.scenario == "escape-periodic"
                           else "triple-fault")
    elif a.scenario == "deadlines":
        check_deadlines(c, w, run_ns)
    elif a.scenario == "escape":
        common.check_escape(c, w, text, "nested page fault")
    elif a.scenario == "triple":
        common.check_triple(c, w)
    elif a.scenario == "cli-spin":
        # Deterministic time: every period of the guest's server ends in an INTR exit (its
        # budget runs out there), at most the last one is cut.
        for name, g in w.items():
            if common.check_alive(c, g, name):
                periods = run_ns // (g["period_us"] * 1000)
                got = g["exits"]["external_interrupt"]
                c.check(got >= periods - 1, "%s: %d INTR exits in %d periods"
                        % (name, got, periods))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--elf", required=True)
    p.add_argument("--scenario", choices=sorted(CONFIGS), required=True)
    p.add_argument("--smp", type=int, default=2)
    p.add_argument("--cpu", default="max", help="QEMU CPU model with SVM (max, EPYC)")
    p.add_argument("--bochs-cpu", metavar="MODEL",
                   help="run under Bochs with this CPU model (ryzen: SVM with NRIPS) instead "
                        "of QEMU TCG")
    p.add_argument("--nrips", choices=("yes", "no", "any"), default="any",
                   help="demand that the CPU has NRIPS (yes) or not (no) and that RIPs were "
                        "advanced that way at least once")
    p.add_argument("--for", dest="duration", type=float, default=0.1)
    a = p.parse_args()
    c = common.Checker()
    seen = set()
    for config in CONFIGS[a.scenario]:
        with tempfile.TemporaryDirectory(prefix="rthv-svm-test-") as tmp:
            rc, r, text = run(a, tmp, config)
        print(json.dumps({k: r.get(k) for k in ("scenario", "vcpus", "pcpus")}, indent=1))
        common.check_clean_end(c, r, text)
        if a.scenario == "refusal":
            common.check_refused(c, rc, r, text)
            why = r.get("scenario", {}).get("refusal", "")
            c.check("VMX" in why and "SVM" in why, "refusal %r does not name VT-x and AMD-V"
                    % why)
        else:
            c.check(rc == 0, "runner exit status %d" % rc)
            check_run(c, a, r, text)
            seen |= {v.get("workload") for v in r.get("vcpus", [])}
    if a.scenario == "cli-spin":
        c.check(seen == {"cli-spin", "busy"}, "guests seen: %r" % sorted(seen))
    return c.report()


if __name__ == "__main__":
    sys.exit(main())
