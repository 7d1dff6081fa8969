// Insert/remove leave no stale state; pause/unpause; parameter changes apply at once;
// invalid requests name the problem and change nothing.
#include "fake_platform.hpp"

#include <gtest/gtest.h>

namespace rthv::test {
namespace {

TEST(Lifecycle, RemoveLeavesNoStateBehind) {
    Rig rig(2);
    Vcpu a(1, 0), queued(2, 0), depleted(3, 0);
    ASSERT_TRUE(rig.insert(a, params(10000, 9000), CpuSet::single(0)).ok());
    ASSERT_TRUE(rig.insert(depleted, params(10000, 1000, false), CpuSet::single(1)).ok());
    ASSERT_TRUE(rig.insert(queued, params(20000, 1000), CpuSet::single(0)).ok());
    rig.advance_to(2 * kMs);
    ASSERT_EQ(depleted.place(), Place::Depleted);
    ASSERT_EQ(queued.place(), Place::Runq);
    size_t timers0 = rig.timers.pending(0), timers1 = rig.timers.pending(1);
    ASSERT_TRUE(rig.sched->remove(queued).ok());
    ASSERT_TRUE(rig.sched->remove(depleted).ok());
    EXPECT_EQ(rig.timers.pending(0), timers0 - 1); // their replenishment timers are gone
    EXPECT_EQ(rig.timers.pending(1), timers1 - 1);
    EXPECT_FALSE(queued.replenish_timer().queued());
    EXPECT_EQ(queued.place(), Place::Off);
    EXPECT_EQ(queued.pool_id(), kNoPool);
    EXPECT_EQ(rig.sched->admission(0).total_ppm, 900000u);
    EXPECT_EQ(rig.sched->admission(0).vcpus, 1u);
    EXPECT_EQ(rig.verify(), nullptr); // affinity class {1} freed, no heap or queue entry left
    EXPECT_EQ(rig.dump().find("d2v0"), std::string::npos);
    EXPECT_EQ(rig.dump().find("d3v0"), std::string::npos);
    ASSERT_TRUE(rig.insert(queued, params(20000, 1000)).ok()); // reusable at once
    rig.advance_to(20 * kMs);
    EXPECT_EQ(rig.verify(), nullptr);
}

TEST(Lifecycle, RunningVcpuMustBePausedBeforeRemoval) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(10000, 4000)).ok());
    rig.settle();
    EXPECT_EQ(rig.sched->remove(v).error, SchedError::StillRunning);
    EXPECT_EQ(v.place(), Place::Running);
    rig.sched->pause(v);
    EXPECT_TRUE(rig.sched->is_running(v)); // until its CPU reschedules
    rig.settle();
    EXPECT_FALSE(rig.sched->is_running(v));
    ASSERT_TRUE(rig.sched->remove(v).ok());
    EXPECT_EQ(rig.cur(0), nullptr);
    EXPECT_EQ(rig.timers.pending(0), 0u); // budget timer cancelled at idle, repl timer gone
    EXPECT_EQ(rig.sched->remove(v).error, SchedError::NotInserted);
    EXPECT_EQ(rig.verify(), nullptr);
}

TEST(Lifecycle, PausedVcpuIsNotRunnableWhateverWakesIt) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(10000, 4000)).ok());
    rig.settle();
    rig.sched->block(v);
    rig.sched->pause(v);
    rig.settle();
    rig.sched->wake(v);
    rig.settle();
    EXPECT_EQ(rig.cur(0), nullptr);
    EXPECT_EQ(v.place(), Place::Blocked);
    EXPECT_EQ(rig.verify(), nullptr);
    rig.sched->unpause(v);
    rig.settle();
    EXPECT_EQ(rig.cur(0), &v);
}

TEST(Lifecycle, UnpauseOfABlockedVcpuKeepsItBlocked) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(10000, 4000)).ok());
    rig.sched->pause(v); // while queued: off the runq at once
    EXPECT_EQ(v.place(), Place::Blocked);
    EXPECT_EQ(v.replenish_at(), kTimeNever);
    rig.sched->block(v);
    rig.sched->unpause(v);
    rig.settle();
    EXPECT_EQ(rig.cur(0), nullptr);
    EXPECT_EQ(rig.verify(), nullptr);
}

