// VT-x availability and VMX operation per physical CPU (SDM Vol. 3C chapter 24, 24.6-24.8):
// the capability checks, the control words adjusted against the capability MSRs once, and
// VMXON with a VMXON region per CPU.
#pragma once

#include <stdint.h>

#include "hv/lib/types.hpp"

namespace rthv::x86::vmx {

// The control words every VMCS gets, already adjusted to what the CPU allows.
struct ControlWords {
    uint32_t pin, proc, proc2, exit, entry;
    uint32_t revision; // VMCS revision identifier (IA32_VMX_BASIC[30:0])
    uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
    bool invept_single;
    bool preemption_timer;    // "activate VMX-preemption timer" is set in `pin`
    uint32_t preemption_rate; // the timer counts down once every 2^rate TSC ticks
};

// Checks the calling CPU (CPUID, IA32_FEATURE_CONTROL, capability MSRs: VMX, EPT with 4-level
// write-back tables, unrestricted guest) and computes the control words. False + reason if any
// is missing. Must run before cpu_enable() on any CPU.
bool probe(const char*& why);
const ControlWords& controls();

// VMXON on the calling CPU (CR0/CR4 fixed bits, CR4.VMXE, its own VMXON region).
bool cpu_enable(const char*& why);
bool cpu_enabled(CpuId cpu);

} // namespace rthv::x86::vmx
