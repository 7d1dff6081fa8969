// The VMX instructions (SDM Vol. 3C 31.3). Each reports VMfail (CF or ZF set, SDM 31.2) as
// false; the VM-instruction error field then says why (SDM 31.4) when a VMCS is current.
#pragma once

#include <stdint.h>

#include "arch/x86/vmx/vmcs_fields.hpp"

namespace rthv::x86::vmx {

inline bool vmxon(uint64_t region_phys) {
    bool ok;
    asm volatile("vmxon %1; seta %0" : "=qm"(ok) : "m"(region_phys) : "cc", "memory");
    return ok;
}

inline bool vmclear(uint64_t vmcs_phys) {
    bool ok;
    asm volatile("vmclear %1; seta %0" : "=qm"(ok) : "m"(vmcs_phys) : "cc", "memory");
    return ok;
}

inline bool vmptrld(uint64_t vmcs_phys) {
    bool ok;
    asm volatile("vmptrld %1; seta %0" : "=qm"(ok) : "m"(vmcs_phys) : "cc", "memory");
    return ok;
}

inline bool vmwrite(Field f, uint64_t value) {
    bool ok;
    asm volatile("vmwrite %2, %1; seta %0"
                 : "=qm"(ok)
                 : "r"(static_cast<uint64_t>(f)), "rm"(value)
                 : "cc");
    return ok;
}

inline uint64_t vmread(Field f) {
    uint64_t v = 0;
    asm volatile("vmread %1, %0" : "=rm"(v) : "r"(static_cast<uint64_t>(f)) : "cc");
    return v;
}

// INVEPT type 1 (single context): drops cached translations derived from `eptp` (SDM 29.4.3.1).
inline bool invept_single(uint64_t eptp) {
    struct {
        uint64_t eptp, reserved;
    } desc{eptp, 0};
    bool ok;
    asm volatile("invept %1, %2; seta %0"
                 : "=qm"(ok)
                 : "m"(desc), "r"(uint64_t{1})
                 : "cc", "memory");
    return ok;
}

} // namespace rthv::x86::vmx
