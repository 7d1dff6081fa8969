// Schedulability of a guest task set on a Supply (hv/plan/supply.hpp). Each test is sufficient:
// true means every job meets its deadline for any release pattern (sporadic tasks, D <= T)
// whenever the reservation delivers at least the supply bound. All integer, no heap.
#pragma once

#include "hv/plan/supply.hpp"
#include "hv/plan/taskset.hpp"

namespace rthv::plan {

enum class GuestSched : uint8_t { Edf, Rm };

// Work limit of one test: a set whose check would need more points than this is reported as not
// schedulable (never as schedulable), so the planner only ever errs towards a larger budget.
inline constexpr uint64_t kMaxCheckPoints = 400000;

// Uniprocessor EDF (one VCPU), Shin & Lee Theorem: dbf(t) <= sbf(t) at every absolute deadline
// up to a horizon past which the slopes alone settle it.
bool edf_schedulable(const TaskSet& ts, const Supply& s);

// Uniprocessor fixed priorities by rate (RM, shorter period first, ties in file order), Shin &
// Lee: for each task i some t in (0, D_i] with rbf_i(t) <= sbf(t).
bool rm_schedulable(const TaskSet& ts, const Supply& s);

// Global EDF on the supply's VCPUs (m' = s.vcpus), Easwaran, Shin & Lee Theorem 1 in its integer-
// time form (global.cpp): for every task k and window A_k + D_k, DEM(A_k + D_k, m') < sbf. Assumes
// the guest runs its m' highest-priority jobs on whichever of its VCPUs are running at the time.
bool gedf_schedulable(const TaskSet& ts, const Supply& s);

// Task indices in RM priority order (highest first).
void rm_order(const TaskSet& ts, uint32_t (&order)[kMaxTasks]);

namespace detail {
// How far a test must look: past this window length, demand cannot overtake the supply.
// `extra` is what the demand may exceed U·t by (µs). 0 = no finite horizon (rate too small).
uint64_t horizon(const TaskSet& ts, const Supply& s, uint64_t extra, bool allow_hyperperiod);
} // namespace detail

} // namespace rthv::plan
