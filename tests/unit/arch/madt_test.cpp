#include "arch/x86/madt.hpp"

#include <gtest/gtest.h>

#include "byte_builder.hpp"

using namespace rthv::x86;

namespace {

// The MADT QEMU 7.2 (i440fx, -smp 4) builds: 4 local APICs, one IOAPIC, interrupt source
// overrides and a LAPIC NMI entry, in that order.
Bytes qemu_madt(int cpus = 4) {
    Bytes t = sdt_header("APIC", 1);
    t.u32(0xfee00000).u32(1); // LAPIC address, PCAT_COMPAT
    for (int i = 0; i < cpus; ++i)
        t.u8(0).u8(8).u8(static_cast<uint8_t>(i)).u8(static_cast<uint8_t>(i)).u32(1);
    t.u8(1).u8(12).u8(0).u8(0).u32(0xfec00000).u32(0); // IOAPIC
    t.u8(2).u8(10).u8(0).u8(0).u32(2).u16(0);          // ISO IRQ0 -> GSI2
    t.u8(2).u8(10).u8(0).u8(9).u32(9).u16(0xd);        // ISO IRQ9 level
    t.u8(4).u8(6).u8(0xff).u16(0).u8(1);               // LAPIC NMI on LINT1
    finish_sdt(t);
    return t;
}

TEST(Madt, ParsesQemuTable) {
    Bytes t = qemu_madt();
    MadtInfo m;
    ASSERT_EQ(parse_madt(t.data(), t.size(), m), MadtError::kNone);
    EXPECT_EQ(m.lapic_address, 0xfee00000u);
    EXPECT_TRUE(m.has_8259);
    ASSERT_EQ(m.cpu_count, 4u);
    for (uint32_t i = 0; i < 4; ++i) EXPECT_EQ(m.cpus[i].apic_id, i);
    ASSERT_EQ(m.ioapic_count, 1u);
    EXPECT_EQ(m.ioapics[0].address, 0xfec00000u);
}

// The control channel's COM2 (ISA IRQ 3) is routed through these: overrides for the IRQs they
// name, the same-numbered GSI with ISA's default flags for the rest.
TEST(Madt, InterruptSourceOverridesRouteIsaIrqs) {
    Bytes t = qemu_madt();
    MadtInfo m;
    ASSERT_EQ(parse_madt(t.data(), t.size(), m), MadtError::kNone);
    ASSERT_EQ(m.override_count, 2u);
    MadtOverride irq0 = isa_irq_route(m, 0), irq9 = isa_irq_route(m, 9), irq3 = isa_irq_route(m, 3);
    EXPECT_EQ(irq0.gsi, 2u);
    EXPECT_EQ(irq9.gsi, 9u);
    EXPECT_EQ(irq9.flags, 0xdu); // active high, level
    EXPECT_EQ(irq3.gsi, 3u);
    EXPECT_EQ(irq3.flags, 0u);
}

TEST(Madt, DisabledCpusSkippedX2ApicAndOverrideHonoured) {
    Bytes t = sdt_header("APIC", 5);
    t.u32(0xfee00000).u32(0);
    t.u8(0).u8(8).u8(0).u8(0).u32(1);             // enabled
    t.u8(0).u8(8).u8(1).u8(1).u32(0);             // disabled, not online-capable
    t.u8(0).u8(8).u8(2).u8(2).u32(2);             // online-capable
    t.u8(9).u8(16).u16(0).u32(300).u32(1).u32(3); // x2APIC id 300
    t.u8(5).u8(12).u16(0).u64(0xfed00000);        // LAPIC address override
    finish_sdt(t);
    MadtInfo m;
    ASSERT_EQ(parse_madt(t.data(), t.size(), m), MadtError::kNone);
    ASSERT_EQ(m.cpu_count, 3u);
    EXPECT_EQ(m.cpus[1].apic_id, 2u);
    EXPECT_EQ(m.cpus[2].apic_id, 300u);
    EXPECT_EQ(m.disabled_cpus, 1u);
    EXPECT_EQ(m.lapic_address, 0xfed00000u);
    EXPECT_FALSE(m.has_8259);
}

TEST(Madt, TruncatedAtEveryLengthIsAnErrorNotACrash) {
    Bytes t = qemu_madt();
    for (size_t n = 0; n < t.size(); ++n) {
        Bytes cut = t;
        cut.resize(n); // ASan catches any read past the shortened buffer
        MadtInfo m;
        EXPECT_NE(parse_madt(n == 0 ? nullptr : cut.data(), n, m), MadtError::kNone) << n;
    }
}

TEST(Madt, CorruptTablesGiveClearErrors) {
    MadtInfo m;
    Bytes sig = qemu_madt();
    sig[0] = 'X';
    EXPECT_EQ(parse_madt(sig.data(), sig.size(), m), MadtError::kBadSignature);

    Bytes sum = qemu_madt();
    sum[50] ^= 0x40;
    EXPECT_EQ(parse_madt(sum.data(), sum.size(), m), MadtError::kBadChecksum);

    Bytes short_len = qemu_madt();
    short_len.put32(4, 40);
    EXPECT_EQ(parse_madt(short_len.data(), short_len.size(), m), MadtError::kBadLength);

    // An entry claiming length 0 would loop forever; one claiming 200 runs past the end.
    for (uint8_t bad_len : {uint8_t{0}, uint8_t{1}, uint8_t{200}, uint8_t{4}}) {
        Bytes e = qemu_madt();
        e[45] = bad_len; // length byte of the first LAPIC entry
        e.fix_checksum(9, e.size());
        EXPECT_EQ(parse_madt(e.data(), e.size(), m), MadtError::kBadEntry) << int{bad_len};
    }
}

TEST(Madt, MoreCpusThanSupportedAreCountedAsTruncated) {
    Bytes t = qemu_madt(static_cast<int>(kMaxMadtCpus) + 3);
    MadtInfo m;
    ASSERT_EQ(parse_madt(t.data(), t.size(), m), MadtError::kNone);
    EXPECT_EQ(m.cpu_count, kMaxMadtCpus);
    EXPECT_TRUE(m.cpus_truncated);
}

} // namespace
