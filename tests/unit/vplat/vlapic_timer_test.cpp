// VirtualLapic's timer: TSC-deadline, one-shot and periodic modes (hv/vplat/vlapic_timer.cpp).
#include "hv/vplat/vlapic.hpp"

#include <gtest/gtest.h>

namespace rthv::vplat {
namespace {

constexpr uint64_t kX2apic = kApicBaseDefault | kApicBaseEnable | kApicBaseExtd;
constexpr uint32_t kDeadlineMode = 2u << 17;
constexpr uint32_t kPeriodicMode = 1u << 17;
constexpr uint8_t kVec = 0xEC;

// x2APIC, software-enabled, 4 TSC cycles per timer input tick.
VirtualLapic timer_lapic() {
    VirtualLapic l(0, 4);
    LapicEffects fx;
    EXPECT_EQ(l.write_msr(kMsrApicBase, kX2apic, 0, fx), MsrAccess::Ok);
    EXPECT_EQ(l.write_msr(x2apic::kSvr, 0x1FF, 0, fx), MsrAccess::Ok);
    return l;
}

void wr(VirtualLapic& l, uint32_t msr, uint64_t value, uint64_t now, LapicEffects& fx) {
    ASSERT_EQ(l.write_msr(msr, value, now, fx), MsrAccess::Ok) << std::hex << msr;
}

uint64_t rd(VirtualLapic& l, uint32_t msr, uint64_t now) {
    uint64_t v = ~0ull;
    EXPECT_EQ(l.read_msr(msr, v, now), MsrAccess::Ok);
    return v;
}

TEST(VlapicTimer, TscDeadlineArmExpireAndDisarm) {
    VirtualLapic l = timer_lapic();
    LapicEffects fx;
    wr(l, x2apic::kLvtTimer, kDeadlineMode | kVec, 0, fx);
    wr(l, kMsrTscDeadline, 1000, 100, fx);
    EXPECT_EQ(fx.timer_deadline_tsc, 1000u);
    EXPECT_TRUE(fx.timer_changed);
    EXPECT_EQ(rd(l, kMsrTscDeadline, 200), 1000u);
    l.timer_expired(999, fx); // early: nothing
    EXPECT_EQ(l.pending_vector(), -1);
    EXPECT_FALSE(fx.timer_changed);
    EXPECT_EQ(fx.timer_deadline_tsc, 1000u);
    l.timer_expired(1000, fx);
    EXPECT_EQ(l.pending_vector(), kVec);
    EXPECT_EQ(fx.timer_deadline_tsc, 0u);
    EXPECT_TRUE(fx.timer_changed);
    EXPECT_EQ(rd(l, kMsrTscDeadline, 1001), 0u); // cleared by the expiry
    // Writing 0 disarms.
    wr(l, kMsrTscDeadline, 5000, 1001, fx);
    EXPECT_EQ(fx.timer_deadline_tsc, 5000u);
    wr(l, kMsrTscDeadline, 0, 1002, fx);
    EXPECT_EQ(fx.timer_deadline_tsc, 0u);
    EXPECT_TRUE(fx.timer_changed);
    EXPECT_EQ(l.timer_deadline(), 0u);
}

TEST(VlapicTimer, TscDeadlineInThePastFiresAtOnce) {
    VirtualLapic l = timer_lapic();
    LapicEffects fx;
    wr(l, x2apic::kLvtTimer, kDeadlineMode | kVec, 0, fx);
    wr(l, kMsrTscDeadline, 50, 100, fx);
    EXPECT_EQ(l.pending_vector(), kVec);
    EXPECT_EQ(fx.timer_deadline_tsc, 0u);
    EXPECT_EQ(rd(l, kMsrTscDeadline, 100), 0u);
}

TEST(VlapicTimer, MaskedTscDeadlineExpiresWithoutPending) {
    VirtualLapic l = timer_lapic();
    LapicEffects fx;
    wr(l, x2apic::kLvtTimer, kLvtMasked | kDeadlineMode | kVec, 0, fx);
    wr(l, kMsrTscDeadline, 300, 0, fx);
    EXPECT_EQ(fx.timer_deadline_tsc, 300u);
    l.timer_expired(300, fx);
    EXPECT_EQ(l.pending_vector(), -1);
    EXPECT_FALSE(l.irr(kVec));
    EXPECT_EQ(rd(l, kMsrTscDeadline, 301), 0u);
}

TEST(VlapicTimer, TscDeadlineMsrOnlyInDeadlineModeAndModeSwitchDisarms) {
    VirtualLapic l = timer_lapic();
    LapicEffects fx;
    wr(l, x2apic::kLvtTimer, kVec, 0, fx); // one-shot: the MSR is ignored, reads 0
    wr(l, kMsrTscDeadline, 1000, 0, fx);
    EXPECT_EQ(fx.timer_deadline_tsc, 0u);
    EXPECT_EQ(rd(l, kMsrTscDeadline, 0), 0u);
    wr(l, x2apic::kLvtTimer, kDeadlineMode | kVec, 0, fx);
    wr(l, kMsrTscDeadline, 1000, 0, fx);
    wr(l, x2apic::kTimerInitial, 10, 0, fx); // ignored in TSC-deadline mode
    EXPECT_EQ(rd(l, x2apic::kTimerInitial, 0), 0u);
    EXPECT_EQ(fx.timer_deadline_tsc, 1000u);
    wr(l, x2apic::kLvtTimer, kVec, 10, fx); // leaving TSC-deadline mode disarms
    EXPECT_EQ(fx.timer_deadline_tsc, 0u);
    EXPECT_TRUE(fx.timer_changed);
    l.timer_expired(1000, fx);
    EXPECT_EQ(l.pending_vector(), -1);
}

TEST(VlapicTimer, OneShotCountsDownAndReadsBack) {
    VirtualLapic l = timer_lapic();
    LapicEffects fx;
    wr(l, x2apic::kLvtTimer, kVec, 0, fx);
    wr(l, x2apic::kTimerDivide, 0xB, 0, fx); // divide by 1: one count per 4 TSC cycles
    wr(l, x2apic::kTimerInitial, 100, 1000, fx);
    EXPECT_EQ(fx.timer_deadline_tsc, 1400u);
    EXPECT_EQ(rd(l, x2apic::kTimerInitial, 1000), 100u);
    EXPECT_EQ(rd(l, x2apic::kTimerCurrent, 1000), 100u);
    EXPECT_EQ(rd(l, x2apic::kTimerCurrent, 1003), 100u);
    EXPECT_EQ(rd(l, x2apic::kTimerCurrent, 1004), 99u);
    EXPECT_EQ(rd(l, x2apic::kTimerCurrent, 1399), 1u);
    l.timer_expired(1400, fx);
    EXPECT_EQ(l.pending_vector(), kVec);
    EXPECT_EQ(fx.timer_deadline_tsc, 0u);
    EXPECT_EQ(rd(l, x2apic::kTimerCurrent, 1500), 0u);
    EXPECT_EQ(rd(l, x2apic::kTimerInitial, 1500), 100u);
    // Divide by 2 (code 000): 8 TSC cycles per count. Writing 0 stops the count.
    wr(l, x2apic::kTimerDivide, 0, 2000, fx);
    wr(l, x2apic::kTimerInitial, 10, 2000, fx);
    EXPECT_EQ(fx.timer_deadline_tsc, 2080u);
    wr(l, x2apic::kTimerInitial, 0, 2010, fx);
    EXPECT_EQ(fx.timer_deadline_tsc, 0u);
    EXPECT_EQ(rd(l, x2apic::kTimerCurrent, 2010), 0u);
}

TEST(VlapicTimer, DivideChangeKeepsTheRemainingCount) {
    VirtualLapic l = timer_lapic();
    LapicEffects fx;
    wr(l, x2apic::kLvtTimer, kVec, 0, fx);
    wr(l, x2apic::kTimerDivide, 0xB, 0, fx);   // 4 cycles per count
    wr(l, x2apic::kTimerInitial, 100, 0, fx);  // ends at 400
    wr(l, x2apic::kTimerDivide, 0x1, 200, fx); // divide by 4: 16 cycles per count, 50 left
    EXPECT_EQ(rd(l, x2apic::kTimerCurrent, 200), 50u);
    EXPECT_EQ(fx.timer_deadline_tsc, 200u + 50u * 16u);
}

TEST(VlapicTimer, PeriodicRearmsOnItsPhase) {
    VirtualLapic l = timer_lapic();
    LapicEffects fx;
    wr(l, x2apic::kLvtTimer, kPeriodicMode | kVec, 0, fx);
    wr(l, x2apic::kTimerDivide, 0xB, 0, fx);
    wr(l, x2apic::kTimerInitial, 10, 0, fx); // period 40 TSC cycles
    EXPECT_EQ(fx.timer_deadline_tsc, 40u);
    l.timer_expired(40, fx);
    EXPECT_EQ(l.pending_vector(), kVec);
    EXPECT_EQ(fx.timer_deadline_tsc, 80u);
    EXPECT_TRUE(fx.timer_changed);
    l.ack(kVec);
    wr(l, x2apic::kEoi, 0, 41, fx);
    // Late by two periods: one interrupt, the next expiry stays on the 40-cycle grid.
    EXPECT_EQ(rd(l, x2apic::kTimerCurrent, 170), 8u); // 30 cycles left before 200
    l.timer_expired(170, fx);
    EXPECT_EQ(fx.timer_deadline_tsc, 200u);
    EXPECT_EQ(l.pending_vector(), kVec);
    EXPECT_EQ(rd(l, x2apic::kTimerCurrent, 170), 8u);
}

TEST(VlapicTimer, MaskedPeriodicKeepsCountingWithoutPending) {
    VirtualLapic l = timer_lapic();
    LapicEffects fx;
    wr(l, x2apic::kLvtTimer, kLvtMasked | kPeriodicMode | kVec, 0, fx);
    wr(l, x2apic::kTimerDivide, 0xB, 0, fx);
    wr(l, x2apic::kTimerInitial, 10, 0, fx);
    l.timer_expired(40, fx);
    EXPECT_EQ(fx.timer_deadline_tsc, 80u);
    EXPECT_FALSE(l.irr(kVec));
    wr(l, x2apic::kLvtTimer, kPeriodicMode | kVec, 50, fx); // unmasked: the next one pends
    l.timer_expired(80, fx);
    EXPECT_EQ(l.pending_vector(), kVec);
}

TEST(VlapicTimer, ExpiryOverdueAtAnAccessIsAppliedThen) {
    VirtualLapic l = timer_lapic();
    LapicEffects fx;
    wr(l, x2apic::kLvtTimer, kVec, 0, fx);
    wr(l, x2apic::kTimerInitial, 10, 0, fx); // divide by 2: ends at 80
    EXPECT_EQ(rd(l, x2apic::kTimerCurrent, 90), 0u);
    EXPECT_EQ(l.pending_vector(), kVec);
    EXPECT_EQ(l.timer_deadline(), 0u);
    l.timer_expired(95, fx); // the caller's stale host timer: harmless
    EXPECT_FALSE(fx.timer_changed);
}

} // namespace
} // namespace rthv::vplat
