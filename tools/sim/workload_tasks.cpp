// The hierarchical workload: a guest's task set inside one VCPU. The guest's scheduler (EDF or
// RM) picks which pending job the VCPU's progress goes to; every job's completion is checked
// against its own deadline, so the report's job misses are task deadline misses.
//
// Preemption inside the guest needs nothing extra: the engine accounts a running VCPU's
// progress up to each arrival before delivering it, and consume() re-picks at every job end.
#include "tools/sim/workload.hpp"

#include <algorithm>

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

std::vector<size_t> Workload::by_priority() const {
    std::vector<size_t> order(jobs_.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return before(jobs_[a], jobs_[b]); });
    return order;
}

void Workload::complete(size_t index, Time at) {
    const Job& j = jobs_[index];
    const Duration response = at - j.release;
    ++stats_.completed;
    stats_.response_max = std::max(stats_.response_max, response);
    stats_.response_sum += response;
    if (at > j.deadline) ++stats_.misses;
    jobs_.erase(jobs_.begin() + static_cast<std::ptrdiff_t>(index));
}

// Piecewise: between two instants where a VCPU starts running or a job ends, the k running
// VCPUs each advance one of the k highest-priority jobs at rate 1.
void Workload::consume_parallel(std::vector<Time> from, Time end) {
    std::sort(from.begin(), from.end());
    Time t = from.empty() ? end : from.front();
    while (t < end) {
        size_t k = 0;
        Time next = end;
        for (Time f : from) {
            if (f <= t)
                ++k;
            else
                next = std::min(next, f);
        }
        const std::vector<size_t> order = by_priority();
        const size_t run = std::min(k, order.size());
        Duration step = next - t;
        for (size_t r = 0; r < run; ++r) step = std::min(step, jobs_[order[r]].remaining);
        for (size_t r = 0; r < run; ++r) jobs_[order[r]].remaining -= step;
        t += step;
        for (size_t i = jobs_.size(); i-- > 0;)
            if (jobs_[i].remaining == 0) complete(i, t);
    }
}

Duration Workload::next_change(size_t k) const {
    if (jobs_.size() < k) return 0;
    const std::vector<size_t> order = by_priority();
    Duration first = kTimeNever;
    for (size_t r = 0; r < k; ++r) first = std::min(first, jobs_[order[r]].remaining);
    return first;
}

} // namespace rthv::sim
