// Random guest task sets, planned with hv/plan and placed in a simulation next to adversarial
// neighbours: the end-to-end check that a plan's reservation really meets every task deadline.
#pragma once

#include "hv/plan/plan.hpp"
#include "tools/sim/scenario.hpp"

#include <string>

namespace rthv::simtest {

struct PlannedCase {
    plan::Request request;
    plan::Plan plan;
    sim::Scenario scenario; // planned VCPUs first (indices [0, planned)), then the neighbours
    uint32_t planned = 0;
    std::string text; // for failure messages
};

struct PlanCaseOptions {
    Duration duration = 300'000'000; // ns: over two hyperperiods of the drawn periods (120 ms)
    bool multi_vcpu = true; // also 2-3 VCPUs: partitioned RM, or global EDF (a guest group)
    // Neighbours that defer under Xen's rule (outside what a plan's guarantee covers): to show
    // that the condition in hv/plan/SERVERS.md is needed.
    bool deferrable_neighbours = false;
};

// Draws a task set (1-4 tasks, utilisation 5-60 % per VCPU, D in [T/2, T] half of the time),
// the guest policy and the server rule, plans it, and builds the scenario: the planned VCPUs
// (extratime off, tasks released at a random phase with random sporadic delays) and 1-4
// neighbours on 1-2 pCPUs that are busy or CBS servers deferring at random, with budgets filling
// the pool up to the GFB bound. Returns false when the draw has no plan (the caller skips it).
// `shrink_permille` > 0 cuts each planned budget by that much (at least 1 µs) after planning.
bool planned_case(uint64_t seed, const PlanCaseOptions& opt, uint32_t shrink_permille,
                  PlannedCase& out);

} // namespace rthv::simtest
