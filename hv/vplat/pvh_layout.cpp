// Placement and boot information for PVH guests; the layout's reasons are in PVH.md.
#include "hv/vplat/pvh_layout.hpp"

namespace rthv::vplat {
namespace {

constexpr uint64_t kRsdpSize = 36; // ACPI 2.0+ RSDP, with the XSDT address and extended checksum
constexpr uint64_t kFourGiB = uint64_t{1} << 32;

// The fixed areas of pvh_layout.hpp do not overlap one another.
static_assert(kPvhStartInfoGpa + sizeof(HvmStartInfo) <= kPvhModlistGpa);
static_assert(kPvhModlistGpa + sizeof(HvmModlistEntry) <= kPvhMemmapGpa);
static_assert(kPvhMemmapGpa + kPvhMemmapMax * sizeof(HvmMemmapEntry) <= kPvhCmdlineGpa);
static_assert(kPvhCmdlineGpa + kPvhCmdlineMax <= kPvhBootInfoEnd);
static_assert(kPvhBootInfoEnd <= kPvhAcpiGpa && kPvhAcpiGpa + kPvhAcpiMax <= 0xA0000);

uint64_t align_down(uint64_t v, uint64_t a) { return v & ~(a - 1); }
uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

size_t cmdline_len(const char* s, bool& too_long) {
    size_t n = 0;
    too_long = false;
    if (s == nullptr) return 0;
    while (s[n] != 0) {
        if (++n == kPvhCmdlineMax) {
            too_long = true; // no room left for the NUL Linux's 2048-byte buffer keeps
            return n;
        }
    }
    return n;
}

PvhError check_ram(const PvhBoot& b) {
    if (b.ram_bytes < kPvhMinRam) return PvhError::RamTooSmall;
    if (b.ram_bytes > kPvhMaxRam) return PvhError::RamTooLarge;
    if (b.ram_bytes % kPvhPage != 0 || b.top_reserved % kPvhPage != 0)
        return PvhError::RamNotAligned;
    if (b.top_reserved >= b.ram_bytes - kPvhKernelMin) return PvhError::TopReservedTooLarge;
    return PvhError::Ok;
}

} // namespace

size_t pvh_memmap(const PvhBoot& boot, HvmMemmapEntry (&out)[kPvhMemmapMax]) {
    const uint64_t top = boot.ram_bytes - boot.top_reserved;
    size_t n = 0;
    out[n++] = {0, kPvhLowRamEnd, kHvmMemmapRam, 0};
    // Reserved, not RAM: nothing in the guest may allocate the pages the boot information is in
    // before Linux has copied it (head.S copies start_info first; the rest is read in
    // xen_prepare_pvh and copy_bootdata), and the bytes stay for post-mortem reading.
    out[n++] = {kPvhBootInfoGpa, kPvhBootInfoEnd - kPvhBootInfoGpa, kHvmMemmapReserved, 0};
    out[n++] = {kPvhAcpiGpa, kPvhAcpiMax, kHvmMemmapAcpi, 0};
    // [kPvhAcpiGpa + kPvhAcpiMax, 1 MiB) is left out: enlighten.c adds [0xA0000, 1 MiB) as
    // reserved itself, and a gap is what a PC has between low RAM and the ISA hole anyway.
    out[n++] = {kPvhKernelMin, top - kPvhKernelMin, kHvmMemmapRam, 0};
    if (boot.top_reserved != 0) out[n++] = {top, boot.top_reserved, kHvmMemmapReserved, 0};
    return n;
}

PvhError pvh_plan(const PvhImage& img, const PvhBoot& boot, PvhPlacement& out) {
    out = PvhPlacement{};
    if (img.elf == nullptr || img.nr_segments == 0) return PvhError::BadArgument;
    if (boot.initrd_size != 0 && boot.initrd == nullptr) return PvhError::BadArgument;
    if (PvhError e = check_ram(boot); e != PvhError::Ok) return e;
    const uint64_t top = boot.ram_bytes - boot.top_reserved;
    // Every PT_LOAD inside the RAM above 1 MiB: that keeps it off the boot information, the
    // ACPI tables and the ISA hole, and inside guest RAM. (pvh_parse ruled out wrapping sums.)
    for (size_t i = 0; i < img.nr_segments; ++i) {
        const PvhSegment& s = img.segments[i];
        if (s.paddr < kPvhKernelMin || s.paddr > top || s.memsz > top - s.paddr)
            return PvhError::SegmentOutsideRam;
    }
    bool too_long = false;
    cmdline_len(boot.cmdline, too_long);
    if (too_long) return PvhError::CmdlineTooLong;
    if (boot.rsdp_gpa != 0 &&
        (boot.rsdp_gpa < kPvhAcpiGpa || boot.rsdp_gpa - kPvhAcpiGpa > kPvhAcpiMax - kRsdpSize))
        return PvhError::RsdpOutsideAcpiArea;

    if (boot.initrd_size != 0) {
        // As high as possible (like GRUB and Xen: it leaves the low RAM contiguous), page
        // aligned, above the kernel's span including bss, and below 4 GiB (ramdisk_image is u32).
        const uint64_t ceiling = top < kFourGiB ? top : kFourGiB;
        const uint64_t floor = align_up(img.highest, kPvhPage);
        if (floor > ceiling || boot.initrd_size > ceiling - floor) return PvhError::InitrdTooLarge;
        // ceiling is page aligned (so is floor): rounding down stays at or above floor.
        const uint64_t gpa = align_down(ceiling - boot.initrd_size, kPvhPage);
        out.initrd_gpa = gpa;
        out.initrd_size = boot.initrd_size;
    }
    HvmMemmapEntry map[kPvhMemmapMax];
    out.memmap_entries = static_cast<uint32_t>(pvh_memmap(boot, map));
    out.entry = img.entry32;
    out.start_info_gpa = kPvhStartInfoGpa;
    out.cmdline_gpa = kPvhCmdlineGpa;
    out.memmap_gpa = kPvhMemmapGpa;
    out.acpi_gpa = kPvhAcpiGpa;
    out.kernel_lo = img.lowest;
    out.kernel_hi = img.highest;
    return PvhError::Ok;
}

PvhError pvh_load(const PvhImage& img, const PvhBoot& boot, PvhWriteFn write, void* ctx,
                  PvhPlacement& out) {
    if (write == nullptr) {
        out = PvhPlacement{};
        return PvhError::BadArgument;
    }
    PvhPlacement p;
    if (PvhError e = pvh_plan(img, boot, p); e != PvhError::Ok) {
        out = p;
        return e;
    }
    out = p;
    for (size_t i = 0; i < img.nr_segments; ++i) {
        const PvhSegment& s = img.segments[i];
        if (s.filesz != 0 && !write(ctx, s.paddr, img.elf + s.offset, s.filesz))
            return PvhError::WriteFailed;
        // ELF gABI: the bytes between p_filesz and p_memsz are zero (the kernel's .bss, which
        // Linux clears again later, and the tail of sections like .brk it does not).
        if (s.memsz > s.filesz && !write(ctx, s.paddr + s.filesz, nullptr, s.memsz - s.filesz))
            return PvhError::WriteFailed;
    }
    if (p.initrd_size != 0 && !write(ctx, p.initrd_gpa, boot.initrd, p.initrd_size))
        return PvhError::WriteFailed;

    HvmStartInfo si{};
    si.magic = kHvmStartMagic;
    si.version = kHvmStartVersion;
    // Linux takes module 0 as the initrd (enlighten.c); no module, no modlist address.
    si.nr_modules = p.initrd_size != 0 ? 1 : 0;
    si.modlist_paddr = p.initrd_size != 0 ? kPvhModlistGpa : 0;
    si.cmdline_paddr = kPvhCmdlineGpa;
    si.rsdp_paddr = boot.rsdp_gpa;
    si.memmap_paddr = kPvhMemmapGpa;
    si.memmap_entries = p.memmap_entries;
    HvmModlistEntry mod{p.initrd_gpa, p.initrd_size, 0, 0}; // cmdline 0: "not present"
    HvmMemmapEntry map[kPvhMemmapMax];
    pvh_memmap(boot, map);
    bool too_long = false;
    const size_t len = cmdline_len(boot.cmdline, too_long);

    // The pages are zeroed first so that the NUL, the reserved fields and the padding between
    // the structures are zero whatever the guest RAM held before.
    bool ok = write(ctx, kPvhBootInfoGpa, nullptr, kPvhBootInfoEnd - kPvhBootInfoGpa) &&
              write(ctx, kPvhStartInfoGpa, &si, sizeof si) &&
              (si.nr_modules == 0 || write(ctx, kPvhModlistGpa, &mod, sizeof mod)) &&
              write(ctx, kPvhMemmapGpa, map, p.memmap_entries * sizeof(HvmMemmapEntry)) &&
              (len == 0 || write(ctx, kPvhCmdlineGpa, boot.cmdline, len));
    return ok ? PvhError::Ok : PvhError::WriteFailed;
}

} // namespace rthv::vplat
