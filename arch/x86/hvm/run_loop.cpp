#include "arch/x86/hvm/run_loop.hpp"

#include "arch/x86/cr.hpp"
#include "arch/x86/hvm/blocking.hpp"
#include "arch/x86/percpu.hpp"
#include "arch/x86/timer.hpp"
#include "arch/x86/tsc.hpp"

namespace rthv::x86::hvm {
namespace {

// The CPU's one-shot timer serves both the run's end and the guest's own timer; reprogram
// it only when the wanted deadline changes (a fired timer reads kTimeNever).
void want_timer(Time deadline) {
    if (this_cpu().deadline != deadline) timer_arm_local(deadline);
}

// An interrupt that arrived while the guest ran but did not make it exit (see the
// preemption timer in vmx_cpu.cpp), or while the hypervisor ran, is taken here through the
// IDT before the next entry: STI takes effect after the following instruction (SDM Vol. 2B,
// STI), so the window is the boundary after the NOP.
void take_pending_interrupts() { asm volatile("sti; nop; cli" ::: "memory"); }

} // namespace

void run_until(HvmVcpu& v, const Backend& backend, Time end, Duration slice,
               CpuAccounting& account) {
    const Time start = now();
    Time mark = start; // everything before `mark` is accounted for
    Time slice_end = start + slice;
    for (;;) {
        Time t = now();
        if (t >= end) {
            account.overhead += t - mark;
            account.elapsed = t - start;
            return;
        }
        while (slice_end <= t) slice_end += slice;
        if (v.crashed || !wake_if_due(v, t)) {
            Time wake = v.crashed || v.timer_deadline > end ? end : v.timer_deadline;
            want_timer(wake);
            Time idle_from = now();
            idle_wait(); // interrupts on only here (SDM Vol. 2B STI: HLT in its shadow)
            Time idle_to = now();
            account.overhead += idle_from - mark;
            account.idle += idle_to - idle_from;
            mark = idle_to;
            continue;
        }
        Time deadline = slice_end < end ? slice_end : end;
        want_timer(deadline);
        take_pending_interrupts();
        // Yield, block and crash all come back to the checks above; there is no other
        // VCPU on this CPU to switch to.
        uint64_t entries = v.stats.entries;
        (void)backend.vcpu_run(v, deadline);
        if (v.stats.entries != entries) { // it did enter: charge the stint to the guest
            account.overhead += v.entered_at - mark;
            account.guest += v.exited_at - v.entered_at;
            mark = v.exited_at;
        }
    }
}

} // namespace rthv::x86::hvm
