#!/usr/bin/env python3
"""End to end: `xl trace` against a running hypervisor (QEMU TCG, AMD-V, -icount 3, like
test_ctl_check.py), issue 6.

  --mode start-stop  boots without trace=1: xl trace starts tracing, reads the rings, stops it
                     again; twice (a second session after a stop works). Refused trace requests
                     (unknown pCPU, bad length, stop when off, a position outside the ring) get
                     error replies and change nothing.
  --mode union       boots with trace=1 and `--for S --trace END`: xl trace drains the rings
                     while the run goes on, then every domain is paused (so the rings cannot
                     overflow while the run lasts), the end-of-run drain over port 0xE9 takes
                     the rest.
                     The union's run slices per VCPU equal the report's dispatches (nothing
                     lost, nothing duplicated), and the hypervisor says it handed xl exactly
                     the records xl wrote.

Both: the Perfetto JSON parses with one pCPU track per CPU, the SVG is well-formed with one
cpu-row per pCPU, every VCPU that ran has slices, no record was dropped (footer and xl's
output), and the hypervisor still answers `xl list` afterwards.
"""
import argparse
import collections
import json
import os
import signal
import struct
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "..", "..", "tools", "run", "rthv_run.py")
sys.path.insert(0, HERE)
import ctl_client  # noqa: E402  (puts tools/run on the path)
import guest_check  # noqa: E402
import run_procs  # noqa: E402
import trace_output  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
TRACE_CONTROL, TRACE_READ = 0x0C, 0x0D
CHECKS = guest_check.Checker(verbose=True)  # prints every check as it is made
check, failures = CHECKS.check, CHECKS.errors


def xl(args, sock, *argv, timeout=60):
    r = subprocess.run([args.xl] + list(argv), env=dict(os.environ, RTHV_CTL=sock),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)
    return r.returncode, r.stdout, r.stderr


def wait_ready(args, sock, proc, limit):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        if os.path.exists(sock) and xl(args, sock, "list")[0] == 0:
            return True
        time.sleep(0.2)
    return False


def records(path):
    with open(path) as f:
        return [line for line in f if line[:1].isdigit()]


def slices_per_vcpu(args, trace):
    out = subprocess.run([args.rthv_trace, trace, "--summary"], stdout=subprocess.PIPE,
                         text=True, check=True).stdout
    return {w[1]: int(w[2]) for w in (line.split() for line in out.splitlines())
            if w[0] == "slices"}


def check_pictures(path, cpus):
    """JSON: one pCPU track per CPU; SVG: one cpu-row per pCPU; returns slices per VCPU."""
    _, perfetto, svg = trace_output.paths(path)  # tools/trace/trace_paths.hpp's rule
    with open(perfetto) as f:
        data = json.load(f)
    events = data["traceEvents"]
    tracks = {e["tid"] for e in events
              if e["ph"] == "M" and e["name"] == "thread_name" and e["pid"] == 1}
    check(tracks == set(range(cpus)), "%s: one Perfetto pCPU track per CPU: %s"
          % (os.path.basename(path), sorted(tracks)))
    check(data["otherData"]["dropped"] == [0] * cpus, "Perfetto otherData.dropped is all zero")
    root = ET.parse(svg).getroot()
    rows = sorted(int(g.get("data-cpu")) for g in root.iter(SVG + "g")
                  if g.get("class") == "cpu-row")
    check(rows == list(range(cpus)), "the SVG has one cpu-row per pCPU: %s" % rows)
    return collections.Counter(e["name"] for e in events if e["ph"] == "X")


