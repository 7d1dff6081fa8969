// Guest events turned into scheduler events: the one-shot timer (kHcSetTimer) becomes a Timer in
// the TimerCore whose expiry calls Scheduler::wake; HLT and kHcBlock become Scheduler::block
// (the deferrable server keeps its budget); a crash pauses every VCPU of the domain for good.
//
// Lost wake-ups: the timer may fire on another CPU (the queue it was armed on) at any moment,
// also between the guest's "deadline not yet passed" check and the block. Both sides therefore
// decide under the VCPU's lock, and the block reaches the scheduler before the lock is dropped:
// a wake can only follow it. Lock order: VCPU lock -> pool lock -> timer queue lock.
#include "arch/x86/console.hpp"
#include "arch/x86/hvm/dom.hpp"
#include "arch/x86/hvm/linux_vcpu.hpp"
#include "arch/x86/tsc.hpp"

namespace rthv::x86::hvm {

// On the CPU running `v`, after an exit: the guest may have set or cancelled its timer.
// `armed` and the timer's queue are changed only here, by the CPU that runs `v`, under its lock.
void guest_timer_sync(DomState& s, DomVcpu& v, CpuId cpu) {
    Time want = v.hvm.timer_deadline;
    LockGuard g(v.lock);
    if (want == v.armed) return;
    v.armed = want;
    if (want == kTimeNever)
        s.timers.cancel(v.guest_timer);
    else
        s.timers.add(cpu, v.guest_timer, want);
}

bool guest_block(DomState& s, DomVcpu& v) {
    LockGuard g(v.lock);
    // A Linux VCPU sleeps until an interrupt is pending; one that arrived since its HLT (an IPI,
    // a device, its timer: all deliver under this lock's protocol, linux_interrupts.cpp) ends
    // the sleep before it starts.
    if ((v.hvm.platform != nullptr && linux_interrupt_pending(*v.hvm.platform)) ||
        (v.armed != kTimeNever && now() >= v.armed)) {
        v.hvm.blocked = false; // the timer is due: HLT returns at once
        return false;
    }
    v.sleeping = true;
    s.sched.block(v.sched);
    return true;
}

// Timer callback, on whichever CPU's queue held the timer. A firing for a deadline the guest
// has replaced since (the callback was already off the queue when it re-armed) is ignored.
void on_guest_timer(void* context, Time t) {
    DomVcpu& v = *static_cast<DomVcpu*>(context);
    DomState& s = dom_state();
    LockGuard g(v.lock);
    if (v.armed == kTimeNever || t < v.armed) return;
    if (v.hvm.platform != nullptr) {
        // A Linux VCPU's local APIC timer: its vector becomes pending whether the VCPU sleeps
        // or runs (then it is injected at the next entry on this CPU, where the timer was
        // armed). If the APIC still has a deadline (a periodic timer, or this firing came
        // before its TSC deadline), the timer goes back on this CPU's queue at once: a
        // sleeping VCPU has no exit that would sync it, and would sleep through its timer.
        v.armed = kTimeNever;
        linux_timer_expired(*v.hvm.platform);
        if (v.hvm.timer_deadline != kTimeNever) {
            v.armed = v.hvm.timer_deadline;
            s.timers.add(this_cpu().cpu_id, v.guest_timer, v.armed);
        }
        if (!v.sleeping || !linux_interrupt_pending(*v.hvm.platform)) return;
    } else if (!v.sleeping) {
        return;
    }
    v.sleeping = false;
    v.hvm.blocked = false;
    s.sched.wake(v.sched);
}

// The domain is dead: none of its VCPUs is entered again. pause() takes a queued VCPU off its
// queue at once and makes a running one leave at its CPU's next schedule (kicked).
void guest_crashed(DomState& s, DomVcpu& v) {
    Domain& d = *v.domain;
    d.crashed = true;
    for (uint32_t i = 0; i < d.spec->vcpus; ++i) s.sched.pause(s.vcpus[d.first_vcpu + i].sched);
    LockGuard g(v.lock);
    v.armed = kTimeNever;
    v.sleeping = false;
    s.timers.cancel(v.guest_timer);
}

} // namespace rthv::x86::hvm
