// CPUID (EXITCODE 0x72, intercept vector 3 bit 18; 2 bytes). The vendor-neutral policy
// (hvm/cpuid_policy.cpp) decides what the guest sees; on top of it this backend hides SVM
// itself (Fn8000_0001 ECX[2], leaf 8000_000Ah): the guest's SVM instructions and EFER.SVME are
// intercepted, so it must not be told they exist.
#include "arch/x86/hvm/cpuid_policy.hpp"
#include "arch/x86/svm/exits.hpp"

namespace rthv::x86::svm {

hvm::RunResult handle_cpuid(hvm::HvmVcpu& v, Vmcb& vmcb, hvm::ExitKind&) {
    auto leaf = static_cast<uint32_t>(v.regs.rax);
    hvm::CpuidValues r = hvm::guest_cpuid(v, leaf, static_cast<uint32_t>(v.regs.rcx));
    if (leaf == 0x80000001) r.ecx &= ~(1u << 2);
    if (leaf == 0x8000000a) r = {0, 0, 0, 0};
    v.regs.rax = r.eax;
    v.regs.rbx = r.ebx;
    v.regs.rcx = r.ecx;
    v.regs.rdx = r.edx;
    skip_instruction(vmcb, 2);
    return hvm::RunResult::kResume;
}

} // namespace rthv::x86::svm
