#!/usr/bin/env python3
"""The runner's trace file names (tools/run/trace_output.paths) against the table the C++ rule
is tested with (trace_paths_cases.txt): `./rthv run --trace`, `xl trace` and `rtds-sim --trace`
name their files alike."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "tools", "run"))
import trace_output  # noqa: E402


def main():
    cases, bad = 0, []
    with open(os.path.join(HERE, "trace_paths_cases.txt")) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            named, *expected = line.split()
            got = list(trace_output.paths(named))
            if got != expected:
                bad.append("%s: got %s, want %s" % (named, got, expected))
            cases += 1
    for b in bad:
        print("trace_paths_check: FAIL: " + b)
    print("trace_paths_check: %d cases, %d wrong" % (cases, len(bad)))
    return 1 if bad or cases < 9 else 0


if __name__ == "__main__":
    sys.exit(main())
