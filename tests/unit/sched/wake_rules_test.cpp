// Wake rules: the deferrable server's back-to-back execution (up to 2x budget in a row), and
// the constant-bandwidth-server rule that prevents it.
#include "fake_platform.hpp"

#include <gtest/gtest.h>

namespace rthv::test {
namespace {

// Start `v` at t = 0 and block it at once, so it keeps its full budget for later.
void start_idle(Rig& rig, Vcpu& v, const Params& p) {
    ASSERT_TRUE(rig.insert(v, p).ok());
    rig.settle();
    rig.sched->block(v);
    rig.settle();
    ASSERT_EQ(v.budget_left(), p.budget_ns());
}

TEST(WakeRules, DeferrableWakingLateRunsTwiceItsBudgetInARow) {
    Rig rig(1);
    Vcpu v(1, 0);
    start_idle(rig, v, params(10000, 4000, false, WakeRule::Deferrable));
    rig.advance_to(6 * kMs);
    rig.sched->wake(v); // keeps 4 ms and deadline 10 ms
    rig.settle();
    EXPECT_EQ(v.deadline(), 10 * kMs);
    rig.advance_to(14 * kMs - 1);
    EXPECT_EQ(rig.cur(0), &v); // ran through the boundary on the fresh budget
    rig.advance_to(14 * kMs);
    EXPECT_EQ(rig.cur(0), nullptr);
    VcpuStats s = rig.sched->stats(v);
    EXPECT_EQ(s.run_ns, 8 * kMs); // 6..14 without a break: 2 x budget
    EXPECT_EQ(s.dispatches, 2u);  // t = 0 and t = 6 ms only
}

TEST(WakeRules, CbsStartsAFreshPeriodInsteadOfRunningBackToBack) {
    Rig rig(1);
    Vcpu v(1, 0);
    start_idle(rig, v, params(10000, 4000, false, WakeRule::Cbs));
    rig.advance_to(6 * kMs);
    rig.sched->wake(v); // 4 ms in the 4 ms left would be rate 1 > 0.4: fresh period from now
    rig.settle();
    EXPECT_EQ(v.deadline(), 16 * kMs);
    EXPECT_EQ(v.budget_left(), 4 * kMs);
    rig.advance_to(10 * kMs);
    EXPECT_EQ(rig.cur(0), nullptr); // 4 ms used, nothing more until 16 ms
    EXPECT_EQ(v.place(), Place::Depleted);
    rig.advance_to(15 * kMs);
    EXPECT_EQ(rig.sched->stats(v).run_ns, 4 * kMs);
    rig.advance_to(16 * kMs);
    EXPECT_EQ(rig.cur(0), &v);
}

TEST(WakeRules, CbsKeepsBudgetAndDeadlineWhenWithinItsRate) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(10000, 4000, false, WakeRule::Cbs)).ok());
    rig.advance_to(1 * kMs);
    rig.sched->block(v);
    rig.settle();
    rig.advance_to(2 * kMs);
    rig.sched->wake(v); // 3 ms left over 8 ms = 0.375 <= 0.4: keep
    EXPECT_EQ(v.deadline(), 10 * kMs);
    EXPECT_EQ(v.budget_left(), 3 * kMs);
    rig.settle();
    rig.sched->block(v);
    rig.settle();
    rig.advance_to(4 * kMs);
    rig.sched->wake(v); // 3 ms over 6 ms = 0.5 > 0.4: fresh period
    EXPECT_EQ(v.deadline(), 14 * kMs);
    EXPECT_EQ(v.budget_left(), 4 * kMs);
}

TEST(WakeRules, CbsAfterTheDeadlineReanchorsAtNow) {
    Rig rig(1);
    Vcpu d(1, 0), c(2, 0);
    start_idle(rig, d, params(10000, 1000, false, WakeRule::Deferrable));
    start_idle(rig, c, params(10000, 1000, false, WakeRule::Cbs));
    rig.advance_to(23 * kMs);
    rig.sched->wake(d);
    rig.sched->wake(c);
    EXPECT_EQ(d.deadline(), 30 * kMs); // deferrable: back on its grid
    EXPECT_EQ(c.deadline(), 33 * kMs); // cbs: now + period
}

TEST(WakeRules, WakeOfAVcpuStillCurrentChangesNothing) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(10000, 4000, false, WakeRule::Cbs)).ok());
    rig.advance_to(2 * kMs);
    rig.sched->block(v); // its CPU has not rescheduled yet
    rig.sched->wake(v);
    rig.settle();
    EXPECT_EQ(rig.cur(0), &v);
    EXPECT_EQ(v.deadline(), 10 * kMs);
    EXPECT_EQ(v.budget_left(), 2 * kMs);
    EXPECT_EQ(rig.sched->stats(v).dispatches, 1u);
}

} // namespace
} // namespace rthv::test
