// Pure server arithmetic (hv/sched/server_math.hpp): grid catch-up, CBS test, charging.
#include "hv/sched/params.hpp"
#include "hv/sched/server_math.hpp"

#include <gtest/gtest.h>

namespace rthv {
namespace {

TEST(GridMath, DeadlineAheadIsKept) {
    GridStep s = grid_next_after(10000, 10000, 9999);
    EXPECT_EQ(s.deadline, 10000u);
    EXPECT_EQ(s.periods, 0u);
}

TEST(GridMath, AtTheDeadlineMovesOnePeriod) {
    GridStep s = grid_next_after(10000, 10000, 10000);
    EXPECT_EQ(s.deadline, 20000u);
    EXPECT_EQ(s.periods, 1u);
}

TEST(GridMath, CatchUpOverManyPeriodsStaysOnTheGrid) {
    // Anchored at 3 (deadline 13, period 10); now = 1,000,005 -> next point 1,000,013.
    GridStep s = grid_next_after(13, 10, 1000005);
    EXPECT_EQ(s.deadline, 1000013u);
    EXPECT_EQ(s.periods, 100000u);
    EXPECT_EQ((s.deadline - 13) % 10, 0u);
}

TEST(GridMath, HugeGapsNeedNoLoop) {
    Duration period = from_us(kMaxPeriodUs);
    GridStep s = grid_next_after(period, period, 1000 * period + 1);
    EXPECT_EQ(s.deadline, 1001 * period);
    EXPECT_EQ(s.periods, 1000u);
}

TEST(CbsMath, FreshPeriodWhenDeadlinePassed) {
    EXPECT_TRUE(cbs_needs_fresh_period(1, 100, 100, 40, 100));
    EXPECT_TRUE(cbs_needs_fresh_period(1, 100, 150, 40, 100));
}

TEST(CbsMath, FreshPeriodOnlyAboveTheReservedRate) {
    // Budget 40 / period 100 = 0.4. Left 40 with 100 to go: rate 0.4, keep.
    EXPECT_FALSE(cbs_needs_fresh_period(40, 100, 0, 40, 100));
    // Left 40 with 60 to go: 0.67 > 0.4, reset.
    EXPECT_TRUE(cbs_needs_fresh_period(40, 100, 40, 40, 100));
    // Left 24 with 60 to go: exactly 0.4, keep.
    EXPECT_FALSE(cbs_needs_fresh_period(24, 100, 40, 40, 100));
    // Left 25 with 60 to go: just above, reset.
    EXPECT_TRUE(cbs_needs_fresh_period(25, 100, 40, 40, 100));
}

TEST(CbsMath, NoOverflowAtTheLimits) {
    Duration period = from_us(kMaxPeriodUs); // 4.3e15 ns: products need ~103 bits
    Duration budget = period - 1;
    EXPECT_FALSE(cbs_needs_fresh_period(budget, period, 0, budget, period));
    EXPECT_TRUE(cbs_needs_fresh_period(budget, period, 1, budget, period));
}

TEST(ChargeMath, StolenTimeIsSubtractedAndSaturates) {
    EXPECT_EQ(charged_time(100, 400, 0), 300u);
    EXPECT_EQ(charged_time(100, 400, 120), 180u);
    EXPECT_EQ(charged_time(100, 400, 500), 0u);
    EXPECT_EQ(charged_time(400, 100, 0), 0u);
}

TEST(ChargeMath, SplitAtADeadlineTakesStolenTimeFromTheFirstPart) {
    SplitCharge c = split_charge(100, 400, 0, 300);
    EXPECT_EQ(c.before, 200u);
    EXPECT_EQ(c.after, 100u);
    c = split_charge(100, 400, 250, 300); // 200 stolen before the cut, 50 after
    EXPECT_EQ(c.before, 0u);
    EXPECT_EQ(c.after, 50u);
    c = split_charge(100, 400, 0, kTimeNever); // no cut: all before
    EXPECT_EQ(c.before, 300u);
    EXPECT_EQ(c.after, 0u);
    c = split_charge(350, 400, 10, 300); // started after the cut: all after
    EXPECT_EQ(c.before, 0u);
    EXPECT_EQ(c.after, 40u);
    for (Time cut : {Time{0}, Time{150}, Time{399}, Time{500}})
        for (Duration stolen : {Duration{0}, Duration{70}, Duration{1000}}) {
            SplitCharge x = split_charge(100, 400, stolen, cut);
            EXPECT_EQ(x.before + x.after, charged_time(100, 400, stolen)) << cut << " " << stolen;
        }
}

TEST(MissMath, DeniedOnlyAfterWaitingTheBudgetLeft) {
    EXPECT_TRUE(denied_budget(5000, 1000, 4000));  // waited 4000 >= 4000 left
    EXPECT_FALSE(denied_budget(4999, 1000, 4000)); // woke too late by 1 ns
    EXPECT_FALSE(denied_budget(1000, 1000, 1));    // ran all of its eligible time
    EXPECT_FALSE(denied_budget(0, 0, 1));
}

TEST(DebtMath, PaysFromSkippedPeriodsThenTheNewBudget) {
    Duration debt = 0;
    EXPECT_EQ(pay_debt(debt, 100, 1), 100u);
    debt = 30;
    EXPECT_EQ(pay_debt(debt, 100, 1), 70u);
    EXPECT_EQ(debt, 0u);
    debt = 250;
    EXPECT_EQ(pay_debt(debt, 100, 1), 0u);
    EXPECT_EQ(debt, 150u);
    EXPECT_EQ(pay_debt(debt, 100, 2), 50u); // one skipped period pays 100, the new one 50
    EXPECT_EQ(debt, 0u);
    debt = 1;
    EXPECT_EQ(pay_debt(debt, 100, ~uint64_t{0}), 100u); // no overflow on huge skips
    EXPECT_EQ(debt, 0u);
}

} // namespace
} // namespace rthv
