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

} // namespace
} // namespace rthv
