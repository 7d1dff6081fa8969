#!/usr/bin/env python3
"""End to end: `./rthv run` (QEMU TCG, AMD-V, 1 CPU, -icount 3: emulated time ~ wall time, and
the scheduling figures the SVM tests measured) with the control socket, then xl against it:
sched-rtds list forms byte for byte against the boot config, a parameter change measured as a
share over an emulated-time window, pause/unpause, refused inputs that change nothing, and
list/info/dmesg/debug-keys."""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "..", "..", "tools", "run", "rthv_run.py")
sys.path.insert(0, HERE)
import ctl_client  # noqa: E402
import guest_check  # noqa: E402

CHECKS = guest_check.Checker(verbose=True)  # prints every check as it is made
check, failures = CHECKS.check, CHECKS.errors


def xl(args, sock, *argv):
    r = subprocess.run([args.xl] + list(argv), env=dict(os.environ, RTHV_CTL=sock),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=20)
    return r.returncode, r.stdout, r.stderr


def parse_domains(path):
    """[(name, period, budget, extratime)] in config order (ids 1..n)."""
    doms, cur = [], None
    for line in open(path):
        line = line.split("#")[0].strip()
        if line == "[domain]":
            cur = {}
            doms.append(cur)
        elif "=" in line and cur is not None:
            k, v = (x.strip() for x in line.split("=", 1))
            cur[k] = v.strip('"')
    return [(d["name"], int(d["period"]), int(d["budget"]), d["extratime"] == "1") for d in doms]


def row(name, domid, p, b, e, vcpu=None):
    v = "" if vcpu is None else " %4d" % vcpu
    return "%-33s %4d%s %9d %9d %10s\n" % (name, domid, v, p, b, "yes" if e else "no")


def expected(doms, only=None, vcpus=False):
    head = "" if only else "Cpupool Pool-0: sched=RTDS\n"  # Xen: -d D has no pool line
    cols = ("Name", "ID", "VCPU", "Period", "Budget", "Extratime") if vcpus else \
        ("Name", "ID", "Period", "Budget", "Extratime")
    head += ("%-33s %4s %4s %9s %9s %10s\n" if vcpus else "%-33s %4s %9s %9s %10s\n") % cols
    rows = [row(n, i + 1, p, b, e, 0 if vcpus else None)
            for i, (n, p, b, e) in enumerate(doms) if only in (None, n)]
    return head + "".join(rows)


def share(sock, domid, window_ns):
    a = ctl_client.rtds_stats(sock, domid)[0]
    while True:
        time.sleep(0.2)
        b = ctl_client.rtds_stats(sock, domid)[0]
        if b[1] - a[1] >= window_ns:
            return 100.0 * (b[2] - a[2]) / (b[1] - a[1])


def wait_ready(args, sock, proc, limit):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        if os.path.exists(sock) and xl(args, sock, "list")[0] == 0:
            return True
        time.sleep(0.3)
    return False


def scenario(args, sock, doms):
    busy = doms[0][0]
    for argv, only, vcpus in [((), None, False), (("-d", busy), busy, False),
                              (("-d", busy, "-v", "all"), busy, True), (("-v", "all"), None, True)]:
        rc, out, err = xl(args, sock, "sched-rtds", *argv)
        check(rc == 0 and out == expected(doms, only, vcpus),
              "xl sched-rtds %s matches the boot config byte for byte:\n%s%s" % (
                  " ".join(argv), out, err))
    rc, out, err = xl(args, sock, "sched-rtds", "-d", busy, "-p", "10000", "-b", "2000")
    check(rc == 0, "xl sched-rtds -d busy -p 10000 -b 2000 (rc %d %s)" % (rc, err.strip()))
    time.sleep(0.1)
    s = share(sock, 1, args.window_ms * 1_000_000)
    check(abs(s - 20.0) <= 0.75, "busy's share over %d ms after the change: %.2f %% (20 %%)"
          % (args.window_ms, s))
    now = [(busy, 10000, 2000, doms[0][3])] + doms[1:]
    for bad in [("-d", busy, "-p", "10000", "-b", "20000"), ("-d", "nosuch", "-p", "100"),
                ("-d", busy, "-p", "10000", "-b", "9000"), ("-d", busy, "-p", "abc")]:
        rc, out, err = xl(args, sock, "sched-rtds", *bad)
        check(rc == 1 and len(err.strip().splitlines()) == 1,
              "refused: xl sched-rtds %s -> %s" % (" ".join(bad), err.strip()))
        rc, out, _ = xl(args, sock, "sched-rtds")
        check(out == expected(now), "parameters unchanged after the refusal")
    check(xl(args, sock, "pause", busy)[0] == 0, "xl pause busy")
    rc, out, _ = xl(args, sock, "list")
    check(re.search(r"^busy +1 .*--p---", out, re.M) is not None, "xl list shows busy paused")
    s = share(sock, 1, args.window_ms * 500_000)
    check(s < 0.1, "busy's share while paused: %.3f %%" % s)
    check(xl(args, sock, "unpause", busy)[0] == 0, "xl unpause busy")
    time.sleep(0.1)
    s = share(sock, 1, args.window_ms * 500_000)
    check(abs(s - 20.0) <= 0.75, "busy's share after unpause: %.2f %%" % s)
    rc, out, _ = xl(args, sock, "list")
    check(rc == 0 and out.startswith("Name") and all(
        re.search(r"^%s +%d " % (n, i + 1), out, re.M) for i, (n, *_r) in enumerate(doms)),
        "xl list names every domain:\n" + out)
    rc, out, _ = xl(args, sock, "info")
    check(rc == 0 and "nr_cpus                : 1\n" in out and "xen_scheduler          : rtds\n"
          in out, "xl info:\n" + out)
    check(xl(args, sock, "debug-keys", "r")[0] == 0, "xl debug-keys r")
    rc, out, _ = xl(args, sock, "dmesg")
    # The history is a 16 KiB ring (like Xen's console ring): early boot lines may have scrolled
    # out by now, so only the dump just requested must be there.
    check(rc == 0 and "RTDS dump at" in out and "d1v0" in out,
          "xl dmesg holds the 'r' dump just requested (%d bytes):\n%s"
          % (len(out), out[:300] + "\n...\n" + out[-600:]))