def check_xl_trace(args, sock, path, names):
    start = time.monotonic()
    rc, out, err = xl(args, sock, "trace", "-T", str(args.seconds), path)
    took = time.monotonic() - start
    check(rc == 0, "xl trace -T %s (rc %d, %.1f s): %s%s" % (args.seconds, rc, took, out, err))
    if rc != 0:
        return None
    check("none dropped" in out, "xl trace says nothing was dropped")
    with open(path) as f:
        text = f.read()
    footer = [int(line.split()[2]) for line in text.splitlines() if line.startswith("dropped ")]
    check(text.startswith("# rthv-trace 1\ncpus %d\n" % args.smp) and text.endswith("\nend\n"),
          "the trace has its header and end line")
    check(footer == [0] * args.smp, "footer: no drops on any of %d rings: %s" % (args.smp, footer))
    slices = check_pictures(path, args.smp)
    ran = [n for n in names if slices.get(n, 0) > 0]
    check(sorted(ran) == sorted(names), "every VCPU has run slices in the trace: %s"
          % dict(slices))
    n = len(records(path))
    print("     %d records, %d bytes in %.2f s wall" % (n, os.path.getsize(path), took))
    return n


def error_code(sock, msg_type, payload):
    try:
        ctl_client.request(sock, msg_type, payload)
        return 0
    except RuntimeError as e:
        return int(str(e).split()[-1])


def status(sock):
    return struct.unpack("<BII", ctl_client.request(sock, TRACE_CONTROL, b"\0"))


def positions(sock, cpus):
    """Each ring's reader position (a read of no records from wherever it stands)."""
    return [struct.unpack_from("<IQ", ctl_client.request(
        sock, TRACE_READ, struct.pack("<IQH", c, 2**64 - 1, 0)))[1] for c in range(cpus)]


def refusals(sock, cpus):
    """Bad trace requests are refused with the right code and change nothing."""
    before = status(sock), positions(sock, cpus)
    check(before[0][0] == 0 and before[0][1] == cpus, "tracing is off, %d rings: %s"
          % (cpus, before))
    check(error_code(sock, TRACE_CONTROL, b"\2") == 15, "stop when off: BadState")
    check(error_code(sock, TRACE_CONTROL, b"\7") == 5, "unknown operation: BadField")
    check(error_code(sock, TRACE_CONTROL, b"") == 4, "TraceControl without op: BadLength")
    check(error_code(sock, TRACE_READ, struct.pack("<IQH", cpus, 2**64 - 1, 8)) == 17,
          "read of pCPU %d: NoSuchCpu" % cpus)
    check(error_code(sock, TRACE_READ, struct.pack("<IQH", 0, 2**64 - 1, 256)) == 5,
          "read of 256 records: BadField")
    check(error_code(sock, TRACE_READ, struct.pack("<IQ", 0, 0)) == 4, "short read: BadLength")
    check(error_code(sock, TRACE_READ, struct.pack("<IQH", 0, 2**40, 8)) == 5,
          "read beyond the records held: BadField")
    check((status(sock), positions(sock, cpus)) == before, "the refusals changed nothing")
    ctl_client.request(sock, TRACE_CONTROL, b"\1")
    check(error_code(sock, TRACE_CONTROL, b"\1") == 15, "start when on: BadState")
    ctl_client.request(sock, TRACE_CONTROL, b"\2")
    check(status(sock)[0] == 0, "stopped again")


def vcpu_dispatches(report):
    per_domain = collections.Counter(v["domain"] for v in report["vcpus"])
    return {(v["domain"] if per_domain[v["domain"]] == 1 else "%s.%d" % (v["domain"], v["vcpu"])):
            v["dispatches"] for v in report["vcpus"]}


def config_names(path):
    names, vcpus, name = [], [], None
    for line in open(path):
        line = line.split("#")[0].strip()
        if line == "[domain]":
            vcpus.append(1)
            names.append(None)
        elif "=" in line:
            k, v = (x.strip().strip('"') for x in line.split("=", 1))
            if k == "name":
                names[-1] = v
            elif k == "vcpus":
                vcpus[-1] = int(v)
    return [n if c == 1 else "%s.%d" % (n, i) for n, c in zip(names, vcpus) for i in range(c)]


