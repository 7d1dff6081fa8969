// Per-CPU one-shot timer on the local APIC: TSC-deadline mode when CPUID.01H:ECX[24] says so
// (Bochs, modern hardware), otherwise LAPIC one-shot with a count derived from the calibrated
// LAPIC frequency (QEMU TCG). Deadlines are absolute ns on the now() clock; expiry calls the
// registered hook on the expiring CPU (the portable timer core attaches here).
#pragma once

#include <stdint.h>

#include "hv/lib/types.hpp"

namespace rthv::x86 {

enum class TimerMode { kTscDeadline, kLapicOneshot };

using CpuHook = void (*)(CpuId cpu);

void timer_init_bsp(); // choose the mode; calibrate the LAPIC timer if it is needed
void timer_init_cpu(); // on every CPU, after lapic::init_cpu()
TimerMode timer_mode();
const char* timer_mode_name();
uint64_t lapic_timer_hz(); // 0 in TSC-deadline mode

void set_timer_hook(CpuHook hook);      // on_timer_interrupt(cpu)
void set_reschedule_hook(CpuHook hook); // reschedule IPI taken on cpu

// The device is programmed only through timer_defer() and timer_flush() below, on behalf of
// the portable TimerCore (x86_platform.cpp): no other code arms it.
// tsc_at(deadline), taken from the deadline this CPU programmed last when it is the same one:
// the run loop bounds each VMX entry by the deadline it has just programmed (vmx_backend.cpp).
uint64_t timer_tsc_of(Time deadline);

// Deferred programming, for callers that hold locks (the portable timer core arms under its
// queue lock, often inside a pool lock): timer_defer() only records the deadline; the device
// write, or the REARM IPI for a remote CPU, happens at the calling CPU's next timer_flush(),
// which runs where no lock is held: idle_wait() and before every guest entry. Why: an APIC
// access under a lock lengthens the critical section, and under an emulator it is a trip
// through the emulator's global lock (QEMU's BQL), which CPUs spinning on the pool lock with
// PAUSE keep taking: the holder starves (measured under QEMU MTTCG, 2 CPUs: 95 % overhead,
// 11 context switches a second, against 13 % and ~440 once nothing is written under a lock).
void timer_defer(CpuId cpu, Time deadline);
void timer_flush();

// Waits for the next interrupt with the deferred programming done first. The HLT sits in STI's
// shadow (SDM Vol. 2B, STI), so no wake-up is lost between the caller's last check and
// halting, and the CLI after it closes the window once the handler has returned. QEMU TCG
// takes interrupts only at such a HLT or a branch with IF=1, never in an inline "sti; cli".
void idle_wait();
void send_reschedule(CpuId cpu); // to itself: the reschedule hook runs at once

// Interrupt entry points (called by the dispatcher with interrupts disabled).
void timer_interrupt();
void timer_rearm_interrupt();
void reschedule_interrupt();

} // namespace rthv::x86
