// VCPU lifetime in a pool: insert, remove, parameter and affinity changes, affinity classes.
#include "hv/sched/scheduler.hpp"

namespace rthv {

Status Scheduler::check_class(Pool& pool, const CpuSet& mask, uint32_t& index) const {
    Status st;
    uint32_t free_slot = kMaxAffinityClasses;
    for (uint32_t i = 0; i < kMaxAffinityClasses; ++i) {
        const AffinityClass& cls = pool.classes[i];
        if (cls.refs > 0 && cls.mask == mask) {
            index = i;
            return st;
        }
        if (cls.refs == 0 && free_slot == kMaxAffinityClasses) free_slot = i;
    }
    if (free_slot == kMaxAffinityClasses) st.error = SchedError::TooManyAffinityClasses;
    index = free_slot;
    return st;
}

uint32_t Scheduler::class_ref(Pool& pool, const CpuSet& mask) {
    uint32_t index = 0;
    check_class(pool, mask, index); // callers checked that it succeeds
    AffinityClass& cls = pool.classes[index];
    if (cls.refs++ == 0) {
        // A new class must know which of its CPUs already run something (for tickle).
        cls.mask = mask;
        cls.running.clear();
        CpuSet busy = mask & ~pool.idle & ~pool.tickled;
        for (CpuId c = busy.first(); c != CpuSet::kNone;
             c = c + 1 < kMaxCpus ? busy.next(c + 1) : CpuSet::kNone)
            cls.running.insert(c);
        if (index + 1 > pool.class_count) pool.class_count = index + 1;
    }
    return index;
}

void Scheduler::class_unref(Pool& pool, uint32_t index) {
    AffinityClass& cls = pool.classes[index];
    if (--cls.refs > 0) return;
    cls.running.clear();
    cls.mask = CpuSet{};
    while (pool.class_count > 0 && pool.classes[pool.class_count - 1].refs == 0) --pool.class_count;
}

void Scheduler::apply_params(Pool& pool, Vcpu& v, const Params& p) {
    if (v.HeapLink<UtilTag>::linked()) {
        pool.by_util.erase(v);
        pool.total_ppm -= v.ppm_;
        if (v.params_.wake_rule == WakeRule::Cbs) --pool.cbs_vcpus;
    }
    v.params_ = p;
    v.period_ = p.period_ns();
    v.budget_ = p.budget_ns();
    v.ppm_ = utilisation_ppm(p);
    pool.by_util.push(v);
    pool.total_ppm += v.ppm_;
    if (p.wake_rule == WakeRule::Cbs) ++pool.cbs_vcpus;
}

Status Scheduler::insert(Vcpu& v, PoolId id, const Params& p, const CpuSet& affinity, bool force) {
    Status st;
    Pool* pool = pool_ptr(id);
    if (v.place_ != Place::Off)
        st.error = SchedError::AlreadyInserted;
    else if (!pool)
        st.error = SchedError::NoSuchPool;
    else if ((st.param = validate(p)) != ParamError::Ok)
        st.error = SchedError::InvalidParams;
    if (!st.ok()) return st;
    CpuSet kicks;
    {
        LockGuard guard(pool->lock);
        CpuSet mask = affinity & pool->cpus;
        uint32_t index = 0;
        if (mask.empty())
            st.error = SchedError::EmptyAffinity;
        else
            st = check_class(*pool, mask, index);
        if (!st.ok() || !admit(*pool, 0, utilisation_ppm(p), force, st)) return st;
        Time now = platform_->now();
        v.pool_id_ = id;
        v.stats_ = VcpuStats{};
        v.affinity_ = affinity;
        v.class_ = static_cast<uint8_t>(class_ref(*pool, mask));
        apply_params(*pool, v, p);
        v.awake_ = true;
        v.paused_ = false;
        v.yield_pending_ = false;
        v.period_uncounted_ = false;
        v.last_cpu_ = mask.first();
        v.stolen_ = 0;
        v.debt_ = 0;
        v.repl_timer_.bind(&Scheduler::on_replenish_timer, &v);
        pool->members.push_back(v);
        fresh_period(*pool, v, now);
        v.stats_.periods = 1; // its first period
        __atomic_store_n(&v.pool_, pool, __ATOMIC_RELEASE);
        arm_replenishment(v);
        enqueue(*pool, v, now);
        trace(TraceKind::Insert, kMaxCpus, &v, now, v.ppm_);
        tickle(*pool, v, kicks);
    }
    send_kicks(kicks);
    return st;
}

Status Scheduler::remove(Vcpu& v) {
    Status st;
    Pool* pool = pool_of(v);
    if (!pool) {
        st.error = SchedError::NotInserted;
        return st;
    }
    {
        LockGuard guard(pool->lock);
        if (v.pool_ != pool) {
            st.error = SchedError::NotInserted; // a concurrent remove won
            return st;
        }
        if (v.place_ == Place::Running) {
            st.error = SchedError::StillRunning;
            return st;
        }
        dequeue(*pool, v);
        disarm_replenishment(v);
        pool->members.erase(v);
        pool->by_util.erase(v);
        pool->total_ppm -= v.ppm_;
        if (v.params_.wake_rule == WakeRule::Cbs) --pool->cbs_vcpus;
        class_unref(*pool, v.class_);
        trace(TraceKind::Remove, kMaxCpus, &v, platform_->now());
        v.place_ = Place::Off;
        v.awake_ = v.paused_ = v.yield_pending_ = false;
        v.pool_id_ = kNoPool;
        __atomic_store_n(&v.pool_, nullptr, __ATOMIC_RELEASE);
    }
    // A replenishment callback already taken off its queue may still be about to lock the
    // pool; it sees pool_ == nullptr and returns. Wait for it so the caller may free v.
    timers_->cancel_sync(v.repl_timer_);
    return st;
}

Status Scheduler::set_params(Vcpu& v, const Params& p, bool force) {
    Status st;
    Pool* pool = pool_of(v);
    if (!pool)
        st.error = SchedError::NotInserted;
    else if ((st.param = validate(p)) != ParamError::Ok)
        st.error = SchedError::InvalidParams;
    if (!st.ok()) return st;
    CpuSet kicks;
    {
        LockGuard guard(pool->lock);
        if (v.pool_ != pool) st.error = SchedError::NotInserted; // removed meanwhile
        if (!st.ok() || !admit(*pool, v.ppm_, utilisation_ppm(p), force, st)) return st;
        Time now = platform_->now();
        Place place = v.place_;
        if (place == Place::Running) burn(v, now); // the stint so far is charged at old params
        if (place == Place::Runq || place == Place::Depleted) dequeue(*pool, v);
        apply_params(*pool, v, p);
        fresh_period(*pool, v, now);
        trace(TraceKind::Params, v.running_on_, &v, now, v.ppm_);
        if (place == Place::Blocked) {
            v.period_uncounted_ = true; // counted at the wake, whichever period it wakes into
            return st;                  // the new grid starts now; wake applies to it
        }
        ++v.stats_.periods;
        arm_replenishment(v);
        if (place == Place::Running) {
            running_key_changed(*pool, v.running_on_);
            arm_budget(v.running_on_, &v);
        } else {
            enqueue(*pool, v, now);
        }
        tickle_class_tops(*pool, kicks);
    }
    send_kicks(kicks);
    return st;
}

Status Scheduler::set_affinity(Vcpu& v, const CpuSet& affinity) {
    Status st;
    Pool* pool = pool_of(v);
    if (!pool) {
        st.error = SchedError::NotInserted;
        return st;
    }
    CpuSet kicks;
    {
        LockGuard guard(pool->lock);
        CpuSet mask = affinity & pool->cpus;
        uint32_t index = 0;
        if (v.pool_ != pool)
            st.error = SchedError::NotInserted;
        else if (mask.empty())
            st.error = SchedError::EmptyAffinity;
        else if (!(mask == pool->classes[v.class_].mask))
            st = check_class(*pool, mask, index);
        if (!st.ok()) return st;
        v.affinity_ = affinity;
        if (mask == pool->classes[v.class_].mask) return st;
        bool queued = v.place_ == Place::Runq;
        if (queued) pool->classes[v.class_].runq.erase(v);
        uint32_t old = v.class_;
        v.class_ = static_cast<uint8_t>(class_ref(*pool, mask));
        class_unref(*pool, old);
        if (!mask.test(v.last_cpu_)) v.last_cpu_ = mask.first();
        if (queued) {
            pool->classes[v.class_].runq.push(v);
            tickle(*pool, v, kicks);
        }
        if (v.place_ == Place::Running && !mask.test(v.running_on_))
            mark_tickled(*pool, v.running_on_, kicks);
    }
    send_kicks(kicks);
    return st;
}

} // namespace rthv
