// Deferrable-server rules: burn only while running, keep budget while blocked, refill at the
// period boundary discarding the rest, grid catch-up, depletion with and without extratime.
#include "fake_platform.hpp"

#include <gtest/gtest.h>

namespace rthv::test {
namespace {

TEST(ServerRules, BurnsOnlyWhileRunningAndKeepsBudgetWhileBlocked) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(10000, 4000)).ok());
    rig.settle();
    ASSERT_EQ(rig.cur(0), &v);
    rig.advance(1 * kMs);
    rig.sched->block(v);
    rig.settle();
    EXPECT_EQ(rig.cur(0), nullptr);
    EXPECT_EQ(v.place(), Place::Blocked);
    EXPECT_EQ(v.budget_left(), 3 * kMs);
    EXPECT_EQ(v.replenish_at(), kTimeNever); // no timer while blocked
    rig.advance_to(9 * kMs);
    EXPECT_EQ(v.budget_left(), 3 * kMs);
    EXPECT_EQ(rig.sched->stats(v).run_ns, 1 * kMs);
    rig.sched->wake(v); // before the deadline: keeps budget and deadline
    rig.settle();
    EXPECT_EQ(rig.cur(0), &v);
    EXPECT_EQ(v.deadline(), 10 * kMs);
    EXPECT_EQ(v.budget_left(), 3 * kMs);
    EXPECT_EQ(v.replenish_at(), 10 * kMs);
    EXPECT_EQ(rig.verify(), nullptr);
}

TEST(ServerRules, WithoutExtratimeDepletesAndWaitsForItsPeriod) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(10000, 4000, false)).ok());
    rig.advance_to(5 * kMs);
    EXPECT_EQ(rig.cur(0), nullptr); // idle although v is awake: it has no budget
    EXPECT_EQ(v.place(), Place::Depleted);
    EXPECT_EQ(v.budget_left(), 0u);
    EXPECT_EQ(rig.verify(), nullptr);
    rig.advance_to(10 * kMs);
    EXPECT_EQ(rig.cur(0), &v);
    EXPECT_EQ(v.deadline(), 20 * kMs);
    EXPECT_EQ(v.budget_left(), 4 * kMs);
    VcpuStats s = rig.sched->stats(v);
    EXPECT_EQ(s.budget_used_ns, 4 * kMs);
    EXPECT_EQ(s.periods, 2u); // the first (insert) and the one replenished at 10 ms
    EXPECT_EQ(s.misses, 0u);
    EXPECT_EQ(s.overruns, 0u);
}

TEST(ServerRules, WithExtratimeDropsALevelAndKeepsRunning) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(10000, 4000, true)).ok());
    rig.advance_to(9 * kMs);
    EXPECT_EQ(rig.cur(0), &v);
    EXPECT_EQ(v.level(), 2u);                   // refilled at 4 ms and at 8 ms
    EXPECT_EQ(v.budget_left(), 4 * kMs);        // as of the last burn (8 ms)
    EXPECT_EQ(rig.platform.armed[0], 10 * kMs); // replenishment before the budget end at 12
    VcpuStats s = rig.sched->stats(v);
    EXPECT_EQ(s.budget_used_ns, 4 * kMs);
    EXPECT_EQ(s.extratime_ns, 5 * kMs);
    rig.advance_to(10 * kMs); // replenishment: back to level 0, full budget
    EXPECT_EQ(v.level(), 0u);
    EXPECT_EQ(v.budget_left(), 4 * kMs);
    EXPECT_EQ(rig.sched->stats(v).misses, 0u); // it was at level 2: no level-0 budget left
}

TEST(ServerRules, RefillAtTheBoundaryDiscardsTheRestAndCountsTheMiss) {
    Rig rig(1);
    Vcpu hog(1, 0), v(2, 0);
    ASSERT_TRUE(rig.insert(hog, params(10000, 10000)).ok());
    ASSERT_TRUE(rig.insert(v, params(10000, 4000), CpuSet::first_n(1), 0, true).ok());
    rig.advance_to(9 * kMs);
    EXPECT_EQ(rig.cur(0), &hog); // same deadline, inserted first (FIFO)
    EXPECT_EQ(v.budget_left(), 4 * kMs);
    rig.advance_to(10 * kMs);
    EXPECT_EQ(v.deadline(), 20 * kMs);
    EXPECT_EQ(v.budget_left(), 4 * kMs); // not 8: the unused 4 ms are gone
    VcpuStats s = rig.sched->stats(v);
    EXPECT_EQ(s.misses, 1u);
    EXPECT_EQ(s.periods, 2u);
    EXPECT_EQ(rig.sched->stats(hog).misses, 0u);
}

