// Per-VCPU guest workload models. The engine asks a workload how much work is pending, lets it
// progress while its VCPU runs, and delivers its arrivals; the workload records job statistics.
#pragma once

#include "tools/sim/rng.hpp"
#include "tools/sim/scenario.hpp"

#include <deque>
#include <vector>

namespace rthv::sim {

struct JobStats {
    uint64_t released = 0;
    uint64_t completed = 0;
    uint64_t misses = 0; // jobs finished after their deadline, or unfinished past it at the end
    Duration response_max = 0;
    Duration response_sum = 0;
};

class Workload {
public:
    // vcpu_period: the VCPU's own period, the default job period of a periodic workload.
    Workload(const WorkloadSpec& spec, Duration vcpu_period, uint64_t seed);

    // Called once at time 0: releases what is due at 0 and plans the first later arrival.
    void start();

    bool infinite() const { return spec_.kind == WorkloadKind::Busy; }
    Duration backlog() const; // pending work in ns (meaningless when infinite())
    Time next_arrival() const { return next_arrival_; } // kTimeNever when none is planned
    void arrive(Time now);                              // deliver the arrival planned for `now`

    // The VCPU made `amount` ns of uninterrupted progress starting at `from`.
    void consume(Time from, Duration amount);
    // The backlog became empty at `now` (the VCPU is about to block).
    void on_idle(Time now);
    // Tasks shared by a group of VCPUs: progress on several VCPUs at once, VCPU j running from
    // from[j] to `end`; the guest runs its highest-priority jobs on those running at each time.
    void consume_parallel(std::vector<Time> from, Time end);
    // With k of the group's VCPUs running from now: 0 when one of them has no job (it blocks),
    // else how long until the first of the k running jobs completes.
    Duration next_change(size_t k) const;
    size_t pending() const { return jobs_.size(); }
    // End of simulation: count jobs still unfinished past their deadline as misses.
    void finish(Time end);

    const JobStats& stats() const { return stats_; }
    const WorkloadSpec& spec() const { return spec_; }

private:
    struct Job {
        Time release;
        Time deadline;
        Duration remaining;
        uint32_t task = 0; // Tasks: which guest task released it
    };
    void release(Time at, Time deadline, Duration work, uint32_t task = 0);
    void complete(size_t index, Time at);
    std::vector<size_t> by_priority() const;
    void plan_periodic(uint64_t index);
    // Tasks workload (workload_tasks.cpp): the guest's scheduler and its releases.
    void start_tasks();
    void arrive_tasks(Time now);
    size_t next_job() const; // index in jobs_ of the job the guest runs now
    bool before(const Job& a, const Job& b) const;

    WorkloadSpec spec_;
    Rng rng_;
    std::deque<Job> jobs_;
    uint64_t next_index_ = 0;     // periodic: index of the next release
    std::vector<Time> task_next_; // Tasks: next release of each guest task
    Time next_arrival_ = kTimeNever;
    JobStats stats_;
};

} // namespace rthv::sim
