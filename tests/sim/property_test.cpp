// Property tests over seeded random scenarios (print the seed on failure; rerun one with
// RTHV_SIM_SEED=N). Each scenario runs the real core on the simulator with the invariant
// checker installed (see invariant_checker.hpp for the per-instant invariants).
#include "tests/sim/invariant_checker.hpp"
#include "tests/sim/random_scenario.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace rthv::simtest {
namespace {

using sim::Engine;

struct Outcome {
    uint64_t sched_misses = 0;
    uint64_t job_misses = 0;
    uint64_t instants = 0;
};

// Runs one scenario with the checker; every invariant failure is a test failure.
Outcome run_checked(const sim::Scenario& s) {
    InvariantChecker checker(s);
    Engine e(s, sim::make_core_port, sim::EngineOptions{false, checker.hook()});
    e.run();
    for (const std::string& f : checker.failures()) ADD_FAILURE() << f << "\n" << describe(s);
    for (const std::string& f : e.errors()) ADD_FAILURE() << f << "\n" << describe(s);
    Outcome o;
    o.instants = checker.instants_checked();
    for (uint32_t v = 0; v < s.vcpus.size(); ++v) {
        o.sched_misses += e.port().stats(v).misses;
        o.job_misses += e.workload(v).stats().misses;
    }
    return o;
}

template <typename Fn>
void for_seeds(uint64_t first, uint64_t count, Fn fn) {
    if (const char* one = std::getenv("RTHV_SIM_SEED")) {
        first = std::strtoull(one, nullptr, 10);
        count = 1;
    }
    for (uint64_t seed = first; seed < first + count; ++seed) {
        fn(seed);
        if (::testing::Test::HasFailure()) {
            ADD_FAILURE() << "first failing seed: " << seed;
            return;
        }
    }
}

// Busy VCPUs and periodic jobs released at their own period start (wcet <= budget) behave as
// implicit-deadline periodic tasks: on one pCPU, U <= 1 means no deadline is ever missed.
TEST(Property, UniprocessorUtilisationAtMostOneHasNoMisses) {
    RandomOptions opt;
    opt.max_cpus = 1;
    opt.max_vcpus = 12;
    opt.non_deferring_only = true;
    opt.fit_gfb = true;
    uint64_t instants = 0;
    for_seeds(10'000, 400, [&](uint64_t seed) {
        sim::Scenario s = random_scenario(seed, opt);
        Outcome o = run_checked(s);
        instants += o.instants;
        EXPECT_EQ(o.sched_misses, 0u) << describe(s);
        EXPECT_EQ(o.job_misses, 0u) << describe(s);
    });
    EXPECT_GT(instants, 0u);
}

// The same task model on m pCPUs: every set passing U <= m - (m-1) u_max (GFB) has no misses.
TEST(Property, GfbSetsOnManyCpusHaveNoMisses) {
    RandomOptions opt;
    opt.max_vcpus = 16;
    opt.non_deferring_only = true;
    opt.allow_restricted_affinity = false;
    opt.fit_gfb = true;
    for_seeds(20'000, 300, [&](uint64_t seed) {
        sim::Scenario s = random_scenario(seed, opt);
        Outcome o = run_checked(s);
        EXPECT_EQ(o.sched_misses, 0u) << describe(s);
        EXPECT_EQ(o.job_misses, 0u) << describe(s);
    });
}

// Arbitrary (often overloaded) random scenarios with every workload, extratime, restricted
// affinity and pools: the invariants hold at every instant whatever the load.
TEST(Property, InvariantsHoldInArbitraryScenarios) {
    RandomOptions opt;
    for_seeds(30'000, 400, [&](uint64_t seed) { run_checked(random_scenario(seed, opt)); });
}

// CBS servers behave as sporadic tasks: GFB sets have no misses under ANY blocking pattern
// (random sporadic arrivals, interactive think times, jittered periodic jobs, busy).
TEST(Property, CbsGfbSetsHaveNoMissesForAnyBlockingPattern) {
    RandomOptions opt;
    opt.max_vcpus = 16;
    opt.all_cbs = true;
    opt.allow_restricted_affinity = false;
    opt.fit_gfb = true;
    for_seeds(40'000, 400, [&](uint64_t seed) {
        sim::Scenario s = random_scenario(seed, opt);
        Outcome o = run_checked(s);
        EXPECT_EQ(o.sched_misses, 0u) << describe(s);
    });
}

} // namespace
} // namespace rthv::simtest
