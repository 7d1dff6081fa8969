// The per-CPU run loop, the same in the hypervisor and in the host tests: interrupts are off
// except in two places, the interrupt window before each decision and the idle wait, so timer
// expiries and reschedule kicks (which set `resched`) are taken there or, while a guest runs,
// on its exit. Each entry is bounded by this CPU's next timer deadline.
//
// Time: the CpuLedger charges every instant to guest, idle or overhead. Overhead while a VCPU
// is current is reported with Scheduler::steal, except the path from an exit the guest caused
// itself (CPUID, I/O, hypercalls, halts, faults) to its next entry, which stays charged to its
// budget unless the loop works for others on the way (OverheadSplit). It is collected per CPU
// without a lock (`unreported`) and reported at two points only: with the decision when the
// CPU reschedules (schedule(cpu, stolen), in its pool-lock hold), and with steal(), which takes
// the pool lock, right before an entry, so one acquisition per pass (the report's
// pool_locks_per_exit counts them). Before the entry, so that the budget timer the entry is
// bounded by already counts it: reported after the stint, it moved the budget's end past the
// timer each time, and at every exhaustion the VCPU was entered again and again for the µs its
// own way in had left it (8 entries of ~24 µs for ~6 µs of budget under QEMU TCG; now one at
// most). A burn inside the interrupt window or an exit handler (a budget or replenishment
// timer) sees the previous pass's report.
// Reporting without the lock at all (a per-CPU count the scheduler applies at its next burn)
// was tried and withdrawn: the budget timer then fires early by what was reported since it was
// armed, with the same re-entry loop at every budget's end (guests/timerlat under Bochs: spin
// p99 16 -> 180 us), for ~270 instructions saved per exit.
//
// A template over the machine and guest types: the hypervisor instantiates it with its final
// X86Machine and HvmGuests where their definitions are visible (arch/x86/hvm/dom_guests.cpp),
// so its calls are direct and inlined, and a pass is one function, as before the loop moved
// here (through the abstract interfaces, ~17 indirect calls a pass cost ~190 instructions per
// exit under Bochs, and a pass called out of line ~60); the host tests instantiate it with the
// abstract dom::Machine and dom::Guests (run_loop.cpp).
#pragma once

#include "hv/dom/domain.hpp"
#include "hv/dom/switch.hpp"

