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
    v.budget_left = v.budget;
    v.level = 0;
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
    if (!v.paused && v.place == Place::Blocked) make_eligible(i);
}

// Wake rule, new seq, replenishment timer, queue, tickle.
void ReferenceModel::make_eligible(uint32_t i) {
    V& v = vcpus_[i];
    const Time t = now();
    bool fresh = v.cbs ? cbs_needs_fresh_period(v.budget_left, v.deadline, t, v.budget, v.period)
                       : t >= v.deadline;
    if (fresh && v.cbs) {
        v.deadline = t + v.period;
    } else if (fresh) {
        v.deadline = grid_next_after(v.deadline, v.period, t).deadline;
    }
    if (fresh) {
        v.budget_left = v.budget;
        v.level = 0;
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
    CpuSet kicks;
    if (v.place == Place::Running) { // its stint ends at that CPU's next schedule()
        mark_tickled(v.running_on, kicks);
    } else if (v.place == Place::Runq || v.place == Place::Depleted) {
        v.place = Place::Blocked;
        timers_.cancel(i);
    }
    send(kicks);
}

void ReferenceModel::burn(V& v) {
    Duration charged = charged_time(v.run_start, now(), v.stolen);
    v.st.run_ns += charged;
    (v.level == 0 ? v.st.budget_used_ns : v.st.extratime_ns) += charged;
    if (charged > v.budget_left) {
        Duration over = charged - v.budget_left;
        v.st.overrun_ns_total += over;
        v.st.overrun_ns_max = std::max(v.st.overrun_ns_max, over);
    }
    v.budget_left -= std::min(charged, v.budget_left);
    v.run_start = now();
    v.stolen = 0;
}

void ReferenceModel::arm_replenishment(uint32_t i) {
    timers_.add(i, vcpus_[i].last_cpu, vcpus_[i].deadline,
                [this, i](Time t) { on_replenish(i, t); });
}

void ReferenceModel::on_replenish(uint32_t i, Time t) {
    V& v = vcpus_[i];
    if (v.place == Place::Running) burn(v);
    if (v.awake && v.budget_left > 0 && v.level == 0) ++v.st.misses;
    GridStep step = grid_next_after(v.deadline, v.period, t);
    v.deadline = step.deadline;
    v.st.periods += step.periods;
    v.budget_left = v.budget;
    v.level = 0;
    new_seq(v);
    arm_replenishment(i);
    if (v.place == Place::Depleted) to_runq(v);
    if (v.place == Place::Running) arm_budget(v.running_on);
    CpuSet kicks;
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
