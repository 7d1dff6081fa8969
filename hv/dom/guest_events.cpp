// Guest events turned into scheduler events: the guest's one-shot timer becomes a Timer in the
// TimerCore whose expiry calls Scheduler::wake; a halt becomes Scheduler::block (the deferrable
// server keeps its budget); an interrupt for a sleeping VCPU wakes it; a crash pauses every
// VCPU of the domain for good.
//
// Lost wake-ups: the timer may fire on another CPU (the queue it was armed on) at any moment,
// also between the guest's "deadline not yet passed" check and the block. Both sides therefore
// decide under the VCPU's lock, and the block reaches the scheduler before the lock is dropped:
// a wake can only follow it. Lock order: VCPU lock -> pool lock -> timer queue lock.
#include "hv/dom/domain.hpp"

namespace rthv::dom {

// On the CPU running `v`, after an exit: the guest may have set or cancelled its timer.
// `armed` and the timer's queue are changed only here (by the CPU that runs `v`) and by the
// timer's own callback, both under the VCPU's lock.
void guest_timer_sync(System& s, DomVcpu& v, CpuId cpu, Time want) {
    LockGuard g(v.lock);
    if (want == v.armed) return;
    v.armed = want;
    if (want == kTimeNever) {
        s.timers->cancel(v.guest_timer);
    } else {
        v.armed_on = cpu;
        s.timers->add(cpu, v.guest_timer, want);
    }
}

bool guest_block(System& s, DomVcpu& v) {
    LockGuard g(v.lock);
    // An interrupt that arrived since the halt (an IPI, a device, its timer: all deliver under
    // this lock) or a timer already due ends the sleep before it starts.
    if (s.guests->interrupt_pending(v) || (v.armed != kTimeNever && s.now() >= v.armed)) {
        s.guests->halt_over(v);
        return false;
    }
    v.sleeping = true;
    s.sched->block(v.sched);
    return true;
}

namespace {

// Under v.lock: the sleep ends.
void wake_locked(System& s, DomVcpu& v) {
    v.sleeping = false;
    s.guests->halt_over(v);
    s.sched->wake(v.sched);
}

// Timer callback, on whichever CPU's queue held the timer. A firing for a deadline the guest
// has replaced since (the callback was already off the queue when it re-armed) is ignored.
void on_guest_timer(void* context, Time t) {
    DomVcpu& v = *static_cast<DomVcpu*>(context);
    System& s = *v.system;
    LockGuard g(v.lock);
    if (v.armed == kTimeNever || t < v.armed) return;
    if (s.guests->timer_is_interrupt(v)) {
        // A virtual platform's timer (a Linux VCPU's local APIC): its vector becomes pending
        // whether the VCPU sleeps or runs (then it is injected at its next entry). If the timer
        // still has a deadline (periodic, or this firing came before it), it goes back on this
        // CPU's queue at once: a sleeping VCPU has no exit that would sync it.
        v.armed = kTimeNever;
        const Time again = s.guests->timer_fired(v);
        if (again != kTimeNever) {
            v.armed = again;
            s.timers->add(v.armed_on, v.guest_timer, again); // the CPU running this
        }
        if (!v.sleeping || !s.guests->interrupt_pending(v)) return;
    } else if (!v.sleeping) {
        return;
    }
    wake_locked(s, v);
}

} // namespace

void attach(System& s, DomVcpu& v) {
    v.system = &s;
    v.guest_timer.bind(on_guest_timer, &v);
}

void guest_interrupt(System& s, DomVcpu& v, CpuId here) {
    bool running_elsewhere = false;
    CpuId where = 0;
    {
        LockGuard g(v.lock);
        if (v.sleeping) return wake_locked(s, v);
        // Busy first (acquire), then where: switch_to stores them the other way round.
        running_elsewhere = __atomic_load_n(&v.context_busy, __ATOMIC_ACQUIRE);
        where = __atomic_load_n(&v.cpu, __ATOMIC_RELAXED);
        running_elsewhere = running_elsewhere && where != here;
    }
    if (running_elsewhere) s.platform->kick(where);
}

// The domain is dead: none of its VCPUs is entered again. pause() takes a queued VCPU off its
// queue at once and makes a running one leave at its CPU's next schedule (kicked).
void guest_crashed(System& s, DomVcpu& v) {
    Domain& d = *v.domain;
    __atomic_store_n(&d.crashed, true, __ATOMIC_RELEASE);
    for (uint32_t i = 0; i < d.spec->vcpus; ++i) s.sched->pause(s.vcpu(d.first_vcpu + i).sched);
    LockGuard g(v.lock);
    v.armed = kTimeNever;
    v.sleeping = false;
    s.timers->cancel(v.guest_timer);
}

} // namespace rthv::dom
