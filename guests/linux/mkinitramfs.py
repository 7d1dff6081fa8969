#!/usr/bin/env python3
"""The Linux guest's initramfs: a reproducible newc cpio archive, gzip-compressed.

  mkinitramfs.py --busybox BUSYBOX --init INIT --report RTHV_REPORT --out initramfs.cpio.gz
                 [--add DEST=SRC ...] [--lib-root DIR ...]

Written here rather than by cpio(1) so that device nodes need no root (mknod) and the archive is
the same bytes for the same inputs: names sorted, owner root, mtime 0 (or SOURCE_DATE_EPOCH),
inode numbers in name order, gzip without name or time. Contents:
  /init, /bin/busybox, /bin/rthv-report; a symlink to /bin/busybox for each applet it lists
  (busybox --list-full, run on the build host; a fixed list when it cannot run there);
  /dev/console, /dev/ttyS0, /dev/null nodes; empty /proc, /sys, /tmp, /root;
  each --add file at DEST (mode 0755 when SRC is executable, else 0644). A dynamically linked
  --add ELF (cyclictest from Debian's rt-tests) brings what it needs at run time: every DT_NEEDED
  library, recursively, found in DIR/lib/x86_64-linux-gnu or DIR/usr/lib/x86_64-linux-gnu of a
  --lib-root (trees unpacked from Debian's libc6, libnuma1), stored as a file
  /lib/x86_64-linux-gnu/<needed name>; its PT_INTERP (/lib64/ld-linux-x86-64.so.2) as a symlink to
  the loader there, as Debian has it. A library no --lib-root holds stops the build.
"""
import argparse
import gzip
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import linux_images as li  # noqa: E402

# Applets /init needs, for a host that cannot run busybox (busybox --list-full is preferred).
FALLBACK_APPLETS = ["bin/sh", "bin/ash", "bin/cat", "bin/echo", "bin/mount", "bin/sleep", "bin/ls",
                    "bin/dmesg", "bin/setsid", "bin/cttyhack", "bin/grep", "bin/ps", "sbin/poweroff",
                    "sbin/reboot", "usr/bin/nproc", "usr/bin/setsid", "usr/bin/cut", "usr/bin/top"]

S_IFDIR, S_IFREG, S_IFLNK, S_IFCHR = 0o040000, 0o100000, 0o120000, 0o020000
LIBDIR = "lib/x86_64-linux-gnu"  # where Debian's loader looks without an ld.so.cache


def newc(ino, name, mode, body=b"", nlink=1, rdev=(0, 0), mtime=0):
    nb = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, nlink, mtime, len(body), 0, 0, rdev[0], rdev[1], len(nb), 0]
    hdr = b"070701" + b"".join(b"%08X" % f for f in fields) + nb
    hdr += b"\0" * (-len(hdr) % 4)
    return hdr + body + b"\0" * (-len(body) % 4)


