// EDF order: earliest deadline first, FIFO on ties, level 0 before any extratime level, yield.
#include "fake_platform.hpp"

#include <gtest/gtest.h>
#include <set>

namespace rthv::test {
namespace {

TEST(Edf, EarliestDeadlineRunsFirst) {
    Rig rig(1);
    Vcpu slow(1, 0), fast(2, 0), mid(3, 0);
    ASSERT_TRUE(rig.insert(slow, params(30000, 1000)).ok());
    ASSERT_TRUE(rig.insert(fast, params(10000, 1000)).ok());
    ASSERT_TRUE(rig.insert(mid, params(20000, 1000)).ok());
    rig.settle();
    EXPECT_EQ(rig.cur(0), &fast);
    rig.advance(1 * kMs);
    EXPECT_EQ(rig.cur(0), &mid);
    rig.advance(1 * kMs);
    EXPECT_EQ(rig.cur(0), &slow);
}

TEST(Edf, TiesGoInQueueOrder) {
    Rig rig(1);
    Vcpu a(1, 0), b(2, 0), c(3, 0);
    for (Vcpu* v : {&a, &b, &c}) ASSERT_TRUE(rig.insert(*v, params(10000, 1000, false)).ok());
    rig.settle();
    EXPECT_EQ(rig.cur(0), &a);
    rig.advance(1 * kMs);
    EXPECT_EQ(rig.cur(0), &b);
    rig.advance(1 * kMs);
    EXPECT_EQ(rig.cur(0), &c);
    EXPECT_LT(a.key().seq, b.key().seq);
}

TEST(Edf, ArrivalWithEarlierDeadlinePreempts) {
    Rig rig(1);
    Vcpu a(1, 0), b(2, 0);
    ASSERT_TRUE(rig.insert(a, params(20000, 5000)).ok());
    rig.advance(1 * kMs);
    ASSERT_TRUE(rig.insert(b, params(5000, 1000)).ok()); // deadline 6 ms < 20 ms
    rig.settle();
    EXPECT_EQ(rig.cur(0), &b);
    EXPECT_EQ(a.place(), Place::Runq);
    EXPECT_EQ(a.budget_left(), 4 * kMs);
}

TEST(Edf, LevelZeroBeatsExtratimeWhateverTheDeadline) {
    Rig rig(1);
    Vcpu early(1, 0), late(2, 0);
    ASSERT_TRUE(rig.insert(early, params(10000, 1000, true)).ok());
    ASSERT_TRUE(rig.insert(late, params(100000, 1000, true)).ok());
    rig.settle();
    EXPECT_EQ(rig.cur(0), &early);
    rig.advance(1 * kMs); // early depletes -> level 1; late (deadline 100 ms) is at level 0
    EXPECT_EQ(early.level(), 1u);
    EXPECT_EQ(rig.cur(0), &late);
    rig.advance(1 * kMs); // late depletes too -> both level 1: early's deadline wins again
    EXPECT_EQ(rig.cur(0), &early);
    EXPECT_EQ(late.level(), 1u);
}

TEST(Edf, YieldGoesToTheBackOfItsClassOnly) {
    Rig rig(1);
    Vcpu a(1, 0), b(2, 0), later(3, 0);
    ASSERT_TRUE(rig.insert(a, params(10000, 3000)).ok());
    ASSERT_TRUE(rig.insert(b, params(10000, 3000)).ok());
    ASSERT_TRUE(rig.insert(later, params(20000, 3000)).ok());
    rig.settle();
    ASSERT_EQ(rig.cur(0), &a);
    rig.sched->yield(a);
    rig.settle();
    EXPECT_EQ(rig.cur(0), &b); // same (level, deadline): b is now ahead
    rig.sched->yield(b);
    rig.settle();
    EXPECT_EQ(rig.cur(0), &a);
    rig.sched->block(b);
    rig.sched->yield(a);
    rig.settle();
    EXPECT_EQ(rig.cur(0), &a); // nothing in its class: a keeps the CPU, later does not get it
}

TEST(Edf, BestKeysRunOnAllCpus) {
    Rig rig(3);
    Vcpu v[5] = {{1, 0}, {1, 1}, {1, 2}, {1, 3}, {1, 4}};
    const uint64_t periods[5] = {50000, 10000, 40000, 20000, 30000};
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(rig.insert(v[i], params(periods[i], 1000)).ok());
    rig.settle();
    std::set<Vcpu*> running{rig.cur(0), rig.cur(1), rig.cur(2)};
    EXPECT_EQ(running, (std::set<Vcpu*>{&v[1], &v[3], &v[4]}));
    EXPECT_EQ(rig.verify(), nullptr);
}

} // namespace
} // namespace rthv::test
