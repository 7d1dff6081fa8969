// Supply bound functions: the least CPU time a reservation guarantees in ANY window of length t
// (all µs). The guest is schedulable if its demand in every window stays below this.
#pragma once

#include "hv/lib/types.hpp"

namespace rthv::plan {

// Shin & Lee (RTSS 2003), periodic resource Γ(Π, Θ): Θ units in every period Π, placed anywhere.
// Worst case: supply at the very start of one period and the very end of the next, a blackout of
// 2(Π − Θ); then Θ per Π. 0 when Θ = 0; t when Θ >= Π.
uint64_t sbf_prm(uint64_t period, uint64_t budget, uint64_t t);

// Easwaran, Shin & Lee, multiprocessor periodic resource μ(Π, Θ, m'): Θ units per period Π on at
// most m' CPUs at once. The exact minimum over the window's phase (supply.cpp says why it is
// never above the papers' closed forms).
uint64_t sbf_mpr(uint64_t period, uint64_t budget, uint32_t m, uint64_t t);

// What the planner hands the schedulability tests: N VCPUs, each an RTDS server (Π, θ).
//  - cbs: each VCPU supplies sbf_prm(Π, θ) (hv/plan/SERVERS.md says when this holds);
//  - deferrable: the budget of the period a VCPU wakes into is not counted (it may be lost to
//    back-to-back neighbours or to its own late wake), i.e. sbf_prm(Π, θ)(t − θ);
//  - mpr: the paper's interface, Θ = `budget` over m' = `vcpus` (for reporting and tests).
// The N VCPUs' grids need not be aligned: the sum of their own bounds holds for any phases.
enum class SupplyKind : uint8_t { Cbs, Deferrable, Mpr };

struct Supply {
    SupplyKind kind = SupplyKind::Cbs;
    uint64_t period = 0; // Π, µs
    uint64_t budget = 0; // θ per VCPU (Mpr: Θ in total), µs
    uint32_t vcpus = 1;

    uint64_t at(uint64_t t) const;
    // Long-run rate as a fraction rate_num / period (CPUs).
    uint64_t rate_num() const { return kind == SupplyKind::Mpr ? budget : budget * vcpus; }
    // An upper bound on how far the supply lags the straight line rate·t: at(t) >= rate·(t −
    // lag) for every t. Used only to bound how far the tests must look.
    uint64_t lag() const { return 3 * period + 2; }
    // Where at() changes slope or jumps: first[i] + j·period for j >= 0. Returns how many.
    uint32_t breakpoints(uint64_t (&first)[6]) const;
};

} // namespace rthv::plan
