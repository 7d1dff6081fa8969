// Queues, per-CPU running state and tickle (DESIGN.md "Structures"). Pool lock held throughout.
#include "hv/sched/scheduler.hpp"

namespace rthv {

namespace {

// Iterate the members of a CpuSet.
template <typename Fn>
void for_each_cpu(const CpuSet& set, Fn fn) {
    for (CpuId c = set.first(); c != CpuSet::kNone;
         c = c + 1 < kMaxCpus ? set.next(c + 1) : CpuSet::kNone)
        fn(c);
}

} // namespace

void Scheduler::enqueue(Pool& pool, Vcpu& v, Time now) {
    if (v.budget_left_ > 0) {
        pool.classes[v.class_].runq.push(v);
        v.place_ = Place::Runq;
        v.runnable_since_ = now;
    } else {
        pool.depletedq.push_back(v);
        v.place_ = Place::Depleted;
    }
}

void Scheduler::dequeue(Pool& pool, Vcpu& v) {
    if (v.place_ == Place::Runq)
        pool.classes[v.class_].runq.erase(v);
    else if (v.place_ == Place::Depleted)
        pool.depletedq.erase(v);
    else
        return;
    v.place_ = Place::Blocked;
}

void Scheduler::make_eligible(Pool& pool, Vcpu& v, Time now, CpuSet& kicks) {
    bool new_period = apply_wake_rule(v, now);
    // The period it is eligible in now counts once: a new one, or the fresh one set_params
    // gave it while it was blocked.
    if (new_period || v.period_uncounted_) ++v.stats_.periods;
    v.period_uncounted_ = false;
    v.seq_ = take_seq(pool);
    arm_replenishment(v);
    enqueue(pool, v, now);
    trace(TraceKind::Wake, kMaxCpus, &v, now, new_period ? 1 : 0);
    if (v.place_ == Place::Runq) tickle(pool, v, kicks);
}

Vcpu* Scheduler::pick(Pool& pool, CpuId cpu) const {
    Vcpu* best = nullptr;
    for (uint32_t i = 0; i < pool.class_count; ++i) {
        const AffinityClass& cls = pool.classes[i];
        if (cls.refs == 0 || !cls.mask.test(cpu)) continue;
        Vcpu* top = cls.runq.top();
        if (top && (!best || key_before(top->key(), best->key()))) best = top;
    }
    return best;
}

void Scheduler::set_current(Pool& pool, CpuId cpu, Vcpu* v) {
    __atomic_store_n(&current_[cpu], v, __ATOMIC_RELEASE);
    if (v)
        pool.idle.clear(cpu);
    else
        pool.idle.set(cpu);
    bool want = v != nullptr && !pool.tickled.test(cpu);
    for (uint32_t i = 0; i < pool.class_count; ++i) {
        AffinityClass& cls = pool.classes[i];
        if (cls.refs == 0 || !cls.mask.test(cpu)) continue;
        bool has = cls.running.contains(cpu);
        if (want && has)
            cls.running.update(cpu);
        else if (want)
            cls.running.insert(cpu);
        else if (has)
            cls.running.erase(cpu);
    }
}

void Scheduler::running_key_changed(Pool& pool, CpuId cpu) {
    for (uint32_t i = 0; i < pool.class_count; ++i) {
        AffinityClass& cls = pool.classes[i];
        if (cls.refs > 0 && cls.running.contains(cpu)) cls.running.update(cpu);
    }
}

void Scheduler::mark_tickled(Pool& pool, CpuId cpu, CpuSet& kicks) {
    if (pool.tickled.test(cpu)) return; // already kicked and not yet rescheduled
    pool.tickled.set(cpu);
    kicks.set(cpu);
    // A tickled CPU is about to decide again: it is no preemption target any more.
    for (uint32_t i = 0; i < pool.class_count; ++i) {
        AffinityClass& cls = pool.classes[i];
        if (cls.refs > 0 && cls.running.contains(cpu)) cls.running.erase(cpu);
    }
    if (trace_) trace(TraceKind::Tickle, cpu, current_[cpu], platform_->now());
}

// Inlined into tickle() and tickle_target(): the decision is a few word operations, and a call
// was a third of tickle_target's cost.
[[gnu::always_inline]] inline CpuId Scheduler::tickle_choice(const Pool& pool,
                                                             const Vcpu& v) const {
    const AffinityClass& cls = pool.classes[v.class_];
    CpuSet idle = cls.mask & pool.idle & ~pool.tickled;
    if (!idle.empty()) return idle.next_wrapping(v.last_cpu_);
    // The class heap holds exactly the running, untickled CPUs of v's affinity.
    CpuId lowest = cls.running.top();
    if (lowest != kMaxCpus && key_before(v.key(), current_[lowest]->key())) return lowest;
    return kMaxCpus;
}

void Scheduler::tickle(Pool& pool, Vcpu& v, CpuSet& kicks) {
    CpuId target = tickle_choice(pool, v);
    if (target != kMaxCpus) mark_tickled(pool, target, kicks);
}

// No pool lock: the caller guarantees a quiet pool (scheduler.hpp). Inside the scheduler the
// same decision runs under the lock its operation already holds, so the lock round trip this
// query used to add was not part of the decision's cost (nor do the benchmark's baselines
// take one for theirs).
CpuId Scheduler::tickle_target(const Vcpu& v) const {
    Pool* pool = pool_of(v);
    return pool ? tickle_choice(*pool, v) : kMaxCpus;
}

void Scheduler::tickle_class_tops(Pool& pool, CpuSet& kicks) {
    for (uint32_t i = 0; i < pool.class_count; ++i) {
        AffinityClass& cls = pool.classes[i];
        if (cls.refs == 0) continue;
        if (Vcpu* top = cls.runq.top()) tickle(pool, *top, kicks);
    }
}

void Scheduler::send_kicks(const CpuSet& kicks) {
    for_each_cpu(kicks, [this](CpuId c) { platform_->kick(c); });
}

} // namespace rthv
