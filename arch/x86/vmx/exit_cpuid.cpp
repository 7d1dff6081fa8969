// CPUID (exit reason 10) exits unconditionally in VMX non-root operation (SDM 26.1.2); the
// vendor-neutral policy (hvm/cpuid_policy.cpp) decides what the guest sees.
#include "arch/x86/hvm/cpuid_policy.hpp"
#include "arch/x86/vmx/exits.hpp"

namespace rthv::x86::vmx {

hvm::RunResult handle_cpuid(hvm::HvmVcpu& v, uint32_t) {
    hvm::CpuidValues r =
        hvm::guest_cpuid(v, static_cast<uint32_t>(v.regs.rax), static_cast<uint32_t>(v.regs.rcx));
    v.regs.rax = r.eax;
    v.regs.rbx = r.ebx;
    v.regs.rcx = r.ecx;
    v.regs.rdx = r.edx;
    skip_instruction();
    return hvm::RunResult::kResume;
}

} // namespace rthv::x86::vmx
