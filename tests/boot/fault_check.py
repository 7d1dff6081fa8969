#!/usr/bin/env python3
"""Deliberate-fault boot test: the run must fail, print the fault report (CPU, vector and name,
error code, RIP, RSP, CR2, GPRs) on serial, and count the fault in the JSON report."""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "..", "..", "tools", "run", "rthv_run.py")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--elf", required=True)
    p.add_argument("--accel", default="tcg")
    p.add_argument("--smp", type=int, default=2)
    p.add_argument("--test", required=True, help="test selector, e.g. fault-pf")
    p.add_argument("--vector", type=int, required=True)
    p.add_argument("--cpu", type=int, default=0)
    p.add_argument("--error-code", help="expected error code (hex)")
    p.add_argument("--cr2", help="expected CR2 (hex), or 'rip' for an instruction fetch fault")
    a = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="rthv-fault-test-") as tmp:
        out, log = os.path.join(tmp, "report.json"), os.path.join(tmp, "serial.log")
        rc = subprocess.run([sys.executable, RUNNER, "--elf", a.elf, "--accel", a.accel,
                             "--smp", str(a.smp), "--cmdline", "test=" + a.test, "--json", out,
                             "--serial-log", log, "--quiet"]).returncode
        with open(out) as f:
            report = json.load(f)
        with open(log) as f:
            serial = f.read()
    print(serial)
    errors = []
    if rc != 1:
        errors.append("runner exit status %d, expected 1 (a failed run)" % rc)
    if report.get("result") != "fail" or report.get("faults") != 1:
        errors.append("report result %r faults %r" % (report.get("result"), report.get("faults")))
    m = re.search(r"RTHV-FAULT cpu=(\d+) apic=\d+ vector=(\d+) \(([^)]*)\) error=0x([0-9a-f]+)",
                  serial)
    if not m:
        errors.append("no RTHV-FAULT line")
    else:
        if int(m.group(1)) != a.cpu or int(m.group(2)) != a.vector:
            errors.append("fault on cpu %s vector %s" % (m.group(1), m.group(2)))
        if not m.group(3).strip():
            errors.append("vector has no name")
        if a.error_code is not None and int(m.group(4), 16) != int(a.error_code, 16):
            errors.append("error code 0x%s, expected %s" % (m.group(4), a.error_code))
    regs = dict(re.findall(r"\b(RIP|RSP|CR2|RAX|RBX|RCX|RDX|RSI|RDI|RBP|R8 |R9 |R1[0-5])=([0-9a-f]{16})",
                           serial))
    for reg in ("RIP", "RSP", "CR2", "RAX", "RDI", "R8 ", "R15"):
        if reg not in regs:
            errors.append("register %s missing from the fault report" % reg.strip())
    if a.cr2 == "rip" and regs.get("CR2") != regs.get("RIP"):
        errors.append("CR2 %s != RIP %s for an instruction fetch fault" % (regs.get("CR2"), regs.get("RIP")))
    elif a.cr2 not in (None, "rip") and regs.get("CR2") and int(regs["CR2"], 16) != int(a.cr2, 16):
        errors.append("CR2 %s, expected %s" % (regs["CR2"], a.cr2))
    if "RTHV-EXIT fail" not in serial:
        errors.append("no 'RTHV-EXIT fail' marker")
    for e in errors:
        print("FAIL:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
