// The hardware-virtualisation backend interface, implemented by VT-x (arch/x86/vmx) and AMD-V
// (arch/x86/svm); select.cpp picks one by CPUID. Everything above it (the run loop, domains, the
// scheduler glue, the report) calls only these functions.
#pragma once

#include <stdint.h>

#include "arch/x86/hvm/vcpu.hpp"
#include "arch/x86/json_writer.hpp"

namespace rthv::x86::hvm {

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
