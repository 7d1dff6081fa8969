// The server rules of one VCPU: burn, depletion, wake rules, replenishment, and the books of
// the current period (miss test, overrun debt) (DESIGN.md). Runs with the pool lock held.
#include "hv/sched/scheduler.hpp"
#include "hv/sched/server_math.hpp"

namespace rthv {

void Scheduler::burn(Vcpu& v, Time now) {
    // Without extratime, time run after the deadline (its replenishment is late) belongs to
    // the next period: it is charged there as debt, not to the budget of the period that ended.
    Time cut = v.params_.extratime ? kTimeNever : v.deadline_;
    SplitCharge c = split_charge(v.run_start_, now, v.stolen_, cut);
    Duration charged = c.before + c.after;
    VcpuStats& s = v.stats_;
    s.run_ns += charged;
    if (v.level_ == 0) {
        s.budget_used_ns += charged;
        v.period_used_ += c.before;
    } else {
        s.extratime_ns += charged;
    }
    if (c.before > v.budget_left_) {
        // The budget timer fired late (or the platform ran the guest past it): measure it, and
        // without extratime carry it into the next period(s) as a debt.
        Duration over = c.before - v.budget_left_;
        s.overrun_ns_total += over;
        if (over > s.overrun_ns_max) s.overrun_ns_max = over;
        ++s.overruns;
        if (!v.params_.extratime) v.debt_ += over;
        trace(TraceKind::Overrun, v.running_on_, &v, now, over);
        v.budget_left_ = 0;
    } else {
        v.budget_left_ -= c.before;
    }
    v.debt_ += c.after;
    v.pre_used_ += c.after;
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

// A period starts at `start` (<= now) with budget minus the debt it pays; `periods` grid points
// after the previous one. Eligible time of the new period counts from `start`.
void Scheduler::start_period(Vcpu& v, Time start, uint64_t periods) {
    // A VCPU with extratime carries no debt (DESIGN.md): it may have run past its deadline
    // without it, or had a debt from before `xl sched-rtds -e 1`. Paying it would leave an
    // extratime VCPU with no budget on the depleted queue, where it never belongs (verify()).
    if (v.params_.extratime) v.debt_ = 0;
    v.budget_left_ = pay_debt(v.debt_, v.budget_, periods);
    v.level_ = 0;
    v.elig_ns_ = 0;
    v.elig_from_ = start;
    v.period_used_ = 0;
    v.pre_used_ = 0;
}

void Scheduler::fresh_period(Pool& pool, Vcpu& v, Time now) {
    v.deadline_ = now + v.period_;
    start_period(v, now, 1);
    v.seq_ = take_seq(pool);
}

bool Scheduler::apply_wake_rule(Vcpu& v, Time now) {
    if (v.params_.wake_rule == WakeRule::Cbs &&
        cbs_needs_fresh_period(v.budget_left_, v.deadline_, now, v.budget_, v.period_)) {
        v.deadline_ = now + v.period_; // re-anchors the grid at now
        start_period(v, now, 1);
        return true;
    }
    if (now < v.deadline_) { // deferrable: keep budget, level and deadline
        v.elig_from_ = now;
        return false;
    }
    // The periods skipped while blocked are not counted: only the one it wakes into.
    GridStep step = grid_next_after(v.deadline_, v.period_, now);
    v.deadline_ = step.deadline;
    start_period(v, now, step.periods);
    return true;
}

void Scheduler::note_eligible(Vcpu& v, Time now) { v.elig_from_ = now; }

// Eligible time counts inside the current period only (up to its deadline).
void Scheduler::note_ineligible(Vcpu& v, Time now) {
    Time end = now < v.deadline_ ? now : v.deadline_;
    if (end > v.elig_from_) v.elig_ns_ += end - v.elig_from_;
}

void Scheduler::arm_replenishment(Vcpu& v) {
    v.repl_at_ = v.deadline_;
    timers_->add(v.last_cpu_, v.repl_timer_, v.deadline_);
}

void Scheduler::disarm_replenishment(Vcpu& v) {
    v.repl_at_ = kTimeNever;
    timers_->cancel(v.repl_timer_);
}

// The period ending at v.deadline_ (<= now): a miss only if v was denied budget it could have
// used (DESIGN.md "Misses"), else a late wake.
void Scheduler::judge_period(Vcpu& v, Time now, CpuId cpu) {
    if (!(v.awake_ && !v.paused_) || v.budget_left_ == 0 || v.level_ != 0) return;
    Duration eligible = v.elig_ns_;
    Time end = now < v.deadline_ ? now : v.deadline_;
    if (end > v.elig_from_) eligible += end - v.elig_from_;
    if (denied_budget(eligible, v.period_used_, v.budget_left_)) {
        ++v.stats_.misses;
        trace(TraceKind::Miss, cpu, &v, now, v.budget_left_);
    } else {
        ++v.stats_.late_wakes;
    }
}

void Scheduler::replenish(Pool& pool, Vcpu& v, Time now, CpuSet& kicks) {
    Place place = v.place_;
    CpuId cpu = v.running_on_;
    if (place == Place::Running) burn(v, now);
    judge_period(v, now, cpu);
    if (place == Place::Runq || place == Place::Depleted) dequeue(pool, v);
    GridStep step = grid_next_after(v.deadline_, v.period_, now);
    Time start = step.deadline - v.period_;
    // What it ran after the old deadline (late timer) was run inside the new period.
    Duration pre = v.pre_used_;
    v.deadline_ = step.deadline;
    v.stats_.periods += step.periods;
    start_period(v, start, step.periods);
    v.period_used_ = pre < now - start ? pre : now - start;
    v.seq_ = take_seq(pool);
    // A running VCPU's replenishment timer is re-armed together with its CPU's budget timer
    // below (one timer-lock hold; nothing in between touches a timer, so the order of timer
    // operations is the same).
    if (place == Place::Running)
        v.repl_at_ = v.deadline_;
    else
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
        arm_replenishment_and_budget(cpu, v);
        // The debt took the whole new budget: stop it now. Its budget timer, re-armed for now,
        // would fire one more interrupt latency late (two late timers for one overrun).
        if (v.budget_left_ == 0) mark_tickled(pool, cpu, kicks);
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
