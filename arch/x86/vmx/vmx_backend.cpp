// VCPU lifetime on VT-x: a VMCS per VCPU (SDM Vol. 3C 25.1-25.3: VMCLEAR, then VMPTRLD makes
// it current on this CPU; VMLAUNCH the first time, VMRESUME after), an EPT per domain, and the
// run step: enter through vmx_entry.S, then dispatch the exit.
#include "arch/x86/vmx/vmx_backend.hpp"
#include "arch/x86/vmx/reinject.hpp"

#include "arch/x86/cr.hpp"
#include "arch/x86/paging.hpp"
#include "arch/x86/percpu_area.hpp"
#include "arch/x86/timer.hpp"
#include "arch/x86/tsc.hpp"
#include "arch/x86/vmx/ept.hpp"
#include "arch/x86/vmx/exits.hpp"
#include "arch/x86/vmx/vmcs_setup.hpp"
#include "arch/x86/vmx/vmx_cpu.hpp"
#include "arch/x86/vmx/vmx_insn.hpp"

extern "C" uint64_t vmx_enter(rthv::x86::hvm::GuestRegs* regs, uint64_t launched);

namespace rthv::x86::vmx {
namespace {

using hvm::HvmVcpu;
using hvm::RunResult;

PerCpuArea<uint64_t> current_vmcs; // per CPU: which VMCS is current (VMPTRLD is costly)

// A VMCS is used only on the CPU that made it current; one that ran elsewhere must have been
// VMCLEARed there (unload) before VMPTRLD here (SDM 25.1, 25.11.1), and gets this CPU's host
// state.
bool make_current(HvmVcpu& v) {
    CpuId cpu = this_cpu().cpu_id;
    uint64_t& cur = current_vmcs.here();
    if (cur == v.control_block) return true;
    if (!vmptrld(v.control_block)) return false;
    cur = v.control_block;
    if (v.cpu != cpu && !vmcs_write_host_state()) return false;
    v.cpu = cpu;
    return true;
}

// VMCLEAR writes the VMCS data back to its region and makes it inactive and "clear" (SDM
// 25.11.3), so any CPU may VMPTRLD it next; the following entry must be a VMLAUNCH.
void unload(HvmVcpu& v) {
    if (v.platform != nullptr) save_syscall_msrs(v);
    uint64_t& cur = current_vmcs.here();
    if (v.control_block != 0) vmclear(v.control_block);
    if (cur == v.control_block) cur = 0;
    v.launched = false;
}

// Bochs 2.7 never turns an external interrupt into a VM exit while the guest has RFLAGS.IF=0
// (hvm/README.md): such a guest (cli-spin) would keep reschedule IPIs pending until its next
// deadline. Bound its stint so pending interrupts are looked at every kIfOffPoll.
constexpr Duration kIfOffPoll = 200'000;
constexpr uint64_t kRflagsIf = 1u << 9;

Time bounded_deadline(Time deadline) {
    if ((vmread(Field::kGuestRflags) & kRflagsIf) != 0) return deadline;
    Time poll = now() + kIfOffPoll;
    return poll < deadline ? poll : deadline;
}

void destroy(HvmVcpu& v) {
    if (v.control_block != 0) {
        vmclear(v.control_block);
        uint64_t& cur = current_vmcs.here();
        if (cur == v.control_block) cur = 0;
        hvm::free_frame(v.control_block);
        v.control_block = 0;
    }
    // The tree is the memory's, shared by the VCPUs of a Linux domain: the last one frees it.
    if (v.nested_root != 0 && --v.memory->nested_users == 0) {
        ept_destroy(v.memory->nested_root);
        v.memory->nested_root = 0;
    }
    v.nested_root = 0;
    v.launched = false;
}

bool create(HvmVcpu& v, uint32_t entry, uint32_t stack, const char*& why) {
    if (v.memory->nested_root == 0) v.memory->nested_root = ept_build(*v.memory);
    if (v.memory->nested_root != 0) {
        v.nested_root = v.memory->nested_root;
        ++v.memory->nested_users;
    }
    v.control_block = hvm::alloc_frame();
    if (v.nested_root == 0 || v.control_block == 0) {
        destroy(v);
        why = "out of memory for the VMCS or the EPT";
        return false;
    }
    // A VMCS region starts with the revision identifier (SDM 25.2); VMCLEAR initialises its
    // launch state to "clear" before first use (SDM 25.11.3).
    *phys_to_virt<uint32_t>(v.control_block) = controls().revision;
    if (!vmclear(v.control_block) || !make_current(v)) {
        destroy(v);
        why = "VMCLEAR/VMPTRLD failed";
        return false;
    }
    if (!vmcs_write_all(v.nested_root, entry, stack)) {
        why = "VMWRITE failed while filling the VMCS";
        destroy(v);
        return false;
    }
    // Cached EPT translations of an earlier tree at the same address must not survive.
    if (controls().invept_single) invept_single(ept_pointer(v.nested_root));
    v.launched = false;
    v.cpu = this_cpu().cpu_id;
    return true;
}

// Preemption-timer value that expires at or just after `deadline` (SDM 26.5.1: it counts
// down once every 2^rate TSC ticks from VM entry).
uint64_t preemption_ticks(Time deadline) {
    constexpr uint64_t kMax = 0xffffffff;
    if (deadline == kTimeNever) return kMax;
    uint64_t target = timer_tsc_of(deadline), t = rdtsc();
    uint64_t ticks = target > t ? target - t : 0;
    uint64_t value = (ticks >> controls().preemption_rate) + 1;
    return value > kMax ? kMax : value;
}

RunResult run(HvmVcpu& v, Time deadline) {
    if (v.crashed) return RunResult::kCrash;
    if (!make_current(v)) return hvm::crash(v, "VMPTRLD failed");
    if (controls().preemption_timer)
        vmwrite(Field::kGuestPreemptionTimer, preemption_ticks(bounded_deadline(deadline)));
    if (v.platform != nullptr) { // a toy guest never pages nor uses SYSCALL
        load_syscall_msrs(v);
        asm volatile("mov %0, %%cr2" ::"r"(v.cr2) : "memory");
    }
    v.entered_at = now();
    uint64_t reason = vmx_enter(&v.regs, v.launched ? 1 : 0);
    v.exited_at = now();
    if (v.platform != nullptr) asm volatile("mov %%cr2, %0" : "=r"(v.cr2));
    if (reason == kVmInstructionFailed)
        return hvm::crash(v, "VM%s failed, VM-instruction error %llu",
                          v.launched ? "RESUME" : "LAUNCH",
                          static_cast<unsigned long long>(vmread(Field::kVmInstructionError)));
    v.launched = true;
    ++v.stats.entries;
    // An event whose delivery the exit interrupted is delivered again at the next entry (the
    // exit cleared the entry field's valid bit, SDM 27.2.3); handlers may replace it with one
    // of their own, as under AMD-V.
    const Reinjection again = reinjection(static_cast<uint32_t>(vmread(Field::kIdtVectoringInfo)));
    if (again.pending) {
        vmwrite(Field::kEntryInterruptionInfo, again.entry_info);
        if (again.with_error_code)
            vmwrite(Field::kEntryExceptionErrorCode, vmread(Field::kIdtVectoringErrorCode));
        if (again.with_length)
            vmwrite(Field::kEntryInstructionLength, vmread(Field::kExitInstructionLength));
        ++v.stats.reinjected;
    }
    return dispatch_exit(v, static_cast<uint32_t>(reason));
}

// External interrupt, delivered through the guest IDT at the next entry (SDM 26.6, table
// 25-17: type 0 = external interrupt, bit 31 valid).
void inject_interrupt(HvmVcpu& v, uint8_t vector) {
    if (make_current(v)) vmwrite(Field::kEntryInterruptionInfo, (1u << 31) | vector);
}

bool make_current_backend(HvmVcpu& v) { return make_current(v); }

const hvm::Backend kBackend = {
    "vmx",
    probe,
    cpu_enable,
    create,
    run,
    inject_interrupt,
    make_current_backend,
    start_real_mode,
    read_state,
    set_rip,
    get_efer,
    set_efer,
    context_msr,
    inject_exception,
    interrupt_window,
    unload,
    destroy,
    nullptr,
};

} // namespace

const hvm::Backend& backend() { return kBackend; }

} // namespace rthv::x86::vmx
