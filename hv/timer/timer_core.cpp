// Per-CPU timer queues: see timer_core.hpp and CONTRACT.md.
#include "hv/timer/timer_core.hpp"

namespace rthv {

void TimerCore::init(Platform& platform, CpuId ncpus) {
    platform_ = &platform;
    ncpus_ = ncpus < kMaxCpus ? ncpus : kMaxCpus;
}

void TimerCore::reprogram_locked(CpuId cpu, Queue& q) {
    const Timer* head = q.heap.top();
    Time want = head ? head->deadline_ : kTimeNever;
    if (want == q.programmed) return; // the head did not change: no device write
    q.programmed = want;
    platform_->arm(cpu, want);
}

void TimerCore::erase_locked(Queue& q, Timer& timer) {
    q.heap.erase(timer);
    __atomic_store_n(&timer.cpu_, kMaxCpus, __ATOMIC_RELEASE);
}

bool TimerCore::cancel(Timer& timer) {
    for (;;) {
        CpuId cpu = timer.queued_on();
        if (cpu == kMaxCpus) return false;
        Queue& q = queues_[cpu];
        LockGuard guard(q.lock);
        // expire() on `cpu` may have popped it between our read and taking the lock.
        if (__atomic_load_n(&timer.cpu_, __ATOMIC_RELAXED) != cpu) continue;
        bool was_head = q.heap.top() == &timer;
        erase_locked(q, timer);
        if (was_head) reprogram_locked(cpu, q);
        return true;
    }
}

bool TimerCore::cancel_sync(Timer& timer) {
    bool was_queued = cancel(timer);
    while (timer.running()) cpu_relax();
    return was_queued;
}

void TimerCore::add(CpuId cpu, Timer& timer, Time deadline) {
    Queue& q = queues_[cpu];
    // A timer queued elsewhere leaves its old queue under that queue's lock (cancel). One queued
    // on `cpu` (the usual re-arm: a budget timer or a replenishment moving on its own CPU) is
    // moved in a single hold of q.lock: half the lock traffic of cancel + add.
    if (timer.queued_on() != cpu) cancel(timer);
    LockGuard guard(q.lock);
    add_locked(cpu, q, timer, deadline);
}

void TimerCore::add_pair(CpuId cpu, Timer& first, Time first_deadline, Timer& second,
                         Time second_deadline) {
    // A timer on another CPU would be cancelled there between the two adds: keep that order of
    // arm() calls by doing exactly the two adds.
    CpuId a = first.queued_on(), b = second.queued_on();
    if ((a != cpu && a != kMaxCpus) || (b != cpu && b != kMaxCpus)) {
        add(cpu, first, first_deadline);
        add(cpu, second, second_deadline);
        return;
    }
    Queue& q = queues_[cpu];
    LockGuard guard(q.lock);
    add_locked(cpu, q, first, first_deadline);
    add_locked(cpu, q, second, second_deadline);
}

void TimerCore::add_locked(CpuId cpu, Queue& q, Timer& timer, Time deadline) {
    // Re-checked under the lock: expire() on `cpu` may have taken it off meanwhile. Nothing else
    // can queue it (callers serialise add/cancel of one timer), so a timer not on `cpu` now is
    // on no queue. The removal reprograms exactly as cancel() would (an arm for the interim head
    // when it was the head): the platform sees the same arm() calls as cancel + add, which
    // matters where arming has effects, e.g. the simulator draws timer jitter per arm().
    if (__atomic_load_n(&timer.cpu_, __ATOMIC_RELAXED) == cpu) {
        bool was_head = q.heap.top() == &timer;
        erase_locked(q, timer);
        if (was_head) reprogram_locked(cpu, q);
    }
    timer.deadline_ = deadline;
    timer.seq_ = q.next_seq++;
    q.heap.push(timer);
    __atomic_store_n(&timer.cpu_, cpu, __ATOMIC_RELEASE);
    reprogram_locked(cpu, q);
}

void TimerCore::expire(CpuId cpu, Time now) {
    Queue& q = queues_[cpu];
    for (;;) {
        q.lock.lock();
        Timer* t = q.heap.top();
        if (!t || t->deadline_ > now) {
            // Whatever fired the hardware, its programming is used up: if the head equals the
            // old programmed value it is in the future only if it was re-added; program anew.
            if (q.programmed != kTimeNever && q.programmed <= now) q.programmed = kTimeNever;
            reprogram_locked(cpu, q);
            q.lock.unlock();
            return;
        }
        // One timer per lock hold: a callback may re-add or cancel any timer, including ones
        // still in this queue, so no batch of popped timers is kept across callbacks.
        // Counted as running before it is marked unqueued: cancel() sees "not queued" without
        // taking the lock, so cancel_sync() must then find running() set, or it could return
        // before the callback starts (TimerThreads.ExpiryAddAndCancelSyncRace caught this).
        __atomic_add_fetch(&t->running_, 1u, __ATOMIC_ACQ_REL);
        erase_locked(q, *t);
        Timer::Callback fn = t->fn_;
        void* context = t->context_;
        q.lock.unlock();
        if (fn) fn(context, now);
        __atomic_sub_fetch(&t->running_, 1u, __ATOMIC_RELEASE);
    }
}

Time TimerCore::next_deadline(CpuId cpu) const {
    const Queue& q = queues_[cpu];
    LockGuard guard(q.lock);
    const Timer* head = q.heap.top();
    return head ? head->deadline_ : kTimeNever;
}

Time TimerCore::programmed(CpuId cpu) const {
    const Queue& q = queues_[cpu];
    LockGuard guard(q.lock);
    return q.programmed;
}

size_t TimerCore::pending(CpuId cpu) const {
    const Queue& q = queues_[cpu];
    LockGuard guard(q.lock);
    return q.heap.size();
}

} // namespace rthv
