#include "arch/x86/hvm/cpuid_policy.hpp"

#include "arch/x86/cpuid.hpp"
#include "arch/x86/hvm/linux_vcpu.hpp"

namespace rthv::x86::hvm {
namespace {

constexpr uint32_t kEcxVmx = 1u << 5;         // CPUID.1:ECX (SDM Vol. 2A, table 3-10)
constexpr uint32_t kEcxHypervisor = 1u << 31; // reserved for hypervisors to set

constexpr uint32_t pack(const char* s) {
    return static_cast<uint32_t>(s[0]) | static_cast<uint32_t>(s[1]) << 8 |
           static_cast<uint32_t>(s[2]) << 16 | static_cast<uint32_t>(s[3]) << 24;
}

} // namespace

CpuidValues guest_cpuid(const HvmVcpu& v, uint32_t leaf, uint32_t subleaf) {
    if (v.platform != nullptr) return linux_cpuid(v.platform->index, leaf, subleaf);
    if (leaf == kHypervisorLeaf) return {kHypervisorLeaf, pack("rthv"), pack("RTHV"), pack("rthv")};
    if (leaf > kHypervisorLeaf && leaf < 0x80000000) return {0, 0, 0, 0};
    CpuidResult r = cpuid(leaf, subleaf);
    if (leaf == 1) r.ecx = (r.ecx & ~kEcxVmx) | kEcxHypervisor;
    return {r.eax, r.ebx, r.ecx, r.edx};
}

} // namespace rthv::x86::hvm
