// #VMEXIT handling (AMD APM Vol. 2, 15.6 and appendix C, exit codes). The dispatcher
// (exit_dispatch.cpp) calls the handler registered for the EXITCODE and counts the exit under
// the vendor-neutral kind the handler settles on; each non-trivial handler has its own file.
// Handlers run on the CPU that ran the guest, with interrupts disabled, after the host's
// pending interrupts were taken (svm_backend.cpp).
#pragma once

#include <stdint.h>

#include "arch/x86/hvm/backend.hpp"
#include "arch/x86/hvm/vcpu.hpp"
#include "arch/x86/svm/vmcb.hpp"

namespace rthv::x86::svm {

enum ExitCode : uint64_t {
    kExitExceptionUd = 0x46, // 0x40 + vector
    kExitExceptionDf = 0x48,
    kExitIntr = 0x60,
    kExitVintr = 0x64,
    kExitNmi = 0x61,
    kExitCpuid = 0x72,
    kExitHlt = 0x78,
    kExitInvlpga = 0x7a,
    kExitIoio = 0x7b,
    kExitMsr = 0x7c,
    kExitShutdown = 0x7f,
    kExitVmrun = 0x80,
    kExitVmmcall = 0x81,
    kExitVmload = 0x82,
    kExitVmsave = 0x83,
    kExitStgi = 0x84,
    kExitClgi = 0x85,
    kExitSkinit = 0x86,
    kExitXsetbv = 0x8d,
    kExitNestedPageFault = 0x400,
    kExitInvalid = ~0ull, // VMRUN refused the VMCB (15.5.1 consistency checks)
};

const char* exit_code_name(uint64_t code);

// Handles the exit the guest just took.
hvm::RunResult dispatch_exit(hvm::HvmVcpu& v, Vmcb& vmcb, uint64_t code);

// Moves RIP past the intercepted instruction of `length` bytes: from NEXT_RIP when the CPU
// saves it (NRIPS, 15.7.1), else by the length the handler knows (QEMU TCG has no NRIPS).
void skip_instruction(Vmcb& vmcb, uint64_t length);
// Ends an STI/MOV SS shadow the exited instruction was in (svm_state.cpp).
void end_interrupt_shadow(Vmcb& vmcb);

// Delivers exception `vector` to the guest at the next VMRUN (EVENTINJ, 15.20).
void inject_exception(Vmcb& vmcb, uint8_t vector, bool has_error, uint32_t error = 0);

// Handlers: `kind` arrives preset from the table; a handler may reclassify its exit.
using Handler = hvm::RunResult (*)(hvm::HvmVcpu& v, Vmcb& vmcb, hvm::ExitKind& kind);
hvm::RunResult handle_cpuid(hvm::HvmVcpu& v, Vmcb& vmcb, hvm::ExitKind& kind);
hvm::RunResult handle_io(hvm::HvmVcpu& v, Vmcb& vmcb, hvm::ExitKind& kind);
hvm::RunResult handle_msr(hvm::HvmVcpu& v, Vmcb& vmcb, hvm::ExitKind& kind);
hvm::RunResult handle_vmmcall(hvm::HvmVcpu& v, Vmcb& vmcb, hvm::ExitKind& kind);
hvm::RunResult handle_ud(hvm::HvmVcpu& v, Vmcb& vmcb, hvm::ExitKind& kind);
hvm::RunResult handle_nested_page_fault(hvm::HvmVcpu& v, Vmcb& vmcb, hvm::ExitKind& kind);
// #DF: delivered to the guest, or a shutdown if its IDT cannot deliver it (Bochs, see there).
hvm::RunResult handle_double_fault(hvm::HvmVcpu& v, Vmcb& vmcb, hvm::ExitKind& kind);
hvm::RunResult handle_shutdown(hvm::HvmVcpu& v, Vmcb& vmcb, hvm::ExitKind& kind);
// The interrupt window opened (VINTR): stop asking; the run loop injects before the entry.
hvm::RunResult handle_vintr(hvm::HvmVcpu& v, Vmcb& vmcb, hvm::ExitKind& kind);

// Guest state for the vendor-neutral handlers (svm_state.cpp).
void read_state(hvm::HvmVcpu& v, hvm::GuestCpuState& out);
bool make_current(hvm::HvmVcpu& v);
void start_real_mode(hvm::HvmVcpu& v, uint16_t cs_selector, uint64_t cs_base);
void set_rip(hvm::HvmVcpu& v, uint64_t rip);
uint64_t get_efer(hvm::HvmVcpu& v);
void set_efer(hvm::HvmVcpu& v, uint64_t efer);
bool context_msr(hvm::HvmVcpu& v, uint32_t msr, uint64_t* read, const uint64_t* write);
void inject_exception_neutral(hvm::HvmVcpu& v, uint8_t vector, bool has_error, uint32_t error);
bool interrupt_window(hvm::HvmVcpu& v, bool want);
// Logs the exit and the guest state, then crashes the domain.
hvm::RunResult handle_unexpected(hvm::HvmVcpu& v, Vmcb& vmcb, hvm::ExitKind& kind);

} // namespace rthv::x86::svm
