// Seeded random scenarios for the property and differential tests. The same seed always gives
// the same scenario, so a failing seed printed by a test reproduces it exactly.
#pragma once

#include "tools/sim/scenario.hpp"

#include <cstdint>

namespace rthv::simtest {

struct RandomOptions {
    CpuId max_cpus = 8;
    uint32_t max_vcpus = 24;
    Duration duration = 40'000'000; // ns
    // Only busy VCPUs and periodic jobs released at their own period start with wcet <= budget
    // (the ones that behave as implicit-deadline periodic tasks).
    bool non_deferring_only = false;
    bool allow_extratime = true;
    bool allow_restricted_affinity = true;
    bool allow_pools = true;
    bool allow_overhead = false;
    // Scenario::timers: late 0..500 us, plus (timer_jitter) jitter 0..500 us. The jitter is
    // drawn per arm() call, so only schedulers that arm alike see the same delays.
    bool late_timers = false;
    bool timer_jitter = true;
    bool all_cbs = false;
    Duration control_gap = 0; // Scenario::control_gap
    // Rescale budgets so the set passes GFB (U <= m - (m-1) u_max; U <= 1 on one CPU).
    bool fit_gfb = false;
};

sim::Scenario random_scenario(uint64_t seed, const RandomOptions& opt);

// Utilisation bookkeeping in ppm, rounded up like the core's admission control.
uint64_t util_ppm(const sim::VcpuSpec& v);
bool passes_gfb(const sim::Scenario& s, size_t pool);

// One line describing the scenario (for failure messages).
std::string describe(const sim::Scenario& s);

} // namespace rthv::simtest
