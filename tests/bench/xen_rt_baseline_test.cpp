// The baseline must make the decisions the RTDS contract prescribes, or the benchmark compares
// different work. Small hand-checked cases: pick, FIFO ties, affinity, tickle, extratime,
// depletion and replenishment, both wake rules.
#include "tests/bench/fake_platform.hpp"
#include "tests/bench/xen_rt_baseline.hpp"

#include <gtest/gtest.h>

namespace rthv::bench {
namespace {

constexpr Duration ms(uint64_t v) { return from_us(v * 1000); }

struct Rig {
    explicit Rig(CpuId cpus) : sched(platform, CpuSet::first_n(cpus)) {}
    void serve() {
        serve_kicks(platform, [this](CpuId c) { sched.schedule(c); });
    }
    void add(XenVcpu& v, Duration period, Duration budget, bool extratime = true) {
        v.period = period;
        v.budget = budget;
        v.extratime = extratime;
        sched.insert(v);
        serve();
    }
    FakePlatform platform;
    XenRtBaseline sched;
};

TEST(XenRtBaseline, InsertTicklesAndEarliestDeadlineRuns) {
    Rig rig(1);
    XenVcpu a, b, c;
    rig.add(a, ms(30), ms(1));
    EXPECT_EQ(rig.sched.current(0), &a);
    rig.add(b, ms(10), ms(1)); // beats a: preempts
    EXPECT_EQ(rig.sched.current(0), &b);
    rig.add(c, ms(20), ms(1)); // loses to b: no kick, queued before a
    EXPECT_EQ(rig.sched.current(0), &b);
    rig.sched.block(b);
    rig.serve();
    EXPECT_EQ(rig.sched.current(0), &c);
    EXPECT_FALSE(rig.sched.on_replq(b));
    EXPECT_EQ(rig.platform.armed(0), ms(1)); // budget timer: now + c's budget
}

TEST(XenRtBaseline, EqualKeysRunInInsertionOrder) {
    Rig rig(1);
    XenVcpu first, second, third;
    rig.add(first, ms(5), ms(1));
    rig.add(second, ms(10), ms(1));
    rig.add(third, ms(10), ms(1));
    rig.sched.block(first);
    rig.serve();
    EXPECT_EQ(rig.sched.current(0), &second);
    rig.sched.block(second);
    rig.serve();
    EXPECT_EQ(rig.sched.current(0), &third);
}

TEST(XenRtBaseline, PickSkipsVcpusWhoseAffinityExcludesTheCpu) {
    Rig rig(2);
    XenVcpu busy0, busy1, pinned, free;
    rig.add(busy0, ms(1), ms(1));
    rig.add(busy1, ms(1), ms(1));
    pinned.affinity = CpuSet::single(1);
    rig.add(pinned, ms(5), ms(1));
    rig.add(free, ms(8), ms(1));
    EXPECT_EQ(rig.sched.runq_pick(0), &free);
    EXPECT_EQ(rig.sched.runq_pick(1), &pinned);
}

TEST(XenRtBaseline, TicklePrefersIdleCpuFromLastCpuWrapping) {
    Rig rig(4);
    XenVcpu v;
    v.cpu = 2;
    EXPECT_EQ(rig.sched.tickle(v), 2u);
    EXPECT_EQ(rig.sched.tickle(v), 3u); // 2 is tickled already: never twice
    EXPECT_EQ(rig.sched.tickle(v), 0u); // wraps around
    EXPECT_EQ(rig.sched.tickle(v), 1u);
    EXPECT_EQ(rig.sched.tickle(v), CpuSet::kNone);
}

TEST(XenRtBaseline, TicklePreemptsLowestPriorityRunningOnlyIfNewcomerBeatsIt) {
    Rig rig(3);
    XenVcpu d10, d30, d20;
    rig.add(d10, ms(10), ms(1));
    rig.add(d30, ms(30), ms(1));
    rig.add(d20, ms(20), ms(1));
    ASSERT_TRUE(d30.running);
    XenVcpu late, early;
    late.deadline = ms(40);
    early.deadline = ms(25);
    EXPECT_EQ(rig.sched.tickle(late), CpuSet::kNone);
    EXPECT_EQ(rig.sched.tickle(early), d30.cpu);
    EXPECT_EQ(rig.sched.tickle(early), CpuSet::kNone); // 25 loses to d20 and d10
    early.deadline = ms(15);
    EXPECT_EQ(rig.sched.tickle(early), d20.cpu); // next lowest among the not-tickled
}

TEST(XenRtBaseline, ExtratimeDropsALevelAndLosesToLevelZero) {
    Rig rig(1);
    XenVcpu a, b;
    rig.add(a, ms(10), ms(1));
    rig.add(b, ms(20), ms(1));
    ASSERT_EQ(rig.sched.current(0), &a);
    rig.platform.set_now(ms(1)); // a's budget timer
    rig.sched.schedule(0);
    EXPECT_EQ(rig.sched.current(0), &b);
    EXPECT_EQ(a.level, 1u);
    EXPECT_EQ(a.budget_left, ms(1));
    EXPECT_TRUE(rig.sched.on_runq(a));
}

TEST(XenRtBaseline, DepletedVcpuWaitsForItsReplenishment) {
    Rig rig(1);
    XenVcpu a;
    rig.add(a, ms(10), ms(1), false);
    rig.platform.set_now(ms(1));
    EXPECT_EQ(rig.sched.schedule(0), nullptr);
    EXPECT_TRUE(rig.sched.on_depletedq(a));
    EXPECT_EQ(rig.sched.next_replenishment(), ms(10));
    rig.platform.set_now(ms(10));
    rig.sched.replenish_due();
    EXPECT_TRUE(rig.platform.kicked(0));
    rig.serve();
    EXPECT_EQ(rig.sched.current(0), &a);
    EXPECT_EQ(a.deadline, ms(20));
    EXPECT_EQ(a.misses, 0u);
    EXPECT_EQ(rig.sched.next_replenishment(), ms(20));
}

TEST(XenRtBaseline, ReplenishingTheRunningVcpuPreemptsItForAnEarlierQueuedOne) {
    Rig rig(1);
    XenVcpu r, q;
    rig.add(r, ms(8), ms(4));
    rig.add(q, ms(10), ms(4));
    rig.platform.set_now(ms(8));
    rig.sched.replenish_due();
    EXPECT_EQ(r.deadline, ms(16));
    EXPECT_EQ(r.misses, 0u); // it used its whole budget (then ran on extratime)
    rig.serve();
    EXPECT_EQ(rig.sched.current(0), &q);
    EXPECT_TRUE(rig.sched.on_runq(r));
    rig.platform.set_now(ms(10)); // q ran 2 of its 4 ms: its period ends with budget left
    rig.sched.replenish_due();
    EXPECT_EQ(q.misses, 1u);
    EXPECT_EQ(q.deadline, ms(20));
    EXPECT_TRUE(rig.platform.kicked(0)); // r (16 ms) now beats q (20 ms)
}

TEST(XenRtBaseline, DeferrableWakeKeepsDeadlineBeforeItAndCatchesUpAfter) {
    Rig rig(1);
    XenVcpu v;
    rig.add(v, ms(10), ms(4));
    rig.platform.set_now(ms(1));
    rig.sched.block(v);
    rig.serve();
    rig.platform.set_now(ms(5));
    rig.sched.wake(v);
    EXPECT_EQ(v.deadline, ms(10));
    EXPECT_EQ(v.budget_left, ms(3));
    rig.serve();
    rig.sched.block(v);
    rig.serve();
    rig.platform.set_now(ms(35));
    rig.sched.wake(v);
    EXPECT_EQ(v.deadline, ms(40)); // on the grid anchored at insert (t = 0)
    EXPECT_EQ(v.budget_left, ms(4));
    EXPECT_EQ(v.periods, 3u);
}

TEST(XenRtBaseline, CbsWakeStartsAFreshPeriodOnlyWhenTooRich) {
    Rig rig(1);
    XenVcpu v;
    v.wake_rule = XenWakeRule::Cbs;
    rig.add(v, ms(10), ms(4));
    rig.platform.set_now(ms(1));
    rig.sched.block(v);
    rig.serve();
    rig.platform.set_now(ms(2)); // 3 ms left * 10 = 30 <= (10 - 2) * 4 = 32: keep
    rig.sched.wake(v);
    EXPECT_EQ(v.deadline, ms(10));
    rig.serve();
    rig.sched.block(v);
    rig.serve();
    rig.platform.set_now(ms(5)); // 3 * 10 = 30 > (10 - 5) * 4 = 20: fresh period
    rig.sched.wake(v);
    EXPECT_EQ(v.deadline, ms(15));
    EXPECT_EQ(v.budget_left, ms(4));
}

} // namespace
} // namespace rthv::bench
