// The TraceHook behind Scheduler::set_trace: one or two ring pushes per trace point.
#include "hv/trace/sched_hook.hpp"

namespace rthv::trace {

void SchedTraceHook::init(TraceRing* rings, CpuId nrings, ThisCpu this_cpu, void* context) {
    rings_ = rings;
    nrings_ = nrings;
    this_cpu_ = this_cpu;
    context_ = context;
    unroutable_ = 0;
    enabled_ = rings != nullptr && nrings > 0;
}

CpuId SchedTraceHook::ring_for(const TraceEvent& e) const {
    if (this_cpu_) return this_cpu_(context_);
    if (e.cpu < nrings_) return e.cpu;
    return e.vcpu ? e.vcpu->last_cpu() : 0;
}

void SchedTraceHook::event(const TraceEvent& e) {
    if (!__atomic_load_n(&enabled_, __ATOMIC_RELAXED)) return;
    CpuId ring = ring_for(e);
    if (ring >= nrings_) {
        __atomic_fetch_add(&unroutable_, 1, __ATOMIC_RELAXED);
        return;
    }
    TraceRecord r;
    r.time_ns = e.now;
    r.arg = e.arg;
    r.cpu = e.cpu < kMaxCpus ? static_cast<uint16_t>(e.cpu) : kNone16;
    r.domain = e.vcpu ? static_cast<uint16_t>(e.vcpu->domain()) : kNone16;
    r.vcpu = e.vcpu ? static_cast<uint16_t>(e.vcpu->id()) : kNone16;
    r.kind = kind_code(e.kind);
    r.reserved = 0;
    rings_[ring].push(r);
    if (starts_deadline(e)) {
        r.kind = kind_code(RecordKind::Deadline);
        r.arg = e.vcpu->deadline();
        rings_[ring].push(r);
    }
}

} // namespace rthv::trace
