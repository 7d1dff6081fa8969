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

// Program the calling CPU (local) or any CPU (remote: handed over with VECTOR_TIMER_REARM).
void timer_arm_local(Time deadline);
void timer_arm(CpuId cpu, Time deadline);
void send_reschedule(CpuId cpu);

// Interrupt entry points (called by the dispatcher with interrupts disabled).
void timer_interrupt();
void timer_rearm_interrupt();
void reschedule_interrupt();

} // namespace rthv::x86