def check_live_params(report_path, doms):
    """Issue 11.3: the report gives the parameters in force at the end (busy: 2000 us after
    `sched-rtds -b 2000`), the configured ones, and the reservation weighted over the run."""
    with open(report_path) as f:
        report = json.load(f)
    busy = next(v for v in report["vcpus"] if v["domain"] == doms[0][0])
    check(busy["budget_us"] == 2000 and busy["period_us"] == 10000,
          "report: busy's parameters in force at the end: %s/%s us" % (busy["budget_us"],
                                                                     busy["period_us"]))
    check(busy["configured_budget_us"] == doms[0][2] and busy["param_changes"] == 1,
          "report: configured budget %s us, %s change(s)" % (busy["configured_budget_us"],
                                                             busy["param_changes"]))
    reserved, util = float(busy["reserved"]), float(busy["utilisation"])
    check(0.2 < reserved < 0.4 and util == 0.2,
          "report: time-weighted reservation %.4f between the two (utilisation now %.2f)"
          % (reserved, util))
    # Paused for part of the run, never over its reservation (no extratime).
    check(float(busy["share"]) <= reserved + 0.005,
          "report: share %.4f within the reservation %.4f" % (float(busy["share"]), reserved))
    rt = next(v for v in report["vcpus"] if v["domain"] == doms[1][0])
    check(rt["param_changes"] == 0 and float(rt["reserved"]) == float(rt["utilisation"]),
          "report: an unchanged VCPU's reservation is its utilisation")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--elf", required=True)
    p.add_argument("--xl", required=True)
    p.add_argument("--config", required=True)
    p.add_argument("--window-ms", type=int, default=2000, help="emulated ms per share window")
    args = p.parse_args()
    doms = parse_domains(args.config)
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="rthv-ctl-") as tmp:
        sock = os.path.join(tmp, "ctl.sock")
        report_path = os.path.join(tmp, "report.json")
        log = open(os.path.join(tmp, "run.log"), "w+")
        proc = subprocess.Popen([sys.executable, RUNNER, "--elf", args.elf, "--accel", "tcg",
                                 "--qemu-cpu", "EPYC", "--smp", "1", "--icount", "3",
                                 "--config", args.config, "--ctl", sock, "--json", report_path],
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            check(wait_ready(args, sock, proc, 40), "the hypervisor answers on " + sock)
            if not failures:
                scenario(args, sock, doms)
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)  # what a user's Ctrl-C does
            rc = proc.wait(timeout=20)
            log.seek(0)
            text = log.read()
        # Ctrl-C ends the run in order (EndRun): the hypervisor reports, the runner prints the
        # tables and passes on the verdict.
        check(rc == 0 and "stopped by SIGINT" in text and "ended the run and reported" in text,
              "Ctrl-C ends the run in order (rc %s)" % rc)
        check("\nscenario " in text and "share%" in text and "resv%" in text,
              "the end-of-run tables are printed")
        if not failures:
            check_live_params(report_path, doms)
        check("control socket %s" % sock in text, "the runner prints the socket path")
        check(not os.path.exists(sock), "the socket is removed at the end")
        if failures:
            print(text[-3000:])
    print("wall %.1f s" % (time.monotonic() - start))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
