// The hierarchical workload: a guest's task set inside one VCPU. The guest's scheduler (EDF or
// RM) picks which pending job the VCPU's progress goes to; every job's completion is checked
// against its own deadline, so the report's job misses are task deadline misses.
//
// Preemption inside the guest needs nothing extra: the engine accounts a running VCPU's
// progress up to each arrival before delivering it, and consume() re-picks at every job end.
#include "tools/sim/workload.hpp"

namespace rthv::sim {

void Workload::start_tasks() {
    task_next_.assign(spec_.tasks.size(), spec_.offset);
    next_arrival_ = spec_.tasks.empty() ? kTimeNever : spec_.offset;
}

// Releases every task due now; the next release of a task comes T (plus the random sporadic
// delay) later, so its jobs never arrive faster than the analysis assumes.
void Workload::arrive_tasks(Time now) {
    next_arrival_ = kTimeNever;
    for (uint32_t i = 0; i < task_next_.size(); ++i) {
        const GuestTask& t = spec_.tasks[i];
        if (task_next_[i] <= now) {
            release(now, now + t.deadline, t.wcet, i);
            task_next_[i] = now + t.period + rng_.range(0, spec_.jitter);
        }
        if (task_next_[i] < next_arrival_) next_arrival_ = task_next_[i];
    }
}

// EDF: earliest absolute deadline; RM: shortest period, ties by task order. Equal keys go to
// the earlier release, then the lower task index, so the choice is deterministic.
bool Workload::before(const Job& a, const Job& b) const {
    if (spec_.guest_rm) {
        const Duration pa = spec_.tasks[a.task].period, pb = spec_.tasks[b.task].period;
        if (pa != pb) return pa < pb;
        if (a.task != b.task) return a.task < b.task;
        return a.release < b.release;
    }
    if (a.deadline != b.deadline) return a.deadline < b.deadline;
    if (a.release != b.release) return a.release < b.release;
    return a.task < b.task;
}

size_t Workload::next_job() const {
    size_t best = 0;
    for (size_t i = 1; i < jobs_.size(); ++i)
        if (before(jobs_[i], jobs_[best])) best = i;
    return best;
}

} // namespace rthv::sim
