// The planner: the cheapest RTDS reservation (period, budget per VCPU) under which a guest's task
// set is schedulable inside its VM, searched over a range of periods (hv/plan/SERVERS.md).
#pragma once

#include "hv/plan/tests.hpp"

namespace rthv::plan {

inline constexpr uint32_t kMaxVcpus = 64;      // as a config domain
inline constexpr uint32_t kMaxCandidates = 64; // periods tried in one search
inline constexpr uint64_t kMinBudgetUs = 10;   // RTDS's minimum (hv/sched/params.hpp)

enum class ServerRule : uint8_t { Cbs, Deferrable };

struct Request {
    TaskSet tasks;
    GuestSched guest = GuestSched::Edf;
    ServerRule server = ServerRule::Cbs;
    uint32_t vcpus = 1;
    // Periods to try (µs). min == max: that period only. 0/0: min T / 8 .. min T.
    uint64_t period_min = 0, period_max = 0;
    uint64_t overhead_us = 0; // hypervisor time per period charged to the VCPU: added to budget
};

struct Candidate {
    uint64_t period_us = 0;
    uint64_t budget_us = 0;     // per VCPU, overhead included; 0 = nothing fits at this period
    uint64_t bandwidth_ppm = 0; // vcpus · budget / period, rounded up
};

struct Plan {
    bool ok = false;
    uint64_t period_us = 0;
    uint64_t budget_us = 0;   // every VCPU's budget, overhead included
    uint64_t analysed_us = 0; // the budget the analysis needs, before the overhead
    uint32_t vcpus = 0;
    uint64_t bandwidth_ppm = 0;
    uint64_t task_ppm = 0; // the task set's own utilisation
    // RM on several VCPUs is partitioned: task i runs on VCPU vcpu_of[i] (worst-fit decreasing
    // by utilisation); each VCPU needs need_us[v] (the uniform budget is their maximum).
    uint8_t vcpu_of[kMaxTasks] = {};
    uint64_t need_us[kMaxVcpus] = {};
    // Global EDF: the multiprocessor periodic resource μ(Π, Θ, m') of the paper at the chosen
    // period (0 when not computed), for comparison with the N equal servers actually planned.
    uint64_t mpr_budget_us = 0;
    Candidate candidates[kMaxCandidates];
    uint32_t candidate_count = 0;
    const char* why = ""; // when !ok
};

// Fills `out`. Never fails silently: !ok comes with a sentence in `why`.
void make_plan(const Request& req, Plan& out);

// The least per-VCPU budget θ in [1, period] for which the guest passes its test at `period`,
// 0 if even θ = period does not. One VCPU for EDF/RM, several for global EDF.
uint64_t min_budget(const TaskSet& ts, GuestSched guest, SupplyKind kind, uint64_t period,
                    uint32_t vcpus);

// The least total Θ for the paper's μ(Π, Θ, m') under global EDF; 0 if none up to m'·Π.
uint64_t min_mpr_budget(const TaskSet& ts, uint64_t period, uint32_t m);

const char* guest_name(GuestSched g);
const char* server_name(ServerRule r);

} // namespace rthv::plan
