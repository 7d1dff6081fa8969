// Feeds the scheduler's trace points (Scheduler::set_trace) into per-pCPU TraceRings.
//
// Which ring gets a record: with a `this_cpu` callback, the ring of the CPU executing the trace
// point (true single producer per ring, the hypervisor's setting). Without one, the ring of the
// CPU the event is about (for events tied to no CPU, the VCPU's last CPU). That is also single
// producer at a time: the scheduler calls the hook with the pool lock held, and every such CPU
// belongs to that pool, so each ring is only ever written under one pool's lock.
#pragma once

#include "hv/sched/vcpu.hpp"
#include "hv/trace/ring.hpp"

namespace rthv::trace {

class SchedTraceHook final : public TraceHook {
public:
    using ThisCpu = CpuId (*)(void* context);

    // `rings[c]` is pCPU c's ring for c < nrings. Call before Scheduler::set_trace(this).
    void init(TraceRing* rings, CpuId nrings, ThisCpu this_cpu = nullptr, void* context = nullptr);

    // Turning tracing off keeps the hook installed but returns at the first test (one load).
    void set_enabled(bool on) { __atomic_store_n(&enabled_, on, __ATOMIC_RELAXED); }
    bool enabled() const { return __atomic_load_n(&enabled_, __ATOMIC_RELAXED); }

    void event(const TraceEvent& e) override;

    // Records refused because the producing CPU had no ring (this_cpu() >= nrings).
    uint64_t unroutable() const { return __atomic_load_n(&unroutable_, __ATOMIC_RELAXED); }

private:
    CpuId ring_for(const TraceEvent& e) const;

    TraceRing* rings_ = nullptr;
    CpuId nrings_ = 0;
    ThisCpu this_cpu_ = nullptr;
    void* context_ = nullptr;
    bool enabled_ = false;
    uint64_t unroutable_ = 0;
};

// Whether the scheduler event `e` starts a new deadline for its VCPU (then the hook adds a
// Deadline record): insertion, parameter change, replenishment, and a wake that re-anchored.
constexpr bool starts_deadline(const TraceEvent& e) {
    switch (e.kind) {
    case TraceKind::Insert:
    case TraceKind::Params:
    case TraceKind::Replenish:
        return e.vcpu != nullptr;
    case TraceKind::Wake:
        return e.vcpu != nullptr && e.arg != 0;
    default:
        return false;
    }
}

} // namespace rthv::trace
