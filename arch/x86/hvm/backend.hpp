// The hardware-virtualisation backend interface, implemented by VT-x (arch/x86/vmx) and AMD-V
// (arch/x86/svm); select.cpp picks one by CPUID. Everything above it (the run loop, domains, the
// scheduler glue, the report) calls only these functions.
#pragma once

#include <stdint.h>

#include "arch/x86/hvm/vcpu.hpp"
#include "arch/x86/json_writer.hpp"

namespace rthv::x86::hvm {

// The guest CPU state vendor-neutral exit handlers read (MMIO decoding, paging walks).
struct GuestCpuState {
    uint64_t rip, rsp, rflags, cr0, cr3, cr4, efer;
    bool cs_long; // CS.L: 64-bit code
    bool cs_32;   // CS.D/B: 32-bit default operand size (outside 64-bit code)
};

struct Backend {
    const char* name; // "vmx"

    // Whether this CPU can run guests at all; on false, `why` says what is missing in words a
    // user can act on. Pure checks: changes nothing.
    bool (*probe)(const char*& why);

    // Per physical CPU, on that CPU: turn virtualisation on (VMXON). Idempotent.
    bool (*cpu_enable)(const char*& why);

    // Builds the control block and the nested page tables for `v` (whose memory is already
    // allocated and loaded) on the calling CPU, to start at `entry` with stack `stack`.
    bool (*vcpu_create)(HvmVcpu& v, uint32_t entry, uint32_t stack, const char*& why);

    // Enters the guest, runs it until one exit, handles that exit; returns what to do next.
    // The guest exits by `deadline` at the latest (the hypervisor's next timer event, absolute
    // ns; kTimeNever: no bound), whatever it does. Called with interrupts disabled, on the CPU
    // that created `v` or, after vcpu_unload on the CPU that ran it last, on any CPU.
    RunResult (*vcpu_run)(HvmVcpu& v, Time deadline);

    // Queue an external interrupt `vector` for delivery at the next entry.
    void (*inject_interrupt)(HvmVcpu& v, uint8_t vector);

    // Makes `v`'s control block the one this CPU's state accessors below work on (VT-x:
    // VMPTRLD if another is current; AMD-V: nothing). Before them, outside an exit handler.
    bool (*make_current)(HvmVcpu& v);
    // INIT-SIPI start of an application processor (SDM Vol. 3A 9.4.4): real mode at
    // CS = selector:base, IP 0, paging, protection and long mode off.
    void (*start_real_mode)(HvmVcpu& v, uint16_t cs_selector, uint64_t cs_base);

    // Guest state for the vendor-neutral handlers (the VCPU's control block is current: called
    // on the CPU that just ran it, after an exit).
    void (*read_state)(HvmVcpu& v, GuestCpuState& out);
    void (*set_rip)(HvmVcpu& v, uint64_t rip);
    // EFER as the guest sees it; the backend adds what the hardware needs (SVME under AMD-V,
    // the IA-32e-mode entry control under VT-x).
    uint64_t (*get_efer)(HvmVcpu& v);
    void (*set_efer)(HvmVcpu& v, uint64_t efer);
    // The MSRs the guest's CPU context holds (FS/GS/KERNEL_GS base, STAR/LSTAR/CSTAR/SFMASK,
    // SYSENTER_*, PAT): reads into *read or writes *write; false if `msr` is not one of them.
    bool (*context_msr)(HvmVcpu& v, uint32_t msr, uint64_t* read, const uint64_t* write);
    // An exception for the guest at the next entry (replaces any event queued for it).
    void (*inject_exception)(HvmVcpu& v, uint8_t vector, bool has_error, uint32_t error);
    // True when an external interrupt can be injected at the next entry: RFLAGS.IF=1, no
    // interrupt shadow, nothing else queued. When false and `want`, the guest exits as soon as
    // it can take one (interrupt-window exiting), so the run loop injects it then.
    bool (*interrupt_window)(HvmVcpu& v, bool want);

    // On the CPU that last ran `v`: write its hardware state back to memory and detach it from
    // this CPU, so that another CPU may run it next (vcpu_run then rebinds it to that CPU).
    void (*vcpu_unload)(HvmVcpu& v);

    // Frees the control block and the nested page tables (not the memory).
    void (*vcpu_destroy)(HvmVcpu& v);

    // What this backend adds to the end-of-run report (features found, how it ran), or nullptr.
    void (*write_report)(JsonWriter& out);
};

// The backend for this CPU's vendor, or nullptr with `why` set (e.g. QEMU TCG: no VT-x).
const Backend* select_backend(const char*& why);

} // namespace rthv::x86::hvm
