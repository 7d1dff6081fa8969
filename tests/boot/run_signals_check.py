#!/usr/bin/env python3
"""Issue 11.2: stopping `./rthv run` never leaves the emulator or its temporary files behind.
QEMU TCG, AMD-V, one CPU, -icount 3, the ctl-busy scenario, no --for (runs until stopped):
  - SIGINT (Ctrl-C), SIGTERM and SIGHUP (a closed terminal), each once the hypervisor answers:
    the run ends in order - the hypervisor's end-of-run report (JSON file and the tables on
    stdout), exit status 0 - and afterwards no emulator process and no temporary file is left;
  - SIGTERM while the emulator is still booting: no emulator and no temporary file left;
  - SIGKILL of the runner (nothing can be caught): the emulator dies with it.
Each case is judged from the report and /proc, never from console text alone."""
import argparse
import json
import os
import shutil
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

CHECKS = guest_check.Checker(verbose=True)
check, failures = CHECKS.check, CHECKS.errors


def start(args, tmp, name):
    runner_tmp = os.path.join(tmp, name + ".tmp")
    os.makedirs(runner_tmp)
    sock, report = os.path.join(tmp, name + ".sock"), os.path.join(tmp, name + ".json")
    log = open(os.path.join(tmp, name + ".log"), "w+")
    proc = subprocess.Popen([sys.executable, RUNNER, "--elf", args.elf, "--accel", "tcg",
                             "--qemu-cpu", "EPYC", "--smp", "1", "--icount", "3", "--config",
                             args.config, "--ctl", sock, "--json", report],
                            stdout=log, stderr=subprocess.STDOUT,
                            env=dict(os.environ, TMPDIR=runner_tmp))
    return proc, sock, report, log, runner_tmp


def ready(args, sock, proc, limit=40):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        r = subprocess.run([args.xl, "list"], env=dict(os.environ, RTHV_CTL=sock),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode == 0:
            return True
        time.sleep(0.2)
    return False


def orderly(args, tmp, sig):
    name = signal.Signals(sig).name
    proc, sock, report_path, log, runner_tmp = start(args, tmp, name)
    emus = run_procs.wait_emulators(proc.pid, 30)
    check(len(emus) == 1, "%s: the runner started one emulator (%s)" % (name, emus))
    check(ready(args, sock, proc), "%s: the hypervisor answers xl" % name)
    check(ctl_client.wait_emulated(sock, 500_000_000, 60), "%s: 0.5 s of emulated time passed" % name)
    proc.send_signal(sig)
    rc, text = run_procs.finish(proc, log, 40)
    check(rc == 0, "%s: the run ended in order (rc %s)" % (name, rc))
    check("stopped by %s" % name in text and "ended the run and reported" in text,
          "%s: the runner says how the run ended" % name)
    check("\nscenario " in text and "share%" in text, "%s: the end-of-run tables printed" % name)
    try:
        with open(report_path) as f:
            report = json.load(f)
    except (OSError, ValueError):
        report = {}
    vcpus = {v["domain"]: v for v in report.get("vcpus", [])}
    check(report.get("result") == "pass" and set(vcpus) == {"busy", "rt"},
          "%s: the hypervisor's end-of-run report (result %s, VCPUs %s)"
          % (name, report.get("result"), sorted(vcpus)))
    if "busy" in vcpus:
        share = float(vcpus["busy"]["share"])
        check(abs(share - 0.4) <= 0.0075 and report["scenario"]["run_ns"] > 0,
              "%s: busy's share over the run %.4f (reserved 0.4000)" % (name, share))
    check(run_procs.wait_gone(emus, 5), "%s: no emulator process left" % name)
    check(run_procs.leftovers(runner_tmp) == [], "%s: no temporary files left: %s"
          % (name, run_procs.leftovers(runner_tmp)))
    check(not os.path.exists(sock), "%s: the control socket is removed" % name)
    if failures:
        print(text[-3000:])


def while_booting(args, tmp):
    proc, sock, _, log, runner_tmp = start(args, tmp, "booting")
    emus = run_procs.wait_emulators(proc.pid, 30)
    check(len(emus) == 1, "booting: the runner started one emulator")
    proc.send_signal(signal.SIGTERM)
    rc, text = run_procs.finish(proc, log, 40)
    # Either the EndRun request waited in COM2 and the run ended as soon as it began (a report
    # with nothing run: 0 or 1 by its verdict), or the emulator was stopped before (143).
    check(rc in (0, 1, 128 + signal.SIGTERM), "booting: the runner ended (rc %s)" % rc)
    check(run_procs.wait_gone(emus, 5), "booting: no emulator process left")
    check(run_procs.leftovers(runner_tmp) == [], "booting: no temporary files left: %s"
          % run_procs.leftovers(runner_tmp))
    if failures:
        print(text[-3000:])


def killed(args, tmp):
    proc, sock, _, log, runner_tmp = start(args, tmp, "killed")
    emus = run_procs.wait_emulators(proc.pid, 30)
    check(len(emus) == 1 and ready(args, sock, proc), "SIGKILL: the run is up")
    proc.kill()
    run_procs.finish(proc, log, 40)
    check(run_procs.wait_gone(emus, 5), "SIGKILL: the emulator died with the runner")
    shutil.rmtree(runner_tmp, ignore_errors=True)  # nothing can clean up after a SIGKILL


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--elf", required=True)
    p.add_argument("--xl", required=True)
    p.add_argument("--config", required=True)
    args = p.parse_args()
    start_at = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="rthv-signals-") as tmp:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            orderly(args, tmp, sig)
        while_booting(args, tmp)
        killed(args, tmp)
    print("wall %.1f s, %d failure(s)" % (time.monotonic() - start_at, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
