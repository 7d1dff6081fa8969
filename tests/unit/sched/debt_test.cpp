// Overrun debt (DESIGN.md "Overrun debt"): without extratime, time charged beyond the budget
// (a late budget timer) and time run after the deadline (a late replenishment) are taken from
// the next period(s), so over k periods a VCPU receives at most k budgets plus one overrun.
#include "fake_platform.hpp"

#include <gtest/gtest.h>

namespace rthv::test {
namespace {

// Delivers cpu 0's armed interrupt `late` ns after its deadline, then settles.
void fire_late(Rig& rig, Time late) {
    rig.platform.time = rig.platform.armed[0] + late;
    rig.platform.armed[0] = kTimeNever;
    rig.timers.expire(0, rig.platform.time);
    rig.settle();
}

TEST(Debt, OverrunIsTakenFromTheNextPeriod) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(1000, 100, false)).ok());
    rig.settle();
    fire_late(rig, 30 * kUs); // budget timer 30 us late
    EXPECT_EQ(rig.sched->stats(v).overrun_ns_total, 30 * kUs);
    EXPECT_EQ(v.debt(), 30 * kUs);
    rig.advance_to(1 * kMs); // replenishment
    EXPECT_EQ(v.budget_left(), 70 * kUs);
    EXPECT_EQ(v.debt(), 0u);
    rig.advance_to(2 * kMs);
    // Two periods: 2 budgets plus the one overrun, not more.
    EXPECT_EQ(rig.sched->stats(v).run_ns, 200 * kUs);
    EXPECT_EQ(rig.sched->stats(v).overruns, 1u); // the total stays in the statistics
}

TEST(Debt, ADebtAboveTheBudgetSpansSeveralPeriods) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(1000, 100, false)).ok());
    rig.settle();
    fire_late(rig, 250 * kUs);
    EXPECT_EQ(v.debt(), 250 * kUs);
    rig.advance_to(1 * kMs);
    EXPECT_EQ(v.budget_left(), 0u);
    EXPECT_EQ(v.place(), Place::Depleted);
    EXPECT_EQ(rig.cur(0), nullptr);
    rig.advance_to(2 * kMs);
    EXPECT_EQ(v.budget_left(), 0u);
    rig.advance_to(3 * kMs);
    EXPECT_EQ(v.budget_left(), 50 * kUs);
    EXPECT_EQ(rig.cur(0), &v);
    rig.advance_to(4 * kMs);
    EXPECT_EQ(rig.sched->stats(v).run_ns, 400 * kUs); // 4 budgets: 350 + the 50 of period 4
    EXPECT_EQ(rig.verify(), nullptr);
}

// Found by the threaded test under load: a debt owed when extratime is switched on must not be
// paid, or the VCPU starts its period with no budget on the depletedq (verify() refuses that).
TEST(Debt, SwitchingExtratimeOnDropsTheDebt) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(1000, 100, false)).ok());
    rig.settle();
    fire_late(rig, 250 * kUs); // more than one budget owed
    EXPECT_EQ(v.debt(), 250 * kUs);
    ASSERT_TRUE(rig.sched->set_params(v, params(1000, 100, true)).ok());
    rig.advance_to(1 * kMs); // replenishment
    EXPECT_EQ(v.debt(), 0u);
    EXPECT_EQ(v.budget_left(), 100 * kUs);
    EXPECT_NE(v.place(), Place::Depleted);
    EXPECT_EQ(rig.verify(), nullptr);
}

TEST(Debt, TimeRunAfterTheDeadlineBelongsToTheNextPeriod) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(1000, 500, false)).ok());
    rig.advance(100 * kUs);
    rig.sched->block(v);
    rig.settle();
    rig.advance_to(900 * kUs);
    rig.sched->wake(v); // 400 us left, deadline 1 ms: runs across it
    rig.settle();
    ASSERT_EQ(rig.platform.armed[0], 1 * kMs);
    fire_late(rig, 200 * kUs); // replenishment delivered at 1.2 ms
    EXPECT_EQ(rig.cur(0), &v);
    EXPECT_EQ(v.deadline(), 2 * kMs);
    EXPECT_EQ(v.budget_left(), 300 * kUs); // 500 minus the 200 us already run in this period
    EXPECT_EQ(rig.sched->stats(v).late_wakes, 1u); // 300 us left, eligible 200 us, ran 200
    EXPECT_EQ(rig.sched->stats(v).overruns, 0u);   // the budget was never exceeded
    rig.advance_to(2 * kMs);
    EXPECT_EQ(rig.sched->stats(v).run_ns, 200 * kUs + 500 * kUs); // [1, 2) ms: one budget
}

TEST(Debt, WithExtratimeAnOverrunIsNotCarried) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(1000, 100, true)).ok());
    rig.settle();
    fire_late(rig, 30 * kUs);
    EXPECT_EQ(rig.sched->stats(v).overrun_ns_total, 30 * kUs);
    EXPECT_EQ(v.debt(), 0u); // it may run beyond its reservation anyway (extratime)
}

TEST(Debt, SkippedPeriodsPayTheDebt) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(1000, 100, false)).ok());
    rig.settle();
    fire_late(rig, 250 * kUs); // debt 250 us
    rig.sched->block(v);       // nothing runnable: blocked while depleted
    rig.settle();
    rig.advance_to(5500 * kUs);
    rig.sched->wake(v); // 5 grid points later: 4 skipped periods paid it all
    rig.settle();
    EXPECT_EQ(v.debt(), 0u);
    EXPECT_EQ(v.budget_left(), 100 * kUs);
}

} // namespace
} // namespace rthv::test
