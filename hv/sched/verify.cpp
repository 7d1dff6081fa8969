// Structural invariants of every pool, checked in O(n + m) for tests and the simulator.
// Meant for quiescent moments (no timer callback half-way); takes each pool lock.
#include "hv/sched/scheduler.hpp"

namespace rthv {

namespace {

const char* check_vcpu(const Pool& pool, const Vcpu& v, CpuId running_on, Vcpu* const* current) {
    bool eligible = v.awake() && !v.paused();
    bool in_runq = v.HeapLink<RunqTag>::linked();
    bool in_depleted = v.ListLink<DepletedTag>::linked();
    if (v.pool_id() != pool.id) return "member VCPU names another pool";
    switch (v.place()) {
    case Place::Off:
        return "member VCPU is marked off";
    case Place::Blocked:
        if (eligible) return "eligible VCPU is on no queue and not running";
        if (in_runq || in_depleted) return "blocked VCPU is still queued";
        if (v.replenish_at() != kTimeNever || v.replenish_timer().queued())
            return "blocked VCPU still has a replenishment timer";
        return nullptr;
    case Place::Runq:
        if (!eligible) return "ineligible VCPU on the runq";
        if (!in_runq || in_depleted) return "runq VCPU not (only) in a runq heap";
        if (v.budget_left() == 0) return "runq VCPU without budget";
        break;
    case Place::Depleted:
        if (!eligible) return "ineligible VCPU on the depletedq";
        if (!in_depleted || in_runq) return "depleted VCPU not (only) on the depletedq";
        if (v.budget_left() != 0) return "depleted VCPU with budget";
        if (v.params().extratime) return "extratime VCPU on the depletedq";
        break;
    case Place::Running: {
        if (in_runq || in_depleted) return "running VCPU is still queued";
        CpuId c = running_on;
        if (!pool.cpus.test(c) || current[c] != &v) return "running VCPU is not current on its CPU";
        return nullptr; // may be blocked/paused until its CPU reschedules
    }
    }
    if (v.replenish_at() != v.deadline() || !v.replenish_timer().queued())
        return "queued VCPU has no replenishment timer at its deadline";
    return nullptr;
}

} // namespace

const char* Scheduler::verify() const {
    for (PoolId id = 0; id < pool_count_; ++id) {
        const Pool& pool = *pool_ptr(id);
        LockGuard guard(pool.lock);
        for (CpuId c = pool.cpus.first(); c != CpuSet::kNone;
             c = c + 1 < kMaxCpus ? pool.cpus.next(c + 1) : CpuSet::kNone) {
            if (c >= ncpus_ || cpu_pool_[c] != id)
                return "CPU's pool index disagrees with the pool's CPU set";
            Vcpu* cur = current_[c];
            if (pool.idle.test(c) != (cur == nullptr)) return "idle set disagrees with current";
            if (cur &&
                (cur->running_on_ != c || cur->place_ != Place::Running || pool_of(*cur) != &pool))
                return "current VCPU does not know it runs on this CPU";
            for (uint32_t i = 0; i < pool.class_count; ++i) {
                const AffinityClass& cls = pool.classes[i];
                if (cls.refs == 0) continue;
                bool want = cls.mask.test(c) && cur && !pool.tickled.test(c);
                if (cls.running.contains(c) != want) return "CPU heap membership is stale";
            }
        }
        if (!(pool.tickled & ~pool.cpus).empty() || !(pool.idle & ~pool.cpus).empty())
            return "tickled/idle set holds a CPU outside the pool";
        uint32_t refs[kMaxAffinityClasses] = {};
        size_t queued = 0, depleted = 0;
        uint64_t ppm = 0;
        for (Vcpu* v = pool.members.front(); v; v = pool.members.next(*v)) {
            if (const char* err = check_vcpu(pool, *v, v->running_on_, current_)) return err;
            if (v->class_ >= pool.class_count) return "VCPU names an unused affinity class";
            ++refs[v->class_];
            queued += v->place_ == Place::Runq ? 1 : 0;
            depleted += v->place_ == Place::Depleted ? 1 : 0;
            ppm += v->ppm_;
        }
        size_t heap_total = 0;
        for (uint32_t i = 0; i < kMaxAffinityClasses; ++i) {
            const AffinityClass& cls = pool.classes[i];
            if (cls.refs != refs[i]) return "affinity class reference count is wrong";
            if (cls.refs == 0 && (!cls.runq.empty() || !cls.running.empty()))
                return "unused affinity class still holds state";
            // Only pool CPUs are ever inserted; their membership was checked one by one above.
            if (!cls.running.consistent(pool.cpus)) return "CPU heap order is broken";
            heap_total += cls.runq.size();
        }
        if (heap_total != queued) return "runq heaps hold VCPUs that are not queued";
        if (pool.depletedq.size() != depleted) return "depletedq holds stray VCPUs";
        if (ppm != pool.total_ppm) return "pool utilisation books are wrong";
        if (pool.by_util.size() != pool.members.size()) return "utilisation heap is stale";
    }
    return nullptr;
}

} // namespace rthv
