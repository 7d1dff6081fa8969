// The exit dispatcher: a table indexed by basic exit reason (bits 15:0 of the exit-reason
// field, SDM 25.9.1), so adding a handler is one line here and one file beside it.
#include "arch/x86/hvm/guest_exits.hpp"
#include "arch/x86/vmx/exits.hpp"
#include "arch/x86/vmx/vmx_insn.hpp"

namespace rthv::x86::vmx {
namespace {

using hvm::ExitKind;
using hvm::HvmVcpu;
using hvm::RunResult;
using Handler = RunResult (*)(HvmVcpu&, uint32_t);

// HLT: vendor-neutral (hvm/guest_exits.cpp).
RunResult handle_hlt(HvmVcpu& v, uint32_t) {
    skip_instruction();
    return hvm::halt(v);
}

// XSETBV: the guest is told there is no XSAVE (CPUID), and rthv switches only the FXSAVE
// state, so XCR0 stays the host's: #GP(0), as for a value the CPU does not support.
RunResult handle_xsetbv(HvmVcpu& v, uint32_t) {
    inject_exception(v, 13, true, 0);
    return RunResult::kResume;
}

// VMX-preemption timer expired: the hypervisor's deadline is due; the run loop takes the
// pending timer interrupt and decides what runs next.
RunResult handle_preemption_timer(HvmVcpu&, uint32_t) { return RunResult::kResume; }

struct Entry {
    Handler handler;
    ExitKind kind;
};

constexpr Entry entry_for(uint32_t reason) {
    switch (reason) {
    case kExitExternalInterrupt:
        return {handle_external_interrupt, ExitKind::kExternalInterrupt};
    case kExitTripleFault:
        return {handle_triple_fault, ExitKind::kTripleFault};
    case kExitCpuid:
        return {handle_cpuid, ExitKind::kCpuid};
    case kExitHlt:
        return {handle_hlt, ExitKind::kHlt};
    case kExitVmcall:
        return {handle_vmcall, ExitKind::kHypercall};
    case kExitIo:
        return {handle_io, ExitKind::kIo};
    case kExitEptViolation:
        return {handle_ept_violation, ExitKind::kMemoryViolation};
    case kExitEptMisconfig:
        return {handle_ept_violation, ExitKind::kMemoryViolation};
    case kExitPreemptionTimer:
        return {handle_preemption_timer, ExitKind::kPreemptionTimer};
    case kExitRdmsr:
    case kExitWrmsr:
        return {handle_msr, ExitKind::kMsr};
    case kExitCrAccess:
        return {handle_cr_access, ExitKind::kOther};
    case kExitInterruptWindow:
        return {handle_interrupt_window, ExitKind::kInterruptWindow};
    case kExitXsetbv:
        return {handle_xsetbv, ExitKind::kOther};
    default:
        return {handle_unexpected, ExitKind::kOther};
    }
}

struct Table {
    Entry entries[kExitReasonCount];
    constexpr Table() : entries() {
        for (uint32_t r = 0; r < kExitReasonCount; ++r) entries[r] = entry_for(r);
    }
};
constexpr Table kTable;

} // namespace

void skip_instruction() {
    vmwrite(Field::kGuestRip, vmread(Field::kGuestRip) + vmread(Field::kExitInstructionLength));
    end_interrupt_shadow();
}

RunResult dispatch_exit(HvmVcpu& v, uint32_t reason) {
    uint32_t basic = reason & 0xffff;
    Entry e = basic < kExitReasonCount && (reason & kExitEntryFailed) == 0
                  ? kTable.entries[basic]
                  : Entry{handle_unexpected, ExitKind::kOther};
    ++v.stats.exits[static_cast<size_t>(e.kind)];
    ++v.stats.exits_total;
    return e.handler(v, reason);
}

const char* exit_reason_name(uint32_t basic) {
    switch (basic) {
    case kExitExceptionOrNmi:
        return "exception or NMI";
    case kExitExternalInterrupt:
        return "external interrupt";
    case kExitTripleFault:
        return "triple fault";
    case kExitCpuid:
        return "CPUID";
    case kExitHlt:
        return "HLT";
    case kExitVmcall:
        return "VMCALL";
    case kExitCrAccess:
        return "control-register access";
    case kExitIo:
        return "I/O instruction";
    case kExitRdmsr:
        return "RDMSR";
    case kExitWrmsr:
        return "WRMSR";
    case kExitInvalidGuestState:
        return "VM-entry failure: invalid guest state";
    case kExitEptViolation:
        return "EPT violation";
    case kExitEptMisconfig:
        return "EPT misconfiguration";
    case kExitPreemptionTimer:
        return "VMX-preemption timer expired";
    case kExitInterruptWindow:
        return "interrupt window";
    case kExitXsetbv:
        return "XSETBV";
    default:
        return "unhandled";
    }
}

} // namespace rthv::x86::vmx
