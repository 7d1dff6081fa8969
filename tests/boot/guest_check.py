"""Helpers shared by the boot tests of guests under either backend (test_vmx_check.py on Bochs
VT-x, test_svm_check.py on QEMU TCG AMD-V, test_scenario_check.py): booting rthv through
tools/run/rthv_run.py, and the checks of the report's "hvm" section that do not depend on the
backend or the emulator."""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "..", "..", "tools", "run", "rthv_run.py")
# Must match arch/x86/hvm/guest_test.cpp and guests/abi.hpp.
PERIOD_US, JOB_US = 2000, 300
UNMAPPED_GPA = "0x800000"


class Checker:
    """Collects failed checks; `verbose` prints every check as it is made ("ok" / "FAIL")."""

    def __init__(self, verbose=False):
        self.errors = []
        self.verbose = verbose

    def check(self, cond, what):
        if self.verbose:
            print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            self.errors.append(what)
        return cond

    def report(self):
        """Prints the failures; returns the exit status."""
        for e in self.errors:
            print("FAIL:", e)
        return 1 if self.errors else 0


def run_rthv(elf, tmp, args):
    """Boots `elf` through the runner with `args`; returns (exit status, JSON report, serial
    console text)."""
    out = os.path.join(tmp, "report.json")
    serial = os.path.join(tmp, "serial.log")
    cmd = [sys.executable, RUNNER, "--elf", elf, "--json", out, "--serial-log", serial,
           "--quiet"] + args
    rc = subprocess.run(cmd).returncode
    with open(out) as f:
        report = json.load(f)
    text = open(serial).read() if os.path.exists(serial) else ""
    return rc, report, text


def check_clean_end(c, r, text):
    c.check(r.get("faults") == 0, "hypervisor faults: %r" % r.get("faults"))
    c.check("RTHV-EXIT" in text, "no RTHV-EXIT line: the hypervisor did not end cleanly")


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


def check_accounting(c, g, hvm, min_elapsed_pct, min_share_pct):
    # Guest, idle and overhead time of the guest's pCPU: measured separately, summing to the
    # elapsed time within 0.1 %, and the elapsed time is most of the run (APs start a bit late;
    # how late depends on the emulator, hence min_elapsed_pct).
    a = g["pcpu_ns"]
    total = a["guest"] + a["idle"] + a["overhead"]
    c.check(abs(total - a["elapsed"]) * 1000 <= a["elapsed"],
            "%s: guest+idle+overhead %d != elapsed %d" % (g["name"], total, a["elapsed"]))
    c.check(a["elapsed"] * 100 >= hvm["run_ns"] * min_elapsed_pct,
            "%s: elapsed %d of a %d ns run" % (g["name"], a["elapsed"], hvm["run_ns"]))
    c.check(a["overhead"] > 0, "%s: no hypervisor overhead measured" % g["name"])
    if g["state"] == "crashed":
        # Never entered again: almost no guest time (its crash report on the emulated UART
        # is overhead, the rest idle).
        c.check(a["guest"] * 20 <= a["elapsed"], "%s: crashed but ran %d ns"
                % (g["name"], a["guest"]))
        c.check(a["idle"] > 0, "%s: crashed but its CPU never idled" % g["name"])
    elif g["workload"] in ("busy", "cli-spin"):
        c.check(a["guest"] * 100 >= a["elapsed"] * min_share_pct, "%s: guest share %d of %d"
                % (g["name"], a["guest"], a["elapsed"]))
    elif g["workload"] == "periodic":
        # Each job burns C of guest CPU time; the rest of the period the CPU idles.
        need = g["reports"]["jobs"] * JOB_US * 1000
        c.check(a["guest"] >= need * 95 // 100, "%s: guest time %d < jobs x C = %d"
                % (g["name"], a["guest"], need))
        c.check(a["idle"] > 0, "%s: never idled" % g["name"])


def check_periodic_deadlines(c, per):
    rep = per["reports"]
    c.check(rep["misses"] == 0, "periodic: %d deadline misses" % rep["misses"])
    c.check(JOB_US <= rep["worst_response_us"] <= PERIOD_US,
            "periodic worst response %d us outside [C, T]" % rep["worst_response_us"])


def check_exit_storm(c, storm):
    if check_alive(c, storm, "exit-storm"):
        c.check(storm["exits"]["cpuid"] >= 100, "exit-storm: few CPUID exits")
        c.check(storm["exits"]["io"] >= 100, "exit-storm: few I/O exits")
        c.check(storm["reports"]["exits_caused"] >= 100, "exit-storm reported nothing")


def check_escape(c, w, text, reason_word):
    """The escaping domain crashed at the unmapped address it read, by `reason_word` (the
    backend's name for the nested-paging fault); the busy one runs on."""
    check_alive(c, w.get("busy"), "busy")
    check_crashed(c, w.get("ept-escape"), "ept-escape", "memory_violation",
                  [reason_word, UNMAPPED_GPA])
    c.check("escape succeeded" not in text, "the guest read outside its memory")


def check_triple(c, w):
    """The triple fault crashed only its domain; the interactive one keeps waking up."""
    inter = w.get("interactive")
    if check_alive(c, inter, "interactive"):
        c.check(inter["reports"]["wakeups"] >= 5, "interactive: few wake-ups")
        c.check(inter["reports"]["worst_latency_us"] < 1000,
                "interactive: worst latency %d us" % inter["reports"]["worst_latency_us"])
    check_crashed(c, w.get("triple-fault"), "triple-fault", "triple_fault", ["triple fault"])


def check_refused(c, rc, r, hvm, text):
    """A run without a usable backend: refused cleanly, no guests."""
    c.check(rc == 1 and r.get("result") == "fail", "rc %d result %r, expected a refused run"
            % (rc, r.get("result")))
    c.check(hvm.get("available") is False and hvm.get("guests") == [],
            "guests started without hardware virtualisation")
    c.check("refusing to start guests" in text, "no refusal message on the console")