def merge(xl_trace, end_trace, out):
    """xl's records, then the end-of-run drain's: each ring's records stay in push order (xl
    read every ring's older part), so a CPU's picks, and with them its slices, come out whole."""
    with open(end_trace) as f:
        end = f.read().splitlines(keepends=True)
    head = [line for line in end if line.startswith(("#", "cpus ", "name "))]
    tail = [line for line in end if line.startswith(("dropped ", "end"))]
    with open(out, "w") as f:
        f.writelines(head + records(xl_trace) + records(end_trace) + tail)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--elf", required=True)
    p.add_argument("--xl", required=True)
    p.add_argument("--rthv-trace", required=True)
    p.add_argument("--build-dir", required=True)
    p.add_argument("--config", required=True)
    p.add_argument("--mode", choices=("start-stop", "union"), required=True)
    p.add_argument("--smp", type=int, default=2)
    p.add_argument("--seconds", default="1.5", help="xl trace -T")
    p.add_argument("--for", dest="duration", default="12", help="union: emulated run length")
    args = p.parse_args()
    names = config_names(args.config)
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="rthv-xltrace-") as tmp:
        sock = os.path.join(tmp, "ctl.sock")
        report_path, end_trace = os.path.join(tmp, "report.json"), os.path.join(tmp, "end.rthvt")
        cmd = [sys.executable, RUNNER, "--elf", args.elf, "--build-dir", args.build_dir,
               "--accel", "tcg", "--qemu-cpu", "EPYC", "--smp", str(args.smp), "--icount", "3",
               "--config", args.config, "--ctl", sock]
        if args.mode == "union":
            cmd += ["--for", args.duration, "--trace", end_trace, "--json", report_path,
                    "--timeout", "100"]
        log = open(os.path.join(tmp, "run.log"), "w+")
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        try:
            check(wait_ready(args, sock, proc, 40), "the hypervisor answers on " + sock)
            if not failures and args.mode == "start-stop":
                refusals(sock, args.smp)
                for i in (1, 2):
                    check_xl_trace(args, sock, os.path.join(tmp, "xl%d.rthvt" % i), names)
                    check(status(sock)[0] == 0, "session %d: xl trace stopped the tracing it "
                          "started" % i)
            elif not failures:
                ctl_records = check_xl_trace(args, sock, os.path.join(tmp, "xl.rthvt"), names)
                check(status(sock)[0] == 1, "tracing from boot (trace=1) is still on")
            rc, out, _ = xl(args, sock, "list")
            check(rc == 0 and all(n.split(".")[0] in out for n in names),
                  "the hypervisor still answers xl list:\n" + out)
            if args.mode == "union" and not failures:
                # Paused domains stop producing records, so the rings cannot overflow before
                # the run ends, however long that takes in wall-clock time. (With every CPU
                # idle, -icount's emulated time then races to the end of the run: nothing may
                # come after the pauses.)
                for dom in sorted({n.split(".")[0] for n in names}):
                    check(xl(args, sock, "pause", dom)[0] == 0 or proc.poll() is not None,
                          "xl pause " + dom)
        finally:
            if args.mode == "start-stop" and proc.poll() is None:
                proc.send_signal(signal.SIGINT)
            rc, text = run_procs.finish(proc, log, 100)
        if args.mode == "union" and not failures:
            check(rc == 0, "the run ended with its report (rc %d)" % rc)
            with open(report_path) as f:
                report = json.load(f)
            hv = report["trace"]
            check(hv["dropped_total"] == 0, "the hypervisor dropped nothing: %s" % hv["dropped"])
            check(hv["ctl_records"] == ctl_records,
                  "the hypervisor handed xl exactly the %d records xl wrote (it says %d)"
                  % (ctl_records, hv["ctl_records"]))
            check(hv["records"] == len(records(end_trace)),
                  "the end-of-run drain holds the other %d records" % hv["records"])
            union = os.path.join(tmp, "union.rthvt")
            merge(os.path.join(tmp, "xl.rthvt"), end_trace, union)
            want = vcpu_dispatches(report)
            got = slices_per_vcpu(args, union)
            check(sum(want.values()) > 0 and got == want,
                  "run slices per VCPU of xl's trace + the end-of-run drain == the report's "
                  "dispatches:\n     union  %s\n     report %s" % (sorted(got.items()),
                                                                    sorted(want.items())))
        if failures:
            print(text[-3000:])
    print("wall %.1f s" % (time.monotonic() - start))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
