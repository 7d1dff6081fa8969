// CPUID leaves and the feature bits rthv depends on (SDM Vol. 2A, CPUID instruction).
#pragma once

#include <stdint.h>

namespace rthv::x86 {

struct CpuidResult {
    uint32_t eax, ebx, ecx, edx;
};

inline CpuidResult cpuid(uint32_t leaf, uint32_t subleaf = 0) {
    CpuidResult r;
    asm volatile("cpuid"
                 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                 : "a"(leaf), "c"(subleaf));
    return r;
}

inline uint32_t cpuid_max_leaf() { return cpuid(0).eax; }

// CPUID.01H:ECX.TSC_Deadline[bit 24]: the LAPIC timer supports TSC-deadline mode (SDM 10.5.4.1).
inline bool has_tsc_deadline() { return (cpuid(1).ecx & (1u << 24)) != 0; }

// CPUID.80000007H:EDX[bit 8]: invariant TSC, constant rate in all P-/C-states (SDM 17.17.1).
inline bool has_invariant_tsc() {
    return cpuid(0x80000000).eax >= 0x80000007 && (cpuid(0x80000007).edx & (1u << 8)) != 0;
}

// CPUID.01H:EBX[31:24]: initial APIC ID of the executing CPU.
inline uint32_t initial_apic_id() { return cpuid(1).ebx >> 24; }

} // namespace rthv::x86
