// ACPI MADT ("APIC" table, ACPI 6.5 section 5.2.12): which CPUs exist (local APIC / x2APIC
// entries), where the LAPIC and IOAPICs live. Parsed from raw bytes with every length checked:
// a truncated or corrupt table gives an error, never a read past its end. Host-tested.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace rthv::x86 {

inline constexpr size_t kMaxMadtCpus = 64;
inline constexpr size_t kMaxIoApics = 8;

enum class MadtError { kNone, kTruncated, kBadSignature, kBadLength, kBadChecksum, kBadEntry };
const char* to_string(MadtError e);

struct MadtCpu {
    uint32_t apic_id;
    uint32_t acpi_uid;
};

struct MadtIoApic {
    uint32_t id;
    uint64_t address;
    uint32_t gsi_base;
};

// An ISA IRQ that reaches the IOAPICs on another global system interrupt, or with other
// polarity/trigger than ISA's edge/high (ACPI 6.5 5.2.12.5, MPS INTI flags).
struct MadtOverride {
    uint8_t irq;
    uint32_t gsi;
    uint16_t
        flags; // bits 0-1 polarity (0 bus default, 1 high, 3 low); 2-3 trigger (1 edge, 3 level)
};
inline constexpr size_t kMaxMadtOverrides = 16;

struct MadtInfo {
    uint64_t lapic_address = 0;
    bool has_8259 = false;           // PCAT_COMPAT: legacy PICs present and must be masked
    MadtCpu cpus[kMaxMadtCpus] = {}; // enabled CPUs only, in table order (BSP is usually first)
    size_t cpu_count = 0;
    bool cpus_truncated = false; // more enabled CPUs than kMaxMadtCpus
    size_t disabled_cpus = 0;    // present but neither enabled nor online-capable
    MadtIoApic ioapics[kMaxIoApics] = {};
    size_t ioapic_count = 0;
    MadtOverride overrides[kMaxMadtOverrides] = {};
    size_t override_count = 0;
};

// Where ISA IRQ `irq` arrives: its override, else the same-numbered GSI with ISA's default flags.
MadtOverride isa_irq_route(const MadtInfo& madt, uint8_t irq);

// `available` bytes may be read at `table`; the table's own length must fit within them.
MadtError parse_madt(const uint8_t* table, size_t available, MadtInfo& out);

// The standard ACPI checksum rule: all bytes of the table sum to 0 mod 256.
bool acpi_checksum_ok(const uint8_t* p, size_t len);

} // namespace rthv::x86
