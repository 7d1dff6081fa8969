#!/usr/bin/env python3
"""vmlinux (the uncompressed ELF kernel, entered through PVH) out of a Debian bzImage.

  extract_vmlinux.py --kernel-root DIR --out vmlinux --out-gz vmlinux.gz --info vmlinux.json

Finds DIR/boot/vmlinuz-* (by pattern), takes the compressed payload the setup header points to
(falling back to a scan for compression magics like Linux's scripts/extract-vmlinux), decompresses
it (lz4/zstd through their command-line tools, gzip/xz/bzip2/lzma with Python's own modules), and
checks the result: ELF64 x86-64 with the Xen note XEN_ELFNOTE_PHYS32_ENTRY (18). Writes vmlinux, a
reproducible gzip copy (no name, mtime 0) that GRUB's module2 decompresses on load, and a JSON
summary (sizes, PT_LOAD layout, PVH entry).
"""
import argparse
import bz2
import glob
import gzip
import json
import lzma
import os
import shutil
import subprocess
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import linux_images as li  # noqa: E402

TOOLS = {"lz4": ["lz4", "-dc"], "zstd": ["zstd", "-dcq"], "lzo": ["lzop", "-dc"]}
DEBIAN_PKG = {"lz4": "lz4", "zstd": "zstd", "lzo": "lzop"}


def die(msg):
    print(f"extract_vmlinux: error: {msg}", file=sys.stderr)
    sys.exit(1)


def decompress(fmt, blob, scanning=False):
    if fmt == "gzip":
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(blob)
    if fmt == "xz":
        return lzma.LZMADecompressor(lzma.FORMAT_XZ).decompress(blob)
    if fmt == "lzma":
        return lzma.LZMADecompressor(lzma.FORMAT_ALONE).decompress(blob)
    if fmt == "bzip2":
        return bz2.BZ2Decompressor().decompress(blob)
    try:
        r = subprocess.run(TOOLS[fmt], input=blob, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except FileNotFoundError:
        if scanning:  # a magic found by the scan may be a coincidence: try the next one
            print(f"extract_vmlinux: warning: {TOOLS[fmt][0]} missing: skipping {fmt} candidates",
                  file=sys.stderr)
            return b""
        die(f"the kernel payload is {fmt}: install Debian package {DEBIAN_PKG[fmt]} (./rthv does)")
    # A scanned payload may carry trailing bytes the tool complains about: the ELF check decides.
    return r.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel-root", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--out-gz", required=True)
    ap.add_argument("--info", required=True)
    a = ap.parse_args()

    found = sorted(glob.glob(os.path.join(a.kernel_root, "boot", "vmlinuz-*")))
    if len(found) != 1:
        die(f"expected one {a.kernel_root}/boot/vmlinuz-*, found {found or 'none'}")
    bzimage = found[0]
    with open(bzimage, "rb") as f:
        data = f.read()

    vmlinux, how = None, None
    try:
        fmt, start, blob, size = li.bzimage_payload(data)
        vmlinux = decompress(fmt, blob)
        if len(vmlinux) != size:
            print(f"extract_vmlinux: warning: {fmt} payload gave {len(vmlinux)} bytes, the kernel "
                  f"says {size}; scanning for magics instead", file=sys.stderr)
            vmlinux = None
        how = f"{fmt} payload at offset {start} (setup header)"
    except li.ImageError as e:
        print(f"extract_vmlinux: warning: {e}; scanning for magics instead", file=sys.stderr)
    if vmlinux is None:  # scripts/extract-vmlinux's way: every magic, every offset, until an ELF
        for fmt, magic in li.PAYLOAD_MAGICS:
            pos = data.find(magic)
            while pos >= 0 and vmlinux is None:
                try:
                    out = decompress(fmt, data[pos:], scanning=True)
                except (OSError, EOFError, MemoryError, lzma.LZMAError, zlib.error):
                    out = b""
                if out[:4] == b"\x7fELF":
                    vmlinux, how = out, f"{fmt} magic at offset {pos} (scan)"
                elif fmt in TOOLS and not shutil.which(TOOLS[fmt][0]):
                    break
                pos = data.find(magic, pos + 1)
            if vmlinux is not None:
                break
    if vmlinux is None:
        die(f"no compressed ELF kernel found in {bzimage}")

    try:
        info = li.elf64_info(vmlinux)
    except li.ImageError as e:
        die(f"{bzimage}: decompressed payload: {e}")
    entry = li.pvh_entry(info)
    if entry is None:
        die(f"{bzimage}: vmlinux has no Xen PT_NOTE type {li.XEN_ELFNOTE_PHYS32_ENTRY} "
            f"(XEN_ELFNOTE_PHYS32_ENTRY): this kernel cannot be entered through PVH (CONFIG_PVH)")

    tmp = a.out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(vmlinux)
    os.replace(tmp, a.out)
    with open(a.out_gz + ".tmp", "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as g:
            g.write(vmlinux)
    os.replace(a.out_gz + ".tmp", a.out_gz)

    summary = {
        "bzimage": os.path.basename(bzimage),
        "bzimage_bytes": len(data),
        "payload": how,
        **li.boot_header(data),
        "vmlinux_bytes": len(vmlinux),
        "vmlinux_gz_bytes": os.path.getsize(a.out_gz),
        "elf_entry": hex(info["entry"]),
        "pvh_entry": hex(entry),
        "pt_load": [{"paddr": hex(p), "vaddr": hex(v), "filesz": hex(fs), "memsz": hex(ms),
                     "flags": "".join(c for c, b in (("R", 4), ("W", 2), ("E", 1)) if fl & b)}
                    for (_o, v, p, fs, ms, fl) in info["loads"]],
    }
    lo = min(p for (_o, _v, p, _f, _m, _fl) in info["loads"])
    hi = max(p + m for (_o, _v, p, _f, m, _fl) in info["loads"])
    summary["paddr_span"] = [hex(lo), hex(hi)]
    with open(a.info, "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")
    print(f"extract_vmlinux: {os.path.basename(bzimage)} ({len(data)} bytes, {how}) -> vmlinux "
          f"{len(vmlinux)} bytes, vmlinux.gz {summary['vmlinux_gz_bytes']} bytes; "
          f"PVH entry {entry:#x}; "
          f"PT_LOAD paddr {lo:#x}..{hi:#x}")


if __name__ == "__main__":
    main()
