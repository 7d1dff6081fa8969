"""Readers shared by the Linux guest image scripts and their test: ELF64 program headers and notes,
the x86 bzImage setup header, and newc cpio archives. Python 3 standard library only."""
import struct

XEN_ELFNOTE_PHYS32_ENTRY = 18
PT_LOAD = 1
PT_NOTE = 4
EM_X86_64 = 62


class ImageError(Exception):
    pass


def elf64_info(data):
    """Returns {'type', 'entry', 'loads': [(offset, vaddr, paddr, filesz, memsz, flags)],
    'notes': [(name, type, desc)]} for an ELF64 little-endian x86-64 file; raises ImageError
    otherwise."""
    if data[:4] != b"\x7fELF":
        raise ImageError("not an ELF file (no \\x7fELF magic)")
    if data[4] != 2 or data[5] != 1:
        raise ImageError(f"not ELF64 little-endian (class {data[4]}, data {data[5]})")
    e_type, e_machine = struct.unpack_from("<HH", data, 16)
    if e_machine != EM_X86_64:
        raise ImageError(f"not x86-64 (e_machine {e_machine})")
    entry, phoff = struct.unpack_from("<QQ", data, 24)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    loads, notes = [], []
    for i in range(phnum):
        p_type, p_flags, off, vaddr, paddr, filesz, memsz, _align = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize)
        if p_type == PT_LOAD:
            loads.append((off, vaddr, paddr, filesz, memsz, p_flags))
        elif p_type == PT_NOTE:
            pos, end = off, off + filesz
            while pos + 12 <= end:
                namesz, descsz, ntype = struct.unpack_from("<III", data, pos)
                pos += 12
                name = data[pos:pos + namesz].rstrip(b"\0").decode("ascii", "replace")
                pos += (namesz + 3) & ~3
                desc = data[pos:pos + descsz]
                pos += (descsz + 3) & ~3
                notes.append((name, ntype, desc))
    return {"type": e_type, "entry": entry, "loads": loads, "notes": notes}


def pvh_entry(info):
    """The 32-bit physical PVH entry point from the Xen note XEN_ELFNOTE_PHYS32_ENTRY (18), or None.
    Linux emits it pointer-sized (8 bytes on x86-64); only the low 32 bits are meaningful."""
    for name, ntype, desc in info["notes"]:
        if name == "Xen" and ntype == XEN_ELFNOTE_PHYS32_ENTRY and len(desc) >= 4:
            return struct.unpack_from("<I", desc, 0)[0]
    return None



PT_DYNAMIC = 2
PT_INTERP = 3
DT_NEEDED = 1
DT_STRTAB = 5
DT_SONAME = 14


def elf64_dynamic(data):
    """{'interp': PT_INTERP path or None, 'needed': [DT_NEEDED names], 'soname': DT_SONAME or None}
    of an ELF64 x86-64 file (a dynamic program or a shared library); static files give no needed.
    Raises ImageError when the file is not ELF64 x86-64 or its dynamic section is unreadable."""
    elf64_info(data)  # checks the identity
    phoff = struct.unpack_from("<Q", data, 32)[0]
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    interp, dyn, loads = None, None, []
    for i in range(phnum):
        p_type, _fl, off, vaddr, _pa, filesz, _memsz, _al = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize)
        if p_type == PT_INTERP:
            interp = data[off:off + filesz].split(b"\0")[0].decode()
        elif p_type == PT_DYNAMIC:
            dyn = (off, filesz)
        elif p_type == PT_LOAD:
            loads.append((vaddr, off, filesz))
    if dyn is None:
        return {"interp": interp, "needed": [], "soname": None}
    entries = []
    for pos in range(dyn[0], dyn[0] + dyn[1] - 15, 16):
        tag, val = struct.unpack_from("<qQ", data, pos)
        if tag == 0:
            break
        entries.append((tag, val))
    strtab = [v for t, v in entries if t == DT_STRTAB]
    if not strtab:
        raise ImageError("dynamic section without DT_STRTAB")
    base = next((off + strtab[0] - va for va, off, fs in loads if va <= strtab[0] < va + fs), None)
    if base is None:
        raise ImageError(f"DT_STRTAB {strtab[0]:#x} is in no PT_LOAD")

    def string(o):
        return data[base + o:data.index(b"\0", base + o)].decode()
    return {"interp": interp, "needed": [string(v) for t, v in entries if t == DT_NEEDED],
            "soname": next((string(v) for t, v in entries if t == DT_SONAME), None)}

# Compressed kernel payloads, as Linux's scripts/extract-vmlinux tries them.
PAYLOAD_MAGICS = [
    ("gzip", b"\x1f\x8b\x08"),
    ("xz", b"\xfd7zXZ\x00"),
    ("bzip2", b"BZh"),
    ("lzma", b"\x5d\x00\x00"),
    ("lzo", b"\x89LZO"),
    ("lz4", b"\x02\x21\x4c\x18"),
    ("zstd", b"\x28\xb5\x2f\xfd"),
]


def bzimage_payload(data):
    """(format, compressed bytes, uncompressed size) from the setup header's payload_offset and
    payload_length (boot protocol >= 2.08). Linux appends the uncompressed size (le32) to the
    compressed stream; it is split off here. Raises ImageError when the header is not usable."""
    if data[0x202:0x206] != b"HdrS":
        raise ImageError("no HdrS setup header: not a bzImage")
    version = struct.unpack_from("<H", data, 0x206)[0]
    if version < 0x208:
        raise ImageError(f"boot protocol {version:#x} < 2.08 has no payload_offset")
    setup_sects = data[0x1F1] or 4
    payload_offset, payload_length = struct.unpack_from("<II", data, 0x248)
    start = (setup_sects + 1) * 512 + payload_offset
    payload = data[start:start + payload_length]
    if len(payload) != payload_length or payload_length < 8:
        raise ImageError("payload_offset/payload_length point outside the file")
    for fmt, magic in PAYLOAD_MAGICS:
        if payload.startswith(magic):
            return fmt, start, payload[:-4], struct.unpack_from("<I", payload, payload_length - 4)[0]
    raise ImageError(f"unknown payload magic {payload[:4].hex()} at offset {start}")


def boot_header(data):
    """The bzImage setup header fields a loader cares about."""
    return {
        "boot_protocol": "%d.%02d" % divmod(struct.unpack_from("<H", data, 0x206)[0], 256),
        "xloadflags": struct.unpack_from("<H", data, 0x236)[0],
        "pref_address": struct.unpack_from("<Q", data, 0x258)[0],
        "init_size": struct.unpack_from("<I", data, 0x260)[0],
    }


def read_newc(data):
    """Entries of a newc ("070701") cpio archive: [(name, mode, rdevmajor, rdevminor, body, mtime)],
    stopping at TRAILER!!!. Raises ImageError on a malformed archive."""
    out, pos = [], 0
    while True:
        hdr = data[pos:pos + 110]
        if len(hdr) < 110 or hdr[:6] != b"070701":
            raise ImageError(f"bad newc header at offset {pos}")
        f = [int(hdr[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        mode, mtime, filesize, rmaj, rmin, namesize = f[1], f[5], f[6], f[9], f[10], f[11]
        name = data[pos + 110:pos + 110 + namesize - 1].decode()
        pos = (pos + 110 + namesize + 3) & ~3
        body = data[pos:pos + filesize]
        pos = (pos + filesize + 3) & ~3
        if name == "TRAILER!!!":
            return out
        out.append((name, mode, rmaj, rmin, body, mtime))
