#include "arch/x86/acpi.hpp"

#include <gtest/gtest.h>

#include <map>

#include "byte_builder.hpp"

using namespace rthv::x86;

namespace {

// A fake physical memory: tables at fixed addresses; reads outside them fail.
std::map<uint64_t, Bytes> memory;

const uint8_t* read_fake(uint64_t pa, size_t len) {
    auto it = memory.find(pa);
    if (it == memory.end() || len > it->second.size()) return nullptr;
    return it->second.data();
}

Bytes rsdp(uint8_t revision, uint32_t rsdt, uint64_t xsdt) {
    Bytes r;
    r.str("RSD PTR ", false).u8(0).str("BOCHS ", false).u8(revision).u32(rsdt);
    if (revision >= 2) r.u32(36).u64(xsdt).u8(0).u8(0).u8(0).u8(0);
    r.fix_checksum(8, 20);
    if (revision >= 2) r.fix_checksum(32, 36);
    return r;
}

class Acpi : public ::testing::Test {
protected:
    void SetUp() override {
        memory.clear();
        Bytes apic = sdt_header("APIC", 1);
        apic.u32(0xfee00000).u32(1);
        finish_sdt(apic);
        Bytes facp = sdt_header("FACP", 1);
        finish_sdt(facp);
        memory[0x3000] = facp;
        memory[0x4000] = apic;
        Bytes rsdt = sdt_header("RSDT", 1);
        rsdt.u32(0x3000).u32(0x4000);
        finish_sdt(rsdt);
        memory[0x1000] = rsdt;
        Bytes xsdt = sdt_header("XSDT", 1);
        xsdt.u64(0x3000).u64(0x4000);
        finish_sdt(xsdt);
        memory[0x2000] = xsdt;
    }
};

TEST_F(Acpi, FindsMadtThroughRsdtAndXsdt) {
    for (uint8_t rev : {uint8_t{0}, uint8_t{2}}) {
        Bytes r = rsdp(rev, 0x1000, 0x2000);
        AcpiTable t;
        ASSERT_EQ(find_acpi_table(r.data(), r.size(), "APIC", read_fake, t), AcpiError::kNone);
        EXPECT_EQ(t.bytes, memory[0x4000].data());
        EXPECT_EQ(t.length, memory[0x4000].size());
    }
}

TEST_F(Acpi, ErrorsAreReported) {
    AcpiTable t;
    Bytes r = rsdp(2, 0x1000, 0x2000);
    EXPECT_EQ(find_acpi_table(r.data(), r.size(), "HPET", read_fake, t), AcpiError::kNotFound);
    EXPECT_EQ(find_acpi_table(r.data(), 19, "APIC", read_fake, t), AcpiError::kBadRsdp);
    Bytes bad = r;
    bad[0] = 'X';
    EXPECT_EQ(find_acpi_table(bad.data(), bad.size(), "APIC", read_fake, t), AcpiError::kBadRsdp);
    memory[0x2000][40] ^= 1; // XSDT checksum broken
    EXPECT_EQ(find_acpi_table(r.data(), r.size(), "APIC", read_fake, t), AcpiError::kBadRootTable);
    Bytes dangling = rsdp(0, 0x9000, 0); // root table address maps nothing
    EXPECT_EQ(find_acpi_table(dangling.data(), dangling.size(), "APIC", read_fake, t),
              AcpiError::kBadRootTable);
}

TEST_F(Acpi, CorruptCandidateIsSkipped) {
    memory[0x4000][20] ^= 0x10; // the only MADT now fails its checksum
    Bytes r = rsdp(0, 0x1000, 0);
    AcpiTable t;
    EXPECT_EQ(find_acpi_table(r.data(), r.size(), "APIC", read_fake, t), AcpiError::kNotFound);
}

} // namespace
