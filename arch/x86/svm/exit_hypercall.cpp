// The hypercall, by either instruction (guests/abi.hpp; served by hvm/hypercall.cpp):
// - VMMCALL (EXITCODE 0x81, 3 bytes: 0F 01 D9), AMD's own.
// - VMCALL (0F 01 C1), Intel's, which the guest images use: on AMD it raises #UD (APM Vol. 3,
//   VMMCALL; 15.12), intercepted here (EXITCODE 0x46). The bytes at CS:RIP are read from guest
//   memory and, if they are a VMCALL, it is completed as the hypercall, so one guest image
//   runs unchanged on both vendors. Any other #UD is reflected into the guest.
#include "arch/x86/hvm/hypercall.hpp"
#include "arch/x86/svm/exits.hpp"

namespace rthv::x86::svm {
namespace {

constexpr uint8_t kVmcall[3] = {0x0f, 0x01, 0xc1};
constexpr uint64_t kCr0Pg = 1u << 31;
constexpr uint8_t kUdVector = 6;

// Guests run with paging off (hvm/README.md), so CS.base + RIP is the guest-physical address.
// With paging on the linear address would need a guest page walk; such a #UD is reflected.
bool at_vmcall(const hvm::HvmVcpu& v, const Vmcb& vmcb) {
    if ((vmcb.save.cr0 & kCr0Pg) != 0) return false;
    uint8_t bytes[3] = {};
    uint64_t gpa = (vmcb.save.cs.base + vmcb.save.rip) & 0xffffffff;
    if (!v.memory->read(gpa, bytes, sizeof(bytes))) return false;
    return bytes[0] == kVmcall[0] && bytes[1] == kVmcall[1] && bytes[2] == kVmcall[2];
}

} // namespace

hvm::RunResult handle_vmmcall(hvm::HvmVcpu& v, Vmcb& vmcb, hvm::ExitKind&) {
    skip_instruction(vmcb, 3);
    return hvm::hypercall(v);
}

hvm::RunResult handle_ud(hvm::HvmVcpu& v, Vmcb& vmcb, hvm::ExitKind& kind) {
    if (!at_vmcall(v, vmcb)) {
        inject_exception(vmcb, kUdVector, false);
        return hvm::RunResult::kResume;
    }
    kind = hvm::ExitKind::kHypercall;
    // A fault, not an intercepted instruction: RIP is the VMCALL's own and NEXT_RIP is not
    // defined for exceptions (15.7.1), so the length is always added.
    vmcb.save.rip += sizeof(kVmcall);
    return hvm::hypercall(v);
}

} // namespace rthv::x86::svm