TEST(ServerRules, GridCatchUpOverManyPeriods) {
    Rig rig(1);
    Vcpu v(1, 0);
    rig.advance_to(3 * kMs); // the grid is anchored at insert time
    ASSERT_TRUE(rig.insert(v, params(10000, 4000)).ok());
    rig.advance(1 * kMs);
    rig.sched->block(v);
    rig.settle();
    rig.advance_to(1234 * kMs + 500 * kUs);
    rig.sched->wake(v); // after its deadline: next grid point, full budget
    rig.settle();
    EXPECT_EQ(v.deadline(), 1243 * kMs);
    EXPECT_EQ(v.budget_left(), 4 * kMs);
    EXPECT_EQ(v.level(), 0u);
    EXPECT_EQ(rig.sched->stats(v).periods, 2u); // the first and the one it woke into, not the
                                                // 123 skipped while blocked
    EXPECT_EQ(rig.sched->stats(v).misses, 0u);  // nor missed
}

TEST(ServerRules, ReplenishmentTimerIsPerVcpuOnItsLastCpu) {
    Rig rig(4);
    Vcpu a(1, 0), b(2, 0);
    ASSERT_TRUE(rig.insert(a, params(10000, 4000), CpuSet::single(2)).ok());
    ASSERT_TRUE(rig.insert(b, params(7000, 1000), CpuSet::single(3)).ok());
    rig.settle();
    EXPECT_EQ(a.replenish_timer().queued_on(), 2u);
    EXPECT_EQ(b.replenish_timer().queued_on(), 3u);
    EXPECT_EQ(a.replenish_at(), 10 * kMs);
    EXPECT_EQ(b.replenish_at(), 7 * kMs);
}

TEST(ServerRules, ReplenishingARunningVcpuRearmsItsBudgetTimer) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(10000, 4000, false)).ok());
    rig.advance(500 * kUs);
    rig.sched->block(v);
    rig.settle();
    rig.advance_to(7 * kMs);
    rig.sched->wake(v); // 3.5 ms left, deadline 10 ms: runs 7..10.5 unless replenished
    rig.settle();
    EXPECT_EQ(rig.platform.armed[0], 10 * kMs); // replenishment first, budget end at 10.5
    rig.advance_to(10 * kMs);
    EXPECT_EQ(rig.cur(0), &v);
    EXPECT_EQ(v.budget_left(), 4 * kMs);
    EXPECT_EQ(rig.platform.armed[0], 14 * kMs);
    // 0.5 ms of level-0 budget was left, but it was eligible for only 3.5 ms of the period and
    // ran all of them: nothing was denied, it woke too late (DESIGN.md "Misses").
    EXPECT_EQ(rig.sched->stats(v).misses, 0u);
    EXPECT_EQ(rig.sched->stats(v).late_wakes, 1u);
}

TEST(ServerRules, LateReplenishmentCatchesUpOnTheGrid) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(1000, 100, false)).ok());
    rig.advance_to(100 * kUs); // depleted, waiting for 1 ms
    ASSERT_EQ(v.place(), Place::Depleted);
    // The platform delivers the 1 ms interrupt only at 3.5 ms.
    rig.platform.time = 3500 * kUs;
    rig.platform.armed[0] = kTimeNever;
    rig.timers.expire(0, rig.platform.time);
    rig.settle();
    EXPECT_EQ(v.deadline(), 4 * kMs);           // on the grid, not 3.5 + 1
    EXPECT_EQ(rig.sched->stats(v).periods, 4u); // the first, then 3 crossed by one late timer
    EXPECT_EQ(rig.cur(0), &v);
}

} // namespace
} // namespace rthv::test
