// The scheduling decision of one CPU, its budget timer, and stolen time (DESIGN.md).
#include "hv/sched/scheduler.hpp"

namespace rthv {

void Scheduler::arm_budget(CpuId cpu, const Vcpu* v) {
    Timer& timer = slots_[cpu].budget_timer;
    if (!v) {
        timers_->cancel(timer);
        return;
    }
    // Exact: the moment the budget left runs out, excluding time reported stolen. Keeping the
    // same VCPU usually yields the same end: then the queue is left alone.
    Time end = v->run_start_ + v->stolen_ + v->budget_left_;
    if (replenished_first(cpu, *v, end)) {
        timers_->cancel(timer); // no lock when it is not queued (the usual case then)
        return;
    }
    if (timer.queued_on() == cpu && timer.deadline() == end) return;
    timers_->add(cpu, timer, end);
}

// A budget timer at `end` can never fire when v's replenishment timer sits on the same queue
// at or before `end`: it fires first (at a tie too, having been added before any budget timer
// armed now) and its callback re-arms the budget timer from the new budget. So the budget
// timer is left out: no queue lock, no heap push and erase per dispatch or replenishment. It
// changes no arm() call (the replenishment timer, earlier, is what the queue head shows) and
// no kick, so the reference model, which always arms it, must still agree (differential test).
// Common for VCPUs whose budget outlasts the rest of their period (budget == period, or a
// deferrable server dispatched late in its period with much budget left).
bool Scheduler::replenished_first(CpuId cpu, const Vcpu& v, Time end) {
    return v.repl_timer_.queued_on() == cpu && v.repl_at_ <= end;
}

void Scheduler::arm_replenishment_and_budget(CpuId cpu, Vcpu& v) {
    Timer& timer = slots_[cpu].budget_timer;
    Time end = v.run_start_ + v.stolen_ + v.budget_left_;
    // Exactly arm_replenishment(v) then arm_budget(cpu, &v); one queue-lock hold when both
    // timers belong to cpu and the budget timer moves. When the new replenishment comes no
    // later than the budget's end, arm_budget leaves the budget timer out (replenished_first).
    if (v.last_cpu_ != cpu || v.deadline_ <= end ||
        (timer.queued_on() == cpu && timer.deadline() == end)) {
        arm_replenishment(v);
        arm_budget(cpu, &v);
        return;
    }
    v.repl_at_ = v.deadline_;
    timers_->add_pair(cpu, v.repl_timer_, v.deadline_, timer, end);
}

void Scheduler::on_budget_timer(void* context, Time) {
    CpuSlot& slot = *static_cast<CpuSlot*>(context);
    slot.sched->platform_->kick(slot.cpu);
}

void Scheduler::note_dispatch(Vcpu& v, Time now) {
    VcpuStats& s = v.stats_;
    uint64_t latency = now > v.runnable_since_ ? now - v.runnable_since_ : 0;
    ++s.dispatches;
    s.latency_sum_ns += latency;
    if (latency > s.latency_max_ns) s.latency_max_ns = latency;
}

Vcpu* Scheduler::schedule(CpuId cpu, Duration stolen) {
    Pool* pool = pool_ptr(pool_of_cpu(cpu));
    if (!pool) return nullptr;
    CpuSet kicks;
    Vcpu* next = nullptr;
    {
        LockGuard guard(pool->lock);
        Time now = platform_->now();
        pool->tickled.clear(cpu);
        Vcpu* cur = current_[cpu];
        bool may_continue = false;
        if (cur && stolen > 0) add_stolen(cpu, *cur, stolen, now);
        if (cur) {
            burn(*cur, now);
            deplete_if_empty(*pool, *cur);
            if (cur->yield_pending_) {
                cur->yield_pending_ = false;
                cur->seq_ = take_seq(*pool); // back of its (level, deadline) class
            }
            may_continue = cur->awake_ && !cur->paused_ && cur->budget_left_ > 0 &&
                           pool->classes[cur->class_].mask.test(cpu);
        }
        Vcpu* cand = pick(*pool, cpu);
        if (may_continue && (!cand || key_before(cur->key(), cand->key()))) {
            next = cur;
        } else {
            if (cur) {
                __atomic_store_n(&cur->running_on_, kMaxCpus, __ATOMIC_RELEASE);
                if (cur->awake_ && !cur->paused_) {
                    if (cur->budget_left_ > 0) cur->seq_ = take_seq(*pool); // preempted
                    enqueue(*pool, *cur, now);
                } else {
                    cur->place_ = Place::Blocked;
                    disarm_replenishment(*cur);
                }
            }
            if (cand) {
                pool->classes[cand->class_].runq.erase(*cand);
                note_dispatch(*cand, now);
                cand->place_ = Place::Running;
                __atomic_store_n(&cand->running_on_, cpu, __ATOMIC_RELEASE);
                cand->last_cpu_ = cpu;
                cand->run_start_ = now;
                cand->stolen_ = 0;
            }
            next = cand;
        }
        set_current(*pool, cpu, next);
        arm_budget(cpu, next);
        trace(TraceKind::Pick, cpu, next, now);
        tickle_class_tops(*pool, kicks);
    }
    send_kicks(kicks);
    return next;
}

void Scheduler::steal(CpuId cpu, Duration ns) {
    Pool* pool = pool_ptr(pool_of_cpu(cpu));
    if (!pool) return;
    LockGuard guard(pool->lock);
    Vcpu* cur = current_[cpu];
    if (!cur) return;
    add_stolen(cpu, *cur, ns, trace_ ? platform_->now() : 0);
    arm_budget(cpu, cur); // the budget runs out `ns` later than planned
}

void Scheduler::add_stolen(CpuId cpu, Vcpu& cur, Duration ns, Time now) {
    cur.stolen_ += ns;
    cur.stats_.stolen_ns += ns;
    if (trace_) trace(TraceKind::Steal, cpu, &cur, now, ns);
}

} // namespace rthv
