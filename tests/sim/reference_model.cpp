// Server rules of the reference model: insert, wake, block, burn, replenishment, steal.
#include "tests/sim/reference_model.hpp"

#include "hv/sched/server_math.hpp"

#include <algorithm>

namespace rthv::simtest {

ReferenceModel::ReferenceModel(const sim::Scenario& s, Platform& platform)
    : s_(s), platform_(platform), timers_(platform, s.pcpus), vcpus_(s.vcpus.size()),
      current_(s.pcpus, -1), cpu_pool_(s.pcpus, 0), pools_(s.pools.size()) {
    for (size_t p = 0; p < s.pools.size(); ++p) {
        pools_[p].cpus = s.pools[p].cpus;
        for (CpuId c = 0; c < s.pcpus; ++c)
            if (s.pools[p].cpus.test(c)) cpu_pool_[c] = p;
    }
}

bool ReferenceModel::insert(uint32_t i) {
    const sim::VcpuSpec& spec = s_.vcpus[i];
    V& v = vcpus_[i];
    v.period = from_us(spec.period_us);
    v.budget = from_us(spec.budget_us);
    v.extratime = spec.extratime;
    v.cbs = spec.wake_rule == sim::WakeRule::Cbs;
    v.pool = spec.pool;
    v.mask = s_.effective_affinity(spec);
    PoolState& pool = pools_[v.pool];
    if (std::find(pool.classes.begin(), pool.classes.end(), v.mask) == pool.classes.end())
        pool.classes.push_back(v.mask);
    v.deadline = now() + v.period;
    v.debt = 0;
    start_period(v, now(), 1);
    v.awake = true;
    v.st.periods = 1; // periods: server periods in which it was eligible, this one first
    new_seq(v);
    v.last_cpu = v.mask.first();
    v.place = Place::Runq;
    v.runnable_since = now();
    arm_replenishment(i);
    CpuSet kicks;
    tickle(i, kicks);
    send(kicks);
    return true;
}

void ReferenceModel::wake(uint32_t i) {
    V& v = vcpus_[i];
    if (v.awake) return;
    v.awake = true;
    // Still current (its CPU has not rescheduled since block): it never stopped running.
    if (!v.paused && v.place == Place::Blocked)
        make_eligible(i);
    else if (!v.paused)
        v.elig_from = now();
}

// Wake rule, new seq, replenishment timer, queue, tickle.
void ReferenceModel::make_eligible(uint32_t i) {
    V& v = vcpus_[i];
    const Time t = now();
    bool fresh = v.cbs ? cbs_needs_fresh_period(v.budget_left, v.deadline, t, v.budget, v.period)
                       : t >= v.deadline;
    if (fresh && v.cbs) {
        v.deadline = t + v.period;
        start_period(v, t, 1);
    } else if (fresh) {
        GridStep step = grid_next_after(v.deadline, v.period, t);
        v.deadline = step.deadline;
        start_period(v, t, step.periods);
    } else {
        v.elig_from = t;
    }
    // One period counted: the one it wakes into (not those skipped while blocked).
    if (fresh || v.period_uncounted) ++v.st.periods;
    v.period_uncounted = false;
    new_seq(v);
    arm_replenishment(i);
    CpuSet kicks;
    if (v.budget_left > 0) {
        to_runq(v);
        tickle(i, kicks);
    } else {
        v.place = Place::Depleted;
    }
    send(kicks);
}

void ReferenceModel::mark_tickled(CpuId cpu, CpuSet& kicks) {
    PoolState& pool = pools_[cpu_pool_[cpu]];
    if (pool.tickled.test(cpu)) return;
    pool.tickled.set(cpu);
    kicks.set(cpu);
}

void ReferenceModel::block(uint32_t i) {
    V& v = vcpus_[i];
    if (!v.awake) return;
    v.awake = false;
    if (!v.paused) end_eligible(v);
    CpuSet kicks;
    if (v.place == Place::Running) { // its stint ends at that CPU's next schedule()
        mark_tickled(v.running_on, kicks);
    } else if (v.place == Place::Runq || v.place == Place::Depleted) {
        v.place = Place::Blocked;
        timers_.cancel(i);
    }
    send(kicks);
}

// Without extratime, the part of the stint after the deadline (a late replenishment) is the
// next period's: it becomes debt. Stolen time is subtracted from the earlier part first.
void ReferenceModel::burn(V& v) {
    const Time t = now();
    Duration in_period = 0, after = 0;
    if (v.extratime || t <= v.deadline)
        in_period = t > v.run_start ? t - v.run_start : 0;
    else if (v.run_start >= v.deadline)
        after = t - v.run_start;
    else {
        in_period = v.deadline - v.run_start;
        after = t - v.deadline;
    }
    const Duration stolen_in = std::min(v.stolen, in_period);
    in_period -= stolen_in;
    after -= std::min(v.stolen - stolen_in, after);
    v.st.run_ns += in_period + after;
    (v.level == 0 ? v.st.budget_used_ns : v.st.extratime_ns) += in_period + after;
    if (v.level == 0) v.period_used += in_period;
    if (in_period > v.budget_left) {
        Duration over = in_period - v.budget_left;
        v.st.overrun_ns_total += over;
        v.st.overrun_ns_max = std::max(v.st.overrun_ns_max, over);
        if (!v.extratime) v.debt += over;
    }
    v.budget_left -= std::min(in_period, v.budget_left);
    v.debt += after;
    v.pre_used += after;
    v.run_start = t;
    v.stolen = 0;
}

// A new period from `start`, `periods` grid points after the last: skipped periods pay up to a
// budget of debt each, then the new budget pays the rest.
void ReferenceModel::start_period(V& v, Time start, uint64_t periods) {
    if (v.extratime) v.debt = 0; // extratime carries no debt
    for (uint64_t k = 1; k < periods && v.debt > 0; ++k) v.debt -= std::min(v.debt, v.budget);
    const Duration pay = std::min(v.debt, v.budget);
    v.debt -= pay;
    v.budget_left = v.budget - pay;
    v.level = 0;
    v.elig_ns = 0;
    v.elig_from = start;
    v.period_used = 0;
    v.pre_used = 0;
}

void ReferenceModel::end_eligible(V& v) {
    const Time end = std::min(now(), v.deadline);
    if (end > v.elig_from) v.elig_ns += end - v.elig_from;
}

// Miss: eligible at the deadline with level-0 budget left after waiting (eligible, not charged)
// at least that much in the period. Else a late wake.
void ReferenceModel::judge_period(V& v, Time t) {
    if (!v.awake || v.paused || v.budget_left == 0 || v.level != 0) return;
    const Time end = std::min(t, v.deadline);
    const Duration eligible = v.elig_ns + (end > v.elig_from ? end - v.elig_from : 0);
    const Duration waited = eligible > v.period_used ? eligible - v.period_used : 0;
    if (waited >= v.budget_left)
        ++v.st.misses;
    else
        ++v.st.late_wakes;
}

void ReferenceModel::arm_replenishment(uint32_t i) {
    timers_.add(i, vcpus_[i].last_cpu, vcpus_[i].deadline,
                [this, i](Time t) { on_replenish(i, t); });
}

void ReferenceModel::on_replenish(uint32_t i, Time t) {
    V& v = vcpus_[i];
    if (v.place == Place::Running) burn(v);
    judge_period(v, t);
    GridStep step = grid_next_after(v.deadline, v.period, t);
    const Time start = step.deadline - v.period;
    const Duration pre = v.pre_used; // run after the old deadline: inside the new period
    v.deadline = step.deadline;
    v.st.periods += step.periods;
    start_period(v, start, step.periods);
    v.period_used = std::min(pre, t - start);
    new_seq(v);
    arm_replenishment(i);
    if (v.place == Place::Depleted && v.budget_left > 0) to_runq(v);
    if (v.place == Place::Runq && v.budget_left == 0) v.place = Place::Depleted;
    CpuSet kicks;
    if (v.place == Place::Running) {
        arm_budget(v.running_on);
        if (v.budget_left == 0) mark_tickled(v.running_on, kicks); // debt took all: stop now
    }
    tickle_all_classes(v.pool, kicks);
    send(kicks);
}

void ReferenceModel::steal(CpuId cpu, Duration ns) {
    if (current_[cpu] < 0) return;
    V& v = vcpus_[static_cast<size_t>(current_[cpu])];
    v.stolen += ns;
    v.st.stolen_ns += ns;
    arm_budget(cpu);
}

SchedStats ReferenceModel::stats(uint32_t i) const {
    const V& v = vcpus_[i];
    SchedStats st = v.st;
    if (v.place == Place::Running) {
        Duration charged = charged_time(v.run_start, now(), v.stolen);
        st.run_ns += charged;
        (v.level == 0 ? st.budget_used_ns : st.extratime_ns) += charged;
    }
    return st;
}

ServerView ReferenceModel::view(uint32_t i) const {
    const V& v = vcpus_[i];
    return {v.awake,
            v.place == Place::Runq || v.place == Place::Running,
            v.place == Place::Running,
            v.level,
            v.deadline,
            v.seq,
            v.budget_left};
}

std::unique_ptr<sim::SchedulerPort> make_reference_port(const sim::Scenario& s, Platform& p) {
    return std::make_unique<ReferenceModel>(s, p);
}

} // namespace rthv::simtest
