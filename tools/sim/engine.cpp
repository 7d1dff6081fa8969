// Event handling of the simulation engine. Time only moves forward between events; everything
// that happens at one instant runs to completion (including the kicks it causes) first.
#include "tools/sim/engine.hpp"

#include <algorithm>

namespace rthv::sim {

Engine::Engine(const Scenario& s, const PortFactory& factory, EngineOptions options)
    : s_(s), options_(std::move(options)), queue_(s.pcpus, static_cast<uint32_t>(s.vcpus.size())),
      platform_(queue_, s.pcpus), cpus_(s.pcpus), control_rng_(mix_seed(s.seed, ~uint64_t{0})),
      paused_(s.vcpus.size()) {
    vcpus_.reserve(s_.vcpus.size());
    for (size_t i = 0; i < s_.vcpus.size(); ++i) {
        const VcpuSpec& v = s_.vcpus[i];
        vcpus_.push_back({Workload(v.workload, from_us(v.period_us), mix_seed(s_.seed, i))});
    }
    platform_.set_lateness(s_.timers.late, s_.timers.jitter, mix_seed(s_.seed, ~uint64_t{1}));
    build_groups();
    if (options_.trace_all)
        platform_.on_kick = [this](CpuId cpu) { record(TraceKind::Tickle, cpu, -1); };
    port_ = factory(s_, platform_);
}

void Engine::run() {
    last_counters_.assign(vcpus_.size(), SchedStats{});
    for (Group& g : groups_) {
        g.work.start();
        queue_.set(EventKind::Arrival, g.members[0], g.work.next_arrival());
    }
    for (uint32_t v = 0; v < vcpus_.size(); ++v) {
        vcpus_[v].workload.start();
        if (group_of_[v] < 0) queue_.set(EventKind::Arrival, v, vcpus_[v].workload.next_arrival());
        if (!port_->insert(v)) errors_.push_back("insert refused for " + s_.vcpus[v].name);
        drain_kicks();
    }
    if (s_.control_gap > 0)
        queue_.set(EventKind::Control, 0, control_rng_.range(1, 2 * s_.control_gap));
    const Time end = s_.duration;
    for (;;) {
        Time t = queue_.next_time();
        if (t > now()) {
            end_instant(); // may plan new events (overheads delay completions)
            t = queue_.next_time();
        }
        if (t >= end) break; // the simulated interval is [0, duration)
        platform_.set_now(t);
        handle(queue_.pop());
        drain_kicks();
    }
    end_instant();
    platform_.set_now(end);
    for (CpuId c = 0; c < s_.pcpus; ++c) account(c);
    for (auto& v : vcpus_) v.workload.finish(end);
    for (auto& g : groups_) g.work.finish(end);
    if (platform_.bad_calls > 0) errors_.push_back("scheduler used a CPU number out of range");
}

void Engine::handle(const Event& e) {
    switch (e.kind) {
    case EventKind::Completion:
        on_completion(e.index);
        break;
    case EventKind::Timer:
        on_timer(e.index);
        break;
    case EventKind::Arrival:
        on_arrival(e.index);
        break;
    case EventKind::Control:
        on_control();
        break;
    }
}

// The current VCPU's backlog is done: the guest blocks (and the platform reschedules).
void Engine::on_completion(CpuId cpu) {
    account(cpu);
    int32_t v = cpus_[cpu].current;
    if (v < 0) return;
    if (group_of_[static_cast<uint32_t>(v)] >= 0)
        return settle_group(static_cast<size_t>(group_of_[static_cast<uint32_t>(v)]));
    VcpuState& vs = vcpus_[static_cast<uint32_t>(v)];
    vs.workload.on_idle(now());
    queue_.set(EventKind::Arrival, static_cast<uint32_t>(v), vs.workload.next_arrival());
    vs.blocked = true;
    record(TraceKind::Block, cpu, v);
    port_->block(static_cast<uint32_t>(v));
    platform_.request_schedule(cpu);
}

void Engine::on_timer(CpuId cpu) {
    account(cpu);
    port_->expire(cpu);
    if (options_.trace_all) record_counters(cpu);
    if (cpus_[cpu].current >= 0) cpus_[cpu].pending_overhead += s_.overhead.per_timer;
}

void Engine::on_arrival(uint32_t v) {
    if (group_of_[v] >= 0) {
        const size_t g = static_cast<size_t>(group_of_[v]);
        account_group(g);
        groups_[g].work.arrive(now());
        queue_.set(EventKind::Arrival, v, groups_[g].work.next_arrival());
        return settle_group(g);
    }
    VcpuState& vs = vcpus_[v];
    if (vs.running_on >= 0) account(static_cast<CpuId>(vs.running_on));
    vs.workload.arrive(now());
    queue_.set(EventKind::Arrival, v, vs.workload.next_arrival());
    if (vs.blocked) {
        vs.blocked = false;
        record(TraceKind::Wake, kNoCpu, static_cast<int32_t>(v));
        port_->wake(v);
        if (options_.trace_all) record_counters(kNoCpu);
    } else if (vs.running_on >= 0) {
        plan_completion(static_cast<CpuId>(vs.running_on));
    }
}

// A random control operation: pause/unpause a VCPU, yield a running one, or give a VCPU new
// parameters. Only the scheduler sees it; the guest's workload carries on as before.
void Engine::on_control() {
    const uint32_t v = static_cast<uint32_t>(control_rng_.range(0, vcpus_.size() - 1));
    const uint64_t what = control_rng_.range(0, 99);
    if (what < 35) {
        if (paused_[v])
            port_->unpause(v);
        else
            port_->pause(v);
        paused_[v] = !paused_[v];
    } else if (what < 65) {
        const int32_t cur = cpus_[control_rng_.range(0, s_.pcpus - 1)].current;
        if (cur >= 0) port_->yield(static_cast<uint32_t>(cur));
    } else {
        const uint64_t period = control_rng_.range(100, 10000);
        const uint64_t budget = control_rng_.range(10, period);
        port_->set_params(v, period, budget, control_rng_.chance(50), control_rng_.chance(30));
    }
    queue_.set(EventKind::Control, 0, now() + control_rng_.range(1, 2 * s_.control_gap));
}

void Engine::drain_kicks() {
    while (platform_.has_pending()) do_schedule(platform_.take_pending());
}

void Engine::do_schedule(CpuId cpu) {
    account(cpu);
    CpuState& cs = cpus_[cpu];
    const int32_t old = cs.current;
    ServerView before = old >= 0 ? port_->view(static_cast<uint32_t>(old)) : ServerView{};
    const int32_t next = port_->schedule(cpu);
    if (next >= static_cast<int32_t>(vcpus_.size()) || next < -1) {
        errors_.push_back("schedule returned an unknown VCPU");
        return;
    }
    if (old >= 0 && options_.trace_all) {
        ServerView after = port_->view(static_cast<uint32_t>(old));
        if (after.level > before.level || (after.runnable && !after.eligible))
            record(TraceKind::Exhausted, cpu, old);
    }
    if (next >= 0 && next != old && vcpus_[static_cast<uint32_t>(next)].running_on >= 0)
        errors_.push_back("t=" + std::to_string(now()) + ": " +
                          s_.vcpus[static_cast<size_t>(next)].name + " picked on cpu " +
                          std::to_string(cpu) + " while running on cpu " +
                          std::to_string(vcpus_[static_cast<uint32_t>(next)].running_on));
    if (next >= 0 && vcpus_[static_cast<uint32_t>(next)].blocked)
        errors_.push_back("t=" + std::to_string(now()) + ": blocked " +
                          s_.vcpus[static_cast<size_t>(next)].name + " picked");
    if (next != old) {
        record(TraceKind::Switch, cpu, next, old);
        if (old >= 0) vcpus_[static_cast<uint32_t>(old)].running_on = -1;
        if (next >= 0) vcpus_[static_cast<uint32_t>(next)].running_on = static_cast<int32_t>(cpu);
        cs.current = next;
        // Idle time before now is nobody's progress (account() skipped it while idle).
        cs.progress_from = std::max(cs.progress_from, now());
    }
    // schedule() burned the stint: hypervisor work reported earlier but still ahead (now <
    // hv_until) was forgotten with it and belongs to the VCPU that is current from now on.
    if (next >= 0 && cs.hv_until > now()) port_->steal(cpu, cs.hv_until - now());
    if (next >= 0) cs.pending_overhead += s_.overhead.per_schedule;
    plan_completion(cpu);
    // A group member left this CPU: the group's next event moves to its other running members.
    if (old >= 0 && old != next && group_of_[static_cast<uint32_t>(old)] >= 0)
        plan_group(static_cast<size_t>(group_of_[static_cast<uint32_t>(old)]));
}

} // namespace rthv::sim
