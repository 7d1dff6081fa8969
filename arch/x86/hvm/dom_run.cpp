// The per-CPU run loop: interrupts are off except in two places, the one-instruction window
// before each decision and the idle HLT, so timer expiries (TimerCore::expire from the timer
// hook) and reschedule IPIs (which set `resched`) are taken there or, while a guest runs, on
// its VM exit (acknowledge-on-exit, vmx/exit_interrupt.cpp). Each entry is bounded by this
// CPU's next timer deadline through the VMX-preemption timer as well (hvm/README.md: Bochs).
//
// Time: the CpuLedger charges every instant to guest, idle or overhead. Overhead while a VCPU
// is current is reported with Scheduler::steal, except the handling of exits the guest caused
// itself (CPUID, I/O, hypercalls, HLT, faults), which stays charged to its budget. It is
// collected per CPU without a lock (`unreported`) and reported with one steal() per loop pass,
// before the interrupt window, and before schedule() when the CPU reschedules. steal() takes
// the pool lock and moves the budget timer, ~270 of the ~1500 instructions from a timer
// interrupt to a running guest's handler under Bochs (guests/timerlat). Reporting without the
// lock and applying it at the next accounting point was tried: the budget timer then fires
// early by what was reported since it was armed, and a remainder shorter than the way back
// into the guest could never be used up, since all of that way is stolen time again: guests
// stalled for up to ~250 us at each budget's end (timerlat spin p99 16 -> 180 us).
#include "arch/x86/console.hpp"
#include "arch/x86/cr.hpp"
#include "arch/x86/hvm/dom.hpp"
#include "arch/x86/hvm/dom_ctl.hpp"
#include "arch/x86/hvm/linux_vcpu.hpp"
#include "arch/x86/timer.hpp"
#include "arch/x86/tsc.hpp"

namespace rthv::x86::hvm {
namespace {

// SDM Vol. 2B STI: interrupts are recognised after the instruction following STI, so the NOP
// is the window; pending timer and IPI vectors are taken through the IDT here.
void take_pending_interrupts() { asm volatile("sti; nop; cli" ::: "memory"); }

// Overhead up to `t` (now); not charged to the current VCPU unless the guest caused it. The
// clock is read once per step and handed on: each read is ~20 instructions of an exit's path.
void settle(CpuRun& run, Time t, bool guest_caused = false) {
    Duration d = run.ledger.overhead_until(t);
    if (d == 0 || run.loaded == nullptr || guest_caused) return;
    run.unreported += d;
}

// Settles, then tells the scheduler what it has not yet been told (lock-free).
void report_stolen(DomState& s, CpuRun& run, CpuId cpu, Time t) {
    settle(run, t);
    if (run.unreported == 0) return;
    s.sched.steal(cpu, run.unreported);
    run.stolen += run.unreported;
    run.unreported = 0;
}

uint64_t interrupt_exits(const HvmVcpu& v) {
    return v.stats.exits[static_cast<size_t>(ExitKind::kExternalInterrupt)] +
           v.stats.exits[static_cast<size_t>(ExitKind::kPreemptionTimer)];
}

// Adds the time since `mark` to `phase` and moves the mark to `t` (now).
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
    timer_flush(); // the deadlines armed since the last flush, before the guest runs
    RunResult r = s.backend->vcpu_run(v.hvm, s.timers.next_deadline(cpu));
    const Time returned = now();
    Duration guest = 0;
    if (v.hvm.stats.entries != entries) {
        guest = v.hvm.exited_at - v.hvm.entered_at;
        run.unreported += run.ledger.guest(v.hvm.entered_at, v.hvm.exited_at); // before entry
        v.guest_ns_on[cpu] += guest;
    }
    run.phase_ns[static_cast<size_t>(LoopPhase::kBackend)] += returned - mark - guest;
    mark = returned;
    settle(run, returned, interrupt_exits(v.hvm) == interrupts);
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
        // The account phase: since the guest returned (run_guest's tail) to here.
        const Time t = now();
        report_stolen(s, run, cpu, t);
        charge(run, LoopPhase::kAccount, mark, t);
        // Before the window, so the kicks it causes are taken now; a poll that was not due
        // costs a flag test, left to the window's share.
        if (cpu == 0 && ctl_poll(s)) charge(run, LoopPhase::kCtl, mark);
        take_pending_interrupts();
        charge(run, LoopPhase::kWindow, mark);
        if (run.stop) break;
        // A kick of this CPU during schedule() (a self-kick sets the flag, no IPI) decides again
        // before any guest entry.
        while (run.resched) {
            run.resched = false;
            report_stolen(s, run, cpu, now());
            Vcpu* next = s.sched.schedule(cpu);
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
    report_stolen(s, run, cpu, now());
}

} // namespace rthv::x86::hvm
