// Guest-physical layout and boot information for the PVH direct-boot ABI (Xen's
// public/arch-x86/hvm/start_info.h; Linux: arch/x86/platform/pvh/{head.S,enlighten.c}).
// The kernel is entered in 32-bit protected mode, paging off, with EBX = start_info_gpa.
// The memory map chosen here is explained in hv/vplat/PVH.md.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "hv/vplat/pvh_elf.hpp"

namespace rthv::vplat {

// start_info.h, version 1 (with the memory map). Our own C++ spelling of its documented layout.
inline constexpr uint32_t kHvmStartMagic = 0x336ec578; // "xEn3" with 0x80 set in the 'E'
inline constexpr uint32_t kHvmStartVersion = 1;
inline constexpr uint32_t kHvmMemmapRam = 1; // the ACPI address range types (e820)
inline constexpr uint32_t kHvmMemmapReserved = 2;
inline constexpr uint32_t kHvmMemmapAcpi = 3; // ACPI reclaimable: Linux keeps it while ACPI runs

struct HvmStartInfo {
    uint32_t magic;
    uint32_t version;
    uint32_t flags; // SIF_* (Xen's own privileges); 0 for us
    uint32_t nr_modules;
    uint64_t modlist_paddr;
    uint64_t cmdline_paddr;
    uint64_t rsdp_paddr;
    uint64_t memmap_paddr;
    uint32_t memmap_entries;
    uint32_t reserved;
};
struct HvmModlistEntry {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
};
struct HvmMemmapEntry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
    uint32_t reserved;
};
static_assert(sizeof(HvmStartInfo) == 56 && offsetof(HvmStartInfo, rsdp_paddr) == 32 &&
              offsetof(HvmStartInfo, memmap_entries) == 48);
static_assert(sizeof(HvmModlistEntry) == 32 && sizeof(HvmMemmapEntry) == 24);

// The fixed low layout (see PVH.md). Everything Linux's PVH code reads through its early
// identity map must sit in the first GiB; all of it sits below the ISA hole [0xA0000, 1 MiB)
// that enlighten.c appends to the memory map itself.
inline constexpr uint64_t kPvhLowRamEnd = 0x80000;    // RAM [0, 512 KiB): trampoline, BDA
inline constexpr uint64_t kPvhBootInfoGpa = 0x80000;  // reserved page pair, zeroed by pvh_load
inline constexpr uint64_t kPvhStartInfoGpa = 0x80000; // HvmStartInfo (EBX)
inline constexpr uint64_t kPvhModlistGpa = 0x80040;   // HvmModlistEntry[1] (the initrd)
inline constexpr uint64_t kPvhMemmapGpa = 0x80100;    // HvmMemmapEntry[kPvhMemmapMax]
inline constexpr size_t kPvhMemmapMax = 8;
inline constexpr uint64_t kPvhCmdlineGpa = 0x81000; // NUL-terminated command line
inline constexpr size_t kPvhCmdlineMax = 2048;      // x86 COMMAND_LINE_SIZE, with the NUL
inline constexpr uint64_t kPvhBootInfoEnd = 0x82000;
inline constexpr uint64_t kPvhAcpiGpa = 0x82000;    // the integrator's ACPI tables + RSDP
inline constexpr uint64_t kPvhAcpiMax = 0x2000;     // memmap type 3 [0x82000, 0x84000)
inline constexpr uint64_t kPvhKernelMin = 0x100000; // RAM from 1 MiB to the top
inline constexpr uint64_t kPvhMinRam = uint64_t{64} << 20;
// Guest RAM stays below 3 GiB so the 32-bit MMIO window (IOAPIC 0xFEC00000, LAPIC 0xFEE00000,
// any PCI BARs) never collides with it, and the initrd stays below 4 GiB: enlighten.c copies
// its address into the 32-bit boot_params.hdr.ramdisk_image.
inline constexpr uint64_t kPvhMaxRam = uint64_t{3} << 30;
inline constexpr uint64_t kPvhPage = 0x1000;

// What the integrator provides.
struct PvhBoot {
    uint64_t ram_bytes = 0;          // guest RAM [0, ram_bytes), 4 KiB multiple, 64 MiB .. 3 GiB
    uint64_t top_reserved = 0;       // top bytes of RAM given as type 2 (reserved), 4 KiB multiple
    const char* cmdline = nullptr;   // nullptr = empty
    const uint8_t* initrd = nullptr; // the initramfs (module 0), or nullptr
    uint64_t initrd_size = 0;        // 0 = no module
    uint64_t rsdp_gpa = 0;           // 0 = none, else RSDP (36 bytes) inside the ACPI area
};

// Where everything went.
struct PvhPlacement {
    uint64_t entry = 0;          // EIP, 32-bit protected mode, paging off
    uint64_t start_info_gpa = 0; // EBX
    uint64_t cmdline_gpa = 0;
    uint64_t memmap_gpa = 0;
    uint32_t memmap_entries = 0;
    uint64_t initrd_gpa = 0; // 0 when there is no initrd
    uint64_t initrd_size = 0;
    uint64_t acpi_gpa = 0;  // kPvhAcpiGpa: the integrator writes its tables there
    uint64_t kernel_lo = 0; // [kernel_lo, kernel_hi): the PT_LOAD span
    uint64_t kernel_hi = 0;
};

// Writes len bytes at guest-physical gpa: from src, or zeroes when src is nullptr. Returns
// false if the range is not guest RAM.
using PvhWriteFn = bool (*)(void* ctx, uint64_t gpa, const void* src, size_t len);

// The memory map for boot (sorted, non-overlapping); returns the entry count (<= kPvhMemmapMax).
// boot must have passed pvh_plan's RAM checks.
size_t pvh_memmap(const PvhBoot& boot, HvmMemmapEntry (&out)[kPvhMemmapMax]);

// Checks everything and computes the placement; writes nothing.
PvhError pvh_plan(const PvhImage& img, const PvhBoot& boot, PvhPlacement& out);

// pvh_plan, then (only if it succeeds) the writes: each PT_LOAD (file bytes, then zeroed bss),
// the initrd, the zeroed boot-info pages, start_info, modlist, memmap and command line. The ACPI
// area is left to the integrator. Stops at the first refused write (WriteFailed).
PvhError pvh_load(const PvhImage& img, const PvhBoot& boot, PvhWriteFn write, void* ctx,
                  PvhPlacement& out);

} // namespace rthv::vplat
