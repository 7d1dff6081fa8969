// Honest misses (DESIGN.md "Misses"): a period that ends with level-0 budget left is a miss only
// if the VCPU waited (eligible, not charged) at least that budget in the period; otherwise it
// is a late wake, counted apart.
#include "fake_platform.hpp"

#include <gtest/gtest.h>

namespace rthv::test {
namespace {

// hog (inserted first, same deadline) runs the whole first period; v blocks at once and wakes
// at `wake_at` with its full 4 ms budget, waits behind hog until the boundary at 10 ms.
VcpuStats starved_after_wake_at(Time wake_at) {
    Rig rig(1);
    Vcpu hog(1, 0), v(2, 0);
    EXPECT_TRUE(rig.insert(hog, params(10000, 10000)).ok());
    EXPECT_TRUE(rig.insert(v, params(10000, 4000), CpuSet::first_n(1), 0, true).ok());
    rig.sched->block(v); // queued, never ran: keeps its whole budget
    rig.advance_to(wake_at);
    rig.sched->wake(v);
    rig.advance_to(10 * kMs);
    EXPECT_EQ(v.budget_left(), 4 * kMs); // it never ran
    return rig.sched->stats(v);
}

TEST(Misses, WaitingExactlyTheBudgetLeftIsAMiss) {
    VcpuStats s = starved_after_wake_at(6 * kMs); // waited 4 ms >= 4 ms left
    EXPECT_EQ(s.misses, 1u);
    EXPECT_EQ(s.late_wakes, 0u);
}

TEST(Misses, WakingTooLateToUseTheBudgetIsALateWake) {
    VcpuStats s = starved_after_wake_at(6 * kMs + 1); // waited 1 ns less than it had left
    EXPECT_EQ(s.misses, 0u);
    EXPECT_EQ(s.late_wakes, 1u);
}

TEST(Misses, AVcpuThatRanItsEligibleTimeIsNotAMiss) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(10000, 4000)).ok());
    rig.advance(1 * kMs);
    rig.sched->block(v);
    rig.advance_to(9 * kMs);
    rig.sched->wake(v); // 3 ms left, 1 ms to the deadline: it runs all of it
    rig.advance_to(10 * kMs);
    VcpuStats s = rig.sched->stats(v);
    EXPECT_EQ(s.misses, 0u);
    EXPECT_EQ(s.late_wakes, 1u);
    EXPECT_EQ(s.budget_used_ns, 2 * kMs);
}

TEST(Misses, PausedTimeIsNotEligibleTime) {
    Rig rig(1);
    Vcpu hog(1, 0), v(2, 0);
    ASSERT_TRUE(rig.insert(hog, params(10000, 10000)).ok());
    ASSERT_TRUE(rig.insert(v, params(10000, 4000), CpuSet::first_n(1), 0, true).ok());
    rig.advance_to(1 * kMs); // v waits 1 ms behind hog
    rig.sched->pause(v);
    rig.advance_to(8 * kMs);
    rig.sched->unpause(v); // and 2 ms more: 3 ms < 4 ms left
    rig.advance_to(10 * kMs);
    VcpuStats s = rig.sched->stats(v);
    EXPECT_EQ(s.misses, 0u);
    EXPECT_EQ(s.late_wakes, 1u);
}

} // namespace
} // namespace rthv::test
