// RDMSR/WRMSR (EXITCODE 0x7c; the MSRPM has every bit set, 15.11). EXITINFO1 is 0 for RDMSR
// and 1 for WRMSR; both are 2 bytes. The policy is vendor-neutral (hvm/guest_exits.cpp): a
// refused access raises #GP(0) in the guest with RIP unchanged, as a CPU without the MSR would.
#include "arch/x86/hvm/guest_exits.hpp"
#include "arch/x86/svm/exits.hpp"
#include "arch/x86/svm/svm_backend.hpp"

namespace rthv::x86::svm {

hvm::RunResult handle_msr(hvm::HvmVcpu& v, Vmcb& vmcb, hvm::ExitKind&) {
    hvm::MsrOutcome r = hvm::msr_instruction(backend(), v, vmcb.control.exit_info1 != 0);
    if (r == hvm::MsrOutcome::kGp)
        inject_exception(vmcb, 13, true, 0);
    else
        skip_instruction(vmcb, 2);
    return hvm::RunResult::kResume;
}

} // namespace rthv::x86::svm
