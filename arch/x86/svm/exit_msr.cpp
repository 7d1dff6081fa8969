// RDMSR/WRMSR (EXITCODE 0x7c; the MSRPM has every bit set, 15.11). EXITINFO1 is 0 for RDMSR
// and 1 for WRMSR; both are 2 bytes. The guest owns no MSR: a read of the TSC (IA32_TSC, 10h)
// returns the shared TSC (guests/abi.hpp: no offsetting); everything else raises #GP(0) in the
// guest, as a CPU without that MSR would, so no host MSR can be read or changed from a guest.
#include "arch/x86/cr.hpp"
#include "arch/x86/svm/exits.hpp"

namespace rthv::x86::svm {
namespace {
constexpr uint32_t kMsrTsc = 0x10;
constexpr uint8_t kGpVector = 13;
} // namespace

hvm::RunResult handle_msr(hvm::HvmVcpu& v, Vmcb& vmcb, hvm::ExitKind&) {
    bool write = vmcb.control.exit_info1 == 1;
    auto msr = static_cast<uint32_t>(v.regs.rcx);
    if (!write && msr == kMsrTsc) {
        uint64_t t = rdtsc();
        v.regs.rax = t & 0xffffffff;
        v.regs.rdx = t >> 32;
        skip_instruction(vmcb, 2);
        return hvm::RunResult::kResume;
    }
    inject_exception(vmcb, kGpVector, true, 0);
    return hvm::RunResult::kResume;
}

} // namespace rthv::x86::svm
