// VirtualLapic: IA32_APIC_BASE transitions, the x2APIC MSR map and its #GP cases, priority
// (TPR/PPR), acceptance, ack and EOI (hv/vplat/vlapic.hpp).
#include "hv/vplat/vlapic.hpp"

#include <gtest/gtest.h>

namespace rthv::vplat {
namespace {

constexpr uint64_t kXapic = kApicBaseDefault | kApicBaseEnable;
constexpr uint64_t kX2apic = kXapic | kApicBaseExtd;

// A VCPU's APIC as Linux leaves it: x2APIC mode, software-enabled with spurious vector 0xFF.
VirtualLapic x2apic_lapic(uint32_t id) {
    VirtualLapic l(id, 4);
    LapicEffects fx;
    EXPECT_EQ(l.write_msr(kMsrApicBase, kX2apic, 0, fx), MsrAccess::Ok);
    EXPECT_EQ(l.write_msr(x2apic::kSvr, 0x1FF, 0, fx), MsrAccess::Ok);
    return l;
}

uint64_t rd(VirtualLapic& l, uint32_t msr) {
    uint64_t v = ~0ull;
    EXPECT_EQ(l.read_msr(msr, v, 0), MsrAccess::Ok) << std::hex << msr;
    return v;
}

MsrAccess wr(VirtualLapic& l, uint32_t msr, uint64_t value) {
    LapicEffects fx;
    return l.write_msr(msr, value, 0, fx);
}

TEST(VlapicBase, ResetStateIsXapicWithBspOnVcpu0Only) {
    VirtualLapic bsp(0, 1), ap(3, 1);
    EXPECT_EQ(rd(bsp, kMsrApicBase), kXapic | kApicBaseBsp);
    EXPECT_EQ(rd(ap, kMsrApicBase), kXapic);
    EXPECT_FALSE(ap.x2apic_mode());
    EXPECT_FALSE(ap.sw_enabled());
    // No xAPIC MMIO model, and the x2APIC MSRs #GP until EXTD is set (SDM 11.12.1.2).
    uint64_t v = 7;
    EXPECT_EQ(ap.read_msr(x2apic::kId, v, 0), MsrAccess::Gp);
    EXPECT_EQ(v, 0u);
    EXPECT_EQ(wr(ap, x2apic::kTpr, 0x20), MsrAccess::Gp);
    EXPECT_EQ(ap.tpr(), 0u);
}

TEST(VlapicBase, X2apicTransitionsFollowSdm11_12_5) {
    VirtualLapic l(1, 1);
    // Invalid state EN=0, EXTD=1.
    EXPECT_EQ(wr(l, kMsrApicBase, kApicBaseDefault | kApicBaseExtd), MsrAccess::Gp);
    // xAPIC -> x2APIC.
    EXPECT_EQ(wr(l, kMsrApicBase, kX2apic), MsrAccess::Ok);
    EXPECT_TRUE(l.x2apic_mode());
    EXPECT_EQ(rd(l, x2apic::kId), 1u);
    ASSERT_EQ(wr(l, x2apic::kTpr, 0x30), MsrAccess::Ok);
    // x2APIC -> xAPIC is illegal and changes nothing.
    EXPECT_EQ(wr(l, kMsrApicBase, kXapic), MsrAccess::Gp);
    EXPECT_TRUE(l.x2apic_mode());
    EXPECT_EQ(l.tpr(), 0x30u);
    // x2APIC -> disabled resets the registers.
    EXPECT_EQ(wr(l, kMsrApicBase, kApicBaseDefault), MsrAccess::Ok);
    EXPECT_FALSE(l.hw_enabled());
    EXPECT_EQ(l.tpr(), 0u);
    // disabled -> x2APIC is illegal; disabled -> xAPIC -> x2APIC is the way back.
    EXPECT_EQ(wr(l, kMsrApicBase, kX2apic), MsrAccess::Gp);
    EXPECT_EQ(wr(l, kMsrApicBase, kXapic), MsrAccess::Ok);
    EXPECT_EQ(wr(l, kMsrApicBase, kX2apic), MsrAccess::Ok);
    // Reserved bits (0-7, 9), a moved base, bits above MAXPHYADDR.
    EXPECT_EQ(wr(l, kMsrApicBase, kX2apic | 1), MsrAccess::Gp);
    EXPECT_EQ(wr(l, kMsrApicBase, kX2apic | (1u << 9)), MsrAccess::Gp);
    EXPECT_EQ(wr(l, kMsrApicBase, (kX2apic & ~kApicBaseDefault) | 0xFEF00000u), MsrAccess::Gp);
    EXPECT_EQ(wr(l, kMsrApicBase, kX2apic | (1ull << 60)), MsrAccess::Gp);
    // BSP is read-only: writing it on an AP is accepted and ignored.
    EXPECT_EQ(wr(l, kMsrApicBase, kX2apic | kApicBaseBsp), MsrAccess::Ok);
    EXPECT_EQ(rd(l, kMsrApicBase), kX2apic);
}

TEST(VlapicMsr, IdentityRegisters) {
    VirtualLapic l = x2apic_lapic(0x23);
    EXPECT_EQ(rd(l, x2apic::kId), 0x23u);
    EXPECT_EQ(rd(l, x2apic::kVersion), 0x50014u);
    // Cluster 0x23 >> 4 = 2, member bit 0x23 & 15 = 3 (SDM 11.12.10.2).
    EXPECT_EQ(rd(l, x2apic::kLdr), 0x20008u);
    EXPECT_EQ(rd(l, x2apic::kSvr), 0x1FFu);
    for (uint32_t msr = x2apic::kLvtTimer; msr <= x2apic::kLvtError; ++msr) {
        EXPECT_EQ(rd(l, msr), kLvtMasked) << std::hex << msr;
    }
}

TEST(VlapicMsr, GeneralProtectionCases) {
    VirtualLapic l = x2apic_lapic(2);
    uint64_t v = 0;
    // Reserved MSRs in the range: xAPIC-only APR, RRD, DFR, ICR high; CMCI (max LVT is 5).
    for (uint32_t msr : {0x800u, 0x801u, 0x809u, 0x80Cu, 0x80Eu, 0x82Fu, 0x831u, 0x83Au, 0x8FFu}) {
        EXPECT_EQ(l.read_msr(msr, v, 0), MsrAccess::Gp) << std::hex << msr;
        EXPECT_EQ(wr(l, msr, 0), MsrAccess::Gp) << std::hex << msr;
    }
    // Not ours at all.
    EXPECT_EQ(l.read_msr(0x7FF, v, 0), MsrAccess::Gp);
    // Write-only registers.
    EXPECT_EQ(l.read_msr(x2apic::kEoi, v, 0), MsrAccess::Gp);
    EXPECT_EQ(l.read_msr(x2apic::kSelfIpi, v, 0), MsrAccess::Gp);
    // Read-only registers.
    for (uint32_t msr : {x2apic::kId, x2apic::kVersion, x2apic::kPpr, x2apic::kLdr, x2apic::kIsr0,
                         x2apic::kTmr0 + 3, x2apic::kIrr0 + 7, x2apic::kTimerCurrent}) {
        EXPECT_EQ(wr(l, msr, 0), MsrAccess::Gp) << std::hex << msr;
    }
    // Non-zero writes where only 0 is allowed, and reserved bits.
    EXPECT_EQ(wr(l, x2apic::kEoi, 1), MsrAccess::Gp);
    EXPECT_EQ(wr(l, x2apic::kEsr, 1), MsrAccess::Gp);
    EXPECT_EQ(wr(l, x2apic::kTpr, 0x100), MsrAccess::Gp);
    EXPECT_EQ(wr(l, x2apic::kTpr, 1ull << 32), MsrAccess::Gp);
    EXPECT_EQ(wr(l, x2apic::kSvr, 0x11FF), MsrAccess::Gp);       // EOI-broadcast suppression
    EXPECT_EQ(wr(l, x2apic::kLvtTimer, 0x800EC), MsrAccess::Gp); // bit 19
    EXPECT_EQ(wr(l, x2apic::kLvtTimer, 0x600EC), MsrAccess::Gp); // mode 11b
    EXPECT_EQ(wr(l, x2apic::kLvtError, 0x004FE), MsrAccess::Gp); // delivery mode bits
    EXPECT_EQ(wr(l, x2apic::kTimerDivide, 0x4), MsrAccess::Gp);  // bit 2
    EXPECT_EQ(wr(l, x2apic::kTimerInitial, 1ull << 32), MsrAccess::Gp);
    EXPECT_EQ(wr(l, x2apic::kSelfIpi, 0x140), MsrAccess::Gp);
    EXPECT_EQ(wr(l, x2apic::kIcr, (1u << 13) | 0x40), MsrAccess::Gp);
    EXPECT_EQ(wr(l, x2apic::kIcr, (1u << 20) | 0x40), MsrAccess::Gp);
    // None of them changed anything.
    EXPECT_EQ(l.tpr(), 0u);
    EXPECT_EQ(rd(l, x2apic::kSvr), 0x1FFu);
    EXPECT_EQ(rd(l, x2apic::kLvtTimer), kLvtMasked);
    EXPECT_EQ(rd(l, x2apic::kIcr), 0u);
    EXPECT_EQ(l.pending_vector(), -1);
    // Read-only LVT bits (delivery status, LINT remote IRR) are dropped, not refused.
    EXPECT_EQ(wr(l, x2apic::kLvtLint0, 0x5700), MsrAccess::Ok);
    EXPECT_EQ(rd(l, x2apic::kLvtLint0), 0x0700u);
}

TEST(VlapicMsr, SoftwareDisableMasksLvtsAndRefusesNewFixedInterrupts) {
    VirtualLapic l = x2apic_lapic(0);
    ASSERT_EQ(wr(l, x2apic::kLvtError, 0xFE), MsrAccess::Ok);
    EXPECT_EQ(rd(l, x2apic::kLvtError), 0xFEu);
    l.set_irr(0x40, false);
    ASSERT_EQ(wr(l, x2apic::kSvr, 0xFF), MsrAccess::Ok);
    EXPECT_EQ(rd(l, x2apic::kLvtError), 0xFEu | kLvtMasked);
    ASSERT_EQ(wr(l, x2apic::kLvtError, 0xFE), MsrAccess::Ok);
    EXPECT_EQ(rd(l, x2apic::kLvtError), 0xFEu | kLvtMasked); // the mask cannot be cleared
    l.set_irr(0x80, false);
    EXPECT_FALSE(l.irr(0x80));
    // Accepted before the disable: held and still delivered (SDM 11.4.7.2).
    EXPECT_EQ(l.pending_vector(), 0x40);
}

TEST(VlapicIrq, TprMasksPendingVectorsByPriorityClass) {
    VirtualLapic l = x2apic_lapic(0);
    l.set_irr(0x45, false);
    ASSERT_EQ(wr(l, x2apic::kTpr, 0x40), MsrAccess::Ok);
    EXPECT_EQ(rd(l, x2apic::kPpr), 0x40u);
    EXPECT_EQ(l.pending_vector(), -1); // class 4 is not above PPR class 4
    ASSERT_EQ(wr(l, x2apic::kTpr, 0x3F), MsrAccess::Ok);
    EXPECT_EQ(l.pending_vector(), 0x45);
    EXPECT_EQ(rd(l, x2apic::kIrr0 + 2), 1u << 5); // vector 0x45 = word 2, bit 5
}

TEST(VlapicIrq, HighestVectorIsDeliveredFirst) {
    VirtualLapic l = x2apic_lapic(0);
    for (uint8_t v : {uint8_t{0x31}, uint8_t{0xA0}, uint8_t{0x7F}}) l.set_irr(v, false);
    EXPECT_EQ(l.pending_vector(), 0xA0);
    l.ack(0xA0);
    EXPECT_EQ(l.pending_vector(), -1); // 0x7F is below the in-service class 0xA
    LapicEffects fx;
    ASSERT_EQ(l.write_msr(x2apic::kEoi, 0, 0, fx), MsrAccess::Ok);
    EXPECT_EQ(l.pending_vector(), 0x7F);
    l.ack(0x7F);
    EXPECT_EQ(l.pending_vector(), -1);
    ASSERT_EQ(l.write_msr(x2apic::kEoi, 0, 0, fx), MsrAccess::Ok);
    EXPECT_EQ(l.pending_vector(), 0x31);
}

TEST(VlapicIrq, NestedInServiceVectorsAndEoiOrder) {
    VirtualLapic l = x2apic_lapic(0);
    ASSERT_EQ(wr(l, x2apic::kTpr, 0x22), MsrAccess::Ok);
    l.set_irr(0x40, false);
    l.ack(0x40);
    EXPECT_EQ(l.ppr(), 0x40u); // ISR class above TPR: sub-class 0 (SDM 11.8.3.1)
    l.set_irr(0x45, false);    // same class as the one in service: waits
    EXPECT_EQ(l.pending_vector(), -1);
    l.set_irr(0x80, false); // a higher class nests
    EXPECT_EQ(l.pending_vector(), 0x80);
    l.ack(0x80);
    EXPECT_EQ(rd(l, x2apic::kIsr0 + 4), 1u);
    EXPECT_EQ(l.ppr(), 0x80u);
    LapicEffects fx;
    ASSERT_EQ(l.write_msr(x2apic::kEoi, 0, 0, fx), MsrAccess::Ok); // retires 0x80, the highest
    EXPECT_FALSE(l.isr(0x80));
    EXPECT_TRUE(l.isr(0x40));
    EXPECT_EQ(l.pending_vector(), -1);
    ASSERT_EQ(l.write_msr(x2apic::kEoi, 0, 0, fx), MsrAccess::Ok);
    EXPECT_EQ(l.ppr(), 0x22u); // back to TPR
    EXPECT_EQ(l.pending_vector(), 0x45);
    EXPECT_EQ(fx.eoi_level_vector, -1);
}

TEST(VlapicIrq, EoiOfLevelVectorIsReported) {
    VirtualLapic l = x2apic_lapic(0);
    l.set_irr(0x50, true);
    EXPECT_TRUE(l.tmr(0x50));
    EXPECT_EQ(rd(l, x2apic::kTmr0 + 2), 1u << 16);
    l.ack(0x50);
    LapicEffects fx;
    ASSERT_EQ(l.write_msr(x2apic::kEoi, 0, 0, fx), MsrAccess::Ok);
    EXPECT_EQ(fx.eoi_level_vector, 0x50);
    // The same vector later accepted edge-triggered clears TMR: no report.
    l.set_irr(0x50, false);
    l.ack(0x50);
    ASSERT_EQ(l.write_msr(x2apic::kEoi, 0, 0, fx), MsrAccess::Ok);
    EXPECT_EQ(fx.eoi_level_vector, -1);
}

TEST(VlapicIrq, IllegalVectorIsRefusedAndLoggedInEsr) {
    VirtualLapic l = x2apic_lapic(0);
    ASSERT_EQ(wr(l, x2apic::kLvtError, 0xFE), MsrAccess::Ok);
    l.set_irr(0x05, false);
    EXPECT_FALSE(l.irr(0x05));
    EXPECT_EQ(rd(l, x2apic::kEsr), 0u); // not latched until ESR is written (SDM 11.5.3)
    ASSERT_EQ(wr(l, x2apic::kEsr, 0), MsrAccess::Ok);
    EXPECT_EQ(rd(l, x2apic::kEsr), 1u << 6);
    EXPECT_EQ(l.pending_vector(), 0xFE); // the LVT error interrupt
    ASSERT_EQ(wr(l, x2apic::kEsr, 0), MsrAccess::Ok);
    EXPECT_EQ(rd(l, x2apic::kEsr), 0u);
}

} // namespace
} // namespace rthv::vplat
