// End to end: random guest task sets are planned (hv/plan) and simulated as guest tasks inside
// the planned VCPUs (rtds-sim's tasks workload) next to adversarial neighbours on a pool that
// passes GFB. The planned reservation must meet every task deadline; a budget cut by a stated
// step must miss for some sets (the plan is not wasteful by more than that step).
//
// Several VCPUs: partitioned RM runs a task subset per VCPU; global EDF runs the whole set as a
// guest group (workload=tasks group=..., one guest scheduler over the group's running VCPUs).
#include "tests/sim/planned_scenario.hpp"
#include "tools/sim/engine.hpp"
#include "tools/sim/sched_port.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace rthv::simtest {
namespace {

struct Result {
    uint64_t task_misses = 0; // deadline misses of the planned VCPUs' guest tasks
    uint64_t released = 0;    // jobs released by them (the check is not vacuous)
    uint64_t vcpu_misses = 0; // any VCPU's budget not delivered by its deadline
};

Result simulate(const PlannedCase& c) {
    sim::Engine e(c.scenario, sim::make_core_port);
    e.run();
    for (const std::string& f : e.errors()) ADD_FAILURE() << f << "\n" << c.text;
    Result r;
    for (uint32_t v = 0; v < c.scenario.vcpus.size(); ++v) {
        r.vcpu_misses += e.port().stats(v).misses;
        // The members of a guest group all report the group's jobs: count them once.
        if (v >= c.planned || (v > 0 && !c.scenario.vcpus[v].workload.group.empty())) continue;
        r.task_misses += e.workload(v).stats().misses;
        r.released += e.workload(v).stats().released;
    }
    return r;
}

uint64_t first_seed(uint64_t fallback) {
    const char* one = std::getenv("RTHV_SIM_SEED");
    return one != nullptr ? std::strtoull(one, nullptr, 10) : fallback;
}

TEST(PlanProperty, PlannedReservationsMeetEveryTaskDeadline) {
    const uint64_t first = first_seed(70'000);
    const uint64_t count = std::getenv("RTHV_SIM_SEED") != nullptr ? 1 : 300;
    uint32_t simulated = 0, cbs = 0, deferrable = 0, global = 0;
    for (uint64_t seed = first; seed < first + count; ++seed) {
        static PlannedCase c;
        if (!planned_case(seed, {}, 0, c)) continue;
        ++simulated;
        ++(c.request.server == plan::ServerRule::Cbs ? cbs : deferrable);
        global += c.request.vcpus > 1 && c.request.guest == plan::GuestSched::Edf ? 1 : 0;
        const Result r = simulate(c);
        EXPECT_GT(r.released, 0u) << c.text;
        EXPECT_EQ(r.task_misses, 0u) << "seed " << seed << ": " << c.text;
        // With every VCPU either busy or a CBS server the host guarantee holds too.
        if (c.request.server == plan::ServerRule::Cbs) {
            EXPECT_EQ(r.vcpu_misses, 0u) << "seed " << seed << ": " << c.text;
        }
        if (::testing::Test::HasFailure()) return;
    }
    // Not vacuous: most draws have a plan that fits, under both rules.
    EXPECT_GT(simulated, count / 2);
    EXPECT_GT(cbs, count / 8);
    EXPECT_GT(deferrable, count / 8);
    EXPECT_GT(global, 10u); // global EDF groups on several VCPUs were among them
}

// The step: 2 % of the planned budget. Cut by that much, some sets must miss a deadline (more
// than 1 in 20 of them; about 7 % do).
TEST(PlanProperty, BudgetsCutByTwoPercentMissForSomeSets) {
    PlanCaseOptions opt;
    opt.multi_vcpu = false; // global EDF plans are far from tight: they would only dilute this
    uint32_t simulated = 0, missed = 0;
    for (uint64_t seed = 80'000; seed < 80'400; ++seed) {
        static PlannedCase c;
        if (!planned_case(seed, opt, 20, c)) continue;
        ++simulated;
        if (simulate(c).task_misses > 0) ++missed;
    }
    ASSERT_GT(simulated, 100u);
    EXPECT_GT(missed * 20, simulated) << missed << " of " << simulated << " missed";
    std::printf("budgets cut by 2%%: %u of %u task sets missed a deadline\n", missed, simulated);
}

// Outside the guarantee: neighbours deferring under Xen's rule can run back to back and take
// budget a planned VCPU was promised, so some planned task sets miss (about 3.5 % of them).
// This is why hv/plan/SERVERS.md requires the pool's other VCPUs to use wake = "cbs" or never
// block, whichever rule the planned VCPU itself uses.
TEST(PlanProperty, DeferrableNeighboursBreakSomePlans) {
    PlanCaseOptions opt;
    opt.deferrable_neighbours = true;
    opt.multi_vcpu = false;
    uint32_t simulated = 0, missed = 0;
    for (uint64_t seed = 3900; seed < 4100; ++seed) {
        static PlannedCase c;
        if (!planned_case(seed, opt, 0, c)) continue;
        ++simulated;
        if (simulate(c).task_misses > 0) ++missed;
    }
    ASSERT_GT(simulated, 100u);
    EXPECT_GT(missed, 0u);
    std::printf("deferrable neighbours: %u of %u planned task sets missed a deadline\n", missed,
                simulated);
}

} // namespace
} // namespace rthv::simtest
