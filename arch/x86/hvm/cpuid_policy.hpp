// What CPUID tells a guest: the host's values, minus VMX (no nested virtualisation), plus the
// "hypervisor present" bit and a signature leaf at 0x40000000 (the convention KVM, Xen and
// Hyper-V share), so a guest can tell it runs on rthv.
#pragma once

#include <stdint.h>

namespace rthv::x86::hvm {

struct CpuidValues {
    uint32_t eax, ebx, ecx, edx;
};

inline constexpr uint32_t kHypervisorLeaf = 0x40000000;

struct HvmVcpu;

// What `v` sees: a toy guest the host's values with the changes above; a Linux guest the
// platform of hvm/linux_vcpu.hpp (cpuid_linux.cpp).
CpuidValues guest_cpuid(const HvmVcpu& v, uint32_t leaf, uint32_t subleaf);
CpuidValues linux_cpuid(uint32_t vcpu_index, uint32_t leaf, uint32_t subleaf);

} // namespace rthv::x86::hvm
