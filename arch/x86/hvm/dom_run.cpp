// The per-CPU run loop: interrupts are off except in two places, the one-instruction window
// before each decision and the idle HLT, so timer expiries (TimerCore::expire from the timer
// hook) and reschedule IPIs (which set `resched`) are taken there or, while a guest runs, on
// its VM exit (acknowledge-on-exit, vmx/exit_interrupt.cpp). Each entry is bounded by this
// CPU's next timer deadline through the VMX-preemption timer as well (hvm/README.md: Bochs).
//
// Time: the CpuLedger charges every instant to guest, idle or overhead. Overhead while a VCPU
// is current is reported with Scheduler::steal, except the path from an exit the guest caused
// itself (CPUID, I/O, hypercalls, HLT, faults) to its next entry, which stays charged to its
// budget unless the loop works for others on the way (dom::OverheadSplit). It is
// collected per CPU without a lock (`unreported`) and reported at two points only: with the
// decision when the CPU reschedules (schedule(cpu, stolen), in its pool-lock hold), and with
// steal(), which takes the pool lock, right before a VM entry, so one acquisition per pass
// (the report's pool_locks_per_exit counts them; a report at the pass's top as well made two,
// and a steal() before schedule() another). Before the entry, so that the budget timer the
// entry is bounded by already counts it: reported after the stint, it moved the budget's end
// past the timer each time, and at every exhaustion the VCPU was entered again and again for
// the µs its own way in had left it (8 entries of ~24 µs for ~6 µs of budget under QEMU TCG;
// now one at most). A burn inside the interrupt window or an exit handler (a budget or
// replenishment timer) sees the previous pass's report.
// Reporting without the lock at all (a per-CPU count the scheduler applies at its next burn)
// was tried and withdrawn: the budget timer then fires early by what was reported since it was
// armed, with the same re-entry loop at every budget's end (guests/timerlat under Bochs: spin
// p99 16 -> 180 us), for ~270 instructions saved per exit.
#include "arch/x86/console.hpp"
#include "arch/x86/cr.hpp"
#include "arch/x86/hvm/dom.hpp"
#include "arch/x86/hvm/dom_ctl.hpp"
#include "arch/x86/hvm/linux_vcpu.hpp"
#include "arch/x86/percpu.hpp"
#include "arch/x86/timer.hpp"
#include "arch/x86/tsc.hpp"