TEST(Lifecycle, ParameterChangeAppliesAtOnce) {
    Rig rig(1);
    Vcpu v(1, 0);
    ASSERT_TRUE(rig.insert(v, params(10000, 4000, false)).ok());
    rig.advance_to(3 * kMs);
    ASSERT_TRUE(rig.sched->set_params(v, params(1000, 200, false)).ok());
    // A new period starts now (Xen would wait for the 10 ms boundary).
    EXPECT_EQ(v.deadline(), 4 * kMs);
    EXPECT_EQ(v.budget_left(), 200 * kUs);
    EXPECT_EQ(v.replenish_at(), 4 * kMs);
    EXPECT_EQ(rig.platform.armed[0], 3 * kMs + 200 * kUs);  // budget timer re-armed
    EXPECT_EQ(rig.sched->stats(v).budget_used_ns, 3 * kMs); // old stint charged at old params
    rig.advance_to(3 * kMs + 500 * kUs);
    EXPECT_EQ(v.place(), Place::Depleted);
    rig.advance_to(4 * kMs);
    EXPECT_EQ(rig.cur(0), &v);
    EXPECT_EQ(v.deadline(), 5 * kMs);
    EXPECT_EQ(rig.verify(), nullptr);
}

TEST(Lifecycle, InvalidRequestsNameTheProblemAndChangeNothing) {
    Rig rig(2);
    Vcpu v(1, 0), w(2, 0);
    ASSERT_TRUE(rig.insert(v, params(10000, 4000)).ok());
    Status st = rig.sched->set_params(v, params(1000, 2000));
    EXPECT_EQ(st.error, SchedError::InvalidParams);
    EXPECT_EQ(st.param, ParamError::BudgetAbovePeriod);
    EXPECT_EQ(text_of(st), "invalid parameters: budget exceeds period");
    EXPECT_EQ(v.params(), params(10000, 4000));
    EXPECT_EQ(v.deadline(), 10 * kMs);
    st = rig.insert(w, params(5, 5));
    EXPECT_EQ(st.param, ParamError::PeriodTooSmall);
    EXPECT_EQ(w.place(), Place::Off);
    st = rig.insert(w, params(1000, 100), CpuSet::single(7));
    EXPECT_EQ(st.error, SchedError::EmptyAffinity);
    EXPECT_EQ(text_of(st), "affinity contains no CPU of the pool");
    EXPECT_EQ(rig.insert(v, params(1000, 100)).error, SchedError::AlreadyInserted);
    EXPECT_EQ(rig.sched->set_affinity(v, CpuSet::single(9)).error, SchedError::EmptyAffinity);
    EXPECT_EQ(v.affinity(), CpuSet::first_n(kMaxCpus));
    EXPECT_EQ(rig.insert(w, params(1000, 100), CpuSet::first_n(2), 5).error,
              SchedError::NoSuchPool);
    EXPECT_EQ(rig.sched->admission(0).vcpus, 1u);
    EXPECT_EQ(rig.verify(), nullptr);
}

TEST(Lifecycle, AffinityClassTableIsBounded) {
    Rig rig(32);
    Vcpu v[18] = {{1, 0}, {1, 1},  {1, 2},  {1, 3},  {1, 4},  {1, 5},  {1, 6},  {1, 7},  {1, 8},
                  {1, 9}, {1, 10}, {1, 11}, {1, 12}, {1, 13}, {1, 14}, {1, 15}, {1, 16}, {1, 17}};
    for (CpuId i = 0; i < 16; ++i)
        ASSERT_TRUE(rig.insert(v[i], params(1000, 10), CpuSet::single(i)).ok());
    EXPECT_EQ(rig.insert(v[16], params(1000, 10), CpuSet::single(16)).error,
              SchedError::TooManyAffinityClasses);
    ASSERT_TRUE(rig.insert(v[17], params(1000, 10), CpuSet::single(3)).ok()); // shares a class
    EXPECT_EQ(rig.verify(), nullptr);
}

} // namespace
} // namespace rthv::test
