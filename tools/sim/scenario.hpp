// A simulation scenario: pCPUs, pools, VCPUs with their scheduling parameters and workloads.
// Parsed from the plain-text format described in SCENARIO.md, or built directly by tests.
#pragma once

#include "hv/lib/cpu_set.hpp"
#include "hv/lib/types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rthv::sim {

enum class WakeRule { Deferrable, Cbs };

enum class WorkloadKind {
    Busy,        // always runnable, never blocks
    Periodic,    // a job of `wcet` every `job_period`, blocks when done
    Sporadic,    // bursts of `wcet` arriving open-loop, gaps uniform in [min_gap, max_gap]
    Interactive, // bursts of 1..wcet, then think time uniform in [min_gap, max_gap] (closed loop)
    Tasks,       // a guest's own task set, scheduled inside the VCPU by the guest's EDF or RM
};

// One periodic task of a Tasks workload (hierarchical: the guest schedules these).
struct GuestTask {
    Duration wcet = 0;     // ns, C
    Duration period = 0;   // ns, T: minimum time between releases
    Duration deadline = 0; // ns, D <= T, relative to the release
};

struct WorkloadSpec {
    WorkloadKind kind = WorkloadKind::Busy;
    Duration wcet = 0;       // ns; job / burst length (Interactive: upper bound)
    Duration job_period = 0; // ns; Periodic: 0 = the VCPU's own period
    Duration offset = 0;     // ns; first release (Periodic) or first arrival (others)
    Duration jitter = 0;     // ns; Periodic: each release delayed by uniform [0, jitter]
    Duration min_gap = 0;    // ns; Sporadic/Interactive
    Duration max_gap = 0;    // ns; Sporadic/Interactive, >= min_gap
    // Tasks: the task set, the guest's policy (RM: shorter period first, ties in list order),
    // and for each release an extra random delay in [0, jitter] after T (sporadic arrivals).
    std::vector<GuestTask> tasks = {};
    bool guest_rm = false;
    // Tasks: VCPUs naming the same group share one guest (one task set, one scheduler that runs
    // its highest-priority jobs on whichever of the group's VCPUs are running: global EDF/RM).
    std::string group = {};
};

struct VcpuSpec {
    std::string name;
    std::string domain;
    uint64_t period_us = 10000;
    uint64_t budget_us = 4000;
    bool extratime = true;
    WakeRule wake_rule = WakeRule::Deferrable;
    std::optional<CpuSet> affinity; // nullopt = every CPU of its pool
    size_t pool = 0;                // index into Scenario::pools
    WorkloadSpec workload;
    int line = 0; // source line (0 when built in code), for messages
};

struct PoolSpec {
    std::string name;
    CpuSet cpus;
};

// Hypervisor time charged to nobody's budget, reported through steal() (0 = off).
struct OverheadSpec {
    Duration per_schedule = 0; // ns spent in each schedule() that leaves a VCPU current
    Duration per_timer = 0;    // ns spent in each timer interrupt while a VCPU is current
};

// Late timer delivery (a loaded host, a slow interrupt path): every timer interrupt arrives
// `late` + uniform [0, jitter] ns after the deadline it was armed for (0 = exact).
struct TimerSpec {
    Duration late = 0;
    Duration jitter = 0;
};

struct Scenario {
    CpuId pcpus = 1;
    std::vector<PoolSpec> pools; // pools[0] is "Pool-0" (the CPUs no other pool claims)
    std::vector<VcpuSpec> vcpus;
    Duration duration = 1'000'000'000; // ns
    uint64_t seed = 1;
    OverheadSpec overhead;
    TimerSpec timers;
    // Tests only (no file syntax): mean gap between random control operations (pause/unpause,
    // yield, set_params) on random VCPUs; 0 = none.
    Duration control_gap = 0;

    CpuSet effective_affinity(const VcpuSpec& v) const {
        CpuSet pool_cpus = pools.at(v.pool).cpus;
        return v.affinity ? (*v.affinity & pool_cpus) : pool_cpus;
    }
};

// A parse failure: the 1-based line number (0 = the file as a whole) and what is wrong.
struct ParseError {
    int line = 0;
    std::string message;
    std::string to_string() const;
};

struct ParseResult {
    std::optional<Scenario> scenario;
    std::optional<ParseError> error;
};

ParseResult parse_scenario(const std::string& text);

// Parses "all" or a comma-separated list of CPUs and ranges ("0-3,6"). nullopt on bad syntax
// or a CPU >= pcpus.
std::optional<CpuSet> parse_cpu_list(const std::string& text, CpuId pcpus);

} // namespace rthv::sim
