// Errors of the PVH guest loader (pvh_elf.hpp parses a vmlinux, pvh_layout.hpp lays out and
// writes the boot information). The vmlinux and the initrd come from boot modules and are
// untrusted: every refusal names what is wrong so the boot log tells the user what to fix.
#pragma once

#include <stdint.h>

namespace rthv::vplat {

enum class PvhError : uint8_t {
    Ok,
    BadArgument,         // a null pointer where data is required
    TruncatedHeader,     // fewer bytes than one ELF64 header
    BadMagic,            // not "\x7fELF"
    NotElf64,            // EI_CLASS is not ELFCLASS64
    NotLittleEndian,     // EI_DATA is not ELFDATA2LSB
    BadElfVersion,       // EI_VERSION / e_version is not EV_CURRENT
    NotExecutable,       // e_type is not ET_EXEC
    NotX86_64,           // e_machine is not EM_X86_64
    BadPhentsize,        // e_phentsize is not sizeof(Elf64_Phdr)
    PhdrsOutOfFile,      // the program header table is not inside the file
    NoLoadSegment,       // no PT_LOAD with p_memsz > 0
    TooManySegments,     // more PT_LOADs than kPvhMaxSegments
    SegmentOutOfFile,    // p_offset + p_filesz beyond the file
    SegmentFileAboveMem, // p_filesz > p_memsz
    SegmentAddrOverflow, // p_paddr + p_memsz wraps around 2^64
    SegmentsOverlap,     // two PT_LOADs claim the same guest-physical bytes
    NoteOutOfFile,       // a PT_NOTE is not inside the file
    NoteMalformed,       // a note's header or sizes run past its PT_NOTE
    NoEntryNote,         // no "Xen" note of type XEN_ELFNOTE_PHYS32_ENTRY
    NoteBadDescSize,     // the entry note's desc is neither 4 nor 8 bytes
    EntryAbove4G,        // an 8-byte entry that a 32-bit EIP cannot reach
    EntryOutsideImage,   // the entry is not inside the file bytes of a PT_LOAD
    RamTooSmall,         // ram_bytes below kPvhMinRam
    RamTooLarge,         // ram_bytes above kPvhMaxRam (the 32-bit MMIO hole)
    RamNotAligned,       // ram_bytes or top_reserved not a multiple of 4 KiB
    TopReservedTooLarge, // the reserved top area leaves no RAM above the kernel
    SegmentOutsideRam,   // a PT_LOAD not inside [kPvhKernelMin, top of usable RAM)
    CmdlineTooLong,      // more than kPvhCmdlineMax - 1 characters
    InitrdTooLarge,      // no room for the initrd between the kernel and the top of RAM
    RsdpOutsideAcpiArea, // rsdp_gpa is neither 0 nor inside the ACPI tables area
    WriteFailed,         // the caller's write_gpa callback refused a write
};

// A sentence naming the problem, e.g. "vmlinux: no PVH entry note (...)".
const char* describe(PvhError e);

} // namespace rthv::vplat
