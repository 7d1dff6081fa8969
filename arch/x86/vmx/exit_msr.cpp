// RDMSR / WRMSR (exit reasons 31 and 32). No MSR bitmap is used, so every access exits (SDM
// 25.6.9); the policy is vendor-neutral (hvm/guest_exits.cpp) and a refused access raises #GP(0)
// with RIP unchanged, as a CPU without the MSR would.
#include "arch/x86/hvm/guest_exits.hpp"
#include "arch/x86/vmx/exits.hpp"
#include "arch/x86/vmx/vmx_backend.hpp"

namespace rthv::x86::vmx {

hvm::RunResult handle_msr(hvm::HvmVcpu& v, uint32_t reason) {
    hvm::MsrOutcome r = hvm::msr_instruction(backend(), v, (reason & 0xffff) == kExitWrmsr);
    if (r == hvm::MsrOutcome::kGp)
        inject_exception(v, 13, true, 0);
    else
        skip_instruction();
    return hvm::RunResult::kResume;
}

} // namespace rthv::x86::vmx
