// Nested page fault (EXITCODE 0x400, 15.25.6). Every guest RAM frame is mapped at creation and
// never changes (npt.hpp), so a nested fault means the guest touched memory it does not own:
// crash the domain, naming the guest-physical address (EXITINFO2) and the access from the
// error code in EXITINFO1 (bit 1 write, bit 4 instruction fetch; APM Vol. 2, 8.4.2).
#include "arch/x86/svm/exits.hpp"

namespace rthv::x86::svm {

hvm::RunResult handle_nested_page_fault(hvm::HvmVcpu& v, Vmcb& vmcb, hvm::ExitKind&) {
    uint64_t error = vmcb.control.exit_info1;
    const char* access = (error & (1u << 4)) != 0   ? "fetch"
                         : (error & (1u << 1)) != 0 ? "write"
                                                    : "read";
    using ull = unsigned long long;
    return hvm::crash(v, "nested page fault: %s of GPA 0x%llx at RIP 0x%llx", access,
                      static_cast<ull>(vmcb.control.exit_info2), static_cast<ull>(vmcb.save.rip));
}

} // namespace rthv::x86::svm
