// Per-CPU timer queues (the contract is in hv/timer/CONTRACT.md).
//
// Each CPU has one queue of intrusive Timer objects ordered by (deadline, insertion order). The
// hardware deadline of a CPU (Platform::arm) is reprogrammed only when the earliest deadline of
// its queue differs from what was last programmed, so adding a later timer costs no device write.
// Callbacks run with no timer lock held, which lets them re-add their own timer or any other.
#pragma once

#include "hv/lib/pairing_heap.hpp"
#include "hv/lib/spinlock.hpp"
#include "hv/lib/types.hpp"
#include "hv/platform.hpp"

namespace rthv {

struct TimerQueueTag {};

class Timer : public HeapLink<TimerQueueTag> {
public:
    // Called by TimerCore::expire on the CPU whose queue held the timer, with the `now` passed
    // to expire. No timer lock is held.
    using Callback = void (*)(void* context, Time now);

    Timer() = default;
    Timer(Callback fn, void* context) : fn_(fn), context_(context) {}
    Timer(const Timer&) = delete;
    Timer& operator=(const Timer&) = delete;

    // Set the callback; only while the timer is neither queued nor running.
    void bind(Callback fn, void* context) {
        fn_ = fn;
        context_ = context;
    }

    // Deadline of the last add(); meaningful while queued.
    Time deadline() const { return deadline_; }
    // CPU whose queue holds the timer, or kMaxCpus when not queued.
    CpuId queued_on() const { return __atomic_load_n(&cpu_, __ATOMIC_ACQUIRE); }
    bool queued() const { return queued_on() != kMaxCpus; }
    // True while expire() is running this timer's callback on some CPU.
    bool running() const { return __atomic_load_n(&running_, __ATOMIC_ACQUIRE) != 0; }

private:
    friend class TimerCore;
    friend struct TimerBefore;
    Time deadline_ = kTimeNever;
    uint64_t seq_ = 0; // FIFO among equal deadlines
    Callback fn_ = nullptr;
    void* context_ = nullptr;
    CpuId cpu_ = kMaxCpus;
    uint32_t running_ = 0; // callbacks in flight (a re-added timer may fire again meanwhile)
};

struct TimerBefore {
    bool operator()(const Timer& a, const Timer& b) const {
        return a.deadline_ != b.deadline_ ? a.deadline_ < b.deadline_ : a.seq_ < b.seq_;
    }
};

class TimerCore {
public:
    TimerCore() = default;
    TimerCore(const TimerCore&) = delete;
    TimerCore& operator=(const TimerCore&) = delete;

    // Must be called once before any other member, with CPUs 0..ncpus-1 (ncpus <= kMaxCpus).
    void init(Platform& platform, CpuId ncpus);
    CpuId cpus() const { return ncpus_; }

    // Queue `timer` on `cpu` to fire at the absolute time `deadline` (a past deadline fires at
    // the next expire() of that CPU). A timer already queued (on any CPU) is moved. Callers must
    // serialise add/cancel of the SAME timer (the scheduler does so with its pool lock).
    void add(CpuId cpu, Timer& timer, Time deadline);
    // Exactly add(cpu, first, ...) then add(cpu, second, ...) (same order, same arm() calls),
    // under one hold of cpu's queue lock when neither timer is queued on another CPU: the
    // scheduler re-arms a running VCPU's replenishment and its CPU's budget timer together.
    void add_pair(CpuId cpu, Timer& first, Time first_deadline, Timer& second,
                  Time second_deadline);

    // Dequeue `timer`. Returns true if it was queued (so its callback will not run for that
    // deadline). Returns false if it was not queued, which includes "its callback has already
    // been taken off the queue and is running or about to run": cancel never waits.
    bool cancel(Timer& timer);

    // cancel(), then wait until no callback of `timer` is running on any CPU. After it returns
    // the timer's memory may be reused. Must not be called from the timer's own callback or
    // while holding a lock that the callback takes (it would wait forever).
    bool cancel_sync(Timer& timer);

    // Platform entry point: cpu's programmed deadline has passed. Runs, in deadline order, the
    // callback of every timer of `cpu` with deadline <= now (including timers that callbacks add
    // with deadline <= now), then programs the new head.
    void expire(CpuId cpu, Time now);

    // Earliest queued deadline of `cpu`, kTimeNever if none.
    Time next_deadline(CpuId cpu) const;
    // Deadline last handed to Platform::arm for `cpu` (kTimeNever = disarmed).
    Time programmed(CpuId cpu) const;
    size_t pending(CpuId cpu) const;

private:
    struct Queue {
        mutable Spinlock lock;
        PairingHeap<Timer, TimerQueueTag, TimerBefore> heap;
        Time programmed = kTimeNever;
        uint64_t next_seq = 0;
    };

    // With q.lock held: program the hardware if the head differs from what it holds.
    void reprogram_locked(CpuId cpu, Queue& q);
    // With q.lock held: remove `timer` (queued on q).
    void erase_locked(Queue& q, Timer& timer);
    // With q.lock held: queue `timer` on `cpu` (q), moving it if it is there already; `timer`
    // is on no other queue.
    void add_locked(CpuId cpu, Queue& q, Timer& timer, Time deadline);

    Platform* platform_ = nullptr;
    CpuId ncpus_ = 0;
    Queue queues_[kMaxCpus];
};

} // namespace rthv
