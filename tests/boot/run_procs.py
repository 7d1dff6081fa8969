"""What a run leaves behind, for the boot tests that stop `./rthv run` (issue 11.2): the
emulator processes it started (children of the runner, read from /proc) and whether they are
gone, and the runner's temporary files (TMPDIR pointed at a directory of the test's own)."""
import os
import subprocess
import time


def emulators(pid):
    """PIDs of the emulators (QEMU, Bochs) whose parent is `pid`."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        try:
            with open("/proc/%s/comm" % entry) as f:
                comm = f.read().strip()
        except OSError:
            continue
        if int(fields[1]) == pid and (comm.startswith("qemu") or comm.startswith("bochs")):
            out.append(int(entry))
    return out


def alive(pid):
    """True if `pid` exists and is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_emulators(pid, limit):
    """The runner's emulator once it has started it, or [] after `limit` s."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        found = emulators(pid)
        if found:
            return found
        time.sleep(0.05)
    return []


def wait_gone(pids, limit):
    """True once none of `pids` is alive (waits up to `limit` seconds)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if not any(alive(p) for p in pids):
            return True
        time.sleep(0.1)
    return not any(alive(p) for p in pids)


def leftovers(tmpdir):
    """Whatever the runner left in its TMPDIR."""
    return sorted(os.listdir(tmpdir)) if os.path.isdir(tmpdir) else []


def finish(proc, log, limit):
    """Waits up to `limit` s for the runner (then kills it); returns (status, its output)."""
    try:
        rc = proc.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = proc.wait()
    log.seek(0)
    return rc, log.read()
