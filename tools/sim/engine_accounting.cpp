// Progress, overhead and trace bookkeeping of the engine.
#include "tools/sim/engine.hpp"

#include <algorithm>

namespace rthv::sim {

// Credits the current VCPU of `cpu` with the guest progress made up to now.
void Engine::account(CpuId cpu) {
    CpuState& cs = cpus_[cpu];
    if (cs.current >= 0 && group_of_[static_cast<uint32_t>(cs.current)] >= 0)
        return account_group(static_cast<size_t>(group_of_[static_cast<uint32_t>(cs.current)]));
    if (cs.current < 0 || now() <= cs.progress_from) return;
    VcpuState& vs = vcpus_[static_cast<uint32_t>(cs.current)];
    Duration done = now() - cs.progress_from;
    if (!vs.workload.infinite()) vs.workload.consume(cs.progress_from, done);
    vs.received += done;
    cs.progress_from = now();
}

// Everything of this instant is decided: the hypervisor's work of the instant (timer interrupts,
// schedule() calls) now stalls each CPU's current VCPU. It is applied only after the instant's
// decisions, so the burns of this instant charge exactly up to now.
void Engine::end_instant() {
    for (CpuId c = 0; c < s_.pcpus; ++c) {
        add_overhead(c, cpus_[c].pending_overhead);
        cpus_[c].pending_overhead = 0;
    }
    if (options_.after_instant) options_.after_instant(*this, now());
}

// The hypervisor works for `ns` on `cpu` from now (or from the end of the work it is already
// doing): the current VCPU is stalled meanwhile. The time is reported with steal() at once, as
// the hypervisor knows its own cost when it starts; the core never charges it.
void Engine::add_overhead(CpuId cpu, Duration ns) {
    if (ns == 0) return;
    CpuState& cs = cpus_[cpu];
    cs.hv_until = std::max(cs.hv_until, now()) + ns;
    cs.progress_from = std::max(cs.progress_from, cs.hv_until);
    if (cs.current >= 0) port_->steal(cpu, ns);
    plan_completion(cpu);
}

void Engine::plan_completion(CpuId cpu) {
    CpuState& cs = cpus_[cpu];
    if (cs.current >= 0 && group_of_[static_cast<uint32_t>(cs.current)] >= 0)
        return plan_group(static_cast<size_t>(group_of_[static_cast<uint32_t>(cs.current)]));
    Time when = kTimeNever;
    if (cs.current >= 0) {
        const Workload& w = vcpus_[static_cast<uint32_t>(cs.current)].workload;
        if (!w.infinite()) when = std::max(now(), cs.progress_from) + w.backlog();
    }
    queue_.set(EventKind::Completion, cpu, when);
}

void Engine::record(TraceKind kind, CpuId cpu, int32_t vcpu, int32_t from) {
    if (kind != TraceKind::Switch && !options_.trace_all) return;
    trace_.push_back({now(), cpu, kind, vcpu, from});
}

// Replenishments and misses show up as counter changes after a timer or a wake.
void Engine::record_counters(CpuId cpu) {
    for (uint32_t v = 0; v < vcpus_.size(); ++v) {
        SchedStats now_stats = port_->stats(v);
        SchedStats& last = last_counters_[v];
        for (uint64_t i = last.misses; i < now_stats.misses; ++i)
            record(TraceKind::Miss, cpu, static_cast<int32_t>(v));
        if (now_stats.periods != last.periods)
            record(TraceKind::Replenish, cpu, static_cast<int32_t>(v));
        last = now_stats;
    }
}

} // namespace rthv::sim
