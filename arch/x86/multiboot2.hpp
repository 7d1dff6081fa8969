// Multiboot2 boot information (Multiboot2 spec 3.6): parsed into a plain struct, with every
// length checked against the bytes actually available, so a truncated or corrupt block yields
// an error instead of a wild read. Pure code: host-tested in tests/unit/arch.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace rthv::x86 {

inline constexpr uint32_t kMultiboot2Magic = 0x36d76289; // EAX at entry
inline constexpr size_t kMaxMemRegions = 64;
inline constexpr size_t kMaxBootModules = 16;

enum class Mb2Error {
    kNone,
    kTooSmall,     // fewer than 8 bytes, or total_size < 8
    kTruncated,    // total_size or a tag runs past the available bytes
    kBadTagSize,   // a tag smaller than its fixed part
    kMissingEnd,   // no end tag before total_size
    kBadString,    // a string not NUL-terminated inside its tag
    kBadMmapEntry, // memory map entry_size too small
};
const char* to_string(Mb2Error e);

enum class MemType : uint32_t {
    kAvailable = 1,
    kReserved = 2,
    kAcpiReclaimable = 3,
    kNvs = 4,
    kBad = 5
};

struct MemRegion {
    uint64_t base;
    uint64_t length;
    MemType type;
};

struct BootModule {
    uint64_t start; // physical, [start, end)
    uint64_t end;
    const char* cmdline; // points into the info block
};

struct BootInfo {
    uint32_t total_size = 0;
    const char* cmdline = nullptr; // points into the info block; nullptr if absent
    MemRegion mmap[kMaxMemRegions] = {};
    size_t mmap_count = 0;
    bool mmap_truncated = false; // more regions than kMaxMemRegions
    BootModule modules[kMaxBootModules] = {};
    size_t module_count = 0;
    const uint8_t* rsdp = nullptr; // copy of the RSDP inside the info block
    size_t rsdp_length = 0;
    bool rsdp_is_acpi2 = false; // from the "new ACPI" tag (XSDT available)
};

// `available` is how many bytes may be read at `info` (the host tests pass the array size; the
// hypervisor passes the total_size field after checking it is sane).
Mb2Error parse_multiboot2(const uint8_t* info, size_t available, BootInfo& out);

} // namespace rthv::x86
