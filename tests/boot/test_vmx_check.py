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
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "..", "..", "tools", "run", "rthv_run.py")
SELECTOR = {
    "smoke": "vmx-smoke",
    "escape": "vmx:busy+ept-escape",
    "triple": "vmx:interactive+triple-fault",
    "cli-spin": "vmx:cli-spin+busy",
    "refusal": "vmx-smoke",
}
# Must match arch/x86/hvm/guest_test.cpp and guests/abi.hpp.
PERIOD_US, JOB_US = 2000, 300
UNMAPPED_GPA = "0x800000"


class Checker:
    def __init__(self):
        self.errors = []

    def check(self, cond, what):
        if not cond:
            self.errors.append(what)
        return cond


def run(a, tmp):
    out = os.path.join(tmp, "report.json")
    serial = os.path.join(tmp, "serial.log")
    accel = "tcg" if a.scenario == "refusal" else "bochs"
    cmd = [sys.executable, RUNNER, "--elf", a.elf, "--accel", accel, "--smp", str(a.smp),
           "--for", str(a.duration), "--json", out, "--serial-log", serial, "--quiet",
           "--cmdline", "test=" + SELECTOR[a.scenario]]
    if accel == "bochs":
        cmd += ["--ips", str(a.ips)]
    else:
        cmd += ["--qemu-cpu", "qemu64,-svm"]  # TCG's default model has AMD-V (arch/x86/svm)
    rc = subprocess.run(cmd).returncode
    with open(out) as f:
        report = json.load(f)
    text = open(serial).read() if os.path.exists(serial) else ""
    return rc, report, text


def guests_by_workload(c, hvm, smp):
    guests = hvm.get("guests", [])
    c.check(len(guests) == smp, "%d guests, expected one per CPU (%d)" % (len(guests), smp))
    c.check(sorted(g.get("cpu") for g in guests) == list(range(len(guests))),
            "guests not one per CPU: %r" % [g.get("cpu") for g in guests])
    return {g.get("workload"): g for g in guests}


def check_alive(c, g, name):
    if not c.check(g is not None, "no %s guest" % name):
        return False
    c.check(g["state"] != "crashed", "%s crashed: %s" % (name, g.get("crash_reason")))
    c.check(g["entries"] > 0, "%s never entered" % name)
    c.check(g["progress"] > 0, "%s made no progress" % name)
    return True


def check_console(c, text, g):
    line = "[%s] hello from %s (domain %d)" % (g["name"], g["name"], g["domain"])
    c.check(line in text, "console line %r missing" % line)
    c.check(g["console_lines"] >= 1, "%s: no console lines counted" % g["name"])


def check_crashed(c, g, name, exit_kind, reason_words):
    if not c.check(g is not None, "no %s guest" % name):
        return
    c.check(g["state"] == "crashed", "%s not crashed (state %s)" % (name, g["state"]))
    c.check(g["exits"][exit_kind] == 1, "%s: %s exits %r, expected 1"
            % (name, exit_kind, g["exits"][exit_kind]))
    for w in reason_words:
        c.check(w in g["crash_reason"], "%s crash reason %r lacks %r"
                % (name, g["crash_reason"], w))


def check_accounting(c, g, hvm):
    # Guest, idle and overhead time of the guest's pCPU: measured separately, summing to the
    # elapsed time within 0.1 %, and the elapsed time is the run (the AP starts a bit late).
    a = g["pcpu_ns"]
    total = a["guest"] + a["idle"] + a["overhead"]
    c.check(abs(total - a["elapsed"]) * 1000 <= a["elapsed"],
            "%s: guest+idle+overhead %d != elapsed %d" % (g["name"], total, a["elapsed"]))
    c.check(a["elapsed"] >= hvm["run_ns"] * 9 // 10, "%s: elapsed %d of a %d ns run"
            % (g["name"], a["elapsed"], hvm["run_ns"]))
    c.check(a["overhead"] > 0, "%s: no hypervisor overhead measured" % g["name"])
    if g["state"] == "crashed":
        # Never entered again: almost no guest time (its crash report on the emulated UART
        # is overhead, the rest idle).
        c.check(a["guest"] * 20 <= a["elapsed"], "%s: crashed but ran %d ns"
                % (g["name"], a["guest"]))
        c.check(a["idle"] > 0, "%s: crashed but its CPU never idled" % g["name"])
    elif g["workload"] in ("busy", "cli-spin"):
        c.check(a["guest"] * 10 >= a["elapsed"] * 8, "%s: guest share %d of %d"
                % (g["name"], a["guest"], a["elapsed"]))
    elif g["workload"] == "periodic":
        # Each job burns C of guest CPU time; the rest of the period the CPU idles.
        need = g["reports"]["jobs"] * JOB_US * 1000
        c.check(a["guest"] >= need * 95 // 100, "%s: guest time %d < jobs x C = %d"
                % (g["name"], a["guest"], need))
        c.check(a["idle"] * 2 >= a["elapsed"], "%s: idle %d of %d" % (g["name"], a["idle"],
                                                                       a["elapsed"]))
    elif g["workload"] == "exit-storm":
        c.check(a["overhead"] * 10 >= a["elapsed"] * 3, "%s: overhead only %d of %d"
                % (g["name"], a["overhead"], a["elapsed"]))


