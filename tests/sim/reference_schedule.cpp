// Decisions of the reference model: schedule(), pick and tickle, all by linear scans.
#include "tests/sim/reference_model.hpp"

namespace rthv::simtest {

void ReferenceModel::to_runq(V& v) {
    v.place = Place::Runq;
    v.runnable_since = now();
}

// Budget timer of a CPU: fires when its current VCPU's budget would be used up, with the
// stolen time it has been told about added on (stolen time is never charged).
void ReferenceModel::arm_budget(CpuId cpu) {
    const uint32_t id = static_cast<uint32_t>(vcpus_.size()) + cpu;
    if (current_[cpu] < 0) {
        timers_.cancel(id);
        return;
    }
    const V& v = vcpus_[static_cast<size_t>(current_[cpu])];
    timers_.add(id, cpu, v.run_start + v.stolen + v.budget_left, [this, cpu](Time) {
        CpuSet kicks;
        kicks.set(cpu);
        send(kicks);
    });
}

int32_t ReferenceModel::best_for(CpuId cpu) const {
    int32_t best = -1;
    for (size_t i = 0; i < vcpus_.size(); ++i) {
        const V& v = vcpus_[i];
        if (v.place != Place::Runq || !v.mask.test(cpu)) continue;
        if (best < 0 || v.key() < vcpus_[static_cast<size_t>(best)].key())
            best = static_cast<int32_t>(i);
    }
    return best;
}

int32_t ReferenceModel::schedule(CpuId cpu) {
    PoolState& pool = pools_[cpu_pool_[cpu]];
    pool.tickled.clear(cpu);
    const int32_t ci = current_[cpu];
    bool keep = false;
    if (ci >= 0) {
        V& c = vcpus_[static_cast<size_t>(ci)];
        burn(c);
        if (c.budget_left == 0 && c.extratime) {
            ++c.level;
            c.budget_left = c.budget;
            new_seq(c);
        }
        if (c.yield_pending) {
            c.yield_pending = false;
            new_seq(c);
        }
        const bool eligible = c.awake && !c.paused;
        const bool may_continue = eligible && c.budget_left > 0 && c.mask.test(cpu);
        const int32_t cand = best_for(cpu);
        keep = may_continue && (cand < 0 || c.key() < vcpus_[static_cast<size_t>(cand)].key());
        if (!keep) {
            c.running_on = kMaxCpus;
            if (!eligible) {
                c.place = Place::Blocked;
                timers_.cancel(static_cast<uint32_t>(ci));
            } else if (c.budget_left > 0) {
                new_seq(c);
                to_runq(c);
            } else {
                c.place = Place::Depleted;
            }
        }
    }
    if (!keep) {
        const int32_t cand = best_for(cpu);
        current_[cpu] = cand;
        if (cand >= 0) {
            V& n = vcpus_[static_cast<size_t>(cand)];
            n.place = Place::Running;
            n.running_on = cpu;
            n.last_cpu = cpu;
            n.run_start = now();
            n.stolen = 0;
            ++n.st.dispatches;
            Duration latency = now() - n.runnable_since;
            n.st.latency_sum_ns += latency;
            if (latency > n.st.latency_max_ns) n.st.latency_max_ns = latency;
        }
    }
    arm_budget(cpu);
    CpuSet kicks;
    tickle_all_classes(cpu_pool_[cpu], kicks);
    send(kicks);
    return current_[cpu];
}

void ReferenceModel::tickle(uint32_t i, CpuSet& kicks) {
    const V& v = vcpus_[i];
    PoolState& pool = pools_[v.pool];
    const CpuSet mask = v.mask & ~pool.tickled;
    CpuSet idle;
    for (CpuId c = mask.first(); c != CpuSet::kNone; c = mask.next(c + 1))
        if (current_[c] < 0) idle.set(c);
    if (!idle.empty()) {
        CpuId c = idle.next_wrapping(v.last_cpu);
        pool.tickled.set(c);
        kicks.set(c);
        return;
    }
    CpuId worst = CpuSet::kNone;
    for (CpuId c = mask.first(); c != CpuSet::kNone; c = mask.next(c + 1)) {
        if (worst == CpuSet::kNone || vcpus_[static_cast<size_t>(current_[worst])].key() <
                                          vcpus_[static_cast<size_t>(current_[c])].key())
            worst = c;
    }
    if (worst != CpuSet::kNone && v.key() < vcpus_[static_cast<size_t>(current_[worst])].key()) {
        pool.tickled.set(worst);
        kicks.set(worst);
    }
}

// After a decision that may leave VCPUs queued: give the best queued VCPU of every affinity
// class (in class table order) its chance at an idle or less urgent CPU.
void ReferenceModel::tickle_all_classes(size_t pool, CpuSet& kicks) {
    for (const CpuSet& cls : pools_[pool].classes) {
        int32_t top = -1;
        for (size_t i = 0; i < vcpus_.size(); ++i) {
            const V& v = vcpus_[i];
            if (v.place != Place::Runq || v.pool != pool || !(v.mask == cls)) continue;
            if (top < 0 || v.key() < vcpus_[static_cast<size_t>(top)].key())
                top = static_cast<int32_t>(i);
        }
        if (top >= 0) tickle(static_cast<uint32_t>(top), kicks);
    }
}

void ReferenceModel::send(const CpuSet& kicks) {
    for (CpuId c = kicks.first(); c != CpuSet::kNone; c = kicks.next(c + 1)) platform_.kick(c);
}

} // namespace rthv::simtest
