// The `periods` statistic: server periods in which the VCPU was eligible (DESIGN.md). Periods
// started by a wake count like replenished ones; periods skipped while blocked do not count.
#include "fake_platform.hpp"

#include <gtest/gtest.h>

namespace rthv::test {
namespace {

// Run `v` (alone on CPU 0) from now for `ns`, then block it.
void run_then_block(Rig& rig, Vcpu& v, Duration ns) {
    rig.settle();
    ASSERT_EQ(rig.cur(0), &v);
    rig.advance(ns);
    rig.sched->block(v);
    rig.settle();
}

void wake_at(Rig& rig, Vcpu& v, Time t) {
    rig.advance_to(t);
    rig.sched->wake(v);
    rig.settle();
}

uint64_t periods(const Rig& rig, const Vcpu& v) { return rig.sched->stats(v).periods; }

TEST(Periods, PeriodicJobsThatBlockBeforeTheBoundaryCountEveryPeriod) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(10000, 4000)).ok());
    EXPECT_EQ(periods(rig, v), 1u); // the first period starts at insert
    for (Time job = 0; job < 10; ++job) {
        if (job > 0) wake_at(rig, v, job * 10 * kMs); // a job released at each boundary
        run_then_block(rig, v, 3 * kMs);
    }
    VcpuStats s = rig.sched->stats(v);
    EXPECT_EQ(s.periods, 10u); // one per job, although no replenishment ever fired
    EXPECT_EQ(s.misses, 0u);
    EXPECT_EQ(s.run_ns, 30 * kMs);
}

TEST(Periods, DeferrableWakeCountsTheNewPeriodNotTheSkippedOnes) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(10000, 4000)).ok());
    run_then_block(rig, v, 1 * kMs);
    wake_at(rig, v, 5 * kMs); // inside its period: budget and deadline kept
    EXPECT_EQ(v.deadline(), 10 * kMs);
    EXPECT_EQ(periods(rig, v), 1u);
    run_then_block(rig, v, 1 * kMs);
    wake_at(rig, v, 47 * kMs); // periods ending at 20, 30, 40 ms passed while blocked
    EXPECT_EQ(v.deadline(), 50 * kMs);
    EXPECT_EQ(periods(rig, v), 2u);
    rig.advance_to(50 * kMs); // a replenishment counts as before
    EXPECT_EQ(periods(rig, v), 3u);
}

TEST(Periods, CbsFreshPeriodCountsOnceAndAKeptOneDoesNot) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(10000, 4000, false, WakeRule::Cbs)).ok());
    run_then_block(rig, v, 3 * kMs);
    wake_at(rig, v, 4 * kMs); // 1 ms left in 6 ms: within its rate, kept
    EXPECT_EQ(v.deadline(), 10 * kMs);
    EXPECT_EQ(periods(rig, v), 1u);
    rig.sched->block(v);
    rig.settle();
    wake_at(rig, v, 9 * kMs); // 1 ms left in 1 ms: above its rate, fresh period from 9 ms
    EXPECT_EQ(v.deadline(), 19 * kMs);
    EXPECT_EQ(periods(rig, v), 2u);
}

TEST(Periods, UnpauseIntoANewPeriodCountsIt) {
    Rig rig(2);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(10000, 4000), CpuSet::single(1)).ok());
    rig.settle();
    rig.sched->pause(v);
    rig.settle();
    rig.advance_to(25 * kMs);
    rig.sched->unpause(v);
    rig.settle();
    EXPECT_EQ(v.deadline(), 30 * kMs);
    EXPECT_EQ(periods(rig, v), 2u);
}

TEST(Periods, SetParamsStartsACountedPeriod) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(10000, 4000)).ok());
    rig.advance_to(2 * kMs);
    ASSERT_TRUE(rig.sched->set_params(v, params(20000, 4000)).ok()); // running: counts at once
    EXPECT_EQ(periods(rig, v), 2u);
}

TEST(Periods, SetParamsWhileBlockedCountsOnceAtTheWake) {
    Rig rig(1);
    Vcpu early(1, 0), late(2, 0);
    ASSERT_TRUE(rig.insert(early, params(10000, 1000), CpuSet::single(0)).ok());
    ASSERT_TRUE(rig.insert(late, params(10000, 1000), CpuSet::single(0)).ok());
    rig.advance_to(2 * kMs); // both ran their budget and wait in the depletedq
    rig.sched->block(early);
    rig.sched->block(late);
    rig.settle();
    rig.advance_to(3 * kMs);
    ASSERT_TRUE(rig.sched->set_params(early, params(10000, 2000)).ok()); // new grid: 13 ms
    ASSERT_TRUE(rig.sched->set_params(late, params(10000, 2000)).ok());
    EXPECT_EQ(periods(rig, early), 1u); // not eligible in it yet
    wake_at(rig, early, 5 * kMs);       // wakes into the fresh period: counted now
    EXPECT_EQ(early.deadline(), 13 * kMs);
    EXPECT_EQ(periods(rig, early), 2u);
    wake_at(rig, late, 15 * kMs); // the fresh period passed unused: only the next one counts
    EXPECT_EQ(late.deadline(), 23 * kMs);
    EXPECT_EQ(periods(rig, late), 2u);
}

} // namespace
} // namespace rthv::test