def check_preempted(c, g, hvm):
    # The run loop takes the CPU back every slice: each slice ends in a timer exit (external
    # interrupt or VMX-preemption timer), whatever the guest does.
    slices = hvm["run_ns"] // hvm["slice_ns"]
    got = g["exits"]["external_interrupt"] + g["exits"]["preemption_timer"]
    c.check(got >= slices - 3, "%s: %d timer exits in %d slices" % (g["name"], got, slices))


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
    c = Checker()
    hvm = r.get("hvm", {})
    c.check(r.get("faults") == 0, "hypervisor faults: %r" % r.get("faults"))
    c.check("RTHV-EXIT" in text, "no RTHV-EXIT line: the hypervisor did not end cleanly")
    if a.scenario == "refusal":
        c.check(rc == 1, "runner exit status %d, expected 1 (refused run)" % rc)
        c.check(r.get("result") == "fail", "result %r, expected fail" % r.get("result"))
        c.check(hvm.get("available") is False, "available %r" % hvm.get("available"))
        c.check(hvm.get("guests") == [], "guests started without VT-x")
        c.check(len(hvm.get("refusal", "")) > 10, "refusal reason missing")
        c.check("refusing to start guests" in text, "no refusal message on the console")
    else:
        c.check(rc == 0 and r.get("result") == "pass", "run failed: rc %d, result %r"
                % (rc, r.get("result")))
        c.check(hvm.get("available") is True and hvm.get("backend") == "vmx",
                "backend %r available %r" % (hvm.get("backend"), hvm.get("available")))
        w = guests_by_workload(c, hvm, a.smp)
        for g in w.values():
            check_console(c, text, g)
            check_accounting(c, g, hvm)
        if a.scenario == "smoke":
            for name, g in w.items():
                check_alive(c, g, name)
            per, storm = w.get("periodic"), w.get("exit-storm")
            if check_alive(c, per, "periodic"):
                c.check(per["exits"]["hlt"] >= 1, "periodic never blocked by HLT")
                c.check(per["exits"]["hypercall"] >= 3, "periodic made no hypercalls")
                c.check(per["exits"]["io"] >= 1, "periodic did no port I/O")
                # Console lines cost emulated time (the UART runs at its baud rate), so allow
                # a quarter of the periods for start-up; stuck releases would give far fewer.
                jobs_due = hvm["run_ns"] // (PERIOD_US * 1000)
                rep = per["reports"]
                c.check(rep["jobs"] >= jobs_due * 3 // 4, "periodic: %d jobs, expected about %d"
                        % (rep["jobs"], jobs_due))
                c.check(rep["misses"] == 0, "periodic: %d deadline misses" % rep["misses"])
                c.check(JOB_US <= rep["worst_response_us"] <= PERIOD_US,
                        "periodic worst response %d us outside [C, T]" % rep["worst_response_us"])
            if check_alive(c, storm, "exit-storm"):
                c.check(storm["exits"]["cpuid"] >= 100, "exit-storm: few CPUID exits")
                c.check(storm["exits"]["io"] >= 100, "exit-storm: few I/O exits")
                c.check(storm["reports"]["exits_caused"] >= 100, "exit-storm reported nothing")
        elif a.scenario == "escape":
            check_alive(c, w.get("busy"), "busy")
            check_crashed(c, w.get("ept-escape"), "ept-escape", "memory_violation",
                          ["EPT violation", UNMAPPED_GPA])
            c.check("escape succeeded" not in text, "the guest read outside its memory")
        elif a.scenario == "triple":
            inter = w.get("interactive")
            if check_alive(c, inter, "interactive"):
                c.check(inter["reports"]["wakeups"] >= 5, "interactive: few wake-ups")
                c.check(inter["reports"]["worst_latency_us"] < 1000,
                        "interactive: worst latency %d us" % inter["reports"]["worst_latency_us"])
            check_crashed(c, w.get("triple-fault"), "triple-fault", "triple_fault",
                          ["triple fault"])
        elif a.scenario == "cli-spin":
            for name in ("cli-spin", "busy"):
                if check_alive(c, w.get(name), name):
                    check_preempted(c, w[name], hvm)
    for e in c.errors:
        print("FAIL:", e)
    return 1 if c.errors else 0


if __name__ == "__main__":
    sys.exit(main())
