// VM-exit handling (SDM Vol. 3C chapter 28 and appendix C, basic exit reasons). The dispatcher
// (exit_dispatch.cpp) counts every exit and calls the handler registered for its basic reason;
// each non-trivial handler has its own file. Handlers run on the CPU that ran the guest, with
// interrupts disabled and the guest's VMCS current.
#pragma once

#include <stdint.h>

#include "arch/x86/hvm/vcpu.hpp"

namespace rthv::x86::vmx {

enum ExitReason : uint32_t {
    kExitExceptionOrNmi = 0,
    kExitExternalInterrupt = 1,
    kExitTripleFault = 2,
    kExitCpuid = 10,
    kExitHlt = 12,
    kExitVmcall = 18,
    kExitCrAccess = 28,
    kExitIo = 30,
    kExitRdmsr = 31,
    kExitWrmsr = 32,
    kExitInvalidGuestState = 33,
    kExitEptViolation = 48,
    kExitEptMisconfig = 49,
    kExitPreemptionTimer = 52,
    kExitReasonCount = 70,
};
inline constexpr uint32_t kExitEntryFailed = 1u << 31;  // SDM 25.9.1: VM-entry failure
inline constexpr uint64_t kVmInstructionFailed = ~0ull; // vmx_enter's VMfail result

const char* exit_reason_name(uint32_t basic_reason);

// Handles the exit the guest just took; `reason` is the full exit-reason field.
hvm::RunResult dispatch_exit(hvm::HvmVcpu& v, uint32_t reason);

// Moves RIP past the instruction that exited (VM-exit instruction length, SDM 28.2.5).
void skip_instruction();

// The handlers (one file each, except the trivial ones in exit_dispatch.cpp).
hvm::RunResult handle_external_interrupt(hvm::HvmVcpu& v, uint32_t reason);
hvm::RunResult handle_cpuid(hvm::HvmVcpu& v, uint32_t reason);
hvm::RunResult handle_io(hvm::HvmVcpu& v, uint32_t reason);
hvm::RunResult handle_vmcall(hvm::HvmVcpu& v, uint32_t reason);
hvm::RunResult handle_ept_violation(hvm::HvmVcpu& v, uint32_t reason);
hvm::RunResult handle_triple_fault(hvm::HvmVcpu& v, uint32_t reason);
// Logs the reason and the guest state, then crashes the domain.
hvm::RunResult handle_unexpected(hvm::HvmVcpu& v, uint32_t reason);

} // namespace rthv::x86::vmx
