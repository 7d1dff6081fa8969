#!/usr/bin/env python3
"""The runner must kill a hung emulator at its wall-clock timeout and fail with status 3."""
import argparse
import os
import subprocess
import sys
import time

RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "run",
                      "rthv_run.py")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--elf", required=True)
    a = p.parse_args()
    start = time.monotonic()
    r = subprocess.run([sys.executable, RUNNER, "--elf", a.elf, "--accel", "tcg", "--smp", "1",
                        "--cmdline", "test=hang", "--timeout", "6", "--quiet"],
                       stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - start
    print(r.stderr)
    errors = []
    if r.returncode != 3:
        errors.append("runner exit status %d, expected 3 (timeout)" % r.returncode)
    if "TIMEOUT" not in r.stderr:
        errors.append("no TIMEOUT message")
    if wall > 20:
        errors.append("took %.1f s: the timeout did not stop the run" % wall)
    for e in errors:
        print("FAIL:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
