// Sentences for PvhError: each names the input at fault and, where it helps, the usual cause.
#include "hv/vplat/pvh_error.hpp"

namespace rthv::vplat {

const char* describe(PvhError e) {
    switch (e) {
    case PvhError::Ok:
        return "ok";
    case PvhError::BadArgument:
        return "pvh: missing input (null image, initrd or writer, or image not parsed)";
    case PvhError::TruncatedHeader:
        return "vmlinux: shorter than an ELF64 header (truncated boot module?)";
    case PvhError::BadMagic:
        return "vmlinux: not an ELF file (is this a bzImage? the build extracts vmlinux from it)";
    case PvhError::NotElf64:
        return "vmlinux: not a 64-bit ELF (ELFCLASS64 expected)";
    case PvhError::NotLittleEndian:
        return "vmlinux: not little-endian ELF";
    case PvhError::BadElfVersion:
        return "vmlinux: unknown ELF version";
    case PvhError::NotExecutable:
        return "vmlinux: not an executable ELF (ET_EXEC expected)";
    case PvhError::NotX86_64:
        return "vmlinux: not an x86-64 ELF (EM_X86_64 expected)";
    case PvhError::BadPhentsize:
        return "vmlinux: program header entry size is not 56";
    case PvhError::PhdrsOutOfFile:
        return "vmlinux: program header table extends past the end of the file";
    case PvhError::NoLoadSegment:
        return "vmlinux: no PT_LOAD segment";
    case PvhError::TooManySegments:
        return "vmlinux: more than 8 PT_LOAD segments";
    case PvhError::SegmentOutOfFile:
        return "vmlinux: a PT_LOAD segment's file bytes extend past the end of the file";
    case PvhError::SegmentFileAboveMem:
        return "vmlinux: a PT_LOAD segment has p_filesz greater than p_memsz";
    case PvhError::SegmentAddrOverflow:
        return "vmlinux: a PT_LOAD segment's p_paddr + p_memsz overflows";
    case PvhError::SegmentsOverlap:
        return "vmlinux: two PT_LOAD segments overlap in physical memory";
    case PvhError::NoteOutOfFile:
        return "vmlinux: a PT_NOTE segment extends past the end of the file";
    case PvhError::NoteMalformed:
        return "vmlinux: a note runs past the end of its PT_NOTE segment";
    case PvhError::NoEntryNote:
        return "vmlinux: no PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY); is the kernel built with "
               "CONFIG_PVH=y, and is this a bzImage? the build extracts vmlinux from it";
    case PvhError::NoteBadDescSize:
        return "vmlinux: the PVH entry note's value is neither 4 nor 8 bytes";
    case PvhError::EntryAbove4G:
        return "vmlinux: the PVH entry point is above 4 GiB";
    case PvhError::EntryOutsideImage:
        return "vmlinux: the PVH entry point is not inside a loaded segment";
    case PvhError::RamTooSmall:
        return "pvh: guest RAM below the 64 MiB minimum (the kernel alone loads at 16 MiB)";
    case PvhError::RamTooLarge:
        return "pvh: guest RAM above the 3 GiB maximum (the 32-bit MMIO window starts there)";
    case PvhError::RamNotAligned:
        return "pvh: guest RAM size or reserved top area is not a multiple of 4 KiB";
    case PvhError::TopReservedTooLarge:
        return "pvh: the reserved top area leaves no RAM above 1 MiB";
    case PvhError::SegmentOutsideRam:
        return "vmlinux: a PT_LOAD segment lies outside guest RAM above 1 MiB";
    case PvhError::CmdlineTooLong:
        return "pvh: kernel command line longer than 2047 characters";
    case PvhError::InitrdTooLarge:
        return "initrd: does not fit in guest RAM between the kernel and the top of RAM";
    case PvhError::RsdpOutsideAcpiArea:
        return "pvh: the RSDP address is not inside the ACPI tables area";
    case PvhError::WriteFailed:
        return "pvh: a write to guest memory failed";
    }
    return "unknown PVH error";
}

} // namespace rthv::vplat
