#!/usr/bin/env python3
"""Boot rthv in an emulator, show its console, and judge the run from its own report.

The hypervisor ends every run by printing a JSON report between RTHV-REPORT-BEGIN and
RTHV-REPORT-END and then "RTHV-EXIT pass|fail" on COM1. Bochs cannot pass an exit status
through, so the verdict always comes from those lines, never from the emulator's status.
Exit status: 0 pass, 1 the run failed (report says fail, or no report), 2 usage/setup error,
3 wall-clock timeout (the emulator was killed).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GRUB_MODULES = "multiboot2 normal configfile part_msdos part_gpt iso9660 biosdisk"
BEGIN, END, EXIT = "RTHV-REPORT-BEGIN", "RTHV-REPORT-END", "RTHV-EXIT "
# Bochs: a CPU model with VMX (EPT, VPID, unrestricted guest), see docs/platform.md.
BOCHS_MODEL = "corei7_skylake_x"
DEFAULT_CONFIG = os.path.join(REPO, "hv", "config", "default.cfg")


def die(message):
    """Setup or usage problem (not a failed run): exit status 2."""
    print(message, file=sys.stderr)
    sys.exit(2)


def kvm_usable():
    """True when /dev/kvm answers KVM_GET_API_VERSION with 12 and QEMU can really start a KVM
    VM with -cpu host: some sandboxes offer a /dev/kvm that fails once QEMU sets MSRs."""
    try:
        import fcntl
        fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
        try:
            if fcntl.ioctl(fd, 0xAE00) != 12:
                return False
        finally:
            os.close(fd)
    except (OSError, ImportError):
        return False
    if shutil.which("qemu-system-x86_64") is None:
        return False
    # Paused (-S) VM: a broken KVM aborts within a fraction of a second, a working one idles.
    probe = subprocess.Popen(["qemu-system-x86_64", "-accel", "kvm", "-cpu", "host", "-m", "16",
                              "-display", "none", "-monitor", "none", "-serial", "none",
                              "-nodefaults", "-S"],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        probe.wait(timeout=1.0)
        return False
    except subprocess.TimeoutExpired:
        probe.kill()
        probe.wait()
        return True


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="rthv run", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--accel", choices=["kvm", "tcg", "bochs"],
                   help="kvm (default when /dev/kvm is usable), tcg (QEMU, fast, no VT-x) or "
                        "bochs (VT-x capable CPU model; the default without KVM)")
    p.add_argument("--smp", type=int, default=4, metavar="N", help="number of CPUs (default 4)")
    p.add_argument("--for", dest="duration", type=float, default=None, metavar="SECONDS",
                   help="run this long in the hypervisor's own (TSC) time, then report and "
                        "shut down (default 0.2)")
    p.add_argument("--json", metavar="FILE", help="write the run's JSON report here "
                   "(the hypervisor's report plus accel, smp and, for Bochs, ips)")
    p.add_argument("--cmdline", default="", metavar="EXTRA",
                   help="extra hypervisor command line, e.g. 'test=fault loglevel=3'; without a "
                        "test=... the scenario of --config runs (test=scenario)")
    p.add_argument("--config", metavar="FILE", default=DEFAULT_CONFIG,
                   help="scenario file (hv/config/FORMAT.md), passed as a multiboot2 module "
                        "(default: hv/config/default.cfg)")
    p.add_argument("--elf", metavar="PATH", help="hypervisor image (default: BUILD/arch/x86/rthv.elf)")
    p.add_argument("--iso", metavar="PATH",
                   help="boot this ISO unchanged instead of building one per run "
                        "(--for and --cmdline are then ignored)")
    p.add_argument("--build-dir", metavar="DIR",
                   default=os.environ.get("RTHV_BUILD_DIR", os.path.join(REPO, "build")),
                   help="build tree holding the image (default: $RTHV_BUILD_DIR or ./build)")
    p.add_argument("--ips", type=int, default=100_000_000,
                   help="Bochs instructions per emulated second = TSC Hz there; scheduling "
                        "figures need a believable CPU, see docs (default 100000000)")
    p.add_argument("--qemu-cpu", metavar="MODEL",
                   help="QEMU CPU model (default: host with kvm, max with tcg, which has "
                        "AMD-V; e.g. EPYC, or qemu64,-svm for neither VT-x nor AMD-V)")
    p.add_argument("--icount", type=int, metavar="SHIFT",
                   help="QEMU TCG: deterministic instruction-counted time, 2^SHIFT ns per "
                        "instruction (-icount shift=SHIFT,sleep=off); chosen automatically "
                        "(shift 3) when --smp exceeds the host's cores")
    p.add_argument("--memory", type=int, default=128, metavar="MB", help="guest RAM (default 128)")
    p.add_argument("--timeout", type=float, metavar="SECONDS",
                   help="wall-clock limit before the emulator is killed (default: from --for)")
    p.add_argument("--serial-log", metavar="FILE", help="also keep the raw console output here")
    p.add_argument("--trace", metavar="FILE",
                   help="record the schedule (trace=1) and write it here (hv/trace/FORMAT.md), "
                        "with FILE.perfetto.json (ui.perfetto.dev) and FILE.svg (Gantt chart)")
    p.add_argument("--quiet", action="store_true", help="do not echo the console")
    p.add_argument("--ctl", metavar="PATH", default=None,
                   help="control socket for xl (default /tmp/rthv-UID/ctl.sock; xl finds it "
                        "there, or through $RTHV_CTL)")
    args = p.parse_args(argv)
    if args.accel is None:
        args.accel = "kvm" if kvm_usable() else "bochs"
    if args.smp < 1:
        p.error("--smp must be at least 1")
    return args


FOREVER_MS = 10**12  # ~31 years: a scenario without --for runs until Ctrl-C


def runs_until_interrupted(args):
    """A scenario run without --for (and not from an ISO) runs until Ctrl-C."""
    tests = [t for t in args.cmdline.split() if t.startswith("test=")]
    return args.duration is None and args.iso is None and tests in ([], ["test=scenario"])


def kernel_cmdline(args):
    parts = []
    if args.duration is not None:
        parts.append("runtime_ms=%d" % max(1, round(args.duration * 1000)))
    elif runs_until_interrupted(args):
        parts.append("runtime_ms=%d" % FOREVER_MS)
    if not any(t.startswith("test=") for t in args.cmdline.split()):
        parts.append("test=scenario")
    if args.trace:
        parts.append("trace=1")
    if args.cmdline:
        parts.append(args.cmdline)
    return " ".join(parts)


def build_iso(args, tmp):
    elf = args.elf or os.path.join(args.build_dir, "arch", "x86", "rthv.elf")
    if not os.path.isfile(elf):
        die("rthv run: no hypervisor image at %s (build it, or pass --elf)" % elf)
    root = os.path.join(tmp, "iso")
    os.makedirs(os.path.join(root, "boot", "grub"))
    shutil.copy(elf, os.path.join(root, "boot", "rthv.elf"))
    if not os.path.isfile(args.config):
        die("rthv run: no scenario file %s" % args.config)
    shutil.copy(args.config, os.path.join(root, "boot", "scenario.cfg"))
    with open(os.path.join(REPO, "boot", "grub.cfg.in")) as f:
        cfg = f.read().replace("@RTHV_CMDLINE@", kernel_cmdline(args))
        cfg = cfg.replace("@RTHV_MODULES@", "    module2 /boot/scenario.cfg scenario\n")
    with open(os.path.join(root, "boot", "grub", "grub.cfg"), "w") as f:
        f.write(cfg)
    iso = os.path.join(tmp, "rthv.iso")
    r = subprocess.run(["grub-mkrescue", "--install-modules=" + GRUB_MODULES, "--fonts=",
                        "--locales=", "--themes=", "-o", iso, root],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        die("rthv run: grub-mkrescue failed:\n" + r.stdout)
    return iso


def echo_new(path, offset, quiet):
    """Prints console output that appeared since `offset`; returns the new offset."""
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            data = f.read()
    except FileNotFoundError:
        return offset
    if data and not quiet:
        sys.stdout.write(data.decode("utf-8", "replace").replace("\r\n", "\n"))
        sys.stdout.flush()
    return offset + len(data)


def run_emulator(cmd, serial_path, timeout, quiet, log_path):
    """Runs until the emulator exits or `timeout` wall seconds pass; returns (timed_out, rc)."""
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    offset, deadline, exit_seen_at = 0, time.monotonic() + timeout, None
    try:
        while proc.poll() is None:
            time.sleep(0.05)
            offset = echo_new(serial_path, offset, quiet)
            if exit_seen_at is None and EXIT in read_text(serial_path):
                exit_seen_at = time.monotonic()
            # The hypervisor said it is done; an emulator that does not power off is killed.
            if exit_seen_at is not None and time.monotonic() - exit_seen_at > 5:
                break
            if time.monotonic() > deadline:
                return True, None
        return False, proc.poll()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        echo_new(serial_path, offset, quiet)


def read_text(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace").replace("\r\n", "\n")
    except FileNotFoundError:
        return ""


def extract_report(text):
    """The JSON object between the markers, or None; plus the RTHV-EXIT verdict or None."""
    report = None
    b, e = text.find(BEGIN), text.find(END)
    if b >= 0 and e > b:
        try:
            report = json.loads(text[b + len(BEGIN):e])
        except ValueError:
            report = None
    verdict = None
    for line in text.splitlines():
        if line.startswith(EXIT):
            verdict = line[len(EXIT):].strip()
    return report, verdict


def default_timeout(args):
    if runs_until_interrupted(args):
        return float("inf")
    seconds = args.duration if args.duration is not None else 0.2
    if args.accel == "bochs":
        # Bochs runs ~60-100 M instructions per wall second in total, for all CPUs.
        return 60 + 3 * seconds * args.ips * args.smp / 50e6
    return 30 + 3 * seconds


def pick_tcg_clock(args):
    """More vCPUs than host cores under multi-threaded TCG means vCPU threads are descheduled
    while holding (or being handed) the scheduler's ticket lock: every hand-off then waits a host
    time slice and the run stalls (lock-holder preemption). Instruction counting runs the vCPUs
    in turn on one thread, which always makes progress; its timings are distorted by spinning,
    so measure with Bochs (or KVM) instead."""
    tests = [t for t in args.cmdline.split() if t.startswith("test=")]
    scheduled = tests in ([], ["test=scenario"])  # only the scheduled scenario shares the lock
    if (args.accel != "tcg" or args.icount is not None or not scheduled
            or args.smp <= (os.cpu_count() or 1)):
        return
    args.icount = 3
    print("rthv run: %d vCPUs on %d host cores: using -icount %d (timings are not "
          "representative; measure under Bochs or KVM)" % (args.smp, os.cpu_count() or 1,
                                                           args.icount), file=sys.stderr)


def main(argv):
    args = parse_args(argv)
    pick_tcg_clock(args)
    missing = emulators.missing_tools(args.accel)
    if missing:
        die("rthv run: missing tools: %s (apt-get install grub-pc-bin xorriso mtools "
                 "qemu-system-x86 bochs bochsbios vgabios)" % " ".join(missing))
    with tempfile.TemporaryDirectory(prefix="rthv-run-") as tmp:
        iso = args.iso or build_iso(args, tmp)
        serial = os.path.join(tmp, "serial.log")
        debugcon = os.path.join(tmp, "debugcon.log")  # QEMU's port 0xE9; Bochs: emulator.log
        if args.accel == "bochs":
            cmd = emulators.bochs_config(tmp, iso, args.smp, args.memory, args.ips,
                                         BOCHS_MODEL, serial, debugcon=bool(args.trace))
        else:
            cmd = emulators.qemu_command(args.accel, iso, args.smp, args.memory, serial,
                                         args.qemu_cpu, args.icount,
                                         debugcon if args.trace else None)
        ctl_path = args.ctl or ctl_link.default_path()
        bridge, ctl_on = None, ctl_link.prepare(ctl_path)
        if not ctl_on:
            print("rthv run: %s is served by another run: no control channel for this one "
                  "(use --ctl PATH)" % ctl_path, file=sys.stderr)
        elif args.accel == "bochs":
            port = ctl_link.free_tcp_port()
            with open(os.path.join(tmp, "bochsrc"), "a") as f:
                f.write(ctl_link.bochs_line(port) + "\n")
            bridge = ctl_link.TcpBridge(ctl_path, port)
        else:
            cmd += ctl_link.qemu_args(ctl_path)
        if ctl_on and not args.quiet:
            print("rthv run: control socket %s (xl talks to it: ./rthv xl list)" % ctl_path)
            sys.stdout.flush()
        timeout = args.timeout or default_timeout(args)
        start = time.monotonic()
        emu_log = os.path.join(tmp, "emulator.log")
        interrupted = False
        try:
            timed_out, rc = run_emulator(cmd, serial, timeout, args.quiet, emu_log)
        except KeyboardInterrupt:  # run_emulator has stopped the emulator
            interrupted, timed_out, rc = True, False, None
        finally:
            if bridge is not None:
                bridge.close()
            elif ctl_on and os.path.exists(ctl_path):
                os.unlink(ctl_path)
        wall = time.monotonic() - start
        text = read_text(serial)
        if args.serial_log:
            with open(args.serial_log, "w") as f:
                f.write(text)
        report, verdict = extract_report(text)
        if report is not None:
            report["accel"] = args.accel
            report["smp"] = args.smp
            report["wall_seconds"] = round(wall, 3)
            if args.accel == "bochs":
                report["ips"] = args.ips
                report["cpu_model"] = BOCHS_MODEL
            else:
                report["cpu_model"] = args.qemu_cpu or ("host" if args.accel == "kvm" else "max")
                if args.icount is not None:
                    report["icount_shift"] = args.icount
        trace_info = None
        if args.trace:
            raw = read_text(emu_log if args.accel == "bochs" else debugcon)
            trace_info = trace_output.write(args.trace, raw, args.build_dir,
                                            os.path.basename(args.config))
            if report is not None:
                report["trace_files"] = trace_info
        if args.json:
            with open(args.json, "w") as f:
                json.dump(report if report is not None else {"accel": args.accel,
                          "result": "no-report"}, f, indent=2)
        if report is not None and not args.quiet:
            scenario_tables.print_tables(report, sys.stdout)
        for line in trace_output.describe(trace_info) if trace_info else []:
            if "ERROR" in line:
                print(line, file=sys.stderr)
            elif not args.quiet:
                print(line)
        if interrupted:
            print("rthv run: stopped by Ctrl-C after %.1f s wall (the hypervisor was still "
                  "running: no end-of-run report)" % wall)
            return 130
        if timed_out:
            print("rthv run: TIMEOUT after %.1f s wall: the emulator was killed (last console "
                  "lines above; emulator log follows)" % wall, file=sys.stderr)
            print(read_text(emu_log)[-2000:], file=sys.stderr)
            return 3
        ok = verdict == "pass" and report is not None and report.get("result") == "pass"
        ok = ok and (trace_info is None or "error" not in trace_info)
        if not ok:
            why = "no report" if report is None else "result %s" % report.get("result")
            if trace_info is not None and "error" in trace_info:
                why += ", trace: " + trace_info["error"]
            print("rthv run: FAIL (%s, RTHV-EXIT %s, emulator status %s, %.1f s wall)"
                  % (why, verdict, rc, wall), file=sys.stderr)
            if verdict is None:
                print(read_text(emu_log)[-2000:], file=sys.stderr)
            return 1
        if not args.quiet:
            print("rthv run: pass (%s, %d CPUs, %.1f s wall)" % (args.accel, args.smp, wall))
        return 0


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctl_link  # noqa: E402
import emulators  # noqa: E402
import scenario_tables  # noqa: E402
import trace_output  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