def applets(busybox):
    try:
        out = subprocess.run([busybox, "--list-full"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, check=True, timeout=30).stdout.decode().split()
        if "bin/sh" in out:
            return out
    except (OSError, subprocess.SubprocessError):
        pass
    print("mkinitramfs: warning: cannot run busybox --list-full here; using a fixed applet list",
          file=sys.stderr)
    return FALLBACK_APPLETS


def in_tree(root, rel):
    """ROOT/REL with symlinks followed inside ROOT (Debian's absolute links such as
    lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/... point into the unpacked tree, not at
    the host); None when it does not end at a regular file."""
    path = os.path.join(root, rel)
    for _ in range(16):
        if os.path.islink(path):
            t = os.readlink(path)
            path = os.path.join(root, t.lstrip("/")) if t.startswith("/") else \
                os.path.join(os.path.dirname(path), t)
            continue
        return path if os.path.isfile(path) else None
    return None


def find_library(name, lib_roots):
    for root in lib_roots:
        for sub in (LIBDIR, "usr/" + LIBDIR):
            p = in_tree(root, os.path.join(sub, name))
            if p:
                return p
    return None


def runtime_files(dest, data, lib_roots, entries, read):
    """Adds to ENTRIES what the ELF DATA (stored at DEST) needs to run: its libraries
    (recursively) and its loader. Returns the names added."""
    added = []
    todo = [(dest, data)]
    while todo:
        who, body = todo.pop()
        try:
            dyn = li.elf64_dynamic(body)
        except li.ImageError:
            continue  # not an ELF64 x86-64 file: a script or data
        needed = list(dyn["needed"])
        if dyn["interp"]:
            interp = dyn["interp"].strip("/")
            loader = os.path.basename(interp)
            if interp != f"{LIBDIR}/{loader}" and interp not in entries:
                entries[interp] = (S_IFLNK | 0o777, f"/{LIBDIR}/{loader}".encode(), (0, 0))
                added.append(interp)
            needed.append(loader)
        for name in needed:
            target = f"{LIBDIR}/{name}"
            if target in entries:
                continue
            src = find_library(name, lib_roots)
            if src is None:
                sys.exit(f"mkinitramfs: error: /{who} needs {name}, which is in no --lib-root "
                         f"({', '.join(lib_roots) or 'none given'}; looked in {LIBDIR} and "
                         f"usr/{LIBDIR})")
            lib = read(src)
            entries[target] = (S_IFREG | 0o755, lib, (0, 0))
            added.append(target)
            todo.append((target, lib))
    return added


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--busybox", required=True)
    ap.add_argument("--init", required=True)
    ap.add_argument("--report", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--add", action="append", default=[], metavar="DEST=SRC",
                    help="a file to put at DEST (path in the archive), with what it needs to run")
    ap.add_argument("--lib-root", action="append", default=[], metavar="DIR",
                    help="an unpacked tree to take shared libraries from")
    a = ap.parse_args()
    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))

    def read(p):
        with open(p, "rb") as f:
            return f.read()

    entries = {  # name -> (mode, body, rdev)
        "init": (S_IFREG | 0o755, read(a.init), (0, 0)),
        "bin/busybox": (S_IFREG | 0o755, read(a.busybox), (0, 0)),
        "bin/rthv-report": (S_IFREG | 0o755, read(a.report), (0, 0)),
        "dev/console": (S_IFCHR | 0o600, b"", (5, 1)),
        "dev/ttyS0": (S_IFCHR | 0o660, b"", (4, 64)),
        "dev/null": (S_IFCHR | 0o666, b"", (1, 3)),
    }
    extra = []
    for spec in a.add:
        dest, sep, src = spec.partition("=")
        dest = dest.strip("/")
        if not sep or not dest or not src:
            sys.exit(f"mkinitramfs: error: --add {spec!r}: expected DEST=SRC")
        body = read(src)
        entries[dest] = (S_IFREG | (0o755 if os.access(src, os.X_OK) else 0o644), body, (0, 0))
        extra.append(dest)
        extra += runtime_files(dest, body, a.lib_root, entries, read)
    for d in ("proc", "sys", "tmp", "root"):
        entries[d] = (S_IFDIR | (0o1777 if d == "tmp" else 0o755), b"", (0, 0))
    for path in applets(a.busybox):
        path = path.strip("/")
        if path and path not in entries:
            entries[path] = (S_IFLNK | 0o777, b"/bin/busybox", (0, 0))
    for name in list(entries):  # every parent folder
        parts = name.split("/")
        for i in range(1, len(parts)):
            entries.setdefault("/".join(parts[:i]), (S_IFDIR | 0o755, b"", (0, 0)))

    blob = bytearray()
    for ino, name in enumerate(sorted(entries), start=1):
        mode, body, rdev = entries[name]
        nlink = 2 if (mode & 0o170000) == S_IFDIR else 1
        blob += newc(ino, name, mode, body, nlink=nlink, rdev=rdev, mtime=mtime)
    blob += newc(0, "TRAILER!!!", 0)
    blob += b"\0" * (-len(blob) % 512)

    tmp = a.out + ".tmp"
    with open(tmp, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as g:
            g.write(bytes(blob))
    os.replace(tmp, a.out)
    if extra:
        print(f"mkinitramfs: added {', '.join('/' + n for n in extra)}")
    print(f"mkinitramfs: {len(entries)} entries, cpio {len(blob)} bytes, "
          f"{a.out} {os.path.getsize(a.out)} bytes")


if __name__ == "__main__":
    main()
