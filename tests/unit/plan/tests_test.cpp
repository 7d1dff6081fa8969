// The schedulability tests: classic cases on a dedicated CPU, an independent brute-force check
// of the EDF test at every integer window, the RM test against simulated response times, and
// global EDF sanity cases.
//
// Published worked examples: the exact figures of Shin & Lee's (RTSS 2003) and Easwaran, Shin &
// Lee's (ECRTS 2008 / RTS 2009) examples could not be confirmed from the sources available while
// writing this (only third-party code restating the formulas), so no numbers are copied from
// them. What the papers state as properties is tested instead: the sbf is the exact worst case
// (supply_test.cpp), the tests reduce to the classic ones on a dedicated CPU, the minimal budget
// is tight (one µs less fails), and a planned bandwidth never falls below the task utilisation.
#include "hv/plan/plan.hpp"

#include <gtest/gtest.h>

#include <numeric>

namespace rthv::plan {
namespace {

TaskSet make(std::initializer_list<Task> tasks) {
    TaskSet ts;
    for (const Task& t : tasks) ts.tasks[ts.count++] = t;
    return ts;
}

Supply full(uint64_t period, uint32_t vcpus = 1) {
    return {SupplyKind::Cbs, period, period, vcpus};
}

TEST(Tests, DedicatedCpuIsClassicEdfAndRm) {
    // (2,5) + (4,7): U = 0.971. EDF schedules it; RM does not (task 2: 4 + 2·2 = 8 > 7).
    const TaskSet ts = make({{2, 5, 5}, {4, 7, 7}});
    EXPECT_TRUE(edf_schedulable(ts, full(100)));
    EXPECT_FALSE(rm_schedulable(ts, full(100)));
    // U = 1 exactly, harmonic: both schedule it.
    const TaskSet h = make({{1, 2, 2}, {1, 4, 4}, {2, 8, 8}});
    EXPECT_TRUE(edf_schedulable(h, full(10)));
    EXPECT_TRUE(rm_schedulable(h, full(10)));
    // U > 1: neither.
    const TaskSet over = make({{3, 5, 5}, {3, 6, 6}});
    EXPECT_FALSE(edf_schedulable(over, full(10)));
    EXPECT_FALSE(rm_schedulable(over, full(10)));
    // Constrained deadlines: EDF's demand at t = 3 is 2 + 2 = 4 > 3.
    EXPECT_FALSE(edf_schedulable(make({{2, 10, 3}, {2, 10, 3}}), full(10)));
}

// dbf(t) <= sbf(t) at EVERY integer t up to two hyperperiods plus slack, computed directly.
bool edf_brute(const TaskSet& ts, const Supply& s) {
    uint64_t h = 1;
    for (uint32_t i = 0; i < ts.count; ++i) h = std::lcm(h, ts.tasks[i].period_us);
    h = std::lcm(h, s.period);
    for (uint64_t t = 1; t <= 2 * h + 4 * s.period + 200; ++t) {
        uint64_t d = 0;
        for (uint32_t i = 0; i < ts.count; ++i) {
            const Task& k = ts.tasks[i];
            if (t >= k.deadline_us) d += ((t - k.deadline_us) / k.period_us + 1) * k.wcet_us;
        }
        if (d > s.at(t)) return false;
    }
    return true;
}

TEST(Tests, EdfAgreesWithBruteForceAndMinimalBudgetIsTight) {
    const TaskSet sets[] = {
        make({{1, 10, 10}, {2, 20, 15}, {3, 40, 40}}),
        make({{7, 50, 50}, {9, 75, 75}}),
        make({{2, 12, 8}, {3, 18, 18}, {1, 9, 9}}),
    };
    for (const TaskSet& ts : sets)
        for (uint64_t period = 3; period <= 12; ++period)
            for (SupplyKind kind : {SupplyKind::Cbs, SupplyKind::Deferrable}) {
                const uint64_t b = min_budget(ts, GuestSched::Edf, kind, period, 1);
                if (b == 0) {
                    EXPECT_FALSE(edf_brute(ts, {kind, period, period, 1}));
                    continue;
                }
                EXPECT_TRUE(edf_brute(ts, {kind, period, b, 1})) << period << " " << b;
                EXPECT_FALSE(edf_brute(ts, {kind, period, b - 1, 1})) << period << " " << b;
            }
}

// Fixed-priority response times on a supply, by walking time unit by unit: the worst case is the
// critical instant (all released together) at the start of the supply's worst blackout, which
// is exactly the sbf (the first `at(t)` units of any window are delivered by t).
bool rm_brute(const TaskSet& ts, const Supply& s) {
    uint32_t order[kMaxTasks];
    rm_order(ts, order);
    for (uint32_t p = 0; p < ts.count; ++p) {
        const Task& me = ts.tasks[order[p]];
        bool met = false;
        for (uint64_t t = 1; t <= me.deadline_us && !met; ++t) {
            uint64_t need = me.wcet_us;
            for (uint32_t h = 0; h < p; ++h) {
                const Task& hp = ts.tasks[order[h]];
                need += (t + hp.period_us - 1) / hp.period_us * hp.wcet_us;
            }
            met = need <= s.at(t);
        }
        if (!met) return false;
    }
    return true;
}

TEST(Tests, RmAgreesWithEveryIntegerPointAndMinimalBudgetIsTight) {
    const TaskSet sets[] = {
        make({{1, 10, 10}, {2, 20, 15}, {3, 40, 40}}),
        make({{7, 50, 50}, {9, 75, 75}}),
        make({{1, 4, 4}, {1, 6, 5}, {2, 15, 15}}),
    };
    for (const TaskSet& ts : sets)
        for (uint64_t period = 2; period <= 10; ++period) {
            const uint64_t b = min_budget(ts, GuestSched::Rm, SupplyKind::Cbs, period, 1);
            if (b == 0) continue;
            EXPECT_TRUE(rm_brute(ts, {SupplyKind::Cbs, period, b, 1}));
            EXPECT_FALSE(rm_brute(ts, {SupplyKind::Cbs, period, b - 1, 1}));
        }
}

TEST(Tests, GlobalEdfSanity) {
    // m tasks on m dedicated CPUs: each has a CPU of its own.
    const TaskSet three = make({{9, 10, 10}, {9, 10, 10}, {9, 10, 10}});
    EXPECT_TRUE(gedf_schedulable(three, full(10, 3)));
    // m + 1 tasks with C = D on m CPUs cannot all finish: the test must refuse.
    const TaskSet four = make({{10, 10, 10}, {10, 10, 10}, {10, 10, 10}, {10, 10, 10}});
    EXPECT_FALSE(gedf_schedulable(four, full(10, 3)));
    // Light tasks on two half CPUs.
    const TaskSet light = make({{1, 20, 20}, {1, 20, 20}, {2, 40, 40}});
    EXPECT_TRUE(gedf_schedulable(light, {SupplyKind::Cbs, 10, 5, 2}));
    // More supply never hurts: the test is monotone in the budget.
    bool seen = false;
    for (uint64_t b = 1; b <= 10; ++b) {
        const bool ok = gedf_schedulable(light, {SupplyKind::Cbs, 10, b, 2});
        EXPECT_TRUE(!seen || ok) << b;
        seen = seen || ok;
    }
}

// The MPR interface and its equal-server counterpart: the N servers (Π, θ) planned for global
// EDF deliver at least what the paper's μ(Π, Nθ, N) promises, so the planner's choice is never
// worse than the interface it is compared with.
TEST(Tests, EqualServersDominateTheMprBound) {
    for (uint32_t m = 1; m <= 4; ++m)
        for (uint64_t theta = 1; theta <= 12; ++theta)
            for (uint64_t t = 0; t < 80; ++t)
                ASSERT_GE((Supply{SupplyKind::Cbs, 12, theta, m}.at(t)),
                          sbf_mpr(12, m * theta, m, t))
                    << m << " " << theta << " " << t;
}

} // namespace
} // namespace rthv::plan
