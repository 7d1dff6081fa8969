#!/usr/bin/env python3
"""Issue 11.5: `./rthv xl ARGS` prints exactly what the xl binary prints when nothing needs
rebuilding: no build progress on stderr. Compared byte for byte (stdout, stderr, status) with
the binary itself, for a command that succeeds and one that fails."""
import os
import subprocess
import sys


def run(cmd, env):
    r = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=300)
    return r.returncode, r.stdout, r.stderr


def main():
    top, build = sys.argv[1], sys.argv[2]
    env = dict(os.environ, RTHV_BUILD_DIR=build,
               RTHV_CTL=os.path.join(build, "no-such-hypervisor.sock"))
    xl = os.path.join(build, "tools", "xl", "xl")
    bad = 0
    for argv in (["help"], ["list"]):
        want = run([xl] + argv, env)
        got = run([os.path.join(top, "rthv"), "xl"] + argv, env)
        same = got == want
        bad += not same
        print("%s ./rthv xl %s: status %d, %d bytes out, %d bytes err%s"
              % ("ok  " if same else "FAIL", " ".join(argv), got[0], len(got[1]), len(got[2]),
                 "" if same else "\n  got stderr: %r\n  xl's stderr: %r" % (got[2][:500],
                                                                          want[2][:500])))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
