// VirtualLapic's ICR and IPI routing, INIT/SIPI start-up (hv/vplat/vlapic_icr.cpp, vlapic.hpp).
#include "hv/vplat/vlapic.hpp"

#include <gtest/gtest.h>

namespace rthv::vplat {
namespace {

constexpr uint64_t kX2apic = kApicBaseDefault | kApicBaseEnable | kApicBaseExtd;
// ICR fields (SDM 11.6.1).
constexpr uint64_t kInit = 5u << 8, kStartUp = 6u << 8, kNmi = 4u << 8;
constexpr uint64_t kLogical = 1u << 11, kAssert = 1u << 14, kLevelTrig = 1u << 15;
constexpr uint64_t kSelf = 1u << 18, kAllIncl = 2u << 18, kAllExcl = 3u << 18;

VirtualLapic x2apic_lapic(uint32_t id) {
    VirtualLapic l(id, 1);
    LapicEffects fx;
    EXPECT_EQ(l.write_msr(kMsrApicBase, kX2apic, 0, fx), MsrAccess::Ok);
    EXPECT_EQ(l.write_msr(x2apic::kSvr, 0x1FF, 0, fx), MsrAccess::Ok);
    return l;
}

LapicEffects send(VirtualLapic& l, uint64_t icr) {
    LapicEffects fx;
    EXPECT_EQ(l.write_msr(x2apic::kIcr, icr, 0, fx), MsrAccess::Ok);
    return fx;
}

TEST(VlapicIcr, FixedPhysicalIpi) {
    VirtualLapic l = x2apic_lapic(1);
    const uint64_t icr = (3ull << 32) | 0x40;
    const LapicEffects fx = send(l, icr);
    ASSERT_TRUE(fx.has_ipi);
    EXPECT_EQ(fx.ipi.mode, DeliveryMode::Fixed);
    EXPECT_EQ(fx.ipi.dest_mode, DestMode::Physical);
    EXPECT_EQ(fx.ipi.shorthand, Shorthand::None);
    EXPECT_EQ(fx.ipi.vector, 0x40);
    EXPECT_FALSE(fx.ipi.level);
    EXPECT_EQ(fx.ipi.dest, 3u);
    EXPECT_TRUE(ipi_targets(fx.ipi, 1, 3));
    EXPECT_FALSE(ipi_targets(fx.ipi, 1, 2));
    EXPECT_FALSE(ipi_targets(fx.ipi, 1, 1));
    uint64_t v = 0;
    ASSERT_EQ(l.read_msr(x2apic::kIcr, v, 0), MsrAccess::Ok);
    EXPECT_EQ(v, icr);
    // 0xFFFFFFFF is the x2APIC broadcast.
    IpiRequest all = fx.ipi;
    all.dest = 0xFFFFFFFFu;
    EXPECT_TRUE(ipi_targets(all, 1, 1));
    EXPECT_TRUE(ipi_targets(all, 1, 200));
}

TEST(VlapicIcr, InitAssertIsSentAndDeassertIsNot) {
    VirtualLapic l = x2apic_lapic(0);
    LapicEffects fx = send(l, (2ull << 32) | kInit | kAssert | kLevelTrig);
    ASSERT_TRUE(fx.has_ipi);
    EXPECT_EQ(fx.ipi.mode, DeliveryMode::Init);
    EXPECT_TRUE(ipi_targets(fx.ipi, 0, 2));
    fx = send(l, (2ull << 32) | kInit | kLevelTrig); // INIT level de-assert
    EXPECT_FALSE(fx.has_ipi);
}

TEST(VlapicIcr, StartUpCarriesTheVector) {
    VirtualLapic l = x2apic_lapic(0);
    const LapicEffects fx = send(l, (5ull << 32) | kStartUp | 0x9A);
    ASSERT_TRUE(fx.has_ipi);
    EXPECT_EQ(fx.ipi.mode, DeliveryMode::StartUp);
    EXPECT_EQ(fx.ipi.vector, 0x9A);
    EXPECT_EQ(fx.ipi.dest, 5u);
}

TEST(VlapicIcr, Shorthands) {
    VirtualLapic l = x2apic_lapic(2);
    LapicEffects fx = send(l, kSelf | 0x41);
    ASSERT_TRUE(fx.has_ipi);
    EXPECT_TRUE(ipi_targets(fx.ipi, 2, 2));
    EXPECT_FALSE(ipi_targets(fx.ipi, 2, 3));
    fx = send(l, kAllIncl | 0x42);
    ASSERT_TRUE(fx.has_ipi);
    EXPECT_TRUE(ipi_targets(fx.ipi, 2, 2));
    EXPECT_TRUE(ipi_targets(fx.ipi, 2, 7));
    fx = send(l, kAllExcl | kInit | kAssert | kLevelTrig);
    ASSERT_TRUE(fx.has_ipi);
    EXPECT_EQ(fx.ipi.mode, DeliveryMode::Init);
    EXPECT_FALSE(ipi_targets(fx.ipi, 2, 2));
    EXPECT_TRUE(ipi_targets(fx.ipi, 2, 0));
    fx = send(l, kAllExcl | kStartUp | 0x10);
    ASSERT_TRUE(fx.has_ipi);
    EXPECT_EQ(fx.ipi.vector, 0x10);
    // The self shorthand is valid for fixed interrupts only.
    EXPECT_FALSE(send(l, kSelf | kNmi).has_ipi);
}

TEST(VlapicIcr, LogicalDestinationIsClusterAndMemberMask) {
    VirtualLapic l = x2apic_lapic(0);
    const LapicEffects fx = send(l, (0x00010003ull << 32) | kLogical | 0x50);
    ASSERT_TRUE(fx.has_ipi);
    EXPECT_EQ(fx.ipi.dest_mode, DestMode::Logical);
    EXPECT_TRUE(ipi_targets(fx.ipi, 0, 16)); // cluster 1, member 0
    EXPECT_TRUE(ipi_targets(fx.ipi, 0, 17)); // cluster 1, member 1
    EXPECT_FALSE(ipi_targets(fx.ipi, 0, 18));
    EXPECT_FALSE(ipi_targets(fx.ipi, 0, 1)); // member 1 of cluster 0
    EXPECT_FALSE(ipi_targets(fx.ipi, 0, 33));
}

TEST(VlapicIcr, IllegalVectorIsNotSentAndLogged) {
    VirtualLapic l = x2apic_lapic(0);
    EXPECT_FALSE(send(l, (1ull << 32) | 0x0F).has_ipi);
    LapicEffects fx;
    ASSERT_EQ(l.write_msr(x2apic::kEsr, 0, 0, fx), MsrAccess::Ok);
    uint64_t esr = 0;
    ASSERT_EQ(l.read_msr(x2apic::kEsr, esr, 0), MsrAccess::Ok);
    EXPECT_EQ(esr, 1u << 5);
}

TEST(VlapicIcr, SelfIpiMsrPendsLocally) {
    VirtualLapic l = x2apic_lapic(0);
    LapicEffects fx;
    ASSERT_EQ(l.write_msr(x2apic::kSelfIpi, 0x61, 0, fx), MsrAccess::Ok);
    EXPECT_FALSE(fx.has_ipi);
    EXPECT_EQ(l.pending_vector(), 0x61);
    EXPECT_FALSE(l.tmr(0x61));
}

TEST(VcpuStart, ApWaitsForSipiAndStartsOnce) {
    VcpuStartState ap(false);
    EXPECT_TRUE(ap.waiting_for_sipi());
    EXPECT_EQ(ap.start_vector(), -1);
    EXPECT_TRUE(ap.on_sipi(0x9A));
    EXPECT_FALSE(ap.waiting_for_sipi());
    EXPECT_EQ(ap.start_vector(), 0x9A);
    EXPECT_EQ(ap.start_cs_base(), 0x9A000u);
    EXPECT_EQ(ap.start_cs_selector(), 0x9A00u);
    EXPECT_FALSE(ap.on_sipi(0x20)); // Linux's second SIPI: ignored while running
    EXPECT_EQ(ap.start_vector(), 0x9A);
    ap.on_init();
    EXPECT_TRUE(ap.waiting_for_sipi());
    EXPECT_EQ(ap.start_vector(), -1);
    EXPECT_TRUE(ap.on_sipi(0x10));
    EXPECT_EQ(ap.start_vector(), 0x10);
    VcpuStartState bsp(true);
    EXPECT_FALSE(bsp.waiting_for_sipi());
    EXPECT_FALSE(bsp.on_sipi(0x9A));
}

TEST(VcpuStart, InitResetsTheApicButKeepsX2apicModeAndId) {
    VirtualLapic l = x2apic_lapic(3);
    LapicEffects fx;
    ASSERT_EQ(l.write_msr(x2apic::kTpr, 0x20, 0, fx), MsrAccess::Ok);
    ASSERT_EQ(l.write_msr(x2apic::kLvtTimer, 0xEC, 0, fx), MsrAccess::Ok);
    ASSERT_EQ(l.write_msr(x2apic::kTimerInitial, 100, 0, fx), MsrAccess::Ok);
    l.set_irr(0x80, false);
    l.init_reset();
    EXPECT_TRUE(l.x2apic_mode());
    EXPECT_EQ(l.id(), 3u);
    EXPECT_EQ(l.tpr(), 0u);
    EXPECT_FALSE(l.sw_enabled());
    EXPECT_EQ(l.pending_vector(), -1);
    EXPECT_EQ(l.timer_deadline(), 0u);
    uint64_t v = 0;
    ASSERT_EQ(l.read_msr(x2apic::kLvtTimer, v, 0), MsrAccess::Ok);
    EXPECT_EQ(v, kLvtMasked);
}

} // namespace
} // namespace rthv::vplat
