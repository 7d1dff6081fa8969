// Exits that end the domain: a triple fault (exit reason 2, SDM 28.1: the guest's shutdown)
// and anything without a handler. The guest state is logged first so the cause can be found.
#include "arch/x86/console.hpp"
#include "arch/x86/vmx/exits.hpp"
#include "arch/x86/vmx/vmx_insn.hpp"

namespace rthv::x86::vmx {
namespace {

using ull = unsigned long long;

void dump_guest_state(const hvm::HvmVcpu& v, uint32_t reason) {
    const hvm::GuestRegs& r = v.regs;
    log(LogLevel::kError, "[%s] exit reason %u (%s)%s, qualification 0x%llx", v.name,
        reason & 0xffff, exit_reason_name(reason & 0xffff),
        (reason & kExitEntryFailed) != 0 ? " [VM-entry failure]" : "",
        static_cast<ull>(vmread(Field::kExitQualification)));
    log(LogLevel::kError, "[%s]   RIP=%08llx RSP=%08llx RFLAGS=%08llx CR0=%08llx CR4=%08llx",
        v.name, static_cast<ull>(vmread(Field::kGuestRip)),
        static_cast<ull>(vmread(Field::kGuestRsp)), static_cast<ull>(vmread(Field::kGuestRflags)),
        static_cast<ull>(vmread(Field::kGuestCr0)), static_cast<ull>(vmread(Field::kGuestCr4)));
    log(LogLevel::kError, "[%s]   EAX=%08llx EBX=%08llx ECX=%08llx EDX=%08llx", v.name,
        static_cast<ull>(r.rax), static_cast<ull>(r.rbx), static_cast<ull>(r.rcx),
        static_cast<ull>(r.rdx));
    log(LogLevel::kError, "[%s]   ESI=%08llx EDI=%08llx EBP=%08llx intr-info=%08llx", v.name,
        static_cast<ull>(r.rsi), static_cast<ull>(r.rdi), static_cast<ull>(r.rbp),
        static_cast<ull>(vmread(Field::kExitInterruptionInfo)));
}

} // namespace

hvm::RunResult handle_triple_fault(hvm::HvmVcpu& v, uint32_t reason) {
    dump_guest_state(v, reason);
    return hvm::crash(v, "triple fault at RIP 0x%llx", static_cast<ull>(vmread(Field::kGuestRip)));
}

hvm::RunResult handle_unexpected(hvm::HvmVcpu& v, uint32_t reason) {
    dump_guest_state(v, reason);
    return hvm::crash(v, "unhandled exit %u (%s)", reason & 0xffff,
                      exit_reason_name(reason & 0xffff));
}

} // namespace rthv::x86::vmx
