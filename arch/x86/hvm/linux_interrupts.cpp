// Interrupts of a Linux guest: the I/O APIC's and the IPIs' deliveries into local APICs, the
// local APIC timer as the VCPU's one-shot timer in the TimerCore (so a guest timer is a
// scheduler event like any other: a sleeping VCPU is woken through Scheduler::wake and its
// budget rules), and injection before each entry. A VCPU that gets an interrupt while running
// on another CPU is kicked there, so it exits and takes it within the IPI's latency.
#include "arch/x86/cr.hpp"
#include "arch/x86/hvm/blocking.hpp"
#include "arch/x86/hvm/dom.hpp"
#include "arch/x86/hvm/linux_vcpu.hpp"
#include "arch/x86/tsc.hpp"
#include "arch/x86/x86_platform.hpp"

namespace rthv::x86::hvm {
namespace {

// The hypervisor time at which the guest's TSC deadline has certainly passed: the conversion
// truncates, and a timer that fires a fraction of a tick early is one the APIC ignores.
Time deadline_ns(uint64_t tsc) { return guest_tsc_to_ns(tsc) + 1; }

} // namespace

// After an interrupt became pending for `lv`: a sleeping VCPU wakes (lock order: the VCPU's
// lock, then the pool lock inside wake); a running one elsewhere is kicked (hv/dom).
void linux_wake(LinuxVcpu& lv) {
    dom::guest_interrupt(dom_state().system, *lv.owner, this_cpu().cpu_id);
}

namespace {

void deliver_fixed(LinuxVcpu& lv, uint8_t vector, bool level) {
    {
        LockGuard g(lv.lock);
        lv.lapic.set_irr(vector, level);
    }
    linux_wake(lv);
}

} // namespace

void linux_sync_timer(LinuxVcpu& lv) {
    uint64_t tsc;
    {
        LockGuard g(lv.lock);
        tsc = lv.lapic.timer_deadline();
    }
    lv.owner->hvm.timer_deadline = tsc == 0 ? kTimeNever : deadline_ns(tsc);
}

void linux_timer_expired(LinuxVcpu& lv) {
    vplat::LapicEffects fx;
    {
        LockGuard g(lv.lock);
        lv.lapic.timer_expired(rdtsc(), fx);
    }
    uint64_t tsc = fx.timer_deadline_tsc;
    lv.owner->hvm.timer_deadline = tsc == 0 ? kTimeNever : deadline_ns(tsc);
}

bool linux_interrupt_pending(LinuxVcpu& lv) {
    LockGuard g(lv.lock);
    return lv.lapic.pending_vector() >= 0;
}

void linux_prepare_entry(const Backend& b, LinuxVcpu& lv) {
    HvmVcpu& v = lv.owner->hvm;
    LockGuard g(lv.lock);
    if (!b.make_current(v)) return; // vcpu_run reports the failure
    if (lv.pending_start >= 0) {
        b.start_real_mode(v, lv.start.start_cs_selector(), lv.start.start_cs_base());
        lv.pending_start = -1;
    }
    int vector = lv.lapic.pending_vector();
    if (!b.interrupt_window(v, vector >= 0) || vector < 0) return;
    b.inject_interrupt(v, static_cast<uint8_t>(vector));
    lv.lapic.ack(static_cast<uint8_t>(vector));
    ++lv.injected;
}

void linux_deliver_ioapic(LinuxDomain& d, const vplat::IoapicEffects& fx) {
    for (uint32_t i = 0; i < fx.count; ++i) {
        const vplat::IoapicDelivery& del = fx.deliveries[i];
        ++d.ioapic_deliveries;
        if (del.mode != vplat::DeliveryMode::Fixed &&
            del.mode != vplat::DeliveryMode::LowestPriority)
            continue;
        for (uint32_t k = 0; k < d.vcpu_count; ++k) {
            LinuxVcpu& to = *d.vcpus[k];
            if (!vplat::ioapic_targets(del, to.lapic.id())) continue;
            deliver_fixed(to, del.vector, del.level);
            if (del.mode == vplat::DeliveryMode::LowestPriority) break; // one of them
        }
    }
}

void linux_deliver_ipi(LinuxVcpu& from, const vplat::IpiRequest& ipi) {
    LinuxDomain& d = *from.domain;
    for (uint32_t k = 0; k < d.vcpu_count; ++k) {
        LinuxVcpu& to = *d.vcpus[k];
        if (!vplat::ipi_targets(ipi, from.lapic.id(), to.lapic.id())) continue;
        switch (ipi.mode) {
        case vplat::DeliveryMode::Fixed:
        case vplat::DeliveryMode::LowestPriority:
            deliver_fixed(to, ipi.vector, ipi.level);
            break;
        case vplat::DeliveryMode::Init: {
            LockGuard g(to.lock);
            to.start.on_init();
            to.lapic.init_reset();
            break;
        }
        case vplat::DeliveryMode::StartUp:
            linux_start_ap(to, ipi.vector);
            break;
        default:
            break; // NMI, SMI, ExtINT: not part of this platform
        }
    }
}

} // namespace rthv::x86::hvm
