// Hard affinity is honoured; pools have disjoint CPUs, their own queues and admission books.
#include "fake_platform.hpp"

#include <gtest/gtest.h>

namespace rthv::test {
namespace {

TEST(Affinity, PinnedVcpuWaitsForItsCpuEvenWithAnotherIdle) {
    Rig rig(2);
    Vcpu a(1, 0), b(2, 0);
    ASSERT_TRUE(rig.insert(a, params(10000, 5000), CpuSet::single(1)).ok());
    ASSERT_TRUE(rig.insert(b, params(20000, 5000), CpuSet::single(1)).ok());
    rig.advance_to(4 * kMs);
    EXPECT_EQ(rig.cur(0), nullptr);
    EXPECT_EQ(rig.cur(1), &a);
    EXPECT_EQ(b.place(), Place::Runq);
    rig.advance_to(6 * kMs);
    EXPECT_EQ(rig.cur(1), &b);
    EXPECT_EQ(rig.cur(0), nullptr);
}

TEST(Affinity, ChangingItMovesARunningVcpu) {
    Rig rig(2);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(10000, 5000), CpuSet::single(0)).ok());
    rig.settle();
    ASSERT_EQ(rig.cur(0), &v);
    rig.advance(1 * kMs);
    ASSERT_TRUE(rig.sched->set_affinity(v, CpuSet::single(1)).ok());
    rig.settle();
    EXPECT_EQ(rig.cur(0), nullptr);
    EXPECT_EQ(rig.cur(1), &v);
    EXPECT_EQ(v.budget_left(), 4 * kMs); // charged up to the move, not beyond
    EXPECT_EQ(rig.verify(), nullptr);
}

TEST(Affinity, ChangingItRequeuesAWaitingVcpu) {
    Rig rig(2);
    Vcpu hog(1, 0), v(2, 0);
    ASSERT_TRUE(rig.insert(hog, params(10000, 9000), CpuSet::single(0)).ok());
    ASSERT_TRUE(rig.insert(v, params(20000, 1000), CpuSet::single(0)).ok());
    rig.settle();
    ASSERT_EQ(v.place(), Place::Runq);
    ASSERT_TRUE(rig.sched->set_affinity(v, CpuSet::first_n(2)).ok());
    rig.settle();
    EXPECT_EQ(rig.cur(1), &v);
}

TEST(Pools, CreateValidatesItsArguments) {
    Rig rig(4);
    PoolId id = kNoPool;
    EXPECT_EQ(rig.sched->pool_create("", CpuSet::single(3), id).error, SchedError::BadPoolName);
    EXPECT_EQ(rig.sched->pool_create("rt", CpuSet{}, id).error, SchedError::CpusUnavailable);
    EXPECT_EQ(rig.sched->pool_create("rt", CpuSet::single(9), id).error,
              SchedError::CpusUnavailable);
    EXPECT_EQ(rig.sched->pool_create("rt", CpuSet::first_n(4), id).error,
              SchedError::CpusUnavailable); // Pool-0 must keep a CPU
    EXPECT_EQ(rig.sched->pool_create("rt", CpuSet::single(3), id, 1001).error,
              SchedError::BadReserve);
    ASSERT_TRUE(rig.sched->pool_create("rt", CpuSet::single(3), id).ok());
    EXPECT_EQ(id, 1u);
    EXPECT_EQ(rig.sched->pool_create("again", CpuSet::single(3), id).error,
              SchedError::CpusUnavailable);
    EXPECT_STREQ(rig.sched->pool_name(1), "rt");
    EXPECT_EQ(rig.sched->pool_of_cpu(3), 1u);
    EXPECT_EQ(rig.sched->pool_cpus(0), CpuSet::first_n(3));
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(1000, 100)).ok());
    EXPECT_EQ(rig.sched->pool_create("late", CpuSet::single(2), id).error, SchedError::PoolBusy);
}

TEST(Pools, AreIndependent) {
    Rig rig(4);
    PoolId rt = kNoPool;
    ASSERT_TRUE(rig.sched->pool_create("rt", CpuSet::single(2) | CpuSet::single(3), rt).ok());
    Vcpu a(1, 0), b(1, 1), c(2, 0), d(2, 1), e(2, 2);
    ASSERT_TRUE(rig.insert(a, params(10000, 9000), CpuSet::first_n(4), 0).ok());
    ASSERT_TRUE(rig.insert(b, params(10000, 9000), CpuSet::first_n(4), 0).ok());
    ASSERT_TRUE(rig.insert(c, params(10000, 9000), CpuSet::first_n(4), rt).ok());
    ASSERT_TRUE(rig.insert(d, params(10000, 9000), CpuSet::first_n(4), rt).ok());
    // Pool rt is full (1.8 of 2.0) although Pool-0 has the same room: books are per pool.
    Status st = rig.insert(e, params(10000, 3000), CpuSet::first_n(4), rt);
    EXPECT_EQ(st.error, SchedError::AdmissionRefused);
    EXPECT_STREQ(st.refusal.pool_name, "rt");
    EXPECT_EQ(st.refusal.pool, rt);
    rig.advance_to(5 * kMs);
    EXPECT_TRUE((rig.cur(0) == &a && rig.cur(1) == &b) || (rig.cur(0) == &b && rig.cur(1) == &a));
    EXPECT_TRUE((rig.cur(2) == &c && rig.cur(3) == &d) || (rig.cur(2) == &d && rig.cur(3) == &c));
    // Blocking Pool-0's VCPUs never lets rt's run on Pool-0's CPUs.
    rig.sched->block(a);
    rig.sched->block(b);
    rig.settle();
    EXPECT_EQ(rig.cur(0), nullptr);
    EXPECT_EQ(rig.cur(1), nullptr);
    EXPECT_EQ(rig.sched->pool_of_cpu(0), 0u);
    EXPECT_EQ(rig.verify(), nullptr);
    EXPECT_EQ(rig.sched->admission(rt).total_ppm, 1800000u);
    EXPECT_EQ(rig.sched->admission(0).total_ppm, 1800000u);
}

TEST(Pools, AffinityOutsideThePoolIsEmpty) {
    Rig rig(4);
    PoolId rt = kNoPool;
    ASSERT_TRUE(rig.sched->pool_create("rt", CpuSet::single(3), rt).ok());
    Vcpu v(1, 0);
    EXPECT_EQ(rig.insert(v, params(1000, 100), CpuSet::single(0), rt).error,
              SchedError::EmptyAffinity);
}

} // namespace
} // namespace rthv::test
