// The real RTDS core (hv/sched + hv/timer) behind the simulator's SchedulerPort.
#include "hv/sched/rtds.hpp"
#include "tools/sim/scenario.hpp"
#include "tools/sim/sched_port.hpp"

#include <memory>
#include <stdexcept>
#include <vector>

namespace rthv::sim {
namespace {

class CorePort final : public SchedulerPort {
public:
    CorePort(const Scenario& s, Platform& platform, TraceHook* hook) : s_(s), platform_(platform) {
        timers_.init(platform, s.pcpus);
        sched_->init(platform, timers_, s.pcpus);
        if (hook) sched_->set_trace(hook);
        pool_ids_.push_back(0);
        for (size_t i = 1; i < s.pools.size(); ++i) {
            PoolId id = kNoPool;
            Status st = sched_->pool_create(s.pools[i].name.c_str(), s.pools[i].cpus, id);
            if (!st.ok()) throw std::runtime_error("pool_create refused: " + s.pools[i].name);
            pool_ids_.push_back(id);
        }
        for (size_t i = 0; i < s.vcpus.size(); ++i) {
            vcpus_.push_back(std::make_unique<Vcpu>(static_cast<uint32_t>(i), 0u,
                                                    reinterpret_cast<void*>(i + 1)));
        }
    }

    bool insert(uint32_t v) override {
        const VcpuSpec& spec = s_.vcpus[v];
        Params p;
        p.period_us = spec.period_us;
        p.budget_us = spec.budget_us;
        p.extratime = spec.extratime;
        p.wake_rule =
            spec.wake_rule == WakeRule::Cbs ? rthv::WakeRule::Cbs : rthv::WakeRule::Deferrable;
        CpuSet affinity = spec.affinity ? *spec.affinity : s_.pools[spec.pool].cpus;
        return sched_->insert(*vcpus_[v], pool_ids_[spec.pool], p, affinity, true).ok();
    }
    void expire(CpuId cpu) override { timers_.expire(cpu, platform_.now()); }
    int32_t schedule(CpuId cpu) override { return index_of(sched_->schedule(cpu)); }
    void wake(uint32_t v) override { sched_->wake(*vcpus_[v]); }
    void block(uint32_t v) override { sched_->block(*vcpus_[v]); }
    void steal(CpuId cpu, Duration ns) override { sched_->steal(cpu, ns); }
    void yield(uint32_t v) override { sched_->yield(*vcpus_[v]); }
    void pause(uint32_t v) override { sched_->pause(*vcpus_[v]); }
    void unpause(uint32_t v) override { sched_->unpause(*vcpus_[v]); }
    void set_params(uint32_t v, uint64_t period_us, uint64_t budget_us, bool extratime,
                    bool cbs) override {
        Params p;
        p.period_us = period_us;
        p.budget_us = budget_us;
        p.extratime = extratime;
        p.wake_rule = cbs ? rthv::WakeRule::Cbs : rthv::WakeRule::Deferrable;
        sched_->set_params(*vcpus_[v], p, true);
    }

    SchedStats stats(uint32_t v) const override {
        VcpuStats st = sched_->stats(*vcpus_[v]);
        return {st.run_ns,           st.budget_used_ns, st.extratime_ns,   st.stolen_ns,
                st.overrun_ns_total, st.overrun_ns_max, st.periods,        st.misses,
                st.dispatches,       st.latency_max_ns, st.latency_sum_ns, st.late_wakes};
    }

    ServerView view(uint32_t v) const override {
        const Vcpu& x = *vcpus_[v];
        ServerView r;
        r.runnable = x.awake() && !x.paused();
        r.eligible = x.place() == Place::Runq || x.place() == Place::Running;
        r.running = x.place() == Place::Running;
        r.level = x.level();
        r.deadline = x.deadline();
        r.seq = x.key().seq;
        r.budget_left = x.budget_left();
        return r;
    }

    const char* verify() const override { return sched_->verify(); }

private:
    int32_t index_of(const Vcpu* v) const {
        if (!v) return -1;
        return static_cast<int32_t>(reinterpret_cast<uintptr_t>(v->owner()) - 1);
    }

    const Scenario& s_;
    Platform& platform_;
    TimerCore timers_;
    std::unique_ptr<Scheduler> sched_ = std::make_unique<Scheduler>();
    std::vector<PoolId> pool_ids_;
    std::vector<std::unique_ptr<Vcpu>> vcpus_;
};

} // namespace

std::unique_ptr<SchedulerPort> make_core_port(const Scenario& s, Platform& platform) {
    return std::make_unique<CorePort>(s, platform, nullptr);
}

std::unique_ptr<SchedulerPort> make_traced_core_port(const Scenario& s, Platform& platform,
                                                     TraceHook* hook) {
    return std::make_unique<CorePort>(s, platform, hook);
}

} // namespace rthv::sim
