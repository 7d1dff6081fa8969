// VM-exit handling (SDM Vol. 3C chapter 28 and appendix C, basic exit reasons). The dispatcher
// (exit_dispatch.cpp) counts every exit and calls the handler registered for its basic reason;
// each non-trivial handler has its own file. Handlers run on the CPU that ran the guest, with
// interrupts disabled and the guest's VMCS current.
#pragma once

#include <stdint.h>

#include "arch/x86/hvm/backend.hpp"
#include "arch/x86/hvm/vcpu.hpp"

namespace rthv::x86::vmx {

enum ExitReason : uint32_t {
    kExitExceptionOrNmi = 0,
    kExitExternalInterrupt = 1,
    kExitTripleFault = 2,
    kExitCpuid = 10,
    kExitInterruptWindow = 7,
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
    kExitXsetbv = 55,
    kExitReasonCount = 70,
};
inline constexpr uint32_t kExitEntryFailed = 1u << 31;  // SDM 25.9.1: VM-entry failure
inline constexpr uint64_t kVmInstructionFailed = ~0ull; // vmx_enter's VMfail result

const char* exit_reason_name(uint32_t basic_reason);

// Handles the exit the guest just took; `reason` is the full exit-reason field.
hvm::RunResult dispatch_exit(hvm::HvmVcpu& v, uint32_t reason);

// Moves RIP past the instruction that exited (VM-exit instruction length, SDM 28.2.5).
void skip_instruction();
// Ends an STI/MOV SS shadow the exited instruction was in (vmx_state.cpp).
void end_interrupt_shadow();

// The handlers (one file each, except the trivial ones in exit_dispatch.cpp).
hvm::RunResult handle_external_interrupt(hvm::HvmVcpu& v, uint32_t reason);
hvm::RunResult handle_cpuid(hvm::HvmVcpu& v, uint32_t reason);
hvm::RunResult handle_io(hvm::HvmVcpu& v, uint32_t reason);
hvm::RunResult handle_vmcall(hvm::HvmVcpu& v, uint32_t reason);
hvm::RunResult handle_ept_violation(hvm::HvmVcpu& v, uint32_t reason);
hvm::RunResult handle_triple_fault(hvm::HvmVcpu& v, uint32_t reason);
// Logs the reason and the guest state, then crashes the domain.
hvm::RunResult handle_unexpected(hvm::HvmVcpu& v, uint32_t reason);
hvm::RunResult handle_msr(hvm::HvmVcpu& v, uint32_t reason);
hvm::RunResult handle_cr_access(hvm::HvmVcpu& v, uint32_t reason);
hvm::RunResult handle_interrupt_window(hvm::HvmVcpu& v, uint32_t reason);

// Guest state for the vendor-neutral handlers (vmx_state.cpp); the VMCS is current.
void read_state(hvm::HvmVcpu& v, hvm::GuestCpuState& out);
void start_real_mode(hvm::HvmVcpu& v, uint16_t cs_selector, uint64_t cs_base);
void set_rip(hvm::HvmVcpu& v, uint64_t rip);
uint64_t get_efer(hvm::HvmVcpu& v);
void set_efer(hvm::HvmVcpu& v, uint64_t efer);
bool context_msr(hvm::HvmVcpu& v, uint32_t msr, uint64_t* read, const uint64_t* write);
// Loads `v`'s SYSCALL MSRs into this CPU unless they are there already (vmx_state.cpp).
void load_syscall_msrs(hvm::HvmVcpu& v);
// On the CPU it leaves: their values back into `v` (the guest changes KERNEL_GS_BASE itself).
void save_syscall_msrs(hvm::HvmVcpu& v);
void inject_exception(hvm::HvmVcpu& v, uint8_t vector, bool has_error, uint32_t error);
bool interrupt_window(hvm::HvmVcpu& v, bool want);

} // namespace rthv::x86::vmx
