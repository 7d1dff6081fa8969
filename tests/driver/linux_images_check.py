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
- cyclictest in the initramfs: /usr/bin/cyclictest is Debian's (root/rt-tests), its PT_INTERP and
  every DT_NEEDED library (recursively) are in the archive (/lib64 -> /lib/x86_64-linux-gnu); on an
  x86-64 Linux host the archive's loader and libraries run it (`cyclictest --help`).
- /bin/cyclictest-report (the parser /init uses): run with the archive's busybox (sh and awk only)
  on real cyclictest output saved in guests/linux/cyclictest-sample*.txt, its figures equal those
  computed here in Python and the values known for the samples; malformed inputs give exit 1,
  nothing on stdout and a message on stderr.
- rthv-report: refuses every bad argument list with exit 2, a message on stderr and nothing on
  stdout (only bad arguments are tried: good ones would try iopl).
"""
import gzip
import os
import platform
import re
import shutil
import struct
import subprocess
import sys
import tempfile

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
entries = {}  # name -> newc entry, when the archive parses
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


# cyclictest and its run-time files in the initramfs.
LIBDIR = "lib/x86_64-linux-gnu"
SAMPLES = {  # file: values known for it (cyclictest 2.4, run on the build host)
    # -m -q -p 80 -i 1000 -l 2000 -h 1000
    "cyclictest-sample.txt": {"cyclictest_min_us": 20, "cyclictest_avg_us": 36,
                              "cyclictest_max_us": 907, "cyclictest_loops": 2000,
                              "cyclictest_overflows": 0, "cyclictest_hist_le_1000": 2000},
    # -m -q -p 80 -i 500 -l 1000 -h 30: most samples overflow the 30 us histogram
    "cyclictest-sample-overflow.txt": {"cyclictest_min_us": 14, "cyclictest_avg_us": 37,
                                       "cyclictest_max_us": 201, "cyclictest_loops": 1000,
                                       "cyclictest_overflows": 486,
                                       "cyclictest_hist_le_1000": 514},
}
BOUNDS = (10, 20, 50, 100, 200, 500, 1000)


def expected_figures(text):
    """What cyclictest-report must print for TEXT, computed independently of it."""
    rows = [tuple(int(x) for x in ln.split()) for ln in text.splitlines()
            if re.fullmatch(r"[0-9]+[ \t]+[0-9]+[ \t]*", ln)]
    assert [k for k, _ in rows] == list(range(len(rows))), "sample rows not 0, 1, 2, ..."

    def summary(label):
        return int(re.search(r"^# " + label + r": ([0-9]+)$", text, re.M).group(1))
    over = summary("Histogram Overflows")
    assert summary("Total") == sum(c for _, c in rows)
    figs = [("cyclictest_min_us", summary("Min Latencies")),
            ("cyclictest_avg_us", summary("Avg Latencies")),
            ("cyclictest_max_us", summary("Max Latencies")),
            ("cyclictest_loops", sum(c for _, c in rows) + over),
            ("cyclictest_overflows", over)]
    figs += [(f"cyclictest_hist_le_{n}", sum(c for k, c in rows if k <= n)) for n in BOUNDS]
    return figs + [("cyclictest_done", 1)]


def body_of(entries, name):
    e = entries.get(name)
    return e[4] if e else None


def resolve(entries, name):
    """NAME in the archive with symlinks followed (absolute targets from the archive's root)."""
    for _ in range(16):
        e = entries.get(name)
        if e is None or (e[1] & 0o170000) != 0o120000:
            return name if e is not None else None
        t = e[4].decode()
        name = t.lstrip("/") if t.startswith("/") else os.path.join(os.path.dirname(name), t)
    return None


if entries:
    ct = body_of(entries, "usr/bin/cyclictest")
    ct_src = os.path.join(out, "root", "rt-tests", "usr", "bin", "cyclictest")
    if check(ct is not None and os.path.isfile(ct_src) and open(ct_src, "rb").read() == ct,
             "/usr/bin/cyclictest is Debian's (root/rt-tests/usr/bin/cyclictest)"):
        check(entries["usr/bin/cyclictest"][1] & 0o111 != 0, "/usr/bin/cyclictest is executable")
        dyn = li.elf64_dynamic(ct)
        interp = (dyn["interp"] or "").strip("/")
        check(interp == "lib64/ld-linux-x86-64.so.2" and
              resolve(entries, interp) == f"{LIBDIR}/ld-linux-x86-64.so.2",
              f"cyclictest's PT_INTERP /{interp} leads to /{LIBDIR}/ld-linux-x86-64.so.2 "
              f"in the archive")
        seen, todo = set(), [("usr/bin/cyclictest", ct)]
        while todo:
            who, body = todo.pop()
            for lib in li.elf64_dynamic(body)["needed"]:
                if lib in seen:
                    continue
                seen.add(lib)
                lb = body_of(entries, f"{LIBDIR}/{lib}")
                if check(lb is not None and lb[:4] == b"\x7fELF",
                         f"/{who} needs {lib}: /{LIBDIR}/{lib} is in the archive"):
                    todo.append((f"{LIBDIR}/{lib}", lb))
        check({"libc.so.6", "libnuma.so.1"} <= seen,
              f"cyclictest's libraries include libc.so.6 and libnuma.so.1 ({sorted(seen)})")
        if platform.system() == "Linux" and platform.machine() == "x86_64":
            with tempfile.TemporaryDirectory() as tmp:
                os.makedirs(os.path.join(tmp, LIBDIR))
                for lib in seen | {"ld-linux-x86-64.so.2"}:
                    with open(os.path.join(tmp, LIBDIR, lib), "wb") as f:
                        f.write(entries[f"{LIBDIR}/{lib}"][4])
                    os.chmod(os.path.join(tmp, LIBDIR, lib), 0o755)
                exe = os.path.join(tmp, "cyclictest")
                with open(exe, "wb") as f:
                    f.write(ct)
                os.chmod(exe, 0o755)
                r = subprocess.run([os.path.join(tmp, LIBDIR, "ld-linux-x86-64.so.2"),
                                    "--library-path", os.path.join(tmp, LIBDIR), exe, "--help"],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
                check(b"cyclictest V" in r.stdout and b"--histogram" in r.stdout,
                      "the archive's loader and libraries run cyclictest --help on this host "
                      f"(got {r.stdout[:80]!r})")

    script = body_of(entries, "bin/cyclictest-report")
    with open(os.path.join(src, "guests", "linux", "cyclictest-report"), "rb") as f:
        check(script == f.read() and entries["bin/cyclictest-report"][1] & 0o111 != 0,
              "/bin/cyclictest-report is guests/linux/cyclictest-report, executable")
    bb = body_of(entries, "bin/busybox")
    if script is not None and bb is not None and platform.system() == "Linux":
        with tempfile.TemporaryDirectory() as tmp:
            # Only the archive's busybox on PATH: sh and awk are busybox's, as in the guest.
            bindir = os.path.join(tmp, "bin")
            os.makedirs(bindir)
            with open(os.path.join(bindir, "busybox"), "wb") as f:
                f.write(bb)
            os.chmod(os.path.join(bindir, "busybox"), 0o755)
            for applet in ("sh", "awk"):
                os.symlink("busybox", os.path.join(bindir, applet))
            parser = os.path.join(tmp, "cyclictest-report")
            with open(parser, "wb") as f:
                f.write(script)
            env = {"PATH": bindir, "LC_ALL": "C"}

            def parse(text):
                return subprocess.run([os.path.join(bindir, "sh"), parser], input=text.encode(),
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                      timeout=30)
            r = subprocess.run([os.path.join(bindir, "sh"), "-c", "awk --help"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            check(b"BusyBox" in r.stdout, "the parser test runs busybox's awk")
            for sample, known in SAMPLES.items():
                with open(os.path.join(src, "guests", "linux", sample)) as f:
                    text = f.read()
                want = expected_figures(text)
                r = parse(text)
                got = [tuple(ln.split(" ")) for ln in r.stdout.decode().splitlines()]
                got = [(g[0], int(g[1])) if len(g) == 2 and re.fullmatch(r"-?[0-9]+", g[1])
                       else g for g in got]
                check(r.returncode == 0 and r.stderr == b"",
                      f"cyclictest-report < {sample}: exit 0, nothing on stderr "
                      f"(got {r.returncode}, {r.stderr[:200]!r})")
                check(got == want, f"cyclictest-report < {sample}: the figures computed here, "
                                   f"in order, cyclictest_done last")
                if got != want:
                    print(f"  got  {got}\n  want {want}")
                gd = dict(want)
                check(all(gd.get(k) == v for k, v in known.items()),
                      f"{sample}: the known values {known}")
                check(all(re.fullmatch(r"[a-z0-9_]{1,31}", n) for n, _ in got),
                      f"cyclictest-report < {sample}: names fit rthv-report ([a-z0-9_]{{1,31}})")
            with open(os.path.join(src, "guests", "linux", "cyclictest-sample.txt")) as f:
                good = f.read()
            bad = {
                "empty input": "",
                "usage text (a refused option; cyclictest exits 0)":
                    "cyclictest V 2.40\nUsage:\ncyclictest <options>\n",
                "cut off after the rows": good[:good.index("# Total")],
                "cut off in the rows": good[:3000],
                "no overflow line": good.replace("# Histogram Overflows: 00000\n", ""),
                "Total not the rows' sum": good.replace("# Total: 000002000", "# Total: 000002001"),
                "a row missing": re.sub(r"(?m)^000005 .*\n", "", good),
                "two threads": re.sub(r"(?m)^([0-9]{6} [0-9]{6})$", "\\1\t000000", good),
                "a non-number": good.replace("# Max Latencies: 00907", "# Max Latencies: 0x90"),
            }
            for what, text in bad.items():
                r = parse(text)
                check(r.returncode == 1 and r.stdout == b"" and b"cyclictest-report:" in r.stderr,
                      f"cyclictest-report refuses {what}: exit 1, no figures, a message "
                      f"(got {r.returncode}, {r.stdout[:60]!r})")

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
