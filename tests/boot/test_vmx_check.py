#!/usr/bin/env python3
"""Boot test for VT-x guests: boot rthv with a test=vmx-... selector through
tools/run/rthv_run.py and check the "hvm" section of its JSON report and its console.

Scenarios (--scenario):
  smoke     test=vmx-smoke: periodic on CPU 0, exit-storm on CPU 1 (then busy, interactive
            with --smp 4); every exit kind the guests cause is seen, periodic jobs meet their
            deadlines, guest console lines reach the hypervisor console prefixed with the
            domain name.
  escape    test=vmx:busy+ept-escape: the escaping domain is crashed by an EPT violation at
            the address it read; the busy domain keeps running; the hypervisor reports.
  triple    test=vmx:interactive+triple-fault: the triple fault crashes only its domain; the
            interactive domain keeps waking up on its timer.
  cli-spin  test=vmx:cli-spin+busy: guests that never give the CPU back (one with interrupts
            disabled) are still preempted every slice.
  refusal   QEMU TCG (no VT-x): a clear refusal, no fault, a clean report with result fail.
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
    "escape": "vmx:busy+ept-escape",
    "triple": "vmx:interactive+triple-fault",
    "cli-spin": "vmx:cli-spin+busy",
    "refusal": "vmx-smoke",
}


def run(a, tmp):
    args = ["--smp", str(a.smp), "--for", str(a.duration), "--cmdline",
            "test=" + SELECTOR[a.scenario]]
    if a.scenario == "refusal":
        args += ["--accel", "tcg", "--qemu-cpu", "qemu64,-svm"]  # TCG's default has AMD-V
    else:
        args += ["--accel", "bochs", "--ips", str(a.ips)]
    return common.run_rthv(a.elf, tmp, args)


def check_accounting(c, g, hvm):
    common.check_accounting(c, g, hvm, min_elapsed_pct=90, min_share_pct=80)
    # Shares calibrated on Bochs: a periodic guest's CPU idles at least half the time, and
    # an exit storm costs the hypervisor at least 30 %.
    a = g["pcpu_ns"]
    if g["state"] != "crashed" and g["workload"] == "periodic":
        c.check(a["idle"] * 2 >= a["elapsed"], "%s: idle %d of %d" % (g["name"], a["idle"],
                                                                       a["elapsed"]))
    elif g["state"] != "crashed" and g["workload"] == "exit-storm":
        c.check(a["overhead"] * 10 >= a["elapsed"] * 3, "%s: overhead only %d of %d"
                % (g["name"], a["overhead"], a["elapsed"]))


def check_preempted(c, g, hvm):
    # The run loop takes the CPU back every slice: each slice ends in a timer exit (external
    # interrupt or VMX-preemption timer), whatever the guest does.
    slices = hvm["run_ns"] // hvm["slice_ns"]
    got = g["exits"]["external_interrupt"] + g["exits"]["preemption_timer"]
    c.check(got >= slices - 3, "%s: %d timer exits in %d slices" % (g["name"], got, slices))


def check_smoke(c, w, hvm):
    for name, g in w.items():
        common.check_alive(c, g, name)
    per = w.get("periodic")
    if common.check_alive(c, per, "periodic"):
        c.check(per["exits"]["hlt"] >= 1, "periodic never blocked by HLT")
        c.check(per["exits"]["hypercall"] >= 3, "periodic made no hypercalls")
        c.check(per["exits"]["io"] >= 1, "periodic did no port I/O")
        # Console lines cost emulated time (the UART runs at its baud rate), so allow a quarter
        # of the periods for start-up; stuck releases would give far fewer.
        jobs_due = hvm["run_ns"] // (common.PERIOD_US * 1000)
        c.check(per["reports"]["jobs"] >= jobs_due * 3 // 4, "periodic: %d jobs, expected about %d"
                % (per["reports"]["jobs"], jobs_due))
        common.check_periodic_deadlines(c, per)
    common.check_exit_storm(c, w.get("exit-storm"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--elf", required=True)
    p.add_argument("--scenario", choices=sorted(SELECTOR), required=True)
    p.add_argument("--smp", type=int, default=2)
    p.add_argument("--for", dest="duration", type=float, default=0.1)
    p.add_argument("--ips", type=int, default=20_000_000)
    a = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="rthv-vmx-test-") as tmp:
        rc, r, text = run(a, tmp)
    print(json.dumps(r.get("hvm", r), indent=1))
    c = common.Checker()
    hvm = r.get("hvm", {})
    common.check_clean_end(c, r, text)
    if a.scenario == "refusal":
        common.check_refused(c, rc, r, hvm, text)
        c.check(len(hvm.get("refusal", "")) > 10, "refusal reason missing")
    else:
        c.check(rc == 0 and r.get("result") == "pass", "run failed: rc %d, result %r"
                % (rc, r.get("result")))
        c.check(hvm.get("available") is True and hvm.get("backend") == "vmx",
                "backend %r available %r" % (hvm.get("backend"), hvm.get("available")))
        w = common.guests_by_workload(c, hvm, a.smp)
        for g in w.values():
            common.check_console(c, text, g)
            check_accounting(c, g, hvm)
        if a.scenario == "smoke":
            check_smoke(c, w, hvm)
        elif a.scenario == "escape":
            common.check_escape(c, w, text, "EPT violation")
        elif a.scenario == "triple":
            common.check_triple(c, w)
        elif a.scenario == "cli-spin":
            for name in ("cli-spin", "busy"):
                if common.check_alive(c, w.get(name), name):
                    check_preempted(c, w[name], hvm)
    return c.report()


if __name__ == "__main__":
    sys.exit(main())
