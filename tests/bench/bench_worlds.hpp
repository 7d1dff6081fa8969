// The two schedulers under the same fake platform, with the same VCPUs and the same calls, so
// one templated benchmark body drives both: "world.block(v); world.serve();" means the same
// thing for rthv's Scheduler and for the Xen-shaped baseline.
#pragma once

#include "hv/sched/rtds.hpp"
#include "tests/bench/fake_platform.hpp"
#include "tests/bench/xen_rt_baseline.hpp"

#include <deque>
#include <memory>

namespace rthv::bench {

// VCPU i of every scenario: periods spread over [10, 75.5) ms, distinct for i < 65536 (7919 is
// odd, so i -> 7919 i mod 2^16 is a bijection), so that a VCPU that becomes runnable lands at a
// varied place in the queue and no two replenishments fall due at the same instant.
inline uint64_t scenario_period_us(uint32_t i) { return 10000 + (i * 7919u + 13u) % 65536u; }

// The smallest time the platform can arm for a CPU (the next event of a CPU's timers).
inline CpuId earliest_armed(const FakePlatform& platform, CpuId m) {
    CpuId best = 0;
    for (CpuId c = 1; c < m; ++c)
        if (platform.armed(c) < platform.armed(best)) best = c;
    return best;
}

class RthvWorld {
public:
    using V = Vcpu;
    static constexpr const char* kName = "rthv";

    explicit RthvWorld(CpuId m) : m_(m), sched_(std::make_unique<Scheduler>()) {
        timers_.init(platform, m);
        sched_->init(platform, timers_, m);
    }
    // budget == period: a running VCPU's budget timer never fires before its replenishment.
    void add(uint32_t i, bool cbs) {
        Vcpu& v = vcpus_.emplace_back(1, i);
        Params p;
        p.period_us = p.budget_us = scenario_period_us(i);
        p.wake_rule = cbs ? WakeRule::Cbs : WakeRule::Deferrable;
        if (!sched_->insert(v, 0, p, CpuSet::first_n(m_), true).ok()) __builtin_trap();
        serve();
    }
    void serve() {
        serve_kicks(platform, [this](CpuId c) { sched_->schedule(c); });
    }
    Vcpu* current(CpuId c) const { return sched_->current(c); }
    void block(Vcpu& v) { sched_->block(v); }
    void wake(Vcpu& v) { sched_->wake(v); }
    // Advance to the earliest armed timer of any CPU and expire it (replenishments; budget
    // timers when due), then serve the kicks this caused.
    void fire_next_timer() {
        CpuId cpu = earliest_armed(platform, m_);
        if (platform.armed(cpu) > platform.now()) platform.set_now(platform.armed(cpu));
        timers_.expire(cpu, platform.now());
        serve();
    }
    // The tickle decision for v alone (no mark, no kick): the core's own query.
    CpuId tickle_target(const Vcpu& v) const { return sched_->tickle_target(v); }
    void prepare_tickle() {}
    Vcpu& first_added() { return vcpus_.front(); }
    uint64_t walked() const { return 0; }
    // The core's own invariant check (O(n + m)), run after each timed loop.
    const char* broken_invariant() const { return sched_->verify(); }

    FakePlatform platform;

private:
    CpuId m_;
    TimerCore timers_;
    std::unique_ptr<Scheduler> sched_;
    std::deque<Vcpu> vcpus_;
};

class BaselineWorld {
public:
    using V = XenVcpu;
    static constexpr const char* kName = "xen";

    explicit BaselineWorld(CpuId m) : m_(m), sched_(platform, CpuSet::first_n(m)) {}
    void add(uint32_t i, bool cbs) {
        XenVcpu& v = vcpus_.emplace_back();
        v.period = v.budget = from_us(scenario_period_us(i));
        v.wake_rule = cbs ? XenWakeRule::Cbs : XenWakeRule::Deferrable;
        v.affinity = CpuSet::first_n(m_);
        sched_.insert(v);
        serve();
    }
    void serve() {
        serve_kicks(platform, [this](CpuId c) { sched_.schedule(c); });
    }
    XenVcpu* current(CpuId c) const { return sched_.current(c); }
    void block(XenVcpu& v) { sched_.block(v); }
    void wake(XenVcpu& v) { sched_.wake(v); }
    // Same event order as rthv's: Xen's single replenishment timer competes with the per-CPU
    // budget timers; whichever is earliest fires.
    void fire_next_timer() {
        CpuId cpu = earliest_armed(platform, m_);
        Time budget_at = platform.armed(cpu);
        Time repl_at = sched_.next_replenishment();
        Time at = repl_at <= budget_at ? repl_at : budget_at;
        if (at > platform.now()) platform.set_now(at);
        if (repl_at <= budget_at) {
            sched_.replenish_due();
        } else {
            platform.arm(cpu, kTimeNever);
            sched_.schedule(cpu);
        }
        serve();
    }
    CpuId tickle_target(const XenVcpu& v) const { return sched_.tickle_target(v); }
    void prepare_tickle() {}
    XenVcpu& first_added() { return vcpus_.front(); }
    const char* broken_invariant() const {
        for (CpuId c = 0; c < m_; ++c)
            if (sched_.current(c) != nullptr && !sched_.current(c)->running)
                return "baseline: a CPU's current VCPU is not marked running";
        return nullptr;
    }
    uint64_t walked() const { return sched_.walked(); }

    FakePlatform platform;

private:
    CpuId m_;
    XenRtBaseline sched_;
    std::deque<XenVcpu> vcpus_;
};

} // namespace rthv::bench
