// Backend selection and the small vendor-neutral helpers of vcpu.hpp.
#include "arch/x86/console.hpp"
#include "arch/x86/hvm/backend.hpp"
#include "arch/x86/svm/svm_backend.hpp"
#include "arch/x86/vmx/vmx_backend.hpp"
#include "hv/lib/format.hpp"

namespace rthv::x86::hvm {

// VT-x if the CPU has it, else AMD-V (CPUID.1:ECX.VMX, CPUID.80000001H:ECX.SVM), else a
// refusal naming what each backend found missing.
const Backend* select_backend(const char*& why) {
    const Backend& vmx = vmx::backend();
    const char* vmx_why = "";
    if (vmx.probe(vmx_why)) return &vmx;
    const Backend& svm = svm::backend();
    const char* svm_why = "";
    if (svm.probe(svm_why)) return &svm;
    static char both[192];
    format(both, sizeof(both), "no usable hardware virtualisation: %s; %s", vmx_why, svm_why);
    why = both;
    return nullptr;
}

const char* exit_kind_name(ExitKind k) {
    switch (k) {
    case ExitKind::kExternalInterrupt:
        return "external_interrupt";
    case ExitKind::kCpuid:
        return "cpuid";
    case ExitKind::kIo:
        return "io";
    case ExitKind::kHlt:
        return "hlt";
    case ExitKind::kHypercall:
        return "hypercall";
    case ExitKind::kMemoryViolation:
        return "memory_violation";
    case ExitKind::kTripleFault:
        return "triple_fault";
    case ExitKind::kPreemptionTimer:
        return "preemption_timer";
    case ExitKind::kMsr:
        return "msr";
    case ExitKind::kInterruptWindow:
        return "interrupt_window";
    default:
        return "other";
    }
}

RunResult crash(HvmVcpu& v, const char* fmt, ...) {
    FormatArgs args;
    __builtin_va_start(args, fmt);
    vformat(v.crash_reason, sizeof(v.crash_reason), fmt, args);
    __builtin_va_end(args);
    v.crashed = true;
    v.console.flush(v.name);
    log(LogLevel::kError, "domain %u (%s) crashed: %s", v.domain_id, v.name, v.crash_reason);
    return RunResult::kCrash;
}

} // namespace rthv::x86::hvm
