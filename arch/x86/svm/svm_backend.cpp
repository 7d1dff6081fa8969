// VCPU lifetime on AMD-V: a VMCB per VCPU (AMD APM Vol. 2, 15.5), nested page tables per
// domain (15.25), an ASID per domain (15.16, asid.hpp), and the run step: enter through
// svm_entry.S, take the host's pending interrupts, then dispatch the exit.
#include "arch/x86/svm/svm_backend.hpp"

#include "arch/x86/paging.hpp"
#include "arch/x86/percpu.hpp"
#include "arch/x86/svm/asid.hpp"
#include "arch/x86/svm/exits.hpp"
#include "arch/x86/svm/npt.hpp"
#include "arch/x86/svm/svm_cpu.hpp"
#include "arch/x86/svm/svm_report.hpp"
#include "arch/x86/svm/vmcb_setup.hpp"
#include "arch/x86/timer.hpp"
#include "arch/x86/tsc.hpp"

extern "C" uint64_t svm_enter(rthv::x86::hvm::GuestRegs* regs, uint64_t vmcb_pa,
                              uint64_t host_area_pa, const rthv::x86::svm::Vmcb* vmcb);

namespace rthv::x86::svm {
namespace {

using hvm::HvmVcpu;
using hvm::RunResult;

Vmcb& vmcb_of(const HvmVcpu& v) { return *phys_to_virt<Vmcb>(v.control_block); }

void destroy(HvmVcpu& v) {
    if (v.control_block != 0) {
        asid_forget_everywhere(v);
        hvm::free_frame(v.control_block);
        v.control_block = 0;
    }
    // The tree is the memory's, shared by the VCPUs of a Linux domain: the last one frees it.
    if (v.nested_root != 0 && --v.memory->nested_users == 0) {
        npt_destroy(v.memory->nested_root);
        v.memory->nested_root = 0;
    }
    v.nested_root = 0;
    v.launched = false;
}

bool create(HvmVcpu& v, uint32_t entry, uint32_t stack, const char*& why) {
    if (v.memory->nested_root == 0) v.memory->nested_root = npt_build(*v.memory);
    if (v.memory->nested_root != 0) {
        v.nested_root = v.memory->nested_root;
        ++v.memory->nested_users;
    }
    v.control_block = hvm::alloc_frame();
    if (v.nested_root == 0 || v.control_block == 0) {
        destroy(v);
        why = "out of memory for the VMCB or the nested page tables";
        return false;
    }
    // The isolation the domain relies on: its RAM at 0, nothing beyond.
    if (npt_translate(v.nested_root, 0) != v.memory->frame(0) ||
        npt_translate(v.nested_root, v.memory->bytes()) != ~0ull) {
        destroy(v);
        why = "nested page tables do not match the domain's memory";
        return false;
    }
    vmcb_init(vmcb_of(v), v.nested_root, asid_for_domain(v.domain_id), entry, stack);
    v.launched = false;
    v.cpu = this_cpu().cpu_id;
    return true;
}

// Detaching needs no hardware step (VMCB clean bits are never set, so no CPU caches it,
// 15.15.3); only the ASID bookkeeping must know the VCPU is gone from this CPU.
void unload(HvmVcpu& v) {
    if (v.control_block != 0) asid_forget_here(v);
    v.launched = false;
}

// After #VMEXIT GIF=0 holds every host interrupt pending. STI's shadow covers STGI, so the
// interrupt is taken through the IDT right after it (STGI also ends a QEMU TCG block, where
// interrupts are checked), before the CLI.
void take_host_interrupts() { asm volatile("sti; stgi; cli" ::: "memory"); }

// SVM has no preemption timer: the bound on a stint is the host's own local APIC timer, which
// TimerCore programmed for `deadline` (the run loop flushes its deadlines before each entry);
// its interrupt exits through the INTR intercept even with the guest at IF=0 (svm_entry.S).
RunResult run(HvmVcpu& v, Time /*deadline*/) {
    if (v.crashed) return RunResult::kCrash;
    CpuId cpu = this_cpu().cpu_id;
    uint64_t host_area = host_state_area(cpu);
    if (host_area == 0) return hvm::crash(v, "SVM is not enabled on cpu%u", cpu);
    Vmcb& vmcb = vmcb_of(v);
    asid_prepare_entry(v, vmcb.control);
    vmcb.save.rax = v.regs.rax;
    v.entered_at = now();
    uint64_t code = svm_enter(&v.regs, v.control_block, host_area, &vmcb);
    v.exited_at = now();
    take_host_interrupts();
    v.regs.rax = vmcb.save.rax;
    v.cpu = cpu;
    vmcb.control.tlb_control = kTlbFlushNone; // the CPU does not clear it (15.16.1)
    // An event whose delivery the exit interrupted is delivered again at the next VMRUN
    // (15.7.2); handlers may replace it with one of their own.
    uint64_t pending = vmcb.control.exit_int_info;
    vmcb.control.event_inj = (pending & kEventValid) != 0 ? pending : 0;
    if ((pending & kEventValid) != 0) ++v.stats.reinjected;
    if (code == kExitInvalid) return hvm::crash(v, "VMRUN failed: the VMCB is invalid (15.5.1)");
    v.launched = true;
    ++v.stats.entries;
    return dispatch_exit(v, vmcb, code);
}

// External interrupt, delivered through the guest IDT at the next VMRUN (EVENTINJ type 0).
void inject_interrupt(HvmVcpu& v, uint8_t vector) {
    if (v.control_block != 0) vmcb_of(v).control.event_inj = kEventValid | kEventTypeIntr | vector;
}

bool probe_backend(const char*& why) { return svm::probe(why); }
bool enable_cpu(const char*& why) { return svm::cpu_enable(why); }

const hvm::Backend kBackend = {
    "svm",
    probe_backend,
    enable_cpu,
    create,
    run,
    inject_interrupt,
    make_current,
    start_real_mode,
    read_state,
    set_rip,
    get_efer,
    set_efer,
    context_msr,
    inject_exception_neutral,
    interrupt_window,
    unload,
    destroy,
    write_svm_report, // NRIPS or not, where each RIP advance came from
};

} // namespace

const hvm::Backend& backend() { return kBackend; }

} // namespace rthv::x86::svm
