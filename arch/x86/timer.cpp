#include "arch/x86/timer.hpp"

#include "arch/x86/asm_defs.hpp"
#include "arch/x86/cpuid.hpp"
#include "arch/x86/lapic.hpp"
#include "arch/x86/msr.hpp"
#include "arch/x86/percpu.hpp"
#include "arch/x86/tsc.hpp"
#include "arch/x86/tsc_math.hpp"

namespace rthv::x86 {
namespace {

TimerMode mode = TimerMode::kLapicOneshot;
uint64_t lapic_hz = 0;
CpuHook timer_hook = nullptr;
CpuHook reschedule_hook = nullptr;

// LAPIC one-shot count for `delta` ns: at least 1 (0 would stop the timer), at most 32 bits;
// a longer delay fires early and timer_interrupt() re-arms for the rest.
uint32_t lapic_count(Duration delta) {
    uint64_t c = ns_to_ticks_ceil(delta, lapic_hz);
    if (c == 0) return 1;
    return c > 0xffffffffu ? 0xffffffffu : static_cast<uint32_t>(c);
}

void calibrate_lapic() {
    constexpr Duration kWindow = 10'000'000; // 10 ms of TSC time
    lapic::timer_oneshot(VECTOR_TIMER, 0xffffffffu);
    Time start = now();
    delay_ns(kWindow);
    uint32_t left = lapic::timer_current_count();
    Time elapsed = now() - start;
    lapic::timer_stop();
    lapic_hz = measured_hz(0xffffffffu - left, elapsed, kNsPerSecond);
}

void program(PerCpu& pc, Time deadline) {
    pc.deadline = deadline;
    pc.deadline_tsc = 0;
    if (mode == TimerMode::kTscDeadline) {
        // Writing 0 disarms (SDM 10.5.4.1); a value already passed fires at once.
        if (deadline == kTimeNever) return wrmsr(Msr::kTscDeadline, 0);
        uint64_t tsc = tsc_at(deadline);
        pc.deadline_tsc = tsc == 0 ? 1 : tsc;
        wrmsr(Msr::kTscDeadline, pc.deadline_tsc);
        return;
    }
    if (deadline == kTimeNever) {
        lapic::timer_stop();
        return;
    }
    Time t = now();
    lapic::timer_oneshot(VECTOR_TIMER, lapic_count(deadline > t ? deadline - t : 0));
}

} // namespace

void timer_init_bsp() {
    mode = has_tsc_deadline() ? TimerMode::kTscDeadline : TimerMode::kLapicOneshot;
    if (mode == TimerMode::kLapicOneshot) calibrate_lapic();
}

void timer_init_cpu() {
    PerCpu& pc = this_cpu();
    pc.deadline = kTimeNever;
    pc.pending_deadline = kTimeNever;
    pc.rearm_self = false;
    pc.rearm_remote = 0;
    if (mode == TimerMode::kTscDeadline) {
        lapic::timer_tsc_deadline_mode(VECTOR_TIMER);
        wrmsr(Msr::kTscDeadline, 0);
    } else {
        lapic::timer_stop();
    }
}

TimerMode timer_mode() { return mode; }
const char* timer_mode_name() {
    return mode == TimerMode::kTscDeadline ? "tsc-deadline" : "lapic-oneshot";
}
uint64_t lapic_timer_hz() { return mode == TimerMode::kTscDeadline ? 0 : lapic_hz; }
void set_timer_hook(CpuHook hook) { timer_hook = hook; }
void set_reschedule_hook(CpuHook hook) { reschedule_hook = hook; }

uint64_t timer_tsc_of(Time deadline) {
    const PerCpu& pc = this_cpu();
    if (deadline == pc.deadline && pc.deadline_tsc > 1) return pc.deadline_tsc;
    return tsc_at(deadline);
}

void timer_defer(CpuId cpu, Time deadline) {
    __atomic_store_n(&percpu(cpu).pending_deadline, deadline, __ATOMIC_RELEASE);
    PerCpu& self = this_cpu();
    if (cpu == self.cpu_id) {
        self.rearm_self = true;
    } else {
        self.rearm_remote |= uint64_t{1} << cpu;
    }
}

void timer_flush() {
    PerCpu& self = this_cpu();
    if (self.rearm_self) {
        self.rearm_self = false;
        program(self, __atomic_load_n(&self.pending_deadline, __ATOMIC_ACQUIRE));
    }
    for (uint64_t out = self.rearm_remote; out != 0; out &= out - 1) {
        auto cpu = static_cast<CpuId>(__builtin_ctzll(out));
        lapic::send_fixed_ipi(percpu(cpu).apic_id, VECTOR_TIMER_REARM);
    }
    self.rearm_remote = 0;
}

void idle_wait() {
    timer_flush();
    asm volatile("sti; hlt; cli" ::: "memory");
}

void send_reschedule(CpuId cpu) {
    // Kicking oneself needs no interrupt: the hook runs now (interrupts are off in hypervisor
    // code, so nothing else runs it concurrently on this CPU). A self-IPI would cost an
    // interrupt round trip, and under QEMU's round-robin TCG every IPI ends the sender's turn.
    PerCpu& self = this_cpu();
    if (cpu == self.cpu_id && reschedule_hook != nullptr) {
        ++self.reschedule_irqs;
        return reschedule_hook(cpu);
    }
    lapic::send_fixed_ipi(percpu(cpu).apic_id, VECTOR_RESCHEDULE);
}

void timer_interrupt() {
    PerCpu& pc = this_cpu();
    ++pc.timer_irqs;
    if (pc.deadline == kTimeNever) return; // disarmed meanwhile
    // Early: the LAPIC count is clamped to 32 bits and its clock is only calibrated against
    // the TSC, so it can fire before the deadline. Stale: an interrupt of an earlier, already
    // passed deadline stays pending in the IRR when the timer is re-armed later (SDM Vol. 3A
    // 10.5.4.1 re-arms the counter, it does not withdraw a pending interrupt). Either way the
    // deadline is still ahead: re-arm for it (a past one fires at once, so none is lost).
    if (now() < pc.deadline) return program(pc, pc.deadline);
    pc.deadline = kTimeNever;
    if (timer_hook != nullptr) timer_hook(pc.cpu_id);
}

void timer_rearm_interrupt() {
    PerCpu& pc = this_cpu();
    ++pc.rearm_irqs;
    program(pc, __atomic_load_n(&pc.pending_deadline, __ATOMIC_ACQUIRE));
}

void reschedule_interrupt() {
    PerCpu& pc = this_cpu();
    ++pc.reschedule_irqs;
    if (reschedule_hook != nullptr) reschedule_hook(pc.cpu_id);
}

} // namespace rthv::x86
