// CPUID for a Linux guest: the host's answer through the portable policy of
// hv/vplat/cpuid_policy.hpp (which says what is shown, hidden and added, and why).
#include "arch/x86/cpuid.hpp"
#include "arch/x86/hvm/cpuid_policy.hpp"
#include "arch/x86/tsc.hpp"
#include "hv/vplat/cpuid_policy.hpp"

namespace rthv::x86::hvm {

CpuidValues linux_cpuid(uint32_t vcpu, uint32_t leaf, uint32_t subleaf) {
    CpuidResult h = cpuid(leaf, subleaf);
    vplat::CpuidRegs r = vplat::linux_cpuid(leaf, subleaf, {h.eax, h.ebx, h.ecx, h.edx}, vcpu,
                                            static_cast<uint32_t>(tsc_info().hz / 1000));
    return {r.eax, r.ebx, r.ecx, r.edx};
}

} // namespace rthv::x86::hvm
