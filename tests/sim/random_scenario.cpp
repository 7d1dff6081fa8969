// Random scenario generation: a mix of period scales, budgets, wake rules, workloads,
// affinities and pools, all drawn from one seed.
#include "tests/sim/random_scenario.hpp"

#include "tools/sim/rng.hpp"

#include <algorithm>
#include <sstream>

namespace rthv::simtest {

using sim::Rng;
using sim::Scenario;
using sim::VcpuSpec;
using sim::WorkloadKind;

uint64_t util_ppm(const VcpuSpec& v) {
    return (v.budget_us * 1'000'000 + v.period_us - 1) / v.period_us;
}

bool passes_gfb(const Scenario& s, size_t pool) {
    uint64_t total = 0, umax = 0;
    for (const VcpuSpec& v : s.vcpus) {
        if (v.pool != pool) continue;
        total += util_ppm(v);
        umax = std::max(umax, util_ppm(v));
    }
    const uint64_t m = s.pools[pool].cpus.count();
    return total <= m * 1'000'000 - (m - 1) * umax;
}

namespace {

uint64_t random_period_us(Rng& rng) {
    static const uint64_t kScales[] = {100, 200, 500, 1000, 2000, 5000, 10000};
    uint64_t base = kScales[rng.range(0, 6)];
    return rng.chance(50) ? base : rng.range(base / 2, base * 2);
}

void random_workload(Rng& rng, VcpuSpec& v, const RandomOptions& opt) {
    const Duration period = from_us(v.period_us), budget = from_us(v.budget_us);
    sim::WorkloadSpec& w = v.workload;
    uint64_t pick = rng.range(0, opt.non_deferring_only ? 1 : 4);
    if (pick == 0) {
        w.kind = WorkloadKind::Busy;
    } else if (pick == 1) { // periodic at its own period start, demand <= budget
        w.kind = WorkloadKind::Periodic;
        w.wcet = rng.range(1000, budget);
    } else if (pick == 2) { // periodic with another period, offset and jitter
        w.kind = WorkloadKind::Periodic;
        w.job_period = rng.range(period / 2, period * 2);
        w.wcet = rng.range(1000, w.job_period);
        w.offset = rng.range(0, period);
        w.jitter = rng.range(0, w.job_period / 4);
    } else {
        w.kind = pick == 3 ? WorkloadKind::Sporadic : WorkloadKind::Interactive;
        w.min_gap = rng.range(period / 4, period * 2);
        w.max_gap = w.min_gap + rng.range(0, period * 3);
        w.wcet = rng.range(1000, std::max<Duration>(1000, budget * 2));
        w.offset = rng.range(0, period);
    }
}

// Scales every budget of `pool` down until the set passes GFB.
void fit_gfb(Scenario& s, size_t pool) {
    while (!passes_gfb(s, pool)) {
        bool shrunk = false;
        for (VcpuSpec& v : s.vcpus) {
            if (v.pool != pool || v.budget_us <= 10) continue;
            v.budget_us = std::max<uint64_t>(10, v.budget_us * 9 / 10);
            if (v.workload.kind == WorkloadKind::Periodic)
                v.workload.wcet = std::min(v.workload.wcet, from_us(v.budget_us));
            shrunk = true;
        }
        if (shrunk) continue;
        // Every budget is at the 10 us minimum: drop the pool's last VCPU.
        for (size_t i = s.vcpus.size(); i-- > 0;) {
            if (s.vcpus[i].pool != pool) continue;
            s.vcpus.erase(s.vcpus.begin() + static_cast<std::ptrdiff_t>(i));
            break;
        }
    }
}

} // namespace

Scenario random_scenario(uint64_t seed, const RandomOptions& opt) {
    Rng rng(seed);
    Scenario s;
    s.seed = seed;
    s.duration = opt.duration;
    s.control_gap = opt.control_gap;
    s.pcpus = static_cast<CpuId>(rng.range(1, opt.max_cpus));
    s.pools.push_back({"Pool-0", CpuSet::first_n(s.pcpus)});
    if (opt.allow_pools && s.pcpus >= 2 && rng.chance(20)) {
        CpuId split = static_cast<CpuId>(rng.range(1, s.pcpus - 1));
        CpuSet second = CpuSet::first_n(s.pcpus) & ~CpuSet::first_n(split);
        s.pools[0].cpus = CpuSet::first_n(split);
        s.pools.push_back({"Pool-1", second});
    }
    if (opt.allow_overhead && rng.chance(30)) {
        s.overhead.per_schedule = rng.range(0, 5000);
        s.overhead.per_timer = rng.range(0, 2000);
    }
    if (opt.late_timers) {
        s.timers.late = rng.range(0, 500'000);
        if (opt.timer_jitter) s.timers.jitter = rng.range(0, 500'000);
    }
    const uint32_t n = static_cast<uint32_t>(rng.range(1, opt.max_vcpus));
    for (uint32_t i = 0; i < n; ++i) {
        VcpuSpec v;
        v.name = "v" + std::to_string(i);
        v.domain = v.name;
        v.period_us = random_period_us(rng);
        v.budget_us = rng.range(10, v.period_us);
        v.extratime = opt.allow_extratime && rng.chance(40);
        v.wake_rule =
            opt.all_cbs || rng.chance(30) ? sim::WakeRule::Cbs : sim::WakeRule::Deferrable;
        v.pool = rng.range(0, s.pools.size() - 1);
        const CpuSet pool_cpus = s.pools[v.pool].cpus;
        if (opt.allow_restricted_affinity && rng.chance(15)) {
            CpuSet a;
            for (CpuId c = 0; c < s.pcpus; ++c)
                if (rng.chance(50)) a.set(c);
            if (!(a & pool_cpus).empty()) v.affinity = a;
        }
        random_workload(rng, v, opt);
        s.vcpus.push_back(v);
    }
    if (opt.fit_gfb)
        for (size_t p = 0; p < s.pools.size(); ++p) fit_gfb(s, p);
    return s;
}

std::string describe(const Scenario& s) {
    std::ostringstream o;
    o << "seed " << s.seed << ": " << s.pcpus << " pCPUs, " << s.pools.size() << " pools, "
      << s.vcpus.size() << " VCPUs, timers late " << s.timers.late << "+" << s.timers.jitter
      << " ns:";
    for (const VcpuSpec& v : s.vcpus)
        o << " [" << v.name << " " << v.budget_us << "/" << v.period_us
          << (v.extratime ? " et" : "") << (v.wake_rule == sim::WakeRule::Cbs ? " cbs" : "")
          << " wl" << static_cast<int>(v.workload.kind) << " pool" << v.pool << "]";
    return o.str();
}

} // namespace rthv::simtest