namespace rthv::dom {
namespace loop_detail {

// Overhead up to `t` (a clock read the caller already made: one per step, on the path every
// exit takes): stolen from the current VCPU unless it is on the path of an exit that VCPU
// caused; `for_others`: it includes work for others (it and the rest up to the next exit are
// stolen).
inline void settle(CpuRun& run, Time t, bool for_others = false) {
    Duration d = run.split.stolen(run.ledger.overhead_until(t), for_others);
    if (run.loaded != nullptr) run.unreported += d;
}

// The stolen time the scheduler has not yet been told, now counted as told.
inline Duration take_unreported(CpuRun& run) {
    const Duration d = run.unreported;
    run.stolen += d;
    run.unreported = 0;
    return d;
}

// Settles up to `t`, then tells the scheduler what it has not yet been told (one pool-lock
// acquisition).
inline void report_stolen(System& s, CpuRun& run, CpuId cpu, Time t) {
    settle(run, t);
    if (run.unreported == 0) return;
    s.sched->steal(cpu, take_unreported(run));
}

// Adds the time from `mark` to `t` to `phase` and moves the mark there.
inline void charge(CpuRun& run, LoopPhase phase, Time& mark, Time t) {
    run.phase_ns[static_cast<size_t>(phase)] += t - mark;
    mark = t;
}

// A stint of `v`; `decided`: the pass's last clock read, up to which the stolen time is reported
// before the entry (`switched`: a decision loaded `v`, so prepare() may cost more, a backend
// making its context current: the clock is read again after it). The rest of the way in is
// the next report's.
template <class M, class G>
[[gnu::always_inline]] inline void run_guest(System& s, M& m, G& g, CpuRun& run, CpuId cpu,
                                             DomVcpu& v, Time& mark, Time decided, bool switched) {
    g.prepare(v);
    // The lock only if some is unreported (see the top).
    report_stolen(s, run, cpu, switched ? m.now() : decided);
    m.before_entry(cpu);
    const Stint st = g.run(v, cpu, s.timers->next_deadline(cpu));
    const Time returned = m.now();
    Duration guest = 0;
    if (st.entered) {
        guest = st.exited_at - st.entered_at;
        // The way in: the guest's own after an exit it caused, else stolen.
        run.unreported += run.split.stolen(run.ledger.guest(st.entered_at, st.exited_at));
        v.guest_ns_on[cpu] += guest; // cpu < ncpus <= kMaxDomCpus (System)
    }
    run.phase_ns[static_cast<size_t>(LoopPhase::kBackend)] += returned - mark - guest;
    mark = returned;
    run.split.exited(st.entered && st.guest_caused);
    settle(run, returned);
    // The entry's deadline ended the stint (VT-x: the VMX-preemption timer): expire what is
    // due now instead of waiting for the timer interrupt for the same deadline, which Bochs
    // delivers late at times while the loop re-enters the guest with a preemption value of 1
    // (guests/timerlat, VT-x alone: spin p99 30 -> 16 us). A late interrupt then finds its
    // deadline re-armed (arch/x86/timer.cpp) and does nothing more.
    if (st.deadline_reached) s.timers->expire(cpu, returned);
    switch (st.action) {
    case ExitAction::kResume:
        guest_timer_sync(s, v, cpu, g.timer_deadline(v));
        break;
    case ExitAction::kBlock:
        guest_timer_sync(s, v, cpu, g.timer_deadline(v));
        if (guest_block(s, v)) run.request_resched();
        break;
    case ExitAction::kYield:
        s.sched->yield(v.sched);
        run.request_resched();
        break;
    case ExitAction::kCrash:
        guest_crashed(s, v);
        run.request_resched();
        break;
    }
}

template <class M>
void idle(M& m, CpuRun& run, CpuId cpu) {
    const Time from = m.now();
    m.idle(cpu);
    run.ledger.idle(from, m.now());
}

} // namespace loop_detail

// One pass of CPU `cpu`'s loop: the interrupt window, a decision if one is due, then a stint in
// the guest or the idle wait. `mark`: where the phase accounting stands (run_cpu keeps it).
// False: the CPU's stop was requested (taken in the window), nothing more was done.
template <class M, class G>
[[gnu::always_inline]] inline bool run_pass(System& s, M& m, G& g, CpuId cpu, Time& mark) {
    using namespace loop_detail;
    CpuRun& run = s.cpus[cpu];
    ++run.loop_passes;
    // The account phase since the last exit (run_guest's tail) ends here. Stolen time is
    // reported before schedule() or the next entry: one pool lock a pass.
    const Time top = m.now();
    settle(run, top);
    charge(run, LoopPhase::kAccount, mark, top);
    const uint64_t irqs = m.interrupts_taken(cpu);
    bool served = false;
    if (cpu == s.control_cpu) {
        served = m.serve_control(cpu); // before the window: its kicks are taken now
        charge(run, LoopPhase::kCtl, mark, m.now());
    }
    m.interrupt_window(cpu);
    const Time window_end = m.now();
    charge(run, LoopPhase::kWindow, mark, window_end);
    // A pass that served no one else stays on the path of the guest's own exit.
    settle(run, window_end, served || m.interrupts_taken(cpu) != irqs);
    if (run.stop_requested()) return false;
    // A kick of this CPU during schedule() (a self-kick sets the flag, no IPI) decides again
    // before any guest entry. The clock is read once per step, ~20 instructions a read on the
    // path every exit takes: a pass without a decision reuses the window's stamp.
    Time decided = window_end;
    while (run.take_resched()) {
        settle(run, decided);
        run.split.for_others(); // a decision for the pool, then maybe another VCPU
        // The stolen time not yet reported goes in with the decision: one pool lock.
        Vcpu* next = s.sched->schedule(cpu, take_unreported(run));
        switch_to(s, g, cpu, next != nullptr ? &dom_vcpu(*next) : nullptr);
        decided = m.now();
    }
    charge(run, LoopPhase::kSchedule, mark, decided);
    DomVcpu* v = run.loaded;
    if (v == nullptr) {
        idle(m, run, cpu);
        mark = m.now(); // the wait is idle time, not a phase of the overhead
    } else if (v->domain->dead() || g.crashed(*v)) {
        s.sched->pause(v->sched); // idempotent; it leaves at the next schedule
        run.request_resched();
    } else {
        // Its tail is charged at the next pass's top.
        run_guest(s, m, g, run, cpu, *v, mark, decided, decided != window_end);
    }
    return true;
}

// CPU `cpu`'s loop until its stop is requested; false: the CPU cannot run guests (run.error).
template <class M, class G>
bool run_cpu(System& s, M& m, G& g, CpuId cpu) {
    CpuRun& run = s.cpus[cpu];
    const char* why = nullptr;
    if (!g.cpu_enable(cpu, why)) {
        run.error = why;
        return false;
    }
    run.started = true;
    run.ledger.start(m.now());
    Time mark = m.now();
    while (run_pass(s, m, g, cpu, mark)) {
    }
    loop_detail::report_stolen(s, run, cpu, m.now());
    return true;
}

} // namespace rthv::dom