namespace rthv::x86::hvm {
namespace {

// SDM Vol. 2B STI: interrupts are recognised after the instruction following STI, so the NOP
// is the window; pending timer and IPI vectors are taken through the IDT here.
void take_pending_interrupts() { asm volatile("sti; nop; cli" ::: "memory"); }

// Overhead up to now: stolen from the current VCPU unless it is on the path of an exit that
// VCPU caused; `for_others`: it includes work for others (it and the rest up to the next exit
// are stolen).
// Up to `t`, a clock read the caller already made: a pass reads the clock once per step, ~20
// instructions a read (TscScale), on the path every exit takes.
void settle(CpuRun& run, Time t, bool for_others = false) {
    Duration d = run.split.stolen(run.ledger.overhead_until(t), for_others);
    if (run.loaded != nullptr) run.unreported += d;
}
void settle(CpuRun& run) { settle(run, now()); }

// Interrupts this CPU has taken (timer expiries, re-arm and reschedule IPIs, self-kicks).
uint64_t interrupts_taken() {
    const PerCpu& pc = this_cpu();
    return pc.timer_irqs + pc.rearm_irqs + pc.reschedule_irqs;
}

// The stolen time the scheduler has not yet been told, now counted as told.
Duration take_unreported(CpuRun& run) {
    const Duration d = run.unreported;
    run.stolen += d;
    run.unreported = 0;
    return d;
}

// Settles, then tells the scheduler what it has not yet been told (one pool-lock acquisition).
void report_stolen(DomState& s, CpuRun& run, CpuId cpu) {
    settle(run);
    if (run.unreported == 0) return;
    s.sched.steal(cpu, take_unreported(run));
}

uint64_t interrupt_exits(const HvmVcpu& v) {
    return v.stats.exits[static_cast<size_t>(ExitKind::kExternalInterrupt)] +
           v.stats.exits[static_cast<size_t>(ExitKind::kPreemptionTimer)];
}

// Adds the time from `mark` to `t` to `phase` and moves the mark there.
void charge(CpuRun& run, LoopPhase phase, Time& mark, Time t) {
    run.phase_ns[static_cast<size_t>(phase)] += t - mark;
    mark = t;
}
void charge(CpuRun& run, LoopPhase phase, Time& mark) { charge(run, phase, mark, now()); }

uint64_t preemption_exits(const HvmVcpu& v) {
    return v.stats.exits[static_cast<size_t>(ExitKind::kPreemptionTimer)];
}

void run_guest(DomState& s, CpuRun& run, CpuId cpu, DomVcpu& v, Time& mark) {
    uint64_t entries = v.hvm.stats.entries, interrupts = interrupt_exits(v.hvm);
    const uint64_t preempted = preemption_exits(v.hvm);
    if (v.hvm.platform != nullptr) linux_prepare_entry(*s.backend, *v.hvm.platform);
    report_stolen(s, run, cpu); // takes the lock only if some is unreported (see the top)
    timer_flush();              // the deadlines armed since the last flush, before the guest runs
    RunResult r = s.backend->vcpu_run(v.hvm, s.timers.next_deadline(cpu));
    const Time returned = now();
    Duration guest = 0;
    const bool entered = v.hvm.stats.entries != entries;
    if (entered) {
        guest = v.hvm.exited_at - v.hvm.entered_at;
        // The way in: the guest's own after an exit it caused, else stolen.
        run.unreported += run.split.stolen(run.ledger.guest(v.hvm.entered_at, v.hvm.exited_at));
        v.guest_ns_on[cpu] += guest;
    }
    run.phase_ns[static_cast<size_t>(LoopPhase::kBackend)] += returned - mark - guest;
    mark = returned;
    run.split.exited(entered && interrupt_exits(v.hvm) == interrupts);
    settle(run, returned);
    // The VMX-preemption timer ended the stint at this CPU's earliest timer deadline: expire
    // what is due now instead of waiting for the local APIC's interrupt for the same deadline,
    // which Bochs delivers late at times while the loop re-enters the guest with a preemption
    // value of 1, each entry exiting before the guest's first instruction (guests/timerlat,
    // VT-x alone: spin p99 30 -> 16 us). A late interrupt then finds its deadline re-armed
    // (timer.cpp timer_interrupt) and does nothing more.
    if (preemption_exits(v.hvm) != preempted) s.timers.expire(cpu, returned);
    switch (r) {
    case RunResult::kResume:
        guest_timer_sync(s, v, cpu);
        break;
    case RunResult::kBlock:
        guest_timer_sync(s, v, cpu);
        if (guest_block(s, v)) run.resched = true;
        break;
    case RunResult::kYield:
        s.sched.yield(v.sched);
        run.resched = true;
        break;
    case RunResult::kCrash:
        guest_crashed(s, v);
        run.resched = true;
        break;
    }
}

void idle(CpuRun& run) {
    Time from = now();
    idle_wait(); // sti; hlt; cli: the HLT sits in STI's shadow, no wake-up is lost
    run.ledger.idle(from, now());
}

} // namespace

void dom_cpu_loop(DomState& s, CpuId cpu) {
    CpuRun& run = s.cpu[cpu];
    const char* why = nullptr;
    if (!s.backend->cpu_enable(why)) {
        run.error = why;
        log(LogLevel::kError, "cpu%u: cannot enable %s: %s", cpu, s.backend->name, why);
        return;
    }
    run.started = true;
    run.ledger.start(now());
    Time mark = now();
    for (;;) {
        ++run.loop_passes;
        // The account phase since the last exit (run_guest's tail) ends here. Stolen time is
        // reported before schedule() or the next entry: one pool lock a pass.
        const Time top = now();
        settle(run, top);
        charge(run, LoopPhase::kAccount, mark, top);
        const uint64_t irqs = interrupts_taken();
        bool served = false;
        if (cpu == 0) {
            served = ctl_poll(s); // before the window, so the kicks it causes are taken now
            charge(run, LoopPhase::kCtl, mark);
        }
        take_pending_interrupts();
        const Time window_end = now();
        charge(run, LoopPhase::kWindow, mark, window_end);
        // A pass that served no one else stays on the path of the guest's own exit.
        settle(run, window_end, served || interrupts_taken() != irqs);
        if (run.stop) break;
        // A kick of this CPU during schedule() (a self-kick sets the flag, no IPI) decides again
        // before any guest entry.
        while (run.resched) {
            run.resched = false;
            settle(run);
            run.split.for_others(); // a decision for the pool, then maybe another VCPU
            // The stolen time not yet reported goes in with the decision: one pool lock.
            Vcpu* next = s.sched.schedule(cpu, take_unreported(run));
            switch_to(s, run, next != nullptr ? static_cast<DomVcpu*>(next->owner()) : nullptr);
        }
        charge(run, LoopPhase::kSchedule, mark);
        DomVcpu* v = run.loaded;
        if (v == nullptr) {
            idle(run);
            mark = now(); // the HLT is idle time, not a phase of the overhead
        } else if (v->domain->crashed || v->hvm.crashed) {
            s.sched.pause(v->sched); // idempotent; it leaves at the next schedule
            run.resched = true;
        } else {
            run_guest(s, run, cpu, *v, mark); // its tail is charged at the next pass's top
        }
    }
    report_stolen(s, run, cpu);
}

} // namespace rthv::x86::hvm
