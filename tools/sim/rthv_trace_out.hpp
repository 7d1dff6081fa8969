// rtds-sim --trace FILE.rthvt: the hypervisor's own trace format (hv/trace/FORMAT.md) from the
// simulated run, recorded by the same SchedTraceHook and per-pCPU TraceRings the hypervisor
// uses, so rthv-trace draws real deadlines, releases, budget exhaustion and misses.
#pragma once

#include "hv/trace/sched_hook.hpp"

#include <ostream>
#include <string>
#include <vector>

namespace rthv::sim {

class RthvTraceOut {
public:
    // `names[i]` is the scenario name of VCPU i (the core port's Vcpu(i, 0)).
    RthvTraceOut(std::ostream& out, CpuId pcpus, const std::vector<std::string>& names,
                 uint32_t ring_records = 16384);

    // What to give the scheduler (Scheduler::set_trace, via make_traced_core_port).
    TraceHook* hook() { return &hook_; }

    // Drains the rings that are more than half full. The simulator is single-threaded, so this
    // may run between any two simulated instants; draining early keeps drops at zero.
    void drain_if_filling();

    // Everything left, then the footer with the per-ring drop counts. Returns false if the
    // stream failed.
    bool finish();

    uint64_t dropped() const;

private:
    class Sink;
    void drain_all();
    uint64_t kept_total() const;

    std::ostream& out_;
    std::vector<trace::TraceRecord> storage_;
    std::vector<trace::TraceRing> rings_;
    std::vector<trace::TraceRecord> scratch_;
    trace::SchedTraceHook hook_;
    uint64_t kept_at_drain_ = 0;
};

// True for the file names that select this format.
bool is_rthv_trace_name(const std::string& path);

} // namespace rthv::sim
