"""Helpers shared by the guest boot tests under either backend (test_vmx_check.py on Bochs
VT-x, test_svm_check.py on QEMU TCG and Bochs AMD-V): booting rthv with one of the guest
scenarios of tests/boot/scenarios/ through tools/run/rthv_run.py, and the checks of the report's
"vcpus" and "pcpus" sections that do not depend on the backend or the emulator.

Those scenarios give every guest a pCPU of its own (a pool per CPU, budget = period), so a
guest's CPU ledger (guest, idle, overhead) is that CPU's entry in "pcpus"."""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "..", "..", "tools", "run", "rthv_run.py")
SCENARIOS = os.path.join(HERE, "scenarios")
# Must match the periodic and interactive guests of tests/boot/scenarios/guests-*.cfg.
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


# Bochs CPU models with each backend's extension (VT-x, AMD-V).
BOCHS_CPU = {"vmx": "corei7_skylake_x", "svm": "ryzen"}


def run_bochs(a, tmp, extra=()):
    """Boots a.config under Bochs on a.backend's CPU model (a.smp CPUs, a.duration s of the
    hypervisor's time at a.ips) with its own control socket; returns what run_rthv returns."""
    build = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(a.elf))))
    return run_rthv(a.elf, tmp, [
        "--accel", "bochs", "--smp", str(a.smp), "--for", str(a.duration), "--config", a.config,
        "--build-dir", build, "--ips", str(a.ips), "--bochs-cpu", BOCHS_CPU[a.backend],
        "--ctl", os.path.join(tmp, "ctl.sock")] + list(extra))


def bochs_run_failures(a, r, text):
    """What every Bochs scenario run must show: the backend asked for ran, no hypervisor fault,
    a clean end. Returns the failed checks' messages."""
    backend = r.get("scenario", {}).get("backend")
    failures = [] if backend == a.backend else ["backend %r, expected %s" % (backend, a.backend)]
    if r.get("faults") != 0:
        failures.append("hypervisor faults: %r" % r.get("faults"))
    if "RTHV-EXIT" not in text:
        failures.append("no RTHV-EXIT line: the hypervisor did not end cleanly")
    return failures


def exit_status(failures):
    """Prints each failed check; returns the checker's exit status."""
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


def check_clean_end(c, r, text):
    c.check(r.get("faults") == 0, "hypervisor faults: %r" % r.get("faults"))
    c.check("RTHV-EXIT" in text, "no RTHV-EXIT line: the hypervisor did not end cleanly")


def scenario(name):
    return os.path.join(SCENARIOS, "guests-%s.cfg" % name)


def guests_by_workload(c, r, smp):
    """The report's VCPUs by workload, each with "cpu" (the one CPU it ran on) and "pcpu" (that
    CPU's ledger) added; checks that there is one guest per CPU."""
    guests = r.get("vcpus", [])
    c.check(len(guests) == smp, "%d guests, expected one per CPU (%d)" % (len(guests), smp))
    pcpus = {p["cpu"]: p for p in r.get("pcpus", [])}
    for g in guests:
        ran = [cpu for cpu, ns in enumerate(g["guest_ns_by_cpu"]) if ns > 0]
        g["cpu"] = ran[0] if len(ran) == 1 else -1
        g["pcpu"] = pcpus.get(g["cpu"], {})
    c.check(sorted(g["cpu"] for g in guests) == list(range(len(guests))),
            "guests not one per CPU: %r" % [g["guest_ns_by_cpu"] for g in guests])
    return {g["workload"]: g for g in guests}


def progress(g):
    """What the guest reports as done: its work, jobs, wake-ups or exits; the crashing
    workloads have nothing to count."""
    key = {"busy": "work", "cli-spin": "work", "periodic": "jobs", "interactive": "wakeups",
           "exit-storm": "exits_caused"}.get(g["workload"])
    return g[key] if key else 1


def check_alive(c, g, name):
    if not c.check(g is not None, "no %s guest" % name):
        return False
    c.check(g["state"] != "crashed", "%s crashed: %s" % (name, g.get("crash_reason")))
    c.check(g["entries"] > 0, "%s never entered" % name)
    c.check(progress(g) > 0, "%s made no progress" % name)
    return True


