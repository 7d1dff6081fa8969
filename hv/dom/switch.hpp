// Putting the scheduler's choice on a CPU. A VCPU's context may be current on one CPU only
// (VT-x: a VMCS that ran on another CPU must have been VMCLEARed there first, SDM Vol. 3C 25.1,
// 25.11.1). So every switch unloads the old VCPU (its state back to memory) before anything
// else, and only then waits for the new one: Scheduler::schedule(B) may hand out a VCPU that
// CPU A descheduled a moment ago and is still saving (hv/sched/DESIGN.md "SMP hand-off"). A
// clears `context_busy` after its unload; B spins until it reads false. Saving before waiting
// means two CPUs swapping VCPUs can never wait for each other.
#pragma once

#include "hv/dom/domain.hpp"

namespace rthv::dom {

// Loads `next` (nullptr: idle) on `cpu`; `g` is s.guests as its own type (run_loop.hpp).
template <class G>
void switch_to(System& s, G& g, CpuId cpu, DomVcpu* next) {
    CpuRun& run = s.cpus[cpu];
    if (run.loaded == next) return;
    if (DomVcpu* prev = run.loaded; prev != nullptr) {
        g.unload(*prev);
        __atomic_store_n(&prev->context_busy, false, __ATOMIC_RELEASE);
    }
    run.loaded = next;
    ++run.switches;
    if (next == nullptr) return;
    if (__atomic_load_n(&next->context_busy, __ATOMIC_ACQUIRE)) {
        ++run.handoff_waits;
        while (__atomic_load_n(&next->context_busy, __ATOMIC_ACQUIRE)) cpu_relax();
    }
    // A VCPU loaded here after it last was on another CPU (the backend rebinds its context at
    // the entry; one loaded and not entered, e.g. decided away in the same pass, counts too).
    if (__atomic_load_n(&next->cpu, __ATOMIC_RELAXED) != cpu) ++run.migrations;
    // `cpu` before `context_busy` (release): whoever sees it busy sees where (guest_interrupt).
    __atomic_store_n(&next->cpu, cpu, __ATOMIC_RELAXED);
    __atomic_store_n(&next->context_busy, true, __ATOMIC_RELEASE);
    g.load(*next, cpu);
}

} // namespace rthv::dom
