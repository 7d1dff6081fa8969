// The engine drives a scheduler through this adapter, so the same engine runs the real
// hv/sched core (core_port.cpp) and the brute-force reference model of the differential test.
// VCPUs are named by their index in Scenario::vcpus.
#pragma once

#include "hv/lib/types.hpp"

#include <cstdint>
#include <functional>
#include <memory>

namespace rthv {
class Platform;
class TraceHook;
} // namespace rthv

namespace rthv::sim {

struct Scenario;

// What the engine and the property checks may look at of a VCPU's server state.
struct ServerView {
    bool runnable = false; // not blocked
    bool eligible = false; // runnable with budget (or extratime): running or on the runq
    bool running = false;  // current on some CPU (as far as the scheduler knows)
    uint32_t level = 0;    // 0 = inside its reservation, k = k-th extratime refill
    Time deadline = 0;
    uint64_t seq = 0; // FIFO tie-break of the priority key (level, deadline, seq)
    Duration budget_left = 0;
};

// The scheduler's per-VCPU statistics (hv/sched VcpuStats, copied field by field).
struct SchedStats {
    Duration run_ns = 0;
    Duration budget_used_ns = 0;
    Duration extratime_ns = 0;
    Duration stolen_ns = 0;
    Duration overrun_ns_total = 0;
    Duration overrun_ns_max = 0;
    uint64_t periods = 0;
    uint64_t misses = 0;
    uint64_t dispatches = 0;
    Duration latency_max_ns = 0;
    Duration latency_sum_ns = 0;
    uint64_t late_wakes = 0; // periods ending with budget it could not have used (not misses)
};

class SchedulerPort {
public:
    virtual ~SchedulerPort() = default;

    // Inserts VCPU v into its pool at the platform's current time (admission forced: the
    // simulator must be able to run overloaded sets). Returns false if refused.
    virtual bool insert(uint32_t v) = 0;
    virtual void expire(CpuId cpu) = 0;      // cpu's armed deadline has been reached
    virtual int32_t schedule(CpuId cpu) = 0; // VCPU cpu must run now, -1 = idle
    virtual void wake(uint32_t v) = 0;
    virtual void block(uint32_t v) = 0; // v is current on some CPU
    virtual void steal(CpuId cpu, Duration ns) = 0;
    // Control operations (exercised by the differential test through Scenario::control_gap).
    virtual void yield(uint32_t v) = 0;
    virtual void pause(uint32_t v) = 0;
    virtual void unpause(uint32_t v) = 0;
    // New parameters at once (admission forced); the caller passes valid values.
    virtual void set_params(uint32_t v, uint64_t period_us, uint64_t budget_us, bool extratime,
                            bool cbs) = 0;
    virtual SchedStats stats(uint32_t v) const = 0;
    virtual ServerView view(uint32_t v) const = 0;
    // Structural self-check: nullptr if consistent, else what is broken.
    virtual const char* verify() const { return nullptr; }
};

using PortFactory = std::function<std::unique_ptr<SchedulerPort>(const Scenario&, rthv::Platform&)>;

// The real hv/sched + hv/timer core behind the port.
std::unique_ptr<SchedulerPort> make_core_port(const Scenario& s, rthv::Platform& platform);
// The same with `hook` installed on the scheduler before any VCPU is inserted (rtds-sim's
// hv/trace output, rthv_trace_out.hpp).
std::unique_ptr<SchedulerPort> make_traced_core_port(const Scenario& s, rthv::Platform& platform,
                                                     rthv::TraceHook* hook);

} // namespace rthv::sim
