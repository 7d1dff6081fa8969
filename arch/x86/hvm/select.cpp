// Backend selection and the small vendor-neutral helpers of vcpu.hpp.
#include "arch/x86/console.hpp"
#include "arch/x86/cpuid.hpp"
#include "arch/x86/hvm/backend.hpp"
#include "arch/x86/vmx/vmx_backend.hpp"
#include "hv/lib/format.hpp"

namespace rthv::x86::hvm {

const Backend* select_backend(const char*& why) {
    const Backend& vmx = vmx::backend();
    if (vmx.probe(why)) return &vmx;
    // CPUID.80000001H:ECX.SVM[bit 2] (AMD APM Vol. 3): AMD-V is there, its backend is not yet.
    if (cpuid(0x80000000).eax >= 0x80000001 && (cpuid(0x80000001).ecx & (1u << 2)) != 0)
        why = "AMD-V (SVM) found, but rthv has only a VT-x backend so far";
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
