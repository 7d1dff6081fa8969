#!/usr/bin/env python3
"""Boot test for VT-x guests: boot rthv under Bochs with one of the guest scenarios of
tests/boot/scenarios/ (one guest per CPU, the whole CPU reserved for it) through
tools/run/rthv_run.py and check the "vcpus" and "pcpus" sections of its JSON report and its
console.

Scenarios (--scenario; the file is tests/boot/scenarios/guests-NAME.cfg):
  smoke     periodic on CPU 0, exit-storm on CPU 1 (smoke-4cpu: then busy, interactive);
            every exit kind the guests cause is seen, periodic jobs meet their deadlines, guest
            console lines reach the hypervisor console prefixed with the domain name.
  escape    busy + ept-escape: the escaping domain is crashed by an EPT violation at the
            address it read; the busy domain keeps running; the hypervisor reports.
  triple    interactive + triple-fault: the triple fault crashes only its domain; the
            interactive domain keeps waking up on its timer.
  cli-spin  cli-spin + busy: guests that never give the CPU back (one with interrupts
            disabled) are still preempted every period of their server.
  refusal   QEMU TCG (no VT-x), the smoke scenario: a clear refusal, no fault, a clean report
            with result fail.
"""
import argparse
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import guest_check as common  # noqa: E402

SCENARIOS = ("smoke", "smoke-4cpu", "escape", "triple", "cli-spin", "refusal")


def run(a, tmp):
    config = common.scenario("smoke" if a.scenario == "refusal" else a.scenario)
    args = ["--smp", str(a.smp), "--for", str(a.duration), "--config", config]
    if a.scenario == "refusal":
        args += ["--accel", "tcg", "--qemu-cpu", "qemu64,-svm"]  # TCG's default has AMD-V
    else:
        args += ["--accel", "bochs", "--ips", str(a.ips)]
    return common.run_rthv(a.elf, tmp, args)


def check_accounting(c, g, run_ns):
    common.check_accounting(c, g, run_ns, min_elapsed_pct=90, min_share_pct=80)
    # Shares calibrated on Bochs: a periodic guest's CPU idles at least half the time, and
    # an exit storm costs the hypervisor at least 30 %.
    elapsed, _, idle, overhead = common.cpu_time(g)
    if g["state"] != "crashed" and g["workload"] == "periodic":
        c.check(idle * 2 >= elapsed, "%s: idle %d of %d" % (g["domain"], idle, elapsed))
    elif g["state"] != "crashed" and g["workload"] == "exit-storm":
        c.check(overhead * 10 >= elapsed * 3, "%s: overhead only %d of %d"
                % (g["domain"], overhead, elapsed))


def check_preempted(c, g, run_ns):
    # The scheduler takes the CPU back at the end of every period of the guest's server (its
    # budget runs out there): each period ends in a timer exit (external interrupt or
    # VMX-preemption timer), whatever the guest does.
    periods = run_ns // (g["period_us"] * 1000)
    got = g["exits"]["external_interrupt"] + g["exits"]["preemption_timer"]
    c.check(got >= periods - 3, "%s: %d timer exits in %d periods" % (g["domain"], got, periods))


def check_smoke(c, w, run_ns):
    for name, g in w.items():
        common.check_alive(c, g, name)
    per = w.get("periodic")
    if common.check_alive(c, per, "periodic"):
        c.check(per["exits"]["hlt"] >= 1, "periodic never blocked by HLT")
        c.check(per["exits"]["hypercall"] >= 3, "periodic made no hypercalls")
        c.check(per["exits"]["io"] >= 1, "periodic did no port I/O")
        # Console lines cost emulated time (the UART runs at its baud rate), so allow a quarter
        # of the periods for start-up; stuck releases would give far fewer.
        jobs_due = run_ns // (common.PERIOD_US * 1000)
        c.check(per["jobs"] >= jobs_due * 3 // 4, "periodic: %d jobs, expected about %d"
                % (per["jobs"], jobs_due))
        common.check_periodic_deadlines(c, per)
    common.check_exit_storm(c, w.get("exit-storm"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--elf", required=True)
    p.add_argument("--scenario", choices=SCENARIOS, required=True)
    p.add_argument("--smp", type=int, default=2)
    p.add_argument("--for", dest="duration", type=float, default=0.1)
    p.add_argument("--ips", type=int, default=20_000_000)
    a = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="rthv-vmx-test-") as tmp:
        rc, r, text = run(a, tmp)
    print(json.dumps({k: r.get(k) for k in ("scenario", "vcpus", "pcpus")}, indent=1))
    c = common.Checker()
    sc = r.get("scenario", {})
    common.check_clean_end(c, r, text)
    if a.scenario == "refusal":
        common.check_refused(c, rc, r, text)
        c.check(len(sc.get("refusal", "")) > 10, "refusal reason missing")
    else:
        c.check(rc == 0 and r.get("result") == "pass", "run failed: rc %d, result %r"
                % (rc, r.get("result")))
        c.check(sc.get("available") is True and sc.get("backend") == "vmx",
                "backend %r available %r" % (sc.get("backend"), sc.get("available")))
        w = common.guests_by_workload(c, r, a.smp)
        run_ns = sc.get("run_ns", 0)
        for g in w.values():
            common.check_console(c, text, g)
            check_accounting(c, g, run_ns)
        if a.scenario.startswith("smoke"):
            check_smoke(c, w, run_ns)
        elif a.scenario == "escape":
            common.check_escape(c, w, text, "EPT violation")
        elif a.scenario == "triple":
            common.check_triple(c, w)
        elif a.scenario == "cli-spin":
            for name in ("cli-spin", "busy"):
                if common.check_alive(c, w.get(name), name):
                    check_preempted(c, w[name], run_ns)
    return c.report()


if __name__ == "__main__":
    sys.exit(main())
