// The discrete-event engine: m simulated pCPUs, one workload per VCPU, a scheduler behind a
// SchedulerPort. Deterministic: event order at equal times is fixed (see event_queue.hpp),
// kicks are served in ascending CPU order after each event, randomness comes from the seed.
#pragma once

#include "tools/sim/event_queue.hpp"
#include "tools/sim/scenario.hpp"
#include "tools/sim/sched_port.hpp"
#include "tools/sim/sim_platform.hpp"
#include "tools/sim/trace.hpp"
#include "tools/sim/workload.hpp"

#include <memory>
#include <string>
#include <vector>

namespace rthv::sim {

class Engine;

// Called after all decisions of an instant are made (before time advances), for checks.
using InstantHook = std::function<void(const Engine&, Time now)>;

struct EngineOptions {
    bool trace_all = false; // record tickle/exhausted/replenish/block/wake/miss, not just switches
    InstantHook after_instant;
};

class Engine {
public:
    Engine(const Scenario& s, const PortFactory& factory, EngineOptions options = {});

    void run(); // simulates [0, scenario.duration): events at `duration` do not happen

    const Scenario& scenario() const { return s_; }
    Time now() const { return platform_.now(); }
    int32_t current(CpuId cpu) const { return cpus_[cpu].current; }
    bool blocked(uint32_t v) const { return vcpus_[v].blocked; }
    int32_t running_on(uint32_t v) const { return vcpus_[v].running_on; }
    const SchedulerPort& port() const { return *port_; }
    // A VCPU of a guest group (workload tasks with group=) reports the group's shared workload.
    const Workload& workload(uint32_t v) const {
        return group_of_[v] >= 0 ? groups_[static_cast<size_t>(group_of_[v])].work
                                 : vcpus_[v].workload;
    }
    Duration received_ns(uint32_t v) const { return vcpus_[v].received; }
    const std::vector<TraceEvent>& trace() const { return trace_; }
    // Protocol violations seen by the engine (VCPU on two CPUs, bad CPU numbers, refused insert).
    const std::vector<std::string>& errors() const { return errors_; }

private:
    struct CpuState {
        int32_t current = -1;
        Time progress_from = 0; // the current VCPU makes progress from here (after overheads)
        Time hv_until = 0;      // the hypervisor's own work on this CPU ends here
        Duration pending_overhead = 0; // hypervisor work of the current instant
    };
    struct VcpuState {
        Workload workload;
        bool blocked = false;
        int32_t running_on = -1;
        Duration received = 0;
    };

    void handle(const Event& e);
    void on_completion(CpuId cpu);
    void on_timer(CpuId cpu);
    void on_arrival(uint32_t v);
    void on_control();
    void drain_kicks();
    void do_schedule(CpuId cpu);
    void account(CpuId cpu);
    void end_instant();
    void add_overhead(CpuId cpu, Duration ns);
    void plan_completion(CpuId cpu);
    void record(TraceKind kind, CpuId cpu, int32_t vcpu, int32_t from = -1);
    // Guest groups (engine_groups.cpp): one task set shared by several VCPUs.
    struct Group {
        Workload work;
        std::vector<uint32_t> members; // VCPU indices; members[0] carries the arrival events
    };
    void build_groups();
    void account_group(size_t g);
    void plan_group(size_t g);
    void settle_group(size_t g);
    void record_counters(CpuId cpu);

    Scenario s_;
    EngineOptions options_;
    EventQueue queue_;
    SimPlatform platform_;
    std::unique_ptr<SchedulerPort> port_;
    std::vector<CpuState> cpus_;
    std::vector<VcpuState> vcpus_;
    Rng control_rng_;
    std::vector<bool> paused_;              // by control operations
    std::vector<SchedStats> last_counters_; // trace_all: to see replenishments and misses
    std::vector<TraceEvent> trace_;
    std::vector<std::string> errors_;
    std::vector<Group> groups_;
    std::vector<int32_t> group_of_; // per VCPU: its group, or -1
};

} // namespace rthv::sim
