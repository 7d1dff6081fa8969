#include "arch/x86/multiboot2.hpp"

namespace rthv::x86 {
namespace {

enum TagType : uint32_t {
    kTagEnd = 0,
    kTagCmdline = 1,
    kTagModule = 3,
    kTagMmap = 6,
    kTagAcpiOld = 14,
    kTagAcpiNew = 15,
};

uint32_t load32(const uint8_t* p) {
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
uint64_t load64(const uint8_t* p) { return load32(p) | uint64_t{load32(p + 4)} << 32; }

// A string field [p, end) must contain its terminating NUL.
bool has_nul(const uint8_t* p, const uint8_t* end) {
    for (; p < end; ++p)
        if (*p == 0) return true;
    return false;
}

Mb2Error parse_mmap(const uint8_t* tag, uint32_t size, BootInfo& out) {
    if (size < 16) return Mb2Error::kBadTagSize;
    uint32_t entry_size = load32(tag + 8);
    if (entry_size < 24) return Mb2Error::kBadMmapEntry;
    for (uint32_t off = 16; off + entry_size <= size; off += entry_size) {
        if (out.mmap_count == kMaxMemRegions) {
            out.mmap_truncated = true;
            break;
        }
        const uint8_t* e = tag + off;
        out.mmap[out.mmap_count++] = {load64(e), load64(e + 8),
                                      static_cast<MemType>(load32(e + 16))};
    }
    return Mb2Error::kNone;
}

Mb2Error parse_tag(const uint8_t* tag, uint32_t type, uint32_t size, BootInfo& out) {
    const uint8_t* end = tag + size;
    switch (type) {
    case kTagCmdline:
        if (!has_nul(tag + 8, end)) return Mb2Error::kBadString;
        out.cmdline = reinterpret_cast<const char*>(tag + 8);
        return Mb2Error::kNone;
    case kTagModule:
        if (size < 16) return Mb2Error::kBadTagSize;
        if (!has_nul(tag + 16, end)) return Mb2Error::kBadString;
        if (out.module_count < kMaxBootModules)
            out.modules[out.module_count++] = {load32(tag + 8), load32(tag + 12),
                                               reinterpret_cast<const char*>(tag + 16)};
        return Mb2Error::kNone;
    case kTagMmap:
        return parse_mmap(tag, size, out);
    case kTagAcpiOld:
    case kTagAcpiNew:
        // Prefer the ACPI 2.0 RSDP (it carries the XSDT address) whichever order they come in.
        if (size < 8 + 20) return Mb2Error::kBadTagSize;
        if (type == kTagAcpiNew || !out.rsdp_is_acpi2) {
            out.rsdp = tag + 8;
            out.rsdp_length = size - 8;
            out.rsdp_is_acpi2 = type == kTagAcpiNew;
        }
        return Mb2Error::kNone;
    default:
        return Mb2Error::kNone; // framebuffer, ELF sections, ...: not needed
    }
}

} // namespace

const char* to_string(Mb2Error e) {
    switch (e) {
    case Mb2Error::kNone:
        return "ok";
    case Mb2Error::kTooSmall:
        return "info block too small";
    case Mb2Error::kTruncated:
        return "info block or tag truncated";
    case Mb2Error::kBadTagSize:
        return "tag smaller than its fixed fields";
    case Mb2Error::kMissingEnd:
        return "no end tag";
    case Mb2Error::kBadString:
        return "string not NUL-terminated";
    case Mb2Error::kBadMmapEntry:
        return "memory map entry size too small";
    }
    return "unknown";
}

Mb2Error parse_multiboot2(const uint8_t* info, size_t available, BootInfo& out) {
    out = BootInfo{};
    if (info == nullptr || available < 8) return Mb2Error::kTooSmall;
    uint32_t total = load32(info);
    if (total < 8) return Mb2Error::kTooSmall;
    if (total > available) return Mb2Error::kTruncated;
    out.total_size = total;
    // Tags start at offset 8 and each is padded to 8 bytes (spec 3.6.1).
    for (size_t off = 8;;) {
        if (off + 8 > total) return Mb2Error::kMissingEnd;
        const uint8_t* tag = info + off;
        uint32_t type = load32(tag);
        uint32_t size = load32(tag + 4);
        if (size < 8) return Mb2Error::kBadTagSize;
        if (size > total - off) return Mb2Error::kTruncated;
        if (type == kTagEnd) return Mb2Error::kNone;
        if (Mb2Error e = parse_tag(tag, type, size, out); e != Mb2Error::kNone) return e;
        off += (size_t{size} + 7) & ~size_t{7};
    }
}

} // namespace rthv::x86
