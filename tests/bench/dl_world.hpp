// The SCHED_DEADLINE-shaped baseline (dl_baseline.hpp) behind the same benchmark calls as
// RthvWorld and BaselineWorld (bench_worlds.hpp): same VCPUs, same platform, same events.
#pragma once

#include "hv/sched/params.hpp"
#include "tests/bench/bench_worlds.hpp"
#include "tests/bench/dl_baseline.hpp"

#include <deque>

namespace rthv::bench {

class DlWorld {
public:
    using V = DlVcpu;
    static constexpr const char* kName = "dl";

    explicit DlWorld(CpuId m) : m_(m), sched_(platform, m) {}
    void add(uint32_t i, bool cbs) {
        DlVcpu& v = vcpus_.emplace_back();
        v.period = v.budget = from_us(scenario_period_us(i));
        v.extratime = Params{}.extratime;
        v.cbs = cbs;
        sched_.insert(v);
        serve();
    }
    void serve() {
        serve_kicks(platform, [this](CpuId c) { sched_.schedule(c); });
    }
    DlVcpu* current(CpuId c) const { return sched_.current(c); }
    void block(DlVcpu& v) { sched_.block(v); }
    void wake(DlVcpu& v) { sched_.wake(v); }
    // As RthvWorld: the earliest armed CPU timer fires (replenishments and budget ends).
    void fire_next_timer() {
        CpuId cpu = earliest_armed(platform, m_);
        if (platform.armed(cpu) > platform.now()) platform.set_now(platform.armed(cpu));
        sched_.expire(cpu, platform.now());
        serve();
    }
    CpuId tickle_target(const DlVcpu& v) const { return sched_.tickle_target(v); }
    void prepare_tickle() {}
    DlVcpu& first_added() { return vcpus_.front(); }
    uint64_t walked() const { return 0; }
    const char* broken_invariant() const { return sched_.verify(); }

    FakePlatform platform;

private:
    CpuId m_;
    DlBaseline sched_;
    std::deque<DlVcpu> vcpus_;
};

} // namespace rthv::bench
