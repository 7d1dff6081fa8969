#!/usr/bin/env python3
"""Boot rthv in an emulator, show its console, and judge the run from its own report.

The hypervisor ends every run by printing a JSON report between RTHV-REPORT-BEGIN and
RTHV-REPORT-END and then "RTHV-EXIT pass|fail" on COM1. Bochs cannot pass an exit status
through, so the verdict always comes from those lines, never from the emulator's status.
Exit status: 0 pass, 1 the run failed (report says fail, or no report), 2 usage/setup error,
3 wall-clock timeout (the emulator was killed).
"""
import json
import os
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctl_link  # noqa: E402
import emulators  # noqa: E402
import run_console  # noqa: E402
import run_options  # noqa: E402
import run_stop  # noqa: E402
import scenario_tables  # noqa: E402
import trace_output  # noqa: E402


def die(message):
    """Setup or usage problem (not a failed run): exit status 2."""
    print(message, file=sys.stderr)
    sys.exit(2)


def emulator_command(args, tmp, iso, serial, debugcon):
    if args.accel == "bochs":
        return emulators.bochs_config(tmp, iso, args.smp, args.memory, args.ips,
                                      args.bochs_cpu, serial, debugcon=bool(args.trace))
    return emulators.qemu_command(args.accel, iso, args.smp, args.memory, serial,
                                  args.qemu_cpu, args.icount, debugcon if args.trace else None)


def attach_control_channel(args, tmp, cmd):
    """Connects COM2 to the control socket xl uses; returns (socket path or None, bridge, the
    path's lock or None)."""
    path = args.ctl or ctl_link.default_path()
    lock = ctl_link.prepare(path)
    if lock is None:
        print("rthv run: %s is served by another run: no control channel for this one "
              "(use --ctl PATH)" % path, file=sys.stderr)
        return None, None, None
    bridge = None
    if args.accel == "bochs":  # Bochs' com2 socket mode is TCP only: bridge it
        port = ctl_link.free_tcp_port()
        with open(os.path.join(tmp, "bochsrc"), "a") as f:
            f.write(ctl_link.bochs_line(port) + "\n")
        bridge = ctl_link.TcpBridge(path, port)
    else:
        cmd += ctl_link.qemu_args(path)
    if not args.quiet:
        print("rthv run: control socket %s (xl talks to it: ./rthv xl list)" % path)
        sys.stdout.flush()
    return path, bridge, lock


def describe_platform(args, report):
    """What the runner adds to the hypervisor's report: where it ran."""
    report["accel"] = args.accel
    report["smp"] = args.smp
    if args.accel == "bochs":
        report["ips"] = args.ips
        report["cpu_model"] = args.bochs_cpu
    else:
        report["cpu_model"] = args.qemu_cpu or ("host" if args.accel == "kvm" else "max")
        if args.icount is not None:
            report["icount_shift"] = args.icount


def verdict_of(args, report, verdict, trace_info, rc, wall, emu_log):
    """Exit status of a run that ended (not interrupted, not timed out), with the reason."""
    ok = verdict == "pass" and report is not None and report.get("result") == "pass"
    ok = ok and (trace_info is None or "error" not in trace_info)
    if ok:
        if not args.quiet:
            print("rthv run: pass (%s, %d CPUs, %.1f s wall)" % (args.accel, args.smp, wall))
        return 0
    why = "no report" if report is None else "result %s" % report.get("result")
    if trace_info is not None and "error" in trace_info:
        why += ", trace: " + trace_info["error"]
    print("rthv run: FAIL (%s, RTHV-EXIT %s, emulator status %s, %.1f s wall)"
          % (why, verdict, rc, wall), file=sys.stderr)
    if verdict is None:
        print(run_console.read_text(emu_log)[-2000:], file=sys.stderr)
    return 1


def boot(args, tmp, caveat, stop):
    iso = args.iso or run_console.build_iso(args, tmp)
    serial = os.path.join(tmp, "serial.log")
    debugcon = os.path.join(tmp, "debugcon.log")  # QEMU's port 0xE9; Bochs: emulator.log
    emu_log = os.path.join(tmp, "emulator.log")
    cmd = emulator_command(args, tmp, iso, serial, debugcon)
    ctl_path, bridge, ctl_lock = attach_control_channel(args, tmp, cmd)
    timeout = args.timeout or run_options.default_timeout(args)
    start = time.monotonic()
    orderly = ctl_path is not None and run_options.is_scenario(args) and args.iso is None
    end_run = (lambda: run_stop.ask_end_run(ctl_path)) if orderly else (
        lambda: "the hypervisor serves no control channel in this mode")
    try:
        outcome, rc = run_console.run_emulator(cmd, serial, timeout, args.quiet, emu_log, stop,
                                               end_run, run_options.stop_grace(args))
    finally:
        if bridge is not None:
            bridge.close()
        elif ctl_path is not None and os.path.exists(ctl_path):
            os.unlink(ctl_path)
        if ctl_lock is not None:
            ctl_lock.close()  # the path is free for the next run
    wall = time.monotonic() - start
    text = run_console.read_text(serial)
    if args.serial_log:
        with open(args.serial_log, "w") as f:
            f.write(text)
    report, verdict = run_console.extract_report(text)
    if report is not None:
        describe_platform(args, report)
        report["wall_seconds"] = round(wall, 3)
        if caveat:
            report["platform_caveat"] = caveat
    trace_info = None
    if args.trace:
        raw = run_console.read_text(emu_log if args.accel == "bochs" else debugcon)
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
    if caveat and report is not None and not args.quiet:
        print("rthv run: note: " + caveat)
    if stop.requested:
        if outcome == "killed" or report is None:
            print("rthv run: stopped by %s after %.1f s wall: the emulator was stopped before "
                  "the hypervisor reported (no end-of-run report)" % (stop.name, wall),
                  file=sys.stderr)
            return 128 + stop.signals[0]
        if not args.quiet:
            print("rthv run: stopped by %s after %.1f s wall: the hypervisor ended the run and "
                  "reported" % (stop.name, wall))
    if outcome == "timeout":
        print("rthv run: TIMEOUT after %.1f s wall: the emulator was killed (last console "
              "lines above; emulator log follows)" % wall, file=sys.stderr)
        print(run_console.read_text(emu_log)[-2000:], file=sys.stderr)
        return 3
    return verdict_of(args, report, verdict, trace_info, rc, wall, emu_log)


def main(argv):
    args = run_options.parse_args(argv, __doc__)
    if args.accel_reason and not args.quiet:
        print("rthv run: booting under %s: %s" % (args.accel, args.accel_reason), file=sys.stderr)
    caveat = run_options.pick_tcg_clock(args)
    if caveat and not args.quiet:
        print("rthv run: " + caveat, file=sys.stderr)
    missing = emulators.missing_tools(args.accel)
    if missing:
        die("rthv run: missing tools: %s (apt-get install grub-pc-bin xorriso mtools "
            "qemu-system-x86 bochs bochsbios vgabios)" % " ".join(missing))
    stop = run_stop.StopRequest()
    stop.install()  # before the temporary directory exists: a signal never leaves it behind
    try:
        with tempfile.TemporaryDirectory(prefix="rthv-run-") as tmp:
            try:
                return boot(args, tmp, caveat, stop)
            except run_console.SetupError as e:
                die(str(e))
    except BrokenPipeError:  # the terminal went away (SIGHUP): nothing left to print to
        return 128 + signal.SIGHUP
    finally:
        stop.restore()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