def check_console(c, text, g):
    name = g["domain"]
    line = "[%s] hello from %s (domain %d)" % (name, name, g["domain_id"])
    c.check(line in text, "console line %r missing" % line)
    c.check(g["console_lines"] >= 1, "%s: no console lines counted" % name)


def check_crashed(c, g, name, exit_kind, reason_words):
    if not c.check(g is not None, "no %s guest" % name):
        return
    c.check(g["state"] == "crashed", "%s not crashed (state %s)" % (name, g["state"]))
    c.check(g["exits"][exit_kind] == 1, "%s: %s exits %r, expected 1"
            % (name, exit_kind, g["exits"][exit_kind]))
    for w in reason_words:
        c.check(w in g["crash_reason"], "%s crash reason %r lacks %r"
                % (name, g["crash_reason"], w))


def cpu_time(g):
    """The guest's pCPU ledger as (elapsed, guest, idle, overhead) ns."""
    a = g["pcpu"]
    return (a.get("elapsed_ns", 0), a.get("guest_ns", 0), a.get("idle_ns", 0),
            a.get("overhead_ns", 0))


def check_accounting(c, g, run_ns, min_elapsed_pct, min_share_pct):
    # Guest, idle and overhead time of the guest's pCPU: measured separately, summing to the
    # elapsed time within 0.1 %, and the elapsed time is most of the run (APs start a bit late;
    # how late depends on the emulator, hence min_elapsed_pct).
    elapsed, guest, idle, overhead = cpu_time(g)
    name = g["domain"]
    total = guest + idle + overhead
    c.check(abs(total - elapsed) * 1000 <= elapsed,
            "%s: guest+idle+overhead %d != elapsed %d" % (name, total, elapsed))
    c.check(elapsed * 100 >= run_ns * min_elapsed_pct,
            "%s: elapsed %d of a %d ns run" % (name, elapsed, run_ns))
    c.check(overhead > 0, "%s: no hypervisor overhead measured" % name)
    if g["state"] == "crashed":
        # Never entered again: almost no guest time (its crash report on the emulated UART
        # is overhead, the rest idle).
        c.check(guest * 20 <= elapsed, "%s: crashed but ran %d ns" % (name, guest))
        c.check(idle > 0, "%s: crashed but its CPU never idled" % name)
    elif g["workload"] in ("busy", "cli-spin"):
        c.check(guest * 100 >= elapsed * min_share_pct, "%s: guest share %d of %d"
                % (name, guest, elapsed))
    elif g["workload"] == "periodic":
        # Each job burns C of guest CPU time; the rest of the period the CPU idles.
        need = g["jobs"] * JOB_US * 1000
        c.check(guest >= need * 95 // 100, "%s: guest time %d < jobs x C = %d"
                % (name, guest, need))
        c.check(idle > 0, "%s: never idled" % name)


def check_periodic_deadlines(c, per):
    # The guest's own figures: its job misses and worst release-to-finish time.
    c.check(per["misses"] == 0, "periodic: %d deadline misses" % per["misses"])
    c.check(per["latency_kind"] == "response" and JOB_US <= per["worst_latency_us"] <= PERIOD_US,
            "periodic worst %s %d us outside [C, T]" % (per["latency_kind"],
                                                         per["worst_latency_us"]))


def check_exit_storm(c, storm):
    if check_alive(c, storm, "exit-storm"):
        c.check(storm["exits"]["cpuid"] >= 100, "exit-storm: few CPUID exits")
        c.check(storm["exits"]["io"] >= 100, "exit-storm: few I/O exits")
        c.check(storm["exits_caused"] >= 100, "exit-storm reported nothing")


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
        c.check(inter["wakeups"] >= 5, "interactive: few wake-ups")
        c.check(inter["latency_kind"] == "wakeup" and inter["worst_latency_us"] < 1000,
                "interactive: worst %s latency %d us" % (inter["latency_kind"],
                                                         inter["worst_latency_us"]))
    check_crashed(c, w.get("triple-fault"), "triple-fault", "triple_fault", ["triple fault"])


def check_refused(c, rc, r, text):
    """A run without a usable backend: refused cleanly, no guests."""
    c.check(rc == 1 and r.get("result") == "fail", "rc %d result %r, expected a refused run"
            % (rc, r.get("result")))
    c.check(r.get("scenario", {}).get("available") is False and r.get("vcpus") == [],
            "guests started without hardware virtualisation")
    c.check("refusing to start guests" in text, "no refusal message on the console")
