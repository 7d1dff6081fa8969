// The planner against figures published outside this repository. The PRM/MPR papers' own worked
// examples (Shin & Lee RTSS 2003 and TECS 2008; Easwaran, Shin & Lee ECRTS 2008 and RTS 2009)
// could not be read from here: only their abstracts are reachable, and no number below is
// recalled from them. What is used instead, each with where it comes from:
//  - the PRM supply bound as formalised in Prosa (analysis/definitions/sbf/periodic.v, citing
//    Shin & Lee 2003) and tabulated for Γ(5, 3) in Brandenburg's response-time-analysis-rs
//    (src/supply/tests.rs);
//  - CARTS, the compositional analysis tool of the PRM/MPR authors' group (UPenn,
//    github.com/PennPanda/carts; stored input/output pairs of its MPR2 model, global EDF inside
//    each component, no overheads): the interfaces it computed and its MPR supply values.
// rthv's MPR bound is the exact minimum over the window's phase (supply.cpp, checked against
// brute force in supply_test), which at m' = 1 is the PRM bound; CARTS' closed form is one unit
// lower there, and two lower when Θ is a multiple of m' > 1, so rthv may plan a unit less than
// CARTS, never more. Its global EDF test is the paper's in integer time.
#include "hv/plan/plan.hpp"
#include "hv/plan/supply.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>

namespace rthv::plan {
namespace {

struct Job {
    uint64_t c, t; // implicit deadline
};

TaskSet tasks(std::initializer_list<Job> jobs) {
    TaskSet ts;
    for (const Job& j : jobs) ts.tasks[ts.count++] = {j.c, j.t, j.t};
    return ts;
}

TEST(PublishedVectors, PeriodicResourceSupplyAsProsaAndRtaRsTabulateIt) {
    const uint64_t expect[] = {0, 0, 0, 0, 0, 1, 2, 3, 3, 3, 4, 5, 6, 6, 6, 7};
    for (uint64_t t = 0; t < sizeof expect / sizeof expect[0]; ++t)
        EXPECT_EQ(sbf_prm(5, 3, t), expect[t]) << "Γ(5, 3), t=" << t;
}

TEST(PublishedVectors, MprSupplyMatchesCartsAtTwoCpus) {
    // CARTS' MPR2 sbf of μ(50, 97, 2), the interface it computed for 3a below, t = 0, 10, ..., 150.
    const uint64_t expect[] = {0,   14,  34,  54,  74,  94,  111, 131,
                               151, 171, 191, 208, 228, 248, 268, 288};
    for (uint64_t i = 0; i < sizeof expect / sizeof expect[0]; ++i)
        EXPECT_EQ(sbf_mpr(50, 97, 2, 10 * i), expect[i]) << "t=" << 10 * i;
    // At m' = 1 rthv's bound is the PRM one, never below CARTS' closed form (one unit above it
    // on the rising edges: CARTS gives 5, 15, 25 at t = 40, 50, 60 for μ(50, 33, 1)).
    const uint64_t carts_m1[] = {0, 0, 0, 0, 5, 15, 25, 33, 33, 38, 48, 58, 66, 66, 71, 81};
    for (uint64_t i = 0; i < sizeof carts_m1 / sizeof carts_m1[0]; ++i) {
        EXPECT_EQ(sbf_mpr(50, 33, 1, 10 * i), sbf_prm(50, 33, 10 * i));
        EXPECT_GE(sbf_mpr(50, 33, 1, 10 * i), carts_m1[i]) << "t=" << 10 * i;
        EXPECT_LE(sbf_mpr(50, 33, 1, 10 * i), carts_m1[i] + 1) << "t=" << 10 * i;
    }
}

// CARTS rtsj14-example/dmpr-vs-mpr-same (MPR2 output): component C0 {(80, 200), (100, 200),
// (100, 200)} at Π = 50 → μ(50, 97, 2) (interface tasks (50, 49) and (50, 48)); rthv finds 96.
// Why one unit less: when Θ is a multiple of m', CARTS' closed form lies 2 units under the exact
// supply on most of its rising edges. By hand, μ(50, 96, 2) over a window of 50 that begins 2
// slots before a period's end, both CPUs having served their 48 slots early in that period and
// late in the next: 2 + 2 slots without supply, then 46 slots on each CPU = 92 (CARTS: 90).
// At Θ = 97 rthv's supply and CARTS' agree (the test above).
TEST(PublishedVectors, CartsInterfaceOfATwoCpuComponent) {
    const TaskSet c0 = tasks({{80, 200}, {100, 200}, {100, 200}});
    EXPECT_EQ(min_mpr_budget(c0, 50, 1), 0u); // U = 1.4: not on one CPU
    EXPECT_EQ(min_mpr_budget(c0, 50, 2), 96u);
    EXPECT_EQ(sbf_mpr(50, 96, 2, 50), 92u);
}

// Same file, component C1 {(10, 200), (100, 200)} at Π = 50 → μ(50, 33, 1); the one-VCPU plan
// with the PRM bound (a CBS server) needs the same within that one unit.
TEST(PublishedVectors, CartsInterfaceOfAOneCpuComponent) {
    const TaskSet c1 = tasks({{10, 200}, {100, 200}});
    const uint64_t theta = min_mpr_budget(c1, 50, 1);
    EXPECT_EQ(theta, 32u);
    EXPECT_EQ(min_budget(c1, GuestSched::Edf, SupplyKind::Cbs, 50, 1), 32u);
}

// Same file, the system level: the interface tasks (50, 49), (50, 48), (50, 33) at Π = 20 →
// μ(20, 60, 3), three dedicated CPUs (CARTS needs sbf = m'·t at Θ = m'Π to find it).
TEST(PublishedVectors, CartsSystemInterfaceIsThreeDedicatedCpus) {
    const TaskSet sys = tasks({{49, 50}, {48, 50}, {33, 50}});
    EXPECT_EQ(min_mpr_budget(sys, 20, 2), 0u);
    EXPECT_EQ(min_mpr_budget(sys, 20, 3), 60u);
    for (uint64_t t = 0; t < 100; ++t) EXPECT_EQ(sbf_mpr(20, 60, 3, t), 3 * t);
}

// CARTS motivation-task-preemption: {(8, 16), (4, 8)} (U = 1) at Π = 4 → μ(4, 4, 1), a whole
// CPU (CARTS' special case m' = U). The global EDF test needs U < Θ/Π and cannot give it; the
// planner's one-VCPU EDF test (PRM, exact for one CPU) does. The planned version is scaled by 10
// (RTDS periods start at 10 µs).
TEST(PublishedVectors, CartsFullUtilisationComponentIsOneWholeCpu) {
    EXPECT_EQ(min_budget(tasks({{8, 16}, {4, 8}}), GuestSched::Edf, SupplyKind::Cbs, 4, 1), 4u);
    Request r;
    r.tasks = tasks({{80, 160}, {40, 80}});
    r.period_min = r.period_max = 40;
    static Plan p;
    make_plan(r, p);
    ASSERT_TRUE(p.ok) << p.why;
    EXPECT_EQ(p.budget_us, 40u);
}

} // namespace
} // namespace rthv::plan
