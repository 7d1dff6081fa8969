#include "arch/x86/madt.hpp"

namespace rthv::x86 {
namespace {

constexpr size_t kSdtHeaderSize = 36;
constexpr size_t kMadtFixedSize = kSdtHeaderSize + 8; // + LAPIC address, flags

enum EntryType : uint8_t {
    kLocalApic = 0,
    kIoApic = 1,
    kInterruptSourceOverride = 2,
    kLapicAddressOverride = 5,
    kLocalX2Apic = 9,
};

uint32_t load32(const uint8_t* p) {
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
uint64_t load64(const uint8_t* p) { return load32(p) | uint64_t{load32(p + 4)} << 32; }

// Flags bit 0 "Enabled", bit 1 "Online Capable" (ACPI 6.5 table 5.40): either means startable.
void add_cpu(MadtInfo& out, uint32_t apic_id, uint32_t uid, uint32_t flags) {
    if ((flags & 3u) == 0) {
        ++out.disabled_cpus;
        return;
    }
    if (out.cpu_count == kMaxMadtCpus) {
        out.cpus_truncated = true;
        return;
    }
    out.cpus[out.cpu_count++] = {apic_id, uid};
}

bool parse_entry(const uint8_t* e, uint8_t type, uint8_t len, MadtInfo& out) {
    switch (type) {
    case kLocalApic:
        if (len < 8) return false;
        add_cpu(out, e[3], e[2], load32(e + 4));
        return true;
    case kIoApic:
        if (len < 12) return false;
        if (out.ioapic_count < kMaxIoApics)
            out.ioapics[out.ioapic_count++] = {e[2], load32(e + 4), load32(e + 8)};
        return true;
    case kLapicAddressOverride:
        if (len < 12) return false;
        out.lapic_address = load64(e + 4);
        return true;
    case kLocalX2Apic:
        if (len < 16) return false;
        add_cpu(out, load32(e + 4), load32(e + 12), load32(e + 8));
        return true;
    case kInterruptSourceOverride:
        if (len < 10) return false;
        if (e[2] == 0 && out.override_count < kMaxMadtOverrides) // bus 0: ISA
            out.overrides[out.override_count++] = {e[3], load32(e + 4),
                                                   static_cast<uint16_t>(e[8] | e[9] << 8)};
        return true;
    default:
        return true; // NMI sources, ...: not needed yet
    }
}

} // namespace

MadtOverride isa_irq_route(const MadtInfo& madt, uint8_t irq) {
    for (size_t i = 0; i < madt.override_count; ++i)
        if (madt.overrides[i].irq == irq) return madt.overrides[i];
    return {irq, irq, 0};
}

const char* to_string(MadtError e) {
    switch (e) {
    case MadtError::kNone:
        return "ok";
    case MadtError::kTruncated:
        return "table truncated";
    case MadtError::kBadSignature:
        return "signature is not APIC";
    case MadtError::kBadLength:
        return "length field smaller than the fixed part";
    case MadtError::kBadChecksum:
        return "checksum mismatch";
    case MadtError::kBadEntry:
        return "entry length invalid";
    }
    return "unknown";
}

bool acpi_checksum_ok(const uint8_t* p, size_t len) {
    uint8_t sum = 0;
    for (size_t i = 0; i < len; ++i) sum = static_cast<uint8_t>(sum + p[i]);
    return sum == 0;
}

MadtError parse_madt(const uint8_t* table, size_t available, MadtInfo& out) {
    out = MadtInfo{};
    if (table == nullptr || available < kSdtHeaderSize) return MadtError::kTruncated;
    if (table[0] != 'A' || table[1] != 'P' || table[2] != 'I' || table[3] != 'C')
        return MadtError::kBadSignature;
    uint32_t length = load32(table + 4);
    if (length < kMadtFixedSize) return MadtError::kBadLength;
    if (length > available) return MadtError::kTruncated;
    if (!acpi_checksum_ok(table, length)) return MadtError::kBadChecksum;
    out.lapic_address = load32(table + kSdtHeaderSize);
    out.has_8259 = (load32(table + kSdtHeaderSize + 4) & 1u) != 0;
    for (size_t off = kMadtFixedSize; off < length;) {
        if (length - off < 2) return MadtError::kBadEntry;
        uint8_t type = table[off];
        uint8_t len = table[off + 1];
        if (len < 2 || len > length - off) return MadtError::kBadEntry;
        if (!parse_entry(table + off, type, len, out)) return MadtError::kBadEntry;
        off += len;
    }
    return MadtError::kNone;
}

} // namespace rthv::x86
