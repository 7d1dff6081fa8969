// The exit dispatcher: a table indexed by EXITCODE for the codes below 0x100 (intercepted
// instructions, exceptions, interrupts), plus the nested page fault (0x400), so adding a
// handler is one line here and one file beside it.
#include "arch/x86/hvm/guest_exits.hpp"
#include "arch/x86/svm/exits.hpp"
#include "arch/x86/svm/svm_cpu.hpp"
#include "arch/x86/svm/svm_report.hpp"

namespace rthv::x86::svm {
namespace {

using hvm::ExitKind;
using hvm::HvmVcpu;
using hvm::RunResult;

constexpr uint64_t kTableSize = 0x100;

// HLT (1 byte): vendor-neutral (hvm/guest_exits.cpp).
RunResult handle_hlt(HvmVcpu& v, Vmcb& vmcb, ExitKind&) {
    skip_instruction(vmcb, 1);
    return hvm::halt(v);
}

// XSETBV: the guest is told there is no XSAVE (CPUID) and rthv switches only the FXSAVE state,
// so XCR0 stays the host's: #GP(0), as for a value the CPU does not support.
RunResult handle_xsetbv(HvmVcpu&, Vmcb& vmcb, ExitKind&) {
    inject_exception(vmcb, 13, true, 0);
    return RunResult::kResume;
}

// INTR/NMI: the host interrupt was taken through the IDT right after the exit; the run loop
// decides what runs next. The guest instruction was not executed, so RIP stays.
RunResult handle_interrupt(HvmVcpu&, Vmcb&, ExitKind&) { return RunResult::kResume; }

// SVM instructions: the guest was told there is no SVM (CPUID), so they raise #UD there.
RunResult handle_svm_instruction(HvmVcpu&, Vmcb& vmcb, ExitKind&) {
    inject_exception(vmcb, 6, false);
    return RunResult::kResume;
}

struct Entry {
    Handler handler;
    ExitKind kind;
};

constexpr Entry entry_for(uint64_t code) {
    switch (code) {
    case kExitIntr:
        return {handle_interrupt, ExitKind::kExternalInterrupt};
    case kExitNmi:
        return {handle_interrupt, ExitKind::kOther};
    case kExitExceptionUd:
        return {handle_ud, ExitKind::kOther};
    case kExitExceptionDf:
        return {handle_double_fault, ExitKind::kOther};
    case kExitCpuid:
        return {handle_cpuid, ExitKind::kCpuid};
    case kExitHlt:
        return {handle_hlt, ExitKind::kHlt};
    case kExitIoio:
        return {handle_io, ExitKind::kIo};
    case kExitMsr:
        return {handle_msr, ExitKind::kMsr};
    case kExitVintr:
        return {handle_vintr, ExitKind::kInterruptWindow};
    case kExitXsetbv:
        return {handle_xsetbv, ExitKind::kOther};
    case kExitShutdown:
        return {handle_shutdown, ExitKind::kTripleFault};
    case kExitVmmcall:
        return {handle_vmmcall, ExitKind::kHypercall};
    case kExitVmrun:
    case kExitVmload:
    case kExitVmsave:
    case kExitStgi:
    case kExitClgi:
    case kExitSkinit:
    case kExitInvlpga:
        return {handle_svm_instruction, ExitKind::kOther};
    default:
        return {handle_unexpected, ExitKind::kOther};
    }
}

struct Table {
    Entry entries[kTableSize];
    constexpr Table() : entries() {
        for (uint64_t c = 0; c < kTableSize; ++c) entries[c] = entry_for(c);
    }
};
constexpr Table kTable;

} // namespace

void skip_instruction(Vmcb& vmcb, uint64_t length) {
    end_interrupt_shadow(vmcb);
    if (!features().nrips) {
        vmcb.save.rip += length;
        count_rip_advance(RipSource::kLength, false);
        return;
    }
    // NEXT_RIP also covers prefixes the fixed length does not; a difference is counted (the
    // guests rthv ships use none, so their boot tests expect none).
    uint64_t next = vmcb.control.next_rip;
    count_rip_advance(RipSource::kNextRip, next != vmcb.save.rip + length);
    vmcb.save.rip = next;
}

void inject_exception(Vmcb& vmcb, uint8_t vector, bool has_error, uint32_t error) {
    uint64_t e = kEventValid | kEventTypeException | vector;
    if (has_error) e |= kEventErrorValid | uint64_t{error} << 32;
    vmcb.control.event_inj = e;
}

RunResult dispatch_exit(HvmVcpu& v, Vmcb& vmcb, uint64_t code) {
    Entry e = code < kTableSize ? kTable.entries[code]
              : code == kExitNestedPageFault
                  ? Entry{handle_nested_page_fault, ExitKind::kMemoryViolation}
                  : Entry{handle_unexpected, ExitKind::kOther};
    ExitKind kind = e.kind;
    RunResult r = e.handler(v, vmcb, kind);
    ++v.stats.exits[static_cast<size_t>(kind)];
    ++v.stats.exits_total;
    return r;
}

const char* exit_code_name(uint64_t code) {
    switch (code) {
    case kExitExceptionUd:
        return "#UD";
    case kExitExceptionDf:
        return "#DF";
    case kExitIntr:
        return "INTR";
    case kExitNmi:
        return "NMI";
    case kExitCpuid:
        return "CPUID";
    case kExitHlt:
        return "HLT";
    case kExitIoio:
        return "IOIO";
    case kExitMsr:
        return "MSR";
    case kExitShutdown:
        return "shutdown";
    case kExitVmmcall:
        return "VMMCALL";
    case kExitNestedPageFault:
        return "nested page fault";
    case kExitInvalid:
        return "VMEXIT_INVALID: VMRUN refused the VMCB";
    default:
        return code < 0x20 ? "CR access" : code < 0x40 ? "DR access" : "unhandled";
    }
}

} // namespace rthv::x86::svm
