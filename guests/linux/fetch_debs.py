#!/usr/bin/env python3
"""Fetch the Debian packages a Linux guest is made of and extract them into the build tree.

Nothing is installed on the host: `apt-get download` puts the .deb files in DEBDIR (a writable
folder of the build tree) and `dpkg-deb -x` unpacks each one into ROOTDIR/<package>/.

  fetch_debs.py --deb-dir DEBDIR --root-dir ROOTDIR --stamp STAMP

The kernel is taken through its metapackage (linux-image-cloud-amd64): its Depends names the real
package (linux-image-6.1.0-NN-cloud-amd64), which is downloaded and extracted as `kernel`.
busybox-static is extracted as `busybox`; rt-tests (cyclictest) and the libraries cyclictest needs
at run time, libc6 and libnuma1, as `rt-tests`, `libc6`, `libnuma1` (mkinitramfs.py takes
cyclictest's DT_NEEDED libraries from those two trees and fails if one is missing).
STAMP records what was fetched (JSON: packages, versions, .deb sizes, seconds). When STAMP
exists and all five trees are there, nothing is downloaded
(the cache: delete STAMP to fetch the newest packages again). Any failure ends with a message
naming the package and the command to retry.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

KERNEL_META = "linux-image-cloud-amd64"
BUSYBOX = "busybox-static"
# cyclictest (package rt-tests) and its run-time libraries: cyclictest 2.4 needs librt.so.1,
# libpthread.so.0, libc.so.6 and the loader (libc6) and libnuma.so.1 (libnuma1). rt-tests' Depends
# also names python3, for other tools of the package: not taken.
EXTRA = ["rt-tests", "libc6", "libnuma1"]
TREES = ["kernel", "busybox"] + EXTRA


def die(msg):
    print(f"fetch_debs: error: {msg}", file=sys.stderr)
    sys.exit(1)


def run(cmd, cwd=None, what=None):
    try:
        r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except FileNotFoundError:
        die(f"{cmd[0]} not found: this step needs Debian's apt and dpkg "
            f"(what: {what or ' '.join(cmd)})")
    if r.returncode != 0:
        retry = f"(cd {cwd} && {' '.join(cmd)})" if cwd else " ".join(cmd)
        die(f"{what or cmd[0]} failed (exit {r.returncode}): {r.stderr.strip()}\n"
            f"  retry by hand with: {retry}\n"
            f"  (the package lists may be stale: apt-get update)")
    return r.stdout


def download(pkg, deb_dir):
    """apt-get download PKG into deb_dir; returns the .deb path (newest matching file)."""
    before = set(os.listdir(deb_dir))
    run(["apt-get", "download", "-q", pkg], cwd=deb_dir, what=f"downloading Debian package {pkg}")
    debs = [f for f in os.listdir(deb_dir) if f.startswith(pkg + "_") and f.endswith(".deb")]
    new = [f for f in debs if f not in before] or debs
    if not new:
        die(f"apt-get download {pkg} left no {pkg}_*.deb in {deb_dir}\n"
            f"  retry by hand with: (cd {deb_dir} && apt-get download {pkg})")
    new.sort(key=lambda f: os.path.getmtime(os.path.join(deb_dir, f)))
    return os.path.join(deb_dir, new[-1])


def deb_field(deb, field):
    return run(["dpkg-deb", "-f", deb, field], what=f"dpkg-deb -f {deb} {field}").strip()


def resolve_kernel(deb_dir):
    """The real kernel package the metapackage depends on (downloads the small metapackage)."""
    meta = download(KERNEL_META, deb_dir)
    depends = deb_field(meta, "Depends")
    names = [d.strip().split()[0] for alt in depends.split(",") for d in alt.split("|")]
    pattern = r"linux-image-[0-9][0-9.]*-[0-9]+-cloud-amd64(-unsigned)?"
    real = [n for n in names if re.fullmatch(pattern, n)]
    if not real:
        die(f"{KERNEL_META}'s Depends ({depends!r}) names no "
            f"linux-image-<version>-cloud-amd64 package\n"
            f"  look with: apt-cache depends {KERNEL_META}")
    return real[0], os.path.basename(meta)


def extract(deb, dest):
    tmp = dest + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    run(["dpkg-deb", "-x", deb, tmp], what=f"dpkg-deb -x {deb} {tmp}")
    shutil.rmtree(dest, ignore_errors=True)
    os.rename(tmp, dest)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--deb-dir", required=True)
    ap.add_argument("--root-dir", required=True)
    ap.add_argument("--stamp", required=True)
    a = ap.parse_args()
    os.makedirs(a.deb_dir, exist_ok=True)
    os.makedirs(a.root_dir, exist_ok=True)

    if os.path.exists(a.stamp):
        with open(a.stamp) as f:
            old = json.load(f)
        ok = all(os.path.isdir(os.path.join(a.root_dir, k)) for k in TREES)
        if ok and old.get("debs"):
            os.utime(a.stamp)  # newer than this script, so the build does not ask again
            print(f"fetch_debs: cached ({', '.join(old['debs'].values())}); "
                  f"remove {a.stamp} to fetch again")
            return

    t0 = time.monotonic()
    kernel_pkg, meta_deb = resolve_kernel(a.deb_dir)
    kernel_deb = download(kernel_pkg, a.deb_dir)
    busybox_deb = download(BUSYBOX, a.deb_dir)
    extra_debs = {pkg: download(pkg, a.deb_dir) for pkg in EXTRA}
    t1 = time.monotonic()
    extract(kernel_deb, os.path.join(a.root_dir, "kernel"))
    extract(busybox_deb, os.path.join(a.root_dir, "busybox"))
    for pkg, deb in extra_debs.items():
        extract(deb, os.path.join(a.root_dir, pkg))
    t2 = time.monotonic()

    info = {
        "debs": {"meta": meta_deb, "kernel": os.path.basename(kernel_deb),
                 "busybox": os.path.basename(busybox_deb),
                 **{pkg: os.path.basename(deb) for pkg, deb in extra_debs.items()}},
        "kernel_package": kernel_pkg,
        "kernel_version": deb_field(kernel_deb, "Version"),
        "busybox_version": deb_field(busybox_deb, "Version"),
        "extra_versions": {pkg: deb_field(deb, "Version") for pkg, deb in extra_debs.items()},
        "deb_bytes": {"kernel": os.path.getsize(kernel_deb),
                      "busybox": os.path.getsize(busybox_deb),
                      **{pkg: os.path.getsize(deb) for pkg, deb in extra_debs.items()}},
        "download_s": round(t1 - t0, 2),
        "extract_s": round(t2 - t1, 2),
    }
    print(f"fetch_debs: {kernel_pkg} {info['kernel_version']} ({info['deb_bytes']['kernel']} bytes), "
          f"{BUSYBOX} {info['busybox_version']} ({info['deb_bytes']['busybox']} bytes), "
          + ", ".join(f"{p} {v}" for p, v in info["extra_versions"].items()) + "; "
          f"download {info['download_s']} s, extract {info['extract_s']} s")
    with open(a.stamp, "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
