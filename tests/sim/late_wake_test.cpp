// Honest misses on the simulator (hv/sched/DESIGN.md "Misses"): a deferrable server whose jobs
// arrive too late in its period to use its budget counts late wakes, not misses; the same
// server starved by a more urgent VCPU while it had time to spare counts misses. The reference
// model agrees on both counters (differential_test.cpp compares them on random scenarios).
#include "tests/sim/reference_model.hpp"
#include "tools/sim/engine.hpp"

#include <gtest/gtest.h>

namespace rthv::simtest {
namespace {

using sim::Engine;

// A 4 ms / 10 ms deferrable server with 3 ms jobs released 8 ms into each of its periods: it
// can run only 2 ms before each boundary, and has 2 ms of budget left at every deadline.
sim::VcpuSpec late_server() {
    sim::VcpuSpec v;
    v.name = "ui";
    v.period_us = 10000;
    v.budget_us = 4000;
    v.extratime = false;
    v.workload = {sim::WorkloadKind::Periodic, from_us(3000), from_us(10000), from_us(8000)};
    return v;
}

sim::Scenario one_cpu(std::vector<sim::VcpuSpec> vcpus) {
    sim::Scenario s;
    s.pcpus = 1;
    s.pools = {{"Pool-0", CpuSet::first_n(1)}};
    s.duration = 200'000'000;
    s.vcpus = std::move(vcpus);
    return s;
}

TEST(LateWake, AServerWakingTooLateToUseItsBudgetIsNotAMiss) {
    for (const sim::PortFactory& port :
         {sim::PortFactory(sim::make_core_port), sim::PortFactory(make_reference_port)}) {
        Engine e(one_cpu({late_server()}), port);
        e.run();
        sim::SchedStats st = e.port().stats(0);
        EXPECT_EQ(st.misses, 0u);
        EXPECT_GE(st.late_wakes, 19u); // every period from the first boundary on
        EXPECT_EQ(e.workload(0).stats().misses, 0u);
    }
}

TEST(LateWake, TheSameServerStarvedWithTimeToSpareMisses) {
    sim::VcpuSpec ui = late_server();
    ui.workload.offset = 0; // jobs at the period start: 10 ms to get 3 ms
    sim::VcpuSpec hog;      // same period, inserted first (FIFO at equal deadlines), 80 %
    hog.name = "hog";
    hog.period_us = 10000;
    hog.budget_us = 8000;
    hog.extratime = false;
    ui.budget_us = 4000; // U = 1.2: ui can only get 2 of its 4 ms
    Engine e(one_cpu({hog, ui}), sim::make_core_port);
    e.run();
    sim::SchedStats st = e.port().stats(1);
    EXPECT_GE(st.misses, 19u);
    EXPECT_EQ(st.late_wakes, 0u);
}

} // namespace
} // namespace rthv::simtest
