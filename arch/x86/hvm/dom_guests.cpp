// HvmGuests: the domain layer's guest backend (hv/dom/guests.hpp) over the vendor's Backend
// table, so VT-x and AMD-V share one implementation; and this machine's instance of the run
// loop (hv/dom/run_loop.hpp). A stint's description comes from the VCPU's exit counters and
// entry/exit stamps, which the backend keeps as close to the hardware transition as it can.
#include "arch/x86/hvm/dom.hpp"
#include "arch/x86/hvm/linux_vcpu.hpp"
#include "hv/dom/run_loop.hpp"

namespace rthv::x86::hvm {
namespace {

uint64_t exits_of(const HvmVcpu& v, ExitKind k) { return v.stats.exits[static_cast<size_t>(k)]; }

// Exits for the host, not the guest: its interrupts and the hypervisor's deadline.
uint64_t host_exits(const HvmVcpu& v) {
    return exits_of(v, ExitKind::kExternalInterrupt) + exits_of(v, ExitKind::kPreemptionTimer);
}

} // namespace

bool HvmGuests::cpu_enable(CpuId, const char*& why) { return backend->cpu_enable(why); }

// The hypervisor never uses the FPU, so the registers hold the running guest's x87/SSE state;
// it travels with the VCPU: FXSAVE before the hand-off's release, FXRSTOR after its acquire.
void HvmGuests::load(dom::DomVcpu& v, CpuId) {
    asm volatile("fxrstor64 %0" ::"m"(hvm_vcpu(v).hvm.fpu));
    // vcpu_run rebinds the control block to this CPU (VT-x: VMPTRLD, host state, VMLAUNCH).
}

void HvmGuests::unload(dom::DomVcpu& v) {
    HvmVcpu& h = hvm_vcpu(v).hvm;
    asm volatile("fxsave64 %0" : "=m"(h.fpu));
    backend->vcpu_unload(h);
}

void HvmGuests::prepare(dom::DomVcpu& v) {
    HvmVcpu& h = hvm_vcpu(v).hvm;
    if (h.platform != nullptr) linux_prepare_entry(*backend, *h.platform);
}

dom::Stint HvmGuests::run(dom::DomVcpu& v, CpuId, Time deadline) {
    HvmVcpu& h = hvm_vcpu(v).hvm;
    const uint64_t entries = h.stats.entries, host = host_exits(h);
    const uint64_t preempted = exits_of(h, ExitKind::kPreemptionTimer);
    const RunResult r = backend->vcpu_run(h, deadline);
    dom::Stint st;
    st.entered = h.stats.entries != entries;
    st.entered_at = h.entered_at;
    st.exited_at = h.exited_at;
    st.guest_caused = host_exits(h) == host;
    st.deadline_reached = exits_of(h, ExitKind::kPreemptionTimer) != preempted;
    st.action = r;
    return st;
}

// A Linux VCPU sleeps until an interrupt is pending for it; a toy only until its timer.
bool HvmGuests::interrupt_pending(dom::DomVcpu& v) {
    HvmVcpu& h = hvm_vcpu(v).hvm;
    return h.platform != nullptr && linux_interrupt_pending(*h.platform);
}

void HvmGuests::halt_over(dom::DomVcpu& v) { hvm_vcpu(v).hvm.blocked = false; }

bool HvmGuests::timer_is_interrupt(dom::DomVcpu& v) { return hvm_vcpu(v).hvm.platform != nullptr; }

// A Linux VCPU's local APIC timer: its vector becomes pending; the APIC says what comes next.
Time HvmGuests::timer_fired(dom::DomVcpu& v) {
    HvmVcpu& h = hvm_vcpu(v).hvm;
    linux_timer_expired(*h.platform);
    return h.timer_deadline;
}

// Instantiated here, where HvmGuests' definitions are visible: the loop calls them directly.
bool dom_cpu_loop(DomState& s, CpuId cpu) {
    return dom::run_cpu(s.system, s.machine, s.guests, cpu);
}

} // namespace rthv::x86::hvm
