// Exits that end the domain: a shutdown (EXITCODE 0x7f: the guest's triple fault, 15.12),
// a VMRUN that refused the VMCB (EXITCODE -1) and anything without a handler. The guest state
// is logged first so the cause can be found.
#include "arch/x86/console.hpp"
#include "arch/x86/svm/exits.hpp"

namespace rthv::x86::svm {
namespace {

using ull = unsigned long long;

void dump_guest_state(const hvm::HvmVcpu& v, const Vmcb& vmcb) {
    const hvm::GuestRegs& r = v.regs;
    const VmcbSave& s = vmcb.save;
    const VmcbControl& c = vmcb.control;
    log(LogLevel::kError, "[%s] #VMEXIT 0x%llx (%s), EXITINFO1 0x%llx EXITINFO2 0x%llx", v.name,
        static_cast<ull>(c.exit_code), exit_code_name(c.exit_code), static_cast<ull>(c.exit_info1),
        static_cast<ull>(c.exit_info2));
    log(LogLevel::kError, "[%s]   RIP=%08llx RSP=%08llx RFLAGS=%08llx CR0=%08llx CR4=%08llx",
        v.name, static_cast<ull>(s.rip), static_cast<ull>(s.rsp), static_cast<ull>(s.rflags),
        static_cast<ull>(s.cr0), static_cast<ull>(s.cr4));
    log(LogLevel::kError, "[%s]   EAX=%08llx EBX=%08llx ECX=%08llx EDX=%08llx", v.name,
        static_cast<ull>(r.rax), static_cast<ull>(r.rbx), static_cast<ull>(r.rcx),
        static_cast<ull>(r.rdx));
    log(LogLevel::kError, "[%s]   ESI=%08llx EDI=%08llx EBP=%08llx EXITINTINFO=%08llx", v.name,
        static_cast<ull>(r.rsi), static_cast<ull>(r.rdi), static_cast<ull>(r.rbp),
        static_cast<ull>(c.exit_int_info));
}

} // namespace

hvm::RunResult handle_shutdown(hvm::HvmVcpu& v, Vmcb& vmcb, hvm::ExitKind&) {
    dump_guest_state(v, vmcb);
    return hvm::crash(v, "triple fault (shutdown) at RIP 0x%llx", static_cast<ull>(vmcb.save.rip));
}

hvm::RunResult handle_unexpected(hvm::HvmVcpu& v, Vmcb& vmcb, hvm::ExitKind&) {
    dump_guest_state(v, vmcb);
    return hvm::crash(v, "unhandled #VMEXIT 0x%llx (%s)", static_cast<ull>(vmcb.control.exit_code),
                      exit_code_name(vmcb.control.exit_code));
}

} // namespace rthv::x86::svm
