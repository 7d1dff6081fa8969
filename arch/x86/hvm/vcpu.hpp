// The vendor-neutral virtual CPU of rthv (as Xen splits hvm/ from hvm/vmx and hvm/svm): what a
// guest is, independently of whether VT-x or AMD-V runs it. A backend (hvm/backend.hpp) creates,
// enters and destroys it; the exit handlers it shares (CPUID policy, port I/O, hypercalls,
// blocking) live in hvm/ and see only this structure.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "arch/x86/hvm/guest_memory.hpp"
#include "arch/x86/hvm/vconsole.hpp"
#include "guests/abi.hpp"
#include "hv/dom/guests.hpp"
#include "hv/lib/types.hpp"

namespace rthv::x86::hvm {

struct LinuxVcpu; // the virtual platform of a Linux guest's VCPU (hvm/linux_vcpu.hpp)

// Guest general-purpose registers the hardware does not keep in the VMCS/VMCB. The entry
// routines address them by the offsets in hvm/guest_regs.inc, which must match these.
struct GuestRegs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
};
static_assert(sizeof(GuestRegs) == 15 * 8);
static_assert(offsetof(GuestRegs, rax) == 0 && offsetof(GuestRegs, rbx) == 8 &&
                  offsetof(GuestRegs, rcx) == 16 && offsetof(GuestRegs, rdx) == 24 &&
                  offsetof(GuestRegs, rsi) == 32 && offsetof(GuestRegs, rdi) == 40 &&
                  offsetof(GuestRegs, rbp) == 48 && offsetof(GuestRegs, r8) == 56 &&
                  offsetof(GuestRegs, r9) == 64 && offsetof(GuestRegs, r10) == 72 &&
                  offsetof(GuestRegs, r11) == 80 && offsetof(GuestRegs, r12) == 88 &&
                  offsetof(GuestRegs, r13) == 96 && offsetof(GuestRegs, r14) == 104 &&
                  offsetof(GuestRegs, r15) == 112,
              "GuestRegs offsets must match arch/x86/hvm/guest_regs.inc");

// Why a guest left, in vendor-neutral terms: the report counts exits by these.
enum class ExitKind : uint8_t {
    kExternalInterrupt,
    kCpuid,
    kIo,
    kHlt,
    kHypercall,
    kMemoryViolation,
    kTripleFault,
    kPreemptionTimer, // the hypervisor's deadline came while the guest ran
    kMsr,
    kInterruptWindow, // the guest can take the interrupt waiting for it
    kOther,
    kCount,
};
const char* exit_kind_name(ExitKind k);

// What the run loop does after an exit was handled: the domain layer's own vocabulary
// (hv/dom/guests.hpp), so the backends' results need no translation.
using RunResult = dom::ExitAction;

struct VcpuStats {
    uint64_t exits[static_cast<size_t>(ExitKind::kCount)] = {};
    uint64_t exits_total = 0;
    uint64_t reports[guest_abi::kReportCount] = {};
    uint64_t entries = 0;
    uint64_t reinjected = 0; // events whose delivery an exit interrupted, delivered again
};

struct HvmVcpu {
    GuestRegs regs{}; // first member: the entry routine is handed &regs == this
    uint32_t domain_id = 0;
    char name[72] = {}; // domain name (up to 63 characters) and ".N" per VCPU when it has several
    guest_abi::Workload workload = guest_abi::kWorkloadBusy;
    CpuId cpu = 0; // CPU whose host state its control block holds (where it last ran)

    // Its RAM: its own for a toy guest (each VCPU runs a uniprocessor image), its domain's for a
    // Linux guest (linux_boot.cpp points it there).
    GuestMemory own_memory;
    GuestMemory* memory = &own_memory;
    VirtualConsole console;

    // Backend state: the hardware control block (VMCS / VMCB) and the nested page-table root
    // (EPT / NPT), as physical addresses.
    uint64_t control_block = 0;
    uint64_t nested_root = 0;
    bool launched = false;
    // The SYSCALL MSRs (STAR, LSTAR, CSTAR, SFMASK, KERNEL_GS_BASE) where the control block does
    // not hold them (VT-x): loaded into the CPU before entry when another VCPU's are there.
    uint64_t syscall_msrs[5] = {};
    // CR2 (the last page-fault address) where the control block does not hold it (VT-x): the
    // CPU keeps one for everyone, so it is loaded before entry and saved after exit, or a guest
    // would read another's fault address when VCPUs share a CPU (SVM's VMCB has CR2).
    uint64_t cr2 = 0;

    // Timer and blocking (hvm/blocking.cpp).
    Time timer_deadline = kTimeNever; // one-shot guest timer, absolute ns
    bool blocked = false;

    // Stamps (ns) of the last VM entry and exit, taken by the backend as close to the
    // hardware transition as it can: the time in between is the guest's, the rest is not.
    Time entered_at = 0;
    Time exited_at = 0;

    // x87/SSE state while the VCPU is not on a CPU (FXSAVE format, SDM Vol. 1 10.5.1): the
    // hypervisor never uses the FPU, so the registers hold the running guest's; the run loop
    // swaps them on every switch (dom_guests.cpp load/unload), so no guest sees another's.
    // Initialised to the FNINIT state: FCW 0x37f, MXCSR 0x1f80.
    alignas(16) uint8_t fpu[512] = {0x7f, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,    0,
                                    0,    0,    0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x1f};

    // A Linux guest's virtual platform (local APIC, its domain's devices); nullptr for a toy
    // guest, whose platform is guests/abi.hpp's hypercalls and COM1 alone.
    LinuxVcpu* platform = nullptr;

    bool crashed = false;
    char crash_reason[96] = {};
    VcpuStats stats;
};

// Marks the domain dead with a reason (printf-style) and logs it; returns kCrash.
RunResult crash(HvmVcpu& v, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

} // namespace rthv::x86::hvm

namespace rthv::x86::hvm {

// The register of x86 encoding number `n` (0 RAX, 1 RCX, 2 RDX, 3 RBX, 4 RSP, 5 RBP, 6 RSI,
// 7 RDI, 8-15 R8-R15; SDM Vol. 2A table 2-2) in GuestRegs, or nullptr for RSP, which the
// control block holds.
inline uint64_t* gpr_by_number(GuestRegs& r, unsigned n) {
    switch (n) {
    case 0:
        return &r.rax;
    case 1:
        return &r.rcx;
    case 2:
        return &r.rdx;
    case 3:
        return &r.rbx;
    case 5:
        return &r.rbp;
    case 6:
        return &r.rsi;
    case 7:
        return &r.rdi;
    case 8:
        return &r.r8;
    case 9:
        return &r.r9;
    case 10:
        return &r.r10;
    case 11:
        return &r.r11;
    case 12:
        return &r.r12;
    case 13:
        return &r.r13;
    case 14:
        return &r.r14;
    case 15:
        return &r.r15;
    default:
        return nullptr;
    }
}

} // namespace rthv::x86::hvm
