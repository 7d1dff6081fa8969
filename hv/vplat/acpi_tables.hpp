// The ACPI tables a Linux guest reads at boot to find its CPUs, interrupt controllers and COM1:
// RSDP -> XSDT -> {FADT -> DSDT, MADT}, describing a hardware-reduced ACPI platform (ACPI 6.5
// section 4.1: no PM1/GPE blocks, no SCI, no FACS, no 8259 PIC), as Firecracker does.
//
// All tables are laid out in one caller buffer that the caller copies to guest-physical
// base_gpa; every pointer between tables is an absolute guest-physical address. Offsets from
// base_gpa, each 16-byte aligned:
//   RSDP  +0x000  36 bytes (ACPI 6.5 5.2.5.3; 16-byte aligned as 5.2.5.1 asks)
//   XSDT  +0x030  52 bytes (2 entries: FADT, MADT)
//   FADT  +0x070  276 bytes (revision 6)
//   DSDT  +0x190  87 bytes (\_SB.COM1)
//   MADT  +0x1F0  44 + 8 * cpus + 12 bytes (last, because it is the only table that grows)
// The guest learns the RSDP from the PVH start_info.rsdp_paddr, so no BIOS-area scan is needed.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace rthv::vplat {

struct AcpiPlatform {
    uint32_t cpus = 0;                // local APIC IDs 0 .. cpus-1; the I/O APIC gets ID cpus
    uint64_t ioapic_gpa = 0xFEC00000; // I/O APIC MMIO base; its pins are GSIs 0, 1, ...
    uint64_t lapic_gpa = 0xFEE00000;  // local APIC MMIO base (MADT header field is 32-bit)
};

// Local APIC IDs are 0..cpus-1 and the I/O APIC takes ID cpus, all below the 255 that would
// require x2APIC entries (ACPI 6.5 5.2.12.12), so 254 CPUs is the most this layout describes.
inline constexpr uint32_t kAcpiMaxCpus = 254;

inline constexpr size_t kAcpiRsdpOffset = 0x000;
inline constexpr size_t kAcpiXsdtOffset = 0x030;
inline constexpr size_t kAcpiFadtOffset = 0x070;
inline constexpr size_t kAcpiDsdtOffset = 0x190;
inline constexpr size_t kAcpiMadtOffset = 0x1F0;

// Bytes build_acpi_tables() uses for `cpus` CPUs (valid for 1..kAcpiMaxCpus).
constexpr size_t acpi_tables_size(uint32_t cpus) { return kAcpiMadtOffset + 44 + 8 * cpus + 12; }

// What any cpus <= kAcpiMaxCpus needs: acpi_tables_size(254) = 2584, rounded up to one page.
inline constexpr size_t kAcpiTablesMaxBytes = 4096;
static_assert(acpi_tables_size(kAcpiMaxCpus) <= kAcpiTablesMaxBytes);

// Writes the tables into buf[0, result) (which will live at base_gpa in guest memory) and
// zeroes the padding between them. Returns the number of bytes used, or 0 without writing
// anything if cap is too small, cpus is 0 or > kAcpiMaxCpus, base_gpa + size wraps around, or
// lapic_gpa / ioapic_gpa do not fit the MADT's 32-bit address fields.
// rsdp_gpa receives the RSDP's guest-physical address (base_gpa + kAcpiRsdpOffset) on success.
size_t build_acpi_tables(const AcpiPlatform& p, uint64_t base_gpa, uint8_t* buf, size_t cap,
                         uint64_t& rsdp_gpa);

} // namespace rthv::vplat
