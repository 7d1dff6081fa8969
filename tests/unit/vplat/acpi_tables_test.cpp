// The guest ACPI tables: layout, checksums, pointers between tables, MADT contents, the FADT's
// hardware-reduced flags, and the DSDT's header (its AML is tested in acpi_aml_test.cpp).
#include "hv/vplat/acpi_aml.hpp"
#include "hv/vplat/acpi_tables.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace rthv::vplat {
namespace {

constexpr uint64_t kBase = 0x000F0000; // any guest-physical address works

uint64_t le(const uint8_t* p, size_t n) {
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= uint64_t{p[i]} << (8 * i);
    return v;
}

uint8_t sum(const uint8_t* p, size_t n) {
    uint8_t s = 0;
    for (size_t i = 0; i < n; ++i) s = static_cast<uint8_t>(s + p[i]);
    return s;
}

std::string chars(const uint8_t* p, size_t n) {
    return std::string(reinterpret_cast<const char*>(p), n);
}

struct Built {
    std::vector<uint8_t> buf;
    size_t used = 0;
    uint64_t rsdp = 0;
    // The table at guest-physical address gpa, as a pointer into buf.
    const uint8_t* at(uint64_t gpa) const { return buf.data() + (gpa - kBase); }
};

Built build(uint32_t cpus, uint64_t base = kBase) {
    Built b;
    b.buf.assign(kAcpiTablesMaxBytes, 0xAA);
    b.used =
        build_acpi_tables(AcpiPlatform{.cpus = cpus}, base, b.buf.data(), b.buf.size(), b.rsdp);
    return b;
}

TEST(AcpiTables, RejectsZeroAndTooManyCpus) {
    uint8_t buf[kAcpiTablesMaxBytes];
    uint64_t rsdp = 7;
    EXPECT_EQ(build_acpi_tables({.cpus = 0}, kBase, buf, sizeof(buf), rsdp), 0u);
    EXPECT_EQ(build_acpi_tables({.cpus = kAcpiMaxCpus + 1}, kBase, buf, sizeof(buf), rsdp), 0u);
    EXPECT_EQ(rsdp, 7u); // untouched on failure
    EXPECT_NE(build_acpi_tables({.cpus = kAcpiMaxCpus}, kBase, buf, sizeof(buf), rsdp), 0u);
}

TEST(AcpiTables, BytesUsedMatchTheDocumentedSize) {
    EXPECT_EQ(build(1).used, 0x1F0u + 44 + 8 + 12);
    EXPECT_EQ(build(2).used, 0x1F0u + 44 + 16 + 12);
    EXPECT_EQ(build(64).used, 0x1F0u + 44 + 512 + 12);
    EXPECT_EQ(build(254).used, 2584u);
    for (uint32_t n : {1u, 2u, 64u, 254u}) EXPECT_EQ(build(n).used, acpi_tables_size(n));
}

// The buffer is exactly one byte short and heap-allocated, so ASan reports any write past it.
TEST(AcpiTables, CapTooSmallWritesNothing) {
    for (uint32_t n : {1u, 2u, 64u}) {
        size_t need = acpi_tables_size(n);
        auto buf = std::make_unique<uint8_t[]>(need - 1);
        std::memset(buf.get(), 0xAA, need - 1);
        uint64_t rsdp = 0;
        EXPECT_EQ(build_acpi_tables({.cpus = n}, kBase, buf.get(), need - 1, rsdp), 0u);
        for (size_t i = 0; i < need - 1; ++i) ASSERT_EQ(buf[i], 0xAA) << "byte " << i;
        auto exact = std::make_unique<uint8_t[]>(need);
        EXPECT_EQ(build_acpi_tables({.cpus = n}, kBase, exact.get(), need, rsdp), need);
    }
    uint64_t rsdp = 0;
    EXPECT_EQ(build_acpi_tables({.cpus = 1}, kBase, nullptr, 4096, rsdp), 0u);
}

TEST(AcpiTables, RejectsAddressesTheTablesCannotHold) {
    uint8_t buf[kAcpiTablesMaxBytes];
    uint64_t rsdp = 0;
    EXPECT_EQ(
        build_acpi_tables({.cpus = 1, .ioapic_gpa = 1ull << 32}, kBase, buf, sizeof(buf), rsdp),
        0u);
    EXPECT_EQ(
        build_acpi_tables({.cpus = 1, .lapic_gpa = 1ull << 32}, kBase, buf, sizeof(buf), rsdp), 0u);
    EXPECT_EQ(build_acpi_tables({.cpus = 1}, ~uint64_t{0} - 100, buf, sizeof(buf), rsdp), 0u);
}

TEST(AcpiTables, RsdpIsRevision2AndPointsAtTheXsdt) {
    Built b = build(2);
    ASSERT_NE(b.used, 0u);
    EXPECT_EQ(b.rsdp, kBase + kAcpiRsdpOffset);
    EXPECT_EQ(b.rsdp % 16, 0u);
    const uint8_t* r = b.at(b.rsdp);
    EXPECT_EQ(chars(r, 8), "RSD PTR ");
    EXPECT_EQ(r[15], 2);
    EXPECT_EQ(le(r + 16, 4), 0u);  // no RSDT
    EXPECT_EQ(le(r + 20, 4), 36u); // Length
    EXPECT_EQ(le(r + 24, 8), kBase + kAcpiXsdtOffset);
    EXPECT_NE(r[8], 0); // the checksum byte is really computed, not left as padding
    EXPECT_EQ(sum(r, 20), 0);
    EXPECT_EQ(sum(r, 36), 0);
}

// Every table reached from the XSDT (and the DSDT from the FADT) has a valid header.
TEST(AcpiTables, EveryTableChecksumSumsToZero) {
    for (uint32_t n : {1u, 2u, 64u}) {
        Built b = build(n);
        ASSERT_NE(b.used, 0u);
        const uint8_t* xsdt = b.at(le(b.at(b.rsdp) + 24, 8));
        std::vector<const uint8_t*> tables{xsdt};
        for (size_t off = 36; off < le(xsdt + 4, 4); off += 8)
            tables.push_back(b.at(le(xsdt + off, 8)));
        tables.push_back(b.at(le(tables[1] + 140, 8))); // DSDT via the FADT's X_DSDT
        ASSERT_EQ(tables.size(), 4u);
        for (const uint8_t* t : tables) {
            size_t len = le(t + 4, 4);
            ASSERT_LE(t + len, b.buf.data() + b.used) << chars(t, 4);
            EXPECT_EQ(sum(t, len), 0) << chars(t, 4) << " with " << n << " cpus";
            EXPECT_EQ(chars(t + 10, 6), "RTHV  ");
        }
    }
}

TEST(AcpiTables, XsdtListsFadtAndMadtButNotDsdt) {
    Built b = build(2);
    const uint8_t* x = b.at(kBase + kAcpiXsdtOffset);
    EXPECT_EQ(chars(x, 4), "XSDT");
    ASSERT_EQ(le(x + 4, 4), 36u + 16);
    EXPECT_EQ(le(x + 36, 8), kBase + kAcpiFadtOffset);
    EXPECT_EQ(le(x + 44, 8), kBase + kAcpiMadtOffset);
    EXPECT_EQ(chars(b.at(le(x + 36, 8)), 4), "FACP");
    EXPECT_EQ(chars(b.at(le(x + 44, 8)), 4), "APIC");
}

TEST(AcpiTables, PointersFollowBaseGpa) {
    constexpr uint64_t kOther = 0x1'2345'6000;
    Built b = build(2, kOther);
    ASSERT_NE(b.used, 0u);
    EXPECT_EQ(b.rsdp, kOther);
    const uint8_t* buf = b.buf.data();
    EXPECT_EQ(le(buf + 24, 8), kOther + kAcpiXsdtOffset);
    EXPECT_EQ(le(buf + kAcpiXsdtOffset + 36, 8), kOther + kAcpiFadtOffset);
    EXPECT_EQ(le(buf + kAcpiXsdtOffset + 44, 8), kOther + kAcpiMadtOffset);
    EXPECT_EQ(le(buf + kAcpiFadtOffset + 140, 8), kOther + kAcpiDsdtOffset);
}

TEST(AcpiTables, FadtIsRevision6HardwareReduced) {
    Built b = build(1);
    const uint8_t* f = b.at(kBase + kAcpiFadtOffset);
    EXPECT_EQ(chars(f, 4), "FACP");
    EXPECT_EQ(le(f + 4, 4), 276u);
    EXPECT_EQ(f[8], 6);                                 // major revision
    EXPECT_EQ(f[131], 5);                               // minor revision
    EXPECT_NE(le(f + 112, 4) & (1u << 20), 0u);         // HW_REDUCED_ACPI
    EXPECT_EQ(le(f + 109, 2), (1u << 2) | (1u << 5));   // no VGA, no CMOS RTC, no 8042/legacy
    EXPECT_EQ(le(f + 36, 4) | le(f + 132, 8), 0u);      // no FACS
    EXPECT_EQ(le(f + 40, 4), 0u);                       // 32-bit DSDT unused ...
    EXPECT_EQ(le(f + 140, 8), kBase + kAcpiDsdtOffset); // ... X_DSDT set
    EXPECT_EQ(le(f + 46, 2), 0u);                       // no SCI
    EXPECT_EQ(chars(f + 268, 8), std::string("RTHV\0\0\0\0", 8));
}

TEST(AcpiTables, MadtHasOneEnabledLapicPerCpuThenTheIoapic) {
    for (uint32_t n : {1u, 2u, 64u}) {
        Built b = build(n);
        const uint8_t* m = b.at(kBase + kAcpiMadtOffset);
        EXPECT_EQ(chars(m, 4), "APIC");
        size_t len = le(m + 4, 4);
        EXPECT_EQ(kAcpiMadtOffset + len, b.used);
        EXPECT_EQ(le(m + 36, 4), 0xFEE00000u);
        EXPECT_EQ(le(m + 40, 4), 0u); // no PCAT_COMPAT
        std::vector<uint8_t> lapic_ids;
        int ioapics = 0;
        size_t off = 44;
        while (off < len) {
            const uint8_t* e = m + off;
            ASSERT_GE(e[1], 2);
            if (e[0] == 0) {
                ASSERT_EQ(e[1], 8);
                EXPECT_EQ(e[2], e[3]);       // UID = APIC ID
                EXPECT_EQ(le(e + 4, 4), 1u); // Enabled
                lapic_ids.push_back(e[3]);
            } else if (e[0] == 1) {
                ASSERT_EQ(e[1], 12);
                ++ioapics;
                EXPECT_EQ(e[2], n); // I/O APIC ID follows the CPUs
                EXPECT_EQ(le(e + 4, 4), 0xFEC00000u);
                EXPECT_EQ(le(e + 8, 4), 0u); // GSI base
            } else {
                ADD_FAILURE() << "unexpected MADT entry type " << int{e[0]};
            }
            off += e[1];
        }
        EXPECT_EQ(off, len); // entries exactly fill the table
        EXPECT_EQ(ioapics, 1);
        ASSERT_EQ(lapic_ids.size(), n);
        for (uint32_t i = 0; i < n; ++i) EXPECT_EQ(lapic_ids[i], i);
    }
}

TEST(AcpiTables, MadtUsesTheConfiguredAddresses) {
    uint8_t buf[kAcpiTablesMaxBytes];
    uint64_t rsdp = 0;
    AcpiPlatform p{.cpus = 3, .ioapic_gpa = 0xFEC01000, .lapic_gpa = 0xFEE10000};
    ASSERT_NE(build_acpi_tables(p, kBase, buf, sizeof(buf), rsdp), 0u);
    const uint8_t* m = buf + kAcpiMadtOffset;
    EXPECT_EQ(le(m + 36, 4), 0xFEE10000u);
    EXPECT_EQ(le(m + 44 + 3 * 8 + 4, 4), 0xFEC01000u);
}

TEST(AcpiTables, DsdtIsARevision2DefinitionBlockAroundTheCom1Aml) {
    Built b = build(1);
    const uint8_t* d = b.at(kBase + kAcpiDsdtOffset);
    EXPECT_EQ(chars(d, 4), "DSDT");
    EXPECT_EQ(d[8], 2); // 64-bit integers
    uint8_t aml[64];
    size_t n = acpi_dsdt_aml(aml, sizeof(aml));
    ASSERT_NE(n, 0u);
    ASSERT_EQ(le(d + 4, 4), 36u + n);
    EXPECT_EQ(std::vector<uint8_t>(d + 36, d + 36 + n), std::vector<uint8_t>(aml, aml + n));
    EXPECT_LE(kAcpiDsdtOffset + 36 + n, kAcpiMadtOffset);
}

} // namespace
} // namespace rthv::vplat
