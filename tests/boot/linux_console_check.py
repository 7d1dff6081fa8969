#!/usr/bin/env python3
"""xl console against a Linux domain, end to end (QEMU TCG, AMD-V, one CPU):
  - `xl console linux` from a pipe, repeated until the guest's init says it is ready: the
    output is the guest's own boot log (it starts with the kernel's banner);
  - a command typed into the guest's shell through `xl console` runs there: it is the report
    client, `rthv-report typed 42`, so the proof is in the hypervisor's JSON report
    (linux[].reported.typed == 42), not in console text;
  - SIGTERM then ends the run in order."""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "..", "..", "tools", "run", "rthv_run.py")
sys.path.insert(0, HERE)
import guest_check  # noqa: E402
import run_procs  # noqa: E402

CHECKS = guest_check.Checker(verbose=True)
check, failures = CHECKS.check, CHECKS.errors


def console(args, sock, typed=""):
    r = subprocess.run([args.xl, "console", "linux"], input=typed, env=dict(os.environ,
                       RTHV_CTL=sock), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, errors="replace", timeout=60)
    return r.returncode, r.stdout, r.stderr


def wait_ready(args, sock):
    """The console so far, once the guest's init has printed its ready line."""
    deadline = time.monotonic() + args.boot_limit
    out = ""
    while time.monotonic() < deadline:
        rc, out, _ = console(args, sock)
        if rc == 0 and "init: ready" in out:
            return out
        time.sleep(2)
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--elf", required=True)
    p.add_argument("--xl", required=True)
    p.add_argument("--config", required=True)
    p.add_argument("--boot-limit", type=float, default=150)
    args = p.parse_args()
    build = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(args.elf))))
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="rthv-console-") as tmp:
        sock, report = os.path.join(tmp, "ctl.sock"), os.path.join(tmp, "report.json")
        log = open(os.path.join(tmp, "run.log"), "w+")
        proc = subprocess.Popen([sys.executable, RUNNER, "--elf", args.elf, "--accel", "tcg",
                                 "--smp", "1", "--config", args.config, "--ctl", sock,
                                 "--json", report, "--build-dir", build],
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            boot_log = wait_ready(args, sock)
            check("init: ready" in boot_log, "the guest's init reported ready on its console")
            check(boot_log.lstrip().startswith("[    0.000000] Linux version"),
                  "xl console shows the boot log from the kernel's banner on")
            rc, out, err = console(args, sock, "rthv-report typed 42\n")
            check(rc == 0, "xl console with typed input (rc %d: %s)" % (rc, err.strip()))
            time.sleep(1)
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            rc, text = run_procs.finish(proc, log, 120)
        check(rc == 0 and "stopped by SIGTERM" in text, "SIGTERM ended the run (rc %s)" % rc)
        if os.path.exists(report):
            with open(report) as f:
                linux = json.load(f)["linux"][0]
            check(linux["reported"].get("typed") == 42,
                  "the typed command ran in the guest: reported %r" % linux["reported"])
        else:
            check(False, "no report")
        if failures:
            print(text[-3000:])
    print("wall %.1f s, %d failure(s)" % (time.monotonic() - start, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
