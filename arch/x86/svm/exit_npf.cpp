// Nested page fault (EXITCODE 0x400, 15.25.6). Every guest RAM frame is mapped at creation and
// never changes (npt.hpp), so a nested fault means the guest touched memory it does not own:
// a device (hvm/guest_exits.cpp emulates it) or nothing, which crashes the domain. EXITINFO2
// is the guest-physical address, EXITINFO1 the error code (bit 1 write, bit 4 instruction
// fetch; APM Vol. 2, 8.4.2).
#include "arch/x86/hvm/guest_exits.hpp"
#include "arch/x86/svm/exits.hpp"
#include "arch/x86/svm/svm_backend.hpp"

namespace rthv::x86::svm {

hvm::RunResult handle_nested_page_fault(hvm::HvmVcpu& v, Vmcb& vmcb, hvm::ExitKind&) {
    uint64_t error = vmcb.control.exit_info1;
    return hvm::memory_fault(backend(), v, vmcb.control.exit_info2, (error & (1u << 1)) != 0,
                             (error & (1u << 4)) != 0, "nested page fault");
}

} // namespace rthv::x86::svm
