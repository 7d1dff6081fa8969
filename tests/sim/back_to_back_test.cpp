// Xen's back-to-back problem, shown on the real core: a deferrable server that wakes late in its
// period spends its old budget and, after the boundary, its new one in a row (2x budget), and a
// VCPU of a set that passes U <= 1 on one pCPU loses budget. With the CBS wake rule for the late
// VCPU the same workload runs without any miss. Parameters found by a seeded random search.
#include "tests/sim/random_scenario.hpp"
#include "tools/sim/engine.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace rthv::simtest {
namespace {

using sim::Engine;

sim::Scenario late_waker_and_victim(sim::WakeRule late_rule) {
    sim::Scenario s;
    s.pcpus = 1;
    s.pools = {{"Pool-0", CpuSet::first_n(1)}};
    s.duration = 400'000'000;
    sim::VcpuSpec late;
    late.name = "late";
    late.period_us = 9000;
    late.budget_us = 2510;
    late.extratime = false;
    late.wake_rule = late_rule;
    // Jobs of 2x budget every two periods (the rate of its reservation), released 6.49 ms into
    // a period: the VCPU sleeps on a full budget and wakes 2.51 ms before its deadline.
    late.workload = {sim::WorkloadKind::Periodic, from_us(5020), from_us(18000), from_us(6490)};
    sim::VcpuSpec victim; // a periodic task released at its own period start: never defers
    victim.name = "victim";
    victim.period_us = 15000;
    victim.budget_us = 10000;
    victim.extratime = false;
    victim.workload = {sim::WorkloadKind::Periodic, from_us(10000)};
    s.vcpus = {late, victim};
    return s;
}

// Longest uninterrupted stint of VCPU v in the switch trace.
Duration longest_stint(const Engine& e, int32_t v) {
    Duration best = 0;
    Time since = 0;
    for (const sim::TraceEvent& t : e.trace()) {
        if (t.kind != sim::TraceKind::Switch) continue;
        if (t.vcpu == v)
            since = t.time;
        else if (t.from == v)
            best = std::max(best, t.time - since);
    }
    return best;
}

TEST(BackToBack, SetPassesTheUtilisationTest) {
    sim::Scenario s = late_waker_and_victim(sim::WakeRule::Deferrable);
    EXPECT_TRUE(passes_gfb(s, 0)); // 0.2789 + 0.6667 <= 1
}

TEST(BackToBack, LateDeferrableServerRunsTwiceItsBudgetAndTheVictimMisses) {
    sim::Scenario s = late_waker_and_victim(sim::WakeRule::Deferrable);
    Engine e(s, sim::make_core_port);
    e.run();
    EXPECT_GE(longest_stint(e, 0), 2 * from_us(s.vcpus[0].budget_us));
    EXPECT_GT(e.port().stats(1).misses, 0u);
    EXPECT_GT(e.workload(1).stats().misses, 0u);
}

TEST(BackToBack, CbsWakeRuleRemovesTheMisses) {
    sim::Scenario s = late_waker_and_victim(sim::WakeRule::Cbs);
    Engine e(s, sim::make_core_port);
    e.run();
    for (uint32_t v = 0; v < 2; ++v) EXPECT_EQ(e.port().stats(v).misses, 0u) << v;
    EXPECT_EQ(e.workload(1).stats().misses, 0u);
    EXPECT_GT(e.workload(0).stats().completed, 5u); // the late VCPU still gets its work done
}

} // namespace
} // namespace rthv::simtest
