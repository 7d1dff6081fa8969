// rthv::Platform for the simulator: time is the simulation clock, arm() programs the CPU's
// timer event in the event queue, kick() marks the CPU for a schedule() call at the same
// instant after the current event (the engine drains kicks in ascending CPU order).
#pragma once

#include "hv/lib/cpu_set.hpp"
#include "hv/platform.hpp"
#include "tools/sim/event_queue.hpp"
#include "tools/sim/rng.hpp"

#include <functional>

namespace rthv::sim {

class SimPlatform final : public rthv::Platform {
public:
    SimPlatform(EventQueue& queue, CpuId cpus) : queue_(queue), cpus_(cpus) {}

    Time now() const override { return now_; }
    // A deadline in the past fires "as soon as possible": at the current instant, after the
    // events already due now (the event queue orders equal times by kind and index).
    void arm(CpuId cpu, Time deadline) override {
        if (cpu >= cpus_) {
            ++bad_calls;
            return;
        }
        if (deadline == kTimeNever) {
            queue_.set(EventKind::Timer, cpu, kTimeNever);
            return;
        }
        // Late by at most late + jitter after the deadline, however often it is re-armed.
        Time due = deadline;
        if (late_ > 0 || jitter_ > 0) due += late_ + rng_.range(0, jitter_);
        queue_.set(EventKind::Timer, cpu, due > now_ ? due : now_);
    }
    // Timer interrupts arrive `late` + uniform [0, jitter] ns after their deadline.
    void set_lateness(Duration late, Duration jitter, uint64_t seed) {
        late_ = late;
        jitter_ = jitter;
        rng_ = Rng(seed);
    }
    void kick(CpuId cpu) override {
        if (cpu >= cpus_) {
            ++bad_calls;
            return;
        }
        if (on_kick) on_kick(cpu);
        pending_.set(cpu);
    }

    void set_now(Time t) { now_ = t; }
    // Kicks sent by the scheduler (traced as tickles) and by the engine itself (not traced).
    void request_schedule(CpuId cpu) { pending_.set(cpu); }
    bool has_pending() const { return !pending_.empty(); }
    CpuId take_pending() { // lowest pending CPU
        CpuId c = pending_.first();
        pending_.clear(c);
        return c;
    }
    Time armed(CpuId cpu) const { return queue_.pending(EventKind::Timer, cpu); }

    std::function<void(CpuId)> on_kick; // trace hook
    uint64_t bad_calls = 0;             // arm/kick with a CPU out of range

private:
    EventQueue& queue_;
    CpuId cpus_;
    Time now_ = 0;
    CpuSet pending_;
    Duration late_ = 0;
    Duration jitter_ = 0;
    Rng rng_{0};
};

} // namespace rthv::sim
