// The server rules of one VCPU: burn, depletion, wake rules, replenishment (DESIGN.md).
// Everything here runs with the VCPU's pool lock held.
#include "hv/sched/scheduler.hpp"
#include "hv/sched/server_math.hpp"

namespace rthv {

void Scheduler::burn(Vcpu& v, Time now) {
    Duration charged = charged_time(v.run_start_, now, v.stolen_);
    VcpuStats& s = v.stats_;
    s.run_ns += charged;
    if (v.level_ == 0)
        s.budget_used_ns += charged;
    else
        s.extratime_ns += charged;
    if (charged > v.budget_left_) {
        // The budget timer fired late (or the platform ran the guest past it): measure it.
        Duration over = charged - v.budget_left_;
        s.overrun_ns_total += over;
        if (over > s.overrun_ns_max) s.overrun_ns_max = over;
        ++s.overruns;
        trace(TraceKind::Overrun, v.running_on_, &v, now, over);
        v.budget_left_ = 0;
    } else {
        v.budget_left_ -= charged;
    }
    v.run_start_ = now;
    v.stolen_ = 0;
    trace(TraceKind::Burn, v.running_on_, &v, now, charged);
}

void Scheduler::deplete_if_empty(Pool& pool, Vcpu& v) {
    if (v.budget_left_ != 0) return;
    if (v.params_.extratime) {
        ++v.level_;
        v.budget_left_ = v.budget_;
        v.seq_ = take_seq(pool);
    }
    trace(TraceKind::Deplete, v.running_on_, &v, v.run_start_, v.params_.extratime ? v.level_ : 0);
}

void Scheduler::fresh_period(Pool& pool, Vcpu& v, Time now) {
    v.deadline_ = now + v.period_;
    v.budget_left_ = v.budget_;
    v.level_ = 0;
    v.seq_ = take_seq(pool);
}

bool Scheduler::apply_wake_rule(Vcpu& v, Time now) {
    if (v.params_.wake_rule == WakeRule::Cbs &&
        cbs_needs_fresh_period(v.budget_left_, v.deadline_, now, v.budget_, v.period_)) {
        v.deadline_ = now + v.period_; // re-anchors the grid at now
        v.budget_left_ = v.budget_;
        v.level_ = 0;
        return true;
    }
    if (now < v.deadline_) return false; // deferrable: keep budget, level and deadline
    // The periods skipped while blocked are not counted: only the one it wakes into.
    v.deadline_ = grid_next_after(v.deadline_, v.period_, now).deadline;
    v.budget_left_ = v.budget_;
    v.level_ = 0;
    return true;
}

void Scheduler::arm_replenishment(Vcpu& v) {
    v.repl_at_ = v.deadline_;
    timers_->add(v.last_cpu_, v.repl_timer_, v.deadline_);
}

void Scheduler::disarm_replenishment(Vcpu& v) {
    v.repl_at_ = kTimeNever;
    timers_->cancel(v.repl_timer_);
}

void Scheduler::replenish(Pool& pool, Vcpu& v, Time now, CpuSet& kicks) {
    Place place = v.place_;
    CpuId cpu = v.running_on_;
    if (place == Place::Running) burn(v, now);
    bool eligible = v.awake_ && !v.paused_;
    if (eligible && v.budget_left_ > 0 && v.level_ == 0) {
        ++v.stats_.misses;
        trace(TraceKind::Miss, cpu, &v, now, v.budget_left_);
    }
    if (place == Place::Runq || place == Place::Depleted) dequeue(pool, v);
    GridStep step = grid_next_after(v.deadline_, v.period_, now);
    v.deadline_ = step.deadline;
    v.stats_.periods += step.periods;
    v.budget_left_ = v.budget_;
    v.level_ = 0;
    v.seq_ = take_seq(pool);
    arm_replenishment(v);
    trace(TraceKind::Replenish, cpu, &v, now, step.periods);
    if (place == Place::Runq) {
        // Re-keyed, still waiting since it was queued: keep its runnable_since.
        Time since = v.runnable_since_;
        enqueue(pool, v, now);
        v.runnable_since_ = since;
    } else if (place == Place::Depleted) {
        enqueue(pool, v, now);
    } else if (place == Place::Running) {
        running_key_changed(pool, cpu);
        arm_budget(cpu, &v);
    }
    tickle_class_tops(pool, kicks);
}

void Scheduler::on_replenish_timer(void* context, Time now) {
    Vcpu& v = *static_cast<Vcpu*>(context);
    Pool* pool = pool_of(v);
    if (!pool) return; // removed meanwhile
    Scheduler& self = *pool->owner;
    CpuSet kicks;
    {
        LockGuard guard(pool->lock);
        // Stale if v was removed, blocked or re-armed for a later deadline after expire()
        // took this timer off its queue (cancel cannot stop a callback already taken off).
        if (v.pool_ != pool || v.repl_at_ == kTimeNever || now < v.repl_at_) return;
        self.replenish(*pool, v, now, kicks);
    }
    self.send_kicks(kicks);
}

} // namespace rthv
