// RDMSR / WRMSR (exit reasons 31 and 32). No MSR bitmap is used, so every access exits (SDM
// 25.6.9); the policy is vendor-neutral (hvm/guest_exits.cpp) and a refused access raises #GP(0)
// with RIP unchanged, as a CPU without the MSR would.
#include "arch/x86/hvm/guest_exits.hpp"
#include "arch/x86/vmx/exits.hpp"
#include "arch/x86/vmx/vmx_backend.hpp"

namespace rthv::x86::vmx {

hvm::RunResult handle_msr(hvm::HvmVcpu& v, uint32_t reason) {
    const hvm::Backend& b = backend();
    auto msr = static_cast<uint32_t>(v.regs.rcx);
    hvm::MsrOutcome r;
    if ((reason & 0xffff) == kExitRdmsr) {
        uint64_t value = 0;
        r = hvm::msr_read(b, v, msr, value);
        if (r == hvm::MsrOutcome::kOk) {
            v.regs.rax = value & 0xffffffff;
            v.regs.rdx = value >> 32;
        }
    } else {
        r = hvm::msr_write(b, v, msr, (v.regs.rdx << 32) | (v.regs.rax & 0xffffffff));
    }
    if (r == hvm::MsrOutcome::kGp)
        inject_exception(v, 13, true, 0);
    else
        skip_instruction();
    return hvm::RunResult::kResume;
}

} // namespace rthv::x86::vmx
