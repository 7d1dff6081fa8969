#!/usr/bin/env python3
"""Issue 11.1 and 11.3 end to end, under Bochs (VT-x, 2 CPUs, deterministic time):
  - a script waits for the hypervisor the way scripts do, `until xl list; do sleep 1; done`,
    started while the hypervisor is still booting, so requests are resent and answered late;
  - then `xl sched-rtds`, `xl sched-rtds -d busy -v all` and a change of busy's budget
    (4000 -> 3000 us), each answered correctly (byte-exact tables; the change is in force);
  - after a measured window SIGTERM ends the run in order, and the report gives the budget in
    force at the end (3000), the configured one (4000), one change, and the reservation
    weighted over the run, which busy's share (no extratime, always runnable) must equal
    within 0.5 points."""
import argparse
import json
import re
import os
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
import run_procs  # noqa: E402
import test_ctl_check  # noqa: E402  (the byte-exact sched-rtds layouts)

CHECKS = guest_check.Checker(verbose=True)
check, failures = CHECKS.check, CHECKS.errors
POLL = 'n=0; until "$XL" list >/dev/null; do n=$((n+1)); sleep 1; done; echo "failed=$n"'


def xl(args, sock, *argv):
    r = subprocess.run([args.xl] + list(argv), env=dict(os.environ, RTHV_CTL=sock),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=30)
    return r.returncode, r.stdout, r.stderr


def session(args, sock, doms):
    r = subprocess.run(["sh", "-c", POLL], env=dict(os.environ, RTHV_CTL=sock, XL=args.xl),
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                       timeout=args.boot_limit)
    failed = int(r.stdout.strip().split("=")[1])
    check(failed >= 1, "the polling started while the hypervisor was booting (%d failed xl "
          "list before it answered)" % failed)
    busy = doms[0][0]
    rc, out, err = xl(args, sock, "sched-rtds")
    check(rc == 0 and out == test_ctl_check.expected(doms),
          "xl sched-rtds right after the polling:\n%s%s" % (out, err))
    rc, out, err = xl(args, sock, "sched-rtds", "-d", busy, "-v", "all")
    check(rc == 0 and out == test_ctl_check.expected(doms, busy, True),
          "xl sched-rtds -d busy -v all:\n%s%s" % (out, err))
    rc, out, err = xl(args, sock, "sched-rtds", "-d", busy, "-p", "10000", "-b", "3000")
    check(rc == 0 and out == "" and err == "", "xl sched-rtds -d %s -p 10000 -b 3000 (rc %d %s)"
          % (busy, rc, err.strip()))
    rc, out, _ = xl(args, sock, "list")
    check(rc == 0 and re.search(r"^%s +1 +\d+ +1 +" % re.escape(busy), out, re.M) is not None,
          "xl list lays out the %d-character name as Xen's %%-40s does:\n%s" % (len(busy), out))
    now = [(busy, 10000, 3000, doms[0][3])] + doms[1:]
    rc, out, err = xl(args, sock, "sched-rtds", "-d", busy)
    check(rc == 0 and out == test_ctl_check.expected(now, busy),
          "the change is in force:\n%s%s" % (out, err))


def wait_window(sock, window_ns, limit):
    """Waits until `window_ns` of emulated time has passed (busy's statistics window)."""
    first = ctl_client.rtds_stats(sock, 1)[0][1]
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        time.sleep(0.5)
        if ctl_client.rtds_stats(sock, 1)[0][1] - first >= window_ns:
            return True
    return False


def check_report(path, doms):
    with open(path) as f:
        report = json.load(f)
    busy = next(v for v in report["vcpus"] if v["domain"] == doms[0][0])
    check(busy["budget_us"] == 3000 and busy["configured_budget_us"] == doms[0][2] and
          busy["param_changes"] == 1, "report: budget %s in force, %s configured, %s change(s)"
          % (busy["budget_us"], busy["configured_budget_us"], busy["param_changes"]))
    reserved, share = float(busy["reserved"]), float(busy["share"])
    check(0.3 < reserved < 0.4, "report: reservation over the run %.4f, between 0.30 and 0.40"
          % reserved)
    check(abs(share - reserved) <= 0.005, "report: busy's share %.4f equals its time-weighted "
          "reservation %.4f within 0.5 points" % (share, reserved))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--elf", required=True)
    p.add_argument("--xl", required=True)
    p.add_argument("--config", required=True)
    p.add_argument("--boot-limit", type=float, default=240)
    args = p.parse_args()
    doms = test_ctl_check.parse_domains(args.config)
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="rthv-session-") as tmp:
        sock, report = os.path.join(tmp, "ctl.sock"), os.path.join(tmp, "report.json")
        runner_tmp = os.path.join(tmp, "runner")
        os.makedirs(runner_tmp)
        log = open(os.path.join(tmp, "run.log"), "w+")
        proc = subprocess.Popen([sys.executable, RUNNER, "--elf", args.elf, "--accel", "bochs",
                                 "--smp", "2", "--config", args.config, "--ctl", sock,
                                 "--json", report], stdout=log, stderr=subprocess.STDOUT,
                                env=dict(os.environ, TMPDIR=runner_tmp))
        emus = []
        try:
            session(args, sock, doms)
            emus = run_procs.emulators(proc.pid)
            if not failures:
                check(wait_window(sock, 1_000_000_000, 120), "1 s of emulated time passed")
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            rc, text = run_procs.finish(proc, log, 120)
        check(rc == 0 and "stopped by SIGTERM" in text, "SIGTERM ended the run in order (rc %s)"
              % rc)
        check(run_procs.wait_gone(emus, 5) and run_procs.leftovers(runner_tmp) == [],
              "no emulator and no temporary file left")
        if rc == 0:
            check_report(report, doms)
        if failures:
            print(text[-3000:])
    print("wall %.1f s, %d failure(s)" % (time.monotonic() - start, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
