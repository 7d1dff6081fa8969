// Putting the scheduler's choice on a CPU. A VCPU's VMCS may be current on one CPU only, and
// a VMCS that ran on another CPU must have been VMCLEARed there first (SDM Vol. 3C 25.1,
// 25.11.1). So every switch unloads the old VCPU (VMCLEAR writes its state back to memory)
// before anything else, and only then waits for the new one: Scheduler::schedule(B) may hand
// out a VCPU that CPU A descheduled a moment ago and is still saving (hv/sched/DESIGN.md "SMP
// hand-off"). A clears `context_busy` after its VMCLEAR; B spins until it reads false. Saving
// before waiting means two CPUs swapping VCPUs can never wait for each other. The FPU state
// travels the same way: FXSAVE before the release, FXRSTOR after the acquire.
#include "arch/x86/hvm/dom.hpp"

namespace rthv::x86::hvm {

void switch_to(DomState& s, CpuRun& run, DomVcpu* next) {
    if (run.loaded == next) return;
    if (DomVcpu* prev = run.loaded; prev != nullptr) {
        asm volatile("fxsave64 %0" : "=m"(prev->hvm.fpu));
        s.backend->vcpu_unload(prev->hvm);
        __atomic_store_n(&prev->context_busy, false, __ATOMIC_RELEASE);
    }
    run.loaded = next;
    ++run.switches;
    if (next == nullptr) return;
    if (__atomic_load_n(&next->context_busy, __ATOMIC_ACQUIRE)) {
        ++run.handoff_waits;
        while (__atomic_load_n(&next->context_busy, __ATOMIC_ACQUIRE)) cpu_relax();
    }
    __atomic_store_n(&next->context_busy, true, __ATOMIC_RELAXED);
    asm volatile("fxrstor64 %0" ::"m"(next->hvm.fpu));
    // vcpu_run rebinds the VMCS to this CPU (VMPTRLD, host state, VMLAUNCH).
    if (next->hvm.cpu != this_cpu().cpu_id) ++run.migrations;
}

} // namespace rthv::x86::hvm
