// Parsing of an uncompressed Linux vmlinux (ELF64) for the PVH direct-boot ABI: its PT_LOAD
// segments (loaded at p_paddr, the physical address; p_vaddr is the kernel's high mapping) and
// the XEN_ELFNOTE_PHYS32_ENTRY note (xen/include/public/elfnote.h) giving the 32-bit
// protected-mode entry point (Linux: arch/x86/platform/pvh/head.S, pvh_start_xen).
//
// The file comes from a boot module and is untrusted: every offset and size is checked against
// the buffer, with no 64-bit sum allowed to wrap, before anything is read or written.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "hv/vplat/pvh_error.hpp"

namespace rthv::vplat {

// Linux 6.1's x86-64 vmlinux has 4 PT_LOADs (text, data, percpu, init+bss); room to spare.
inline constexpr size_t kPvhMaxSegments = 8;

// Xen's public/elfnote.h: name "Xen", type 18, desc = 32-bit physical entry (Linux emits it
// with _ASM_PTR, so 8 bytes on x86-64; Xen also accepts 4).
inline constexpr uint32_t kXenElfnotePhys32Entry = 18;

struct PvhSegment {
    uint64_t paddr;  // guest-physical load address (p_paddr)
    uint64_t offset; // file offset of the initialised bytes (p_offset)
    uint64_t filesz; // bytes copied from the file (p_filesz)
    uint64_t memsz;  // bytes occupied in memory (p_memsz); memsz - filesz are zeroed (bss)
};

struct PvhImage {
    const uint8_t* elf = nullptr; // the buffer pvh_parse checked (kept for pvh_load's copies)
    size_t elf_size = 0;
    PvhSegment segments[kPvhMaxSegments] = {};
    size_t nr_segments = 0;
    uint32_t entry32 = 0; // guest-physical EIP of the PVH entry
    uint64_t lowest = 0;  // min p_paddr over the segments
    uint64_t highest = 0; // max p_paddr + p_memsz over the segments (exclusive)
};

// Parses elf[0, size). On success fills out, which keeps the pointer: the buffer must outlive
// pvh_load. On error out is reset to PvhImage{} (nr_segments == 0, which pvh_load refuses).
PvhError pvh_parse(const uint8_t* elf, size_t size, PvhImage& out);

} // namespace rthv::vplat
