// Workload models: busy, periodic (with offset/jitter), sporadic (open loop), interactive
// (closed loop: think, burst, think...). All randomness comes from the VCPU's own seeded stream.
#include "tools/sim/workload.hpp"

#include <algorithm>

namespace rthv::sim {

Workload::Workload(const WorkloadSpec& spec, Duration vcpu_period, uint64_t seed)
    : spec_(spec), rng_(seed) {
    if (spec_.kind == WorkloadKind::Periodic && spec_.job_period == 0)
        spec_.job_period = vcpu_period;
}

void Workload::start() {
    switch (spec_.kind) {
    case WorkloadKind::Busy:
        return;
    case WorkloadKind::Periodic:
        plan_periodic(0);
        break;
    case WorkloadKind::Sporadic:
    case WorkloadKind::Interactive:
        next_arrival_ = spec_.offset;
        break;
    case WorkloadKind::Tasks:
        start_tasks();
        break;
    }
    if (next_arrival_ == 0) arrive(0);
}

Duration Workload::backlog() const {
    Duration sum = 0;
    for (const Job& j : jobs_) sum += j.remaining;
    return sum;
}

// Release k is nominally at offset + k * T; jitter delays it without moving its deadline.
void Workload::plan_periodic(uint64_t index) {
    next_index_ = index;
    next_arrival_ = spec_.offset + index * spec_.job_period + rng_.range(0, spec_.jitter);
}

void Workload::release(Time at, Time deadline, Duration work, uint32_t task) {
    jobs_.push_back({at, deadline, work, task});
    ++stats_.released;
}

void Workload::arrive(Time now) {
    switch (spec_.kind) {
    case WorkloadKind::Busy:
        return;
    case WorkloadKind::Periodic: {
        Time nominal = spec_.offset + next_index_ * spec_.job_period;
        release(now, nominal + spec_.job_period, spec_.wcet);
        plan_periodic(next_index_ + 1);
        return;
    }
    case WorkloadKind::Sporadic:
        release(now, now + spec_.min_gap, spec_.wcet);
        next_arrival_ = now + rng_.range(spec_.min_gap, spec_.max_gap);
        return;
    case WorkloadKind::Interactive:
        release(now, now + spec_.min_gap,
                rng_.range(std::min<Duration>(1000, spec_.wcet), spec_.wcet));
        next_arrival_ = kTimeNever; // the next burst is planned when this one is done
        return;
    case WorkloadKind::Tasks:
        arrive_tasks(now);
        return;
    }
}

void Workload::consume(Time from, Duration amount) {
    Time t = from;
    while (amount > 0 && !jobs_.empty()) {
        // FIFO for one-job-at-a-time workloads; the guest's own choice for a task set.
        const size_t pick = spec_.kind == WorkloadKind::Tasks ? next_job() : 0;
        Job& j = jobs_[pick];
        Duration step = std::min(amount, j.remaining);
        j.remaining -= step;
        amount -= step;
        t += step;
        if (j.remaining > 0) break;
        Duration response = t - j.release;
        ++stats_.completed;
        stats_.response_max = std::max(stats_.response_max, response);
        stats_.response_sum += response;
        if (t > j.deadline) ++stats_.misses;
        jobs_.erase(jobs_.begin() + static_cast<std::ptrdiff_t>(pick));
    }
}

void Workload::on_idle(Time now) {
    if (spec_.kind == WorkloadKind::Interactive && next_arrival_ == kTimeNever)
        next_arrival_ = now + rng_.range(spec_.min_gap, spec_.max_gap);
}

void Workload::finish(Time end) {
    for (const Job& j : jobs_)
        if (j.deadline < end) ++stats_.misses;
}

} // namespace rthv::sim
