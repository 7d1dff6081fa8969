#!/usr/bin/env python3
"""guests.linux_images: the Linux guest images the build made (guests/linux/README.md) are there
and right. Fails on any missing or wrong artefact.

  linux_images_check.py SOURCE_DIR OUT_DIR   (OUT_DIR: build/guests/linux)

- vmlinux: ELF64 x86-64 executable with PT_LOADs and the Xen note XEN_ELFNOTE_PHYS32_ENTRY (18)
  (read by guests/linux/linux_images.py and, independently, by readelf -n); vmlinux.gz
  decompresses to the same bytes.
- initramfs.cpio.gz: newc, lists init, bin/busybox, bin/rthv-report, bin/sh, dev/console
  (read by linux_images.py and, independently, by cpio -t); /init is guests/linux/init, the two
  programs are the built ones; names sorted and mtimes fixed (reproducible).
- rthv-report: refuses every bad argument list with exit 2, a message on stderr and nothing on
  stdout (only bad arguments are tried: good ones would try iopl).
"""
import gzip
import os
import struct
import subprocess
import sys

src, out = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(src, "guests", "linux"))
import linux_images as li  # noqa: E402

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)
    return cond


def read(name):
    p = os.path.join(out, name)
    if not check(os.path.isfile(p) and os.path.getsize(p) > 0, f"{name} exists and is not empty"):
        print(f"  missing: {p} (build the target linux_guest_images)")
        return None
    with open(p, "rb") as f:
        return f.read()


# vmlinux
vmlinux = read("vmlinux")
if vmlinux is not None:
    try:
        info = li.elf64_info(vmlinux)
        check(info["type"] == 2, "vmlinux is an ELF64 x86-64 executable (ET_EXEC)")
        check(len(info["loads"]) >= 1, f"vmlinux has PT_LOAD segments ({len(info['loads'])})")
        entry = li.pvh_entry(info)
        if check(entry is not None, "vmlinux has the PVH note (Xen, type 18)"):
            inside = any(p <= entry < p + m for (_o, _v, p, _f, m, _fl) in info["loads"])
            check(inside, f"PVH entry {entry:#x} lies in a PT_LOAD's physical range")
    except li.ImageError as e:
        check(False, f"vmlinux parses as ELF64 x86-64: {e}")
    r = subprocess.run(["readelf", "-nW", os.path.join(out, "vmlinux")], stdout=subprocess.PIPE,
                       text=True)
    xen18 = any("Xen" in ln and "0x00000012" in ln for ln in r.stdout.splitlines())
    check(r.returncode == 0 and xen18, "readelf -n shows a Xen note of type 0x12")
    gz = read("vmlinux.gz")
    if gz is not None:
        check(gzip.decompress(gz) == vmlinux, "vmlinux.gz decompresses to vmlinux")
        check(gz[4:8] == b"\0\0\0\0", "vmlinux.gz has no timestamp (reproducible)")

# initramfs
initramfs = read("initramfs.cpio.gz")
report_bin = read("rthv-report")
if initramfs is not None:
    cpio = gzip.decompress(initramfs)
    check(initramfs[4:8] == b"\0\0\0\0", "initramfs.cpio.gz has no timestamp (reproducible)")
    try:
        listing = li.read_newc(cpio)
        entries = {e[0]: e for e in listing}
        names = [e[0] for e in listing]
        check(names == sorted(names), "initramfs names are sorted")
        for must in ("init", "bin/busybox", "bin/rthv-report", "bin/sh", "bin/cttyhack",
                     "usr/bin/setsid", "dev/console", "dev/ttyS0", "proc", "sys"):
            check(must in entries, f"initramfs holds /{must}")
        with open(os.path.join(src, "guests", "linux", "init"), "rb") as f:
            check(entries.get("init", (0,) * 4 + (b"",))[4] == f.read(),
                  "/init is guests/linux/init")
        check(entries.get("init", (0, 0))[1] & 0o111 != 0, "/init is executable")
        if report_bin is not None:
            check(entries.get("bin/rthv-report", (0,) * 4 + (b"",))[4] == report_bin,
                  "/bin/rthv-report is the built rthv-report")
        busybox = entries.get("bin/busybox", (0,) * 4 + (b"",))[4]
        check(busybox[:4] == b"\x7fELF" and li.elf64_info(busybox)["type"] == 2,
              "/bin/busybox is an x86-64 ELF executable")
        console = entries.get("dev/console", (0, 0, 0, 0))
        check((console[1] & 0o170000) == 0o020000 and console[2:4] == (5, 1),
              "/dev/console is char 5,1")
        mtimes = {e[5] for e in entries.values()}
        check(len(mtimes) == 1, f"every entry has the same fixed mtime ({sorted(mtimes)[:3]})")
    except li.ImageError as e:
        check(False, f"initramfs parses as newc cpio: {e}")
    r = subprocess.run(["cpio", "-t", "--quiet"], input=cpio, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    listed = r.stdout.decode().split()
    check(r.returncode == 0 and {"init", "bin/busybox", "bin/rthv-report"} <= set(listed),
          "cpio -t lists init, bin/busybox, bin/rthv-report")

# rthv-report: argument checks only (they come before iopl).
if report_bin is not None:
    check(report_bin[:4] == b"\x7fELF" and li.elf64_info(report_bin)["type"] == 2,
          "rthv-report is a static x86-64 ELF executable")
    check(struct.unpack_from("<H", report_bin, 16)[0] == 2 and b"ld-linux" not in report_bin,
          "rthv-report needs no dynamic loader")
    bad = [[], ["ready"], ["ready", "1", "2"], ["", "1"], ["Ready", "1"], ["rea-dy", "1"],
           ["a" * 32, "1"], ["ready", ""], ["ready", "-"], ["ready", "1x"], ["ready", "+1"],
           ["ready", "1.5"], ["ready", " 1"], ["ready", "0x10"], ["ready", "9223372036854775808"],
           ["ready", "-9223372036854775809"], ["ready", "99999999999999999999999"]]
    for args in bad:
        r = subprocess.run([os.path.join(out, "rthv-report")] + args, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        check(r.returncode == 2 and r.stdout == b"" and b"usage: rthv-report" in r.stderr,
              f"rthv-report {args!r} refused with exit 2 and a message (got {r.returncode})")

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("all checks passed")
