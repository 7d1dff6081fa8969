// Builds RSDP, XSDT, FADT, DSDT and MADT for a hardware-reduced ACPI guest (ACPI 6.5 chapter 5).
// Fields not written stay zero, which for every FADT register block means "not implemented".
#include "hv/vplat/acpi_tables.hpp"

#include "hv/vplat/acpi_aml.hpp"

namespace rthv::vplat {
namespace {

constexpr size_t kHeaderLen = 36; // System Description Table Header (5.2.6)
constexpr size_t kRsdpLen = 36;
constexpr size_t kXsdtLen = kHeaderLen + 2 * 8;
constexpr size_t kFadtLen = 276; // FADT revision 6 (ACPI 6.0 - 6.5), 5.2.9 table 5.9
constexpr size_t kDsdtCap = kAcpiMadtOffset - kAcpiDsdtOffset;
constexpr size_t kMadtFixedLen = 44;  // header + Local Interrupt Controller Address + Flags
constexpr size_t kMadtLapicLen = 8;   // Processor Local APIC Structure (5.2.12.2)
constexpr size_t kMadtIoapicLen = 12; // I/O APIC Structure (5.2.12.3)

static_assert(kAcpiRsdpOffset + kRsdpLen <= kAcpiXsdtOffset);
static_assert(kAcpiXsdtOffset + kXsdtLen <= kAcpiFadtOffset);
static_assert(kAcpiFadtOffset + kFadtLen <= kAcpiDsdtOffset);
static_assert(acpi_tables_size(1) ==
              kAcpiMadtOffset + kMadtFixedLen + kMadtLapicLen + kMadtIoapicLen);

// Identification shared by all tables; Linux prints it in its "ACPI: XSDT ..." boot lines.
constexpr char kOemId[] = "RTHV  ";        // 6 bytes
constexpr char kOemTableId[] = "RTHVPLAT"; // 8 bytes
constexpr char kCreatorId[] = "RTHV";      // 4 bytes

void put8(uint8_t* p, size_t at, uint64_t v) { p[at] = static_cast<uint8_t>(v); }
void put16(uint8_t* p, size_t at, uint64_t v) {
    for (size_t i = 0; i < 2; ++i) p[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
void put32(uint8_t* p, size_t at, uint64_t v) {
    for (size_t i = 0; i < 4; ++i) p[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
void put64(uint8_t* p, size_t at, uint64_t v) {
    for (size_t i = 0; i < 8; ++i) p[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
void put_chars(uint8_t* p, size_t at, const char* s, size_t n) {
    for (size_t i = 0; i < n; ++i) p[at + i] = static_cast<uint8_t>(s[i]);
}

// The byte that makes p[0, len) sum to 0 mod 256, given that it currently holds 0.
uint8_t checksum_of(const uint8_t* p, size_t len) {
    uint8_t sum = 0;
    for (size_t i = 0; i < len; ++i) sum = static_cast<uint8_t>(sum + p[i]);
    return static_cast<uint8_t>(0x100 - sum);
}

// System Description Table Header (5.2.6): signature, length, revision, checksum at byte 9.
void sdt_header(uint8_t* t, const char (&sig)[5], size_t len, uint8_t revision) {
    put_chars(t, 0, sig, 4);
    put32(t, 4, len);
    put8(t, 8, revision);
    put_chars(t, 10, kOemId, 6);
    put_chars(t, 16, kOemTableId, 8);
    put32(t, 24, 1); // OEM Revision
    put_chars(t, 28, kCreatorId, 4);
    put32(t, 32, 1); // Creator Revision
}

void sdt_checksum(uint8_t* t, size_t len) { t[9] = checksum_of(t, len); }

// Root System Description Pointer (5.2.5.3), revision 2 so that it carries the XSDT address.
void write_rsdp(uint8_t* r, uint64_t xsdt_gpa) {
    put_chars(r, 0, "RSD PTR ", 8);
    put_chars(r, 9, kOemId, 6);
    put8(r, 15, 2);                   // Revision: ACPI 2.0+ layout
    put32(r, 16, 0);                  // RsdtAddress: no RSDT; revision >= 2 OSPMs use the XSDT
    put32(r, 20, kRsdpLen);           // Length of the whole structure
    put64(r, 24, xsdt_gpa);           // XsdtAddress
    r[8] = checksum_of(r, 20);        // Checksum: covers the ACPI 1.0 part, bytes 0-19
    r[32] = checksum_of(r, kRsdpLen); // Extended Checksum: covers all 36 bytes
}

// Extended System Description Table (5.2.8). The DSDT is not listed: the FADT points at it.
void write_xsdt(uint8_t* x, uint64_t fadt_gpa, uint64_t madt_gpa) {
    sdt_header(x, "XSDT", kXsdtLen, 1);
    put64(x, kHeaderLen, fadt_gpa);
    put64(x, kHeaderLen + 8, madt_gpa);
    sdt_checksum(x, kXsdtLen);
}

// Fixed ACPI Description Table (5.2.9, table 5.9). Hardware-reduced (4.1): every PM1/PM2/GPE
// block, the PM timer, SCI_INT, SMI_CMD, the sleep registers and the reset register stay zero.
void write_fadt(uint8_t* f, uint64_t dsdt_gpa) {
    sdt_header(f, "FACP", kFadtLen, 6);
    // FIRMWARE_CTRL / X_FIRMWARE_CTRL (36, 132) zero: no FACS, allowed when HW_REDUCED_ACPI.
    // DSDT (40) zero and X_DSDT (140) set: the 64-bit field wins (5.2.9) and leaving the 32-bit
    // one zero avoids ACPICA's "32/64X address mismatch" check altogether.
    // IAPC_BOOT_ARCH (109, table 5.11): LEGACY_DEVICES (bit 0) and 8042 (bit 1) clear mean no
    // ISA devices beyond those in the DSDT and no keyboard controller; bit 2 = VGA Not Present
    // (do not probe the VGA window), bit 5 = CMOS RTC Not Present (Linux skips the RTC).
    put16(f, 109, (1u << 2) | (1u << 5));
    // Flags (112, table 5.10): bit 4 PWR_BUTTON and bit 5 SLP_BUTTON say there are no fixed
    // power/sleep buttons; bit 20 HW_REDUCED_ACPI.
    put32(f, 112, (1u << 4) | (1u << 5) | (1u << 20));
    put8(f, 131, 5);              // FADT Minor Version: ACPI 6.5 (major version = revision 6)
    put64(f, 140, dsdt_gpa);      // X_DSDT
    put_chars(f, 268, "RTHV", 4); // Hypervisor Vendor Identity (bytes 272-275 stay 0)
    sdt_checksum(f, kFadtLen);
}

// Multiple APIC Description Table (5.2.12).
void write_madt(uint8_t* m, const AcpiPlatform& p) {
    size_t len = kMadtFixedLen + kMadtLapicLen * p.cpus + kMadtIoapicLen;
    sdt_header(m, "APIC", len, 5); // revision 5 (ACPI 6.3+): Online Capable flag defined
    put32(m, 36, p.lapic_gpa);     // Local Interrupt Controller Address
    put32(m, 40, 0);               // Flags: PCAT_COMPAT clear, there is no dual 8259 to mask
    size_t at = kMadtFixedLen;
    // One Processor Local APIC Structure per CPU (5.2.12.2). APIC IDs below 255 must use this
    // type, not Local x2APIC (5.2.12.12), and Linux 6.1 enumerates CPUs from either.
    for (uint32_t cpu = 0; cpu < p.cpus; ++cpu, at += kMadtLapicLen) {
        put8(m, at, 0); // Type: Processor Local APIC
        put8(m, at + 1, kMadtLapicLen);
        put8(m, at + 2, cpu);      // ACPI Processor UID (no Processor objects in the DSDT)
        put8(m, at + 3, cpu);      // APIC ID
        put32(m, at + 4, 1u << 0); // Flags: Enabled
    }
    // I/O APIC Structure (5.2.12.3): ID after the CPUs' so no APIC ID is shared, GSIs from 0.
    // No Interrupt Source Override (5.2.12.5): without one ISA IRQ n is GSI n, edge-triggered,
    // active-high, which is what COM1's IRQ 4 needs; with HW_REDUCED_ACPI there is no SCI to
    // override either (Linux skips its SCI default then).
    put8(m, at, 1);
    put8(m, at + 1, kMadtIoapicLen);
    put8(m, at + 2, p.cpus); // I/O APIC ID
    put32(m, at + 4, p.ioapic_gpa);
    put32(m, at + 8, 0); // Global System Interrupt Base
    sdt_checksum(m, len);
}

} // namespace

size_t build_acpi_tables(const AcpiPlatform& p, uint64_t base_gpa, uint8_t* buf, size_t cap,
                         uint64_t& rsdp_gpa) {
    if (p.cpus == 0 || p.cpus > kAcpiMaxCpus) return 0;
    if (p.lapic_gpa > 0xFFFFFFFFu || p.ioapic_gpa > 0xFFFFFFFFu) return 0;
    size_t total = acpi_tables_size(p.cpus);
    if (buf == nullptr || cap < total || base_gpa > ~uint64_t{0} - total) return 0;

    __builtin_memset(buf, 0, total);
    uint8_t* dsdt = buf + kAcpiDsdtOffset;
    size_t dsdt_aml = acpi_dsdt_aml(dsdt + kHeaderLen, kDsdtCap - kHeaderLen);
    if (dsdt_aml == 0) return 0; // cannot happen: the DSDT is fixed; kept for safety
    // Definition Block (5.2.11.1): revision 2 makes AML integers 64 bits wide.
    sdt_header(dsdt, "DSDT", kHeaderLen + dsdt_aml, 2);
    sdt_checksum(dsdt, kHeaderLen + dsdt_aml);

    write_madt(buf + kAcpiMadtOffset, p);
    write_fadt(buf + kAcpiFadtOffset, base_gpa + kAcpiDsdtOffset);
    write_xsdt(buf + kAcpiXsdtOffset, base_gpa + kAcpiFadtOffset, base_gpa + kAcpiMadtOffset);
    write_rsdp(buf + kAcpiRsdpOffset, base_gpa + kAcpiXsdtOffset);
    rsdp_gpa = base_gpa + kAcpiRsdpOffset;
    return total;
}

} // namespace rthv::vplat
