// The budget timer is left out while the running VCPU's replenishment, on the same CPU's queue,
// comes no later than its budget's end (schedule.cpp replenished_first): it could never fire.
// What must hold: no such timer is queued, a budget that does end first still gets one, and
// the VCPU is still stopped or replenished exactly as before.
#include "fake_platform.hpp"

#include <gtest/gtest.h>

namespace rthv::test {
namespace {

TEST(BudgetTimer, LeftOutWhileTheReplenishmentComesFirst) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(10000, 10000, false)).ok()); // budget == period
    rig.settle();
    ASSERT_EQ(rig.cur(0), &v);
    EXPECT_EQ(rig.timers.pending(0), 1u); // its replenishment only
    rig.advance(35 * kMs);                // three replenishments re-arm no budget timer either
    EXPECT_EQ(rig.cur(0), &v);
    EXPECT_EQ(rig.timers.pending(0), 1u);
    EXPECT_EQ(rig.sched->stats(v).periods, 4u);
    EXPECT_EQ(rig.sched->stats(v).run_ns, 35 * kMs);
    EXPECT_EQ(rig.sched->stats(v).overruns, 0u);
}

TEST(BudgetTimer, QueuedWhenTheBudgetEndsFirstAndStillStopsTheVcpu) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(10000, 4000, false)).ok());
    rig.settle();
    EXPECT_EQ(rig.timers.pending(0), 2u); // replenishment and budget
    rig.advance(4 * kMs);
    EXPECT_EQ(v.place(), Place::Depleted);
    EXPECT_EQ(rig.sched->stats(v).run_ns, 4 * kMs);
}

// A deferrable server waking late in its period with more budget than time left: the budget
// cannot run out before the replenishment, so no budget timer; at the deadline it continues
// with a fresh budget and nothing overran.
TEST(BudgetTimer, LateWakeWithMoreBudgetThanPeriodLeft) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(10000, 4000, false)).ok());
    rig.settle();
    rig.sched->block(v);
    rig.settle();
    rig.advance(8 * kMs);
    rig.sched->wake(v); // 2 ms to the deadline, 4 ms of budget
    rig.settle();
    ASSERT_EQ(rig.cur(0), &v);
    EXPECT_EQ(rig.timers.pending(0), 1u);
    rig.advance(3 * kMs); // past the replenishment at 10 ms: a budget timer for 14 ms now
    EXPECT_EQ(rig.cur(0), &v);
    EXPECT_EQ(rig.timers.pending(0), 2u);
    rig.advance(4 * kMs); // the new budget ends at 14 ms
    EXPECT_EQ(v.place(), Place::Depleted);
    EXPECT_EQ(rig.sched->stats(v).overruns, 0u);
}

} // namespace
} // namespace rthv::test
