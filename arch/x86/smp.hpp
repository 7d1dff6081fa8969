// Application processor start-up (SDM Vol. 3A 8.4.4 "MP Initialization Example"): INIT, then
// two SIPIs pointing at the trampoline, one AP at a time, each waiting until it checks in.
#pragma once

#include "arch/x86/madt.hpp"
#include "arch/x86/percpu.hpp"
#include "hv/lib/types.hpp"

namespace rthv::x86 {

// Starts up to `max_cpus` CPUs in total (BSP included) from the MADT's enabled list, giving
// them dense ids 1, 2, ... in table order. Returns the number of CPUs online afterwards.
CpuId smp_start_aps(const MadtInfo& madt, CpuId max_cpus);

// Common per-CPU bring-up (GDT/TSS, IDT, LAPIC, timer); used for the BSP and each AP.
void cpu_init(PerCpu& pc);

// Once up, an AP halts until it is given work, runs it from its own context (never from inside
// an interrupt handler) and halts again when it returns. set_ap_work gives every AP `work`
// (called with its CPU number); each takes it at its next wake-up, so kick the APs after this
// (Platform::kick). nullptr withdraws it.
using ApWork = void (*)(CpuId cpu);
void set_ap_work(ApWork work);

} // namespace rthv::x86
