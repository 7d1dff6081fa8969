// VCPU events: wake, block, yield, pause, unpause, and the lock-free queries.
// Every event ends by kicking the CPUs it tickled, after the pool lock is released.
#include "hv/sched/scheduler.hpp"
#include "hv/sched/server_math.hpp"

namespace rthv {

void Scheduler::wake(Vcpu& v) {
    Pool* pool = pool_of(v);
    if (!pool) return;
    CpuSet kicks;
    {
        LockGuard guard(pool->lock);
        if (v.pool_ != pool) return; // removed meanwhile
        if (v.awake_) return;
        v.awake_ = true;
        Time now = platform_->now();
        // Still current (its CPU has not rescheduled since block): it never stopped running.
        if (!v.paused_ && v.place_ == Place::Blocked)
            make_eligible(*pool, v, now, kicks);
        else if (!v.paused_)
            note_eligible(v, now);
    }
    send_kicks(kicks);
}

void Scheduler::block(Vcpu& v) {
    Pool* pool = pool_of(v);
    if (!pool) return;
    CpuSet kicks;
    {
        LockGuard guard(pool->lock);
        if (v.pool_ != pool) return; // removed meanwhile
        if (!v.awake_) return;
        v.awake_ = false;
        Time now = platform_->now();
        if (!v.paused_) note_ineligible(v, now);
        if (trace_) trace(TraceKind::Block, v.running_on_, &v, now);
        if (v.place_ == Place::Running) {
            mark_tickled(*pool, v.running_on_, kicks); // its stint ends at that schedule()
        } else if (v.place_ == Place::Runq || v.place_ == Place::Depleted) {
            dequeue(*pool, v);
            disarm_replenishment(v);
        }
    }
    send_kicks(kicks);
}

void Scheduler::yield(Vcpu& v) {
    Pool* pool = pool_of(v);
    if (!pool) return;
    CpuSet kicks;
    {
        LockGuard guard(pool->lock);
        if (v.pool_ != pool) return; // removed meanwhile
        if (v.place_ != Place::Running) return;
        v.yield_pending_ = true;
        if (trace_) trace(TraceKind::Yield, v.running_on_, &v, platform_->now());
        mark_tickled(*pool, v.running_on_, kicks);
    }
    send_kicks(kicks);
}

void Scheduler::pause(Vcpu& v) {
    Pool* pool = pool_of(v);
    if (!pool) return;
    CpuSet kicks;
    {
        LockGuard guard(pool->lock);
        if (v.pool_ != pool) return; // removed meanwhile
        if (v.paused_) return;
        v.paused_ = true;
        Time now = platform_->now();
        if (v.awake_) note_ineligible(v, now);
        if (trace_) trace(TraceKind::Pause, v.running_on_, &v, now);
        if (v.place_ == Place::Running) {
            mark_tickled(*pool, v.running_on_, kicks);
        } else if (v.place_ == Place::Runq || v.place_ == Place::Depleted) {
            dequeue(*pool, v);
            disarm_replenishment(v);
        }
    }
    send_kicks(kicks);
}

void Scheduler::unpause(Vcpu& v) {
    Pool* pool = pool_of(v);
    if (!pool) return;
    CpuSet kicks;
    {
        LockGuard guard(pool->lock);
        if (v.pool_ != pool) return; // removed meanwhile
        if (!v.paused_) return;
        v.paused_ = false;
        Time now = platform_->now();
        trace(TraceKind::Unpause, v.running_on_, &v, now);
        if (v.awake_ && v.place_ == Place::Blocked)
            make_eligible(*pool, v, now, kicks);
        else if (v.awake_)
            note_eligible(v, now);
    }
    send_kicks(kicks);
}

bool Scheduler::is_running(const Vcpu& v) const {
    return __atomic_load_n(&v.running_on_, __ATOMIC_ACQUIRE) != kMaxCpus;
}

Vcpu* Scheduler::current(CpuId cpu) const {
    return cpu < ncpus_ ? __atomic_load_n(&current_[cpu], __ATOMIC_ACQUIRE) : nullptr;
}

bool Scheduler::tickled(CpuId cpu) const {
    Pool* pool = pool_ptr(pool_of_cpu(cpu));
    if (!pool) return false;
    LockGuard guard(pool->lock);
    return pool->tickled.test(cpu);
}

VcpuStats Scheduler::stats(const Vcpu& v) const {
    Pool* pool = pool_of(v);
    if (!pool) return v.stats_;
    LockGuard guard(pool->lock);
    VcpuStats s = v.stats_;
    if (v.place_ == Place::Running) {
        Duration charged = charged_time(v.run_start_, platform_->now(), v.stolen_);
        s.run_ns += charged;
        if (v.level_ == 0)
            s.budget_used_ns += charged;
        else
            s.extratime_ns += charged;
    }
    return s;
}

} // namespace rthv
