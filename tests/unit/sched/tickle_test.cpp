// Tickle: idle CPU first (starting at the last CPU, wrapping), else preempt the CPU running the
// least urgent VCPU only if the newcomer beats it; never two kicks to one CPU per decision.
#include "fake_platform.hpp"

#include <gtest/gtest.h>

namespace rthv::test {
namespace {

// Put `v` in place with last_cpu == cpu and leave it blocked.
void park_on(Rig& rig, Vcpu& v, CpuId cpu) {
    ASSERT_TRUE(rig.insert(v, params(10000, 1000), CpuSet::single(cpu)).ok());
    rig.settle();
    ASSERT_EQ(rig.cur(cpu), &v);
    ASSERT_TRUE(rig.sched->set_affinity(v, CpuSet::first_n(kMaxCpus)).ok());
    rig.sched->block(v);
    rig.settle();
    ASSERT_EQ(v.last_cpu(), cpu);
}

TEST(Tickle, IdleCpuFirstStartingAtTheLastOne) {
    Rig rig(4);
    Vcpu v(1, 0);
    park_on(rig, v, 2);
    rig.platform.kick_log.clear();
    EXPECT_EQ(rig.sched->tickle_target(v), 2u); // the decision alone: no mark, no kick
    EXPECT_TRUE(rig.platform.kick_log.empty());
    EXPECT_FALSE(rig.sched->tickled(2));
    rig.sched->wake(v);
    EXPECT_EQ(rig.platform.kick_log, std::vector<CpuId>{2});
    rig.settle();
    EXPECT_EQ(rig.cur(2), &v);
}

TEST(Tickle, IdleSearchWrapsAroundFromTheLastCpu) {
    Rig rig(4);
    Vcpu v(1, 0), busy2(2, 0), busy3(3, 0);
    park_on(rig, v, 2);
    ASSERT_TRUE(rig.insert(busy2, params(10000, 5000), CpuSet::single(2)).ok());
    rig.settle();
    rig.platform.kick_log.clear();
    rig.sched->wake(v);
    EXPECT_EQ(rig.platform.kick_log, std::vector<CpuId>{3}); // next idle after 2
    rig.settle();
    rig.sched->block(v);
    ASSERT_TRUE(rig.insert(busy3, params(10000, 5000), CpuSet::single(3)).ok());
    rig.settle();
    ASSERT_EQ(v.last_cpu(), 3u);
    rig.platform.kick_log.clear();
    rig.sched->wake(v);
    EXPECT_EQ(rig.platform.kick_log, std::vector<CpuId>{0}); // 3 busy: wraps to 0
}

TEST(Tickle, PreemptsTheLeastUrgentRunningCpuOnlyIfTheNewcomerBeatsIt) {
    Rig rig(2);
    Vcpu a(1, 0), b(2, 0), loser(3, 0), winner(4, 0);
    ASSERT_TRUE(rig.insert(a, params(10000, 5000)).ok());
    ASSERT_TRUE(rig.insert(b, params(30000, 5000)).ok());
    rig.settle();
    CpuId b_cpu = rig.cur(0) == &b ? 0 : 1;
    ASSERT_EQ(rig.cur(b_cpu), &b);
    rig.platform.kick_log.clear();
    ASSERT_TRUE(rig.insert(loser, params(40000, 1000)).ok()); // deadline 40 ms: beats nobody
    EXPECT_TRUE(rig.platform.kick_log.empty());
    EXPECT_EQ(rig.sched->tickle_target(loser), kMaxCpus);
    ASSERT_TRUE(rig.insert(winner, params(20000, 1000)).ok()); // beats b (30 ms), not a
    EXPECT_EQ(rig.platform.kick_log, std::vector<CpuId>{b_cpu});
    rig.settle();
    EXPECT_EQ(rig.cur(b_cpu), &winner);
    EXPECT_EQ(b.place(), Place::Runq);
}

TEST(Tickle, NeverKicksATickledCpuAgain) {
    Rig rig(1);
    Vcpu a(1, 0), b(2, 0), c(3, 0);
    ASSERT_TRUE(rig.insert(a, params(10000, 1000)).ok());
    ASSERT_TRUE(rig.insert(b, params(5000, 1000)).ok());
    ASSERT_TRUE(rig.insert(c, params(2000, 1000)).ok());
    EXPECT_EQ(rig.platform.kick_log, std::vector<CpuId>{0});
    EXPECT_TRUE(rig.sched->tickled(0));
    rig.settle();
    EXPECT_FALSE(rig.sched->tickled(0));
    EXPECT_EQ(rig.cur(0), &c);
}

TEST(Tickle, EventsOnARunningVcpuKickItsCpuOnce) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(10000, 1000)).ok());
    rig.settle();
    rig.platform.kick_log.clear();
    rig.sched->yield(v);
    rig.sched->pause(v);
    rig.sched->block(v);
    EXPECT_EQ(rig.platform.kick_log, std::vector<CpuId>{0});
    rig.settle();
    EXPECT_EQ(rig.cur(0), nullptr);
}

TEST(Tickle, InsertTickles) {
    Rig rig(2);
    Vcpu a(1, 0);
    ASSERT_TRUE(rig.insert(a, params(10000, 1000)).ok());
    EXPECT_EQ(rig.platform.kick_log, std::vector<CpuId>{0}); // Xen would not kick at all
    rig.settle();
    EXPECT_EQ(rig.cur(0), &a);
}

TEST(Tickle, AVcpuLeftBehindByADecisionGetsAnIdleCpu) {
    Rig rig(2);
    Vcpu v1(1, 0), pinned(2, 0);
    ASSERT_TRUE(rig.insert(v1, params(10000, 1000)).ok()); // kicks CPU 0 (its last CPU)
    ASSERT_TRUE(rig.insert(pinned, params(5000, 1000), CpuSet::single(0)).ok()); // 0 tickled
    EXPECT_EQ(rig.platform.kick_log, std::vector<CpuId>{0});
    rig.settle(); // CPU 0 takes `pinned`; v1 must not wait while CPU 1 idles
    EXPECT_EQ(rig.cur(0), &pinned);
    EXPECT_EQ(rig.cur(1), &v1);
}

TEST(Tickle, PreemptedVcpuMovesToACpuItBeats) {
    Rig rig(2);
    Vcpu a(1, 0), b(2, 0), c(3, 0);
    ASSERT_TRUE(rig.insert(a, params(20000, 5000), CpuSet::single(0)).ok());
    ASSERT_TRUE(rig.insert(b, params(40000, 5000), CpuSet::first_n(2)).ok());
    rig.settle();
    ASSERT_EQ(rig.cur(0), &a);
    ASSERT_EQ(rig.cur(1), &b);
    ASSERT_TRUE(rig.insert(c, params(10000, 1000), CpuSet::single(1)).ok());
    rig.settle();
    EXPECT_EQ(rig.cur(1), &c);
    EXPECT_EQ(b.place(), Place::Runq); // b (40 ms) beats nobody: a has 20 ms
    rig.sched->block(a);
    rig.settle();
    EXPECT_EQ(rig.cur(0), &b);
    EXPECT_EQ(rig.verify(), nullptr);
}

} // namespace
} // namespace rthv::test
