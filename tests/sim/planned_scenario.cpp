// Builds PlannedCase scenarios (planned_scenario.hpp). Periods come from a small harmonic-ish
// menu so hyperperiods stay at 120 ms and a 300 ms run covers the worst phases more than twice.
#include "tests/sim/planned_scenario.hpp"

#include "tests/sim/random_scenario.hpp"
#include "tools/sim/rng.hpp"

#include <algorithm>
#include <sstream>

namespace rthv::simtest {
namespace {

using sim::Rng;

constexpr uint64_t kTaskPeriodsUs[] = {2000,  3000,  4000,  5000,  6000,  8000, 10000,
                                       12000, 15000, 20000, 24000, 30000, 40000};

// n utilisations (ppm) summing to `total`, uniformly spread (UUniFast on integers).
void split(Rng& rng, uint32_t n, uint64_t total, uint64_t* out) {
    uint64_t left = total;
    for (uint32_t i = 0; i + 1 < n; ++i) {
        const uint64_t take = left * rng.range(0, 1000) / 1000 / (n - i) * 2;
        out[i] = std::min(take, left);
        left -= out[i];
    }
    out[n - 1] = left;
}

void draw_tasks(Rng& rng, uint32_t vcpus, plan::TaskSet& ts) {
    const uint32_t n = static_cast<uint32_t>(rng.range(vcpus, std::min<uint64_t>(4 * vcpus, 8)));
    uint64_t u[plan::kMaxTasks];
    split(rng, n, rng.range(50'000, 600'000) * vcpus, u);
    ts = plan::TaskSet{};
    for (uint32_t i = 0; i < n; ++i) {
        plan::Task t;
        t.period_us = kTaskPeriodsUs[rng.range(0, std::size(kTaskPeriodsUs) - 1)];
        t.wcet_us = std::clamp<uint64_t>(u[i] * t.period_us / 1'000'000, 1, t.period_us * 9 / 10);
        t.deadline_us = rng.chance(50) ? t.period_us : rng.range(t.period_us / 2, t.period_us);
        t.deadline_us = std::max(t.deadline_us, t.wcet_us);
        ts.tasks[ts.count++] = t;
    }
}

sim::VcpuSpec planned_vcpu(Rng& rng, const PlannedCase& c, uint32_t v, uint64_t budget) {
    sim::VcpuSpec s;
    s.name = "plan" + std::to_string(v);
    s.domain = "plan";
    s.period_us = c.plan.period_us;
    s.budget_us = budget;
    s.extratime = false; // the plan must hold without idle time
    s.wake_rule =
        c.request.server == plan::ServerRule::Cbs ? sim::WakeRule::Cbs : sim::WakeRule::Deferrable;
    s.workload.kind = sim::WorkloadKind::Tasks;
    s.workload.guest_rm = c.request.guest == plan::GuestSched::Rm;
    // Several VCPUs: partitioned RM gives each its own tasks; global EDF shares all of them.
    const bool partitioned = c.request.vcpus > 1 && c.request.guest == plan::GuestSched::Rm;
    if (c.request.vcpus > 1 && !partitioned) s.workload.group = "plan";
    for (uint32_t i = 0; i < c.request.tasks.count; ++i) {
        if (partitioned && c.plan.vcpu_of[i] != v) continue;
        const plan::Task& t = c.request.tasks.tasks[i];
        s.workload.tasks.push_back(
            {from_us(t.wcet_us), from_us(t.period_us), from_us(t.deadline_us)});
    }
    // Releases at a random phase against the VCPU's grid; half the time sporadic delays.
    s.workload.offset = from_us(rng.range(0, c.plan.period_us - 1));
    s.workload.jitter = rng.chance(50) ? from_us(rng.range(0, 3000)) : 0;
    return s;
}

sim::VcpuSpec neighbour(Rng& rng, uint32_t i, bool deferrable) {
    sim::VcpuSpec s;
    s.name = "n" + std::to_string(i);
    s.domain = s.name;
    const uint64_t periods[] = {500, 1000, 1500, 2000, 3000, 5000, 7000, 10000};
    s.period_us = periods[rng.range(0, std::size(periods) - 1)];
    s.budget_us = rng.range(s.period_us / 10, s.period_us * 9 / 10);
    s.extratime = false;
    if (!deferrable && rng.chance(50)) return s; // busy: always runnable, never defers
    // A server that blocks at random: a late, sporadic burst pattern (deferring VCPU), under the
    // CBS wake rule unless asked for Xen's.
    s.wake_rule = deferrable ? sim::WakeRule::Deferrable : sim::WakeRule::Cbs;
    s.workload.kind = sim::WorkloadKind::Sporadic;
    s.workload.wcet = from_us(rng.range(10, s.budget_us));
    s.workload.min_gap = from_us(rng.range(s.period_us / 2, 2 * s.period_us));
    s.workload.max_gap = 2 * s.workload.min_gap;
    s.workload.offset = from_us(rng.range(0, s.period_us));
    return s;
}

} // namespace

bool planned_case(uint64_t seed, const PlanCaseOptions& opt, uint32_t shrink_permille,
                  PlannedCase& c) {
    Rng rng(seed);
    c = PlannedCase{};
    plan::Request& r = c.request;
    r.guest = rng.chance(50) ? plan::GuestSched::Edf : plan::GuestSched::Rm;
    r.server = rng.chance(50) ? plan::ServerRule::Cbs : plan::ServerRule::Deferrable;
    r.vcpus = opt.multi_vcpu && rng.chance(30) ? static_cast<uint32_t>(rng.range(2, 3)) : 1;
    draw_tasks(rng, r.vcpus, r.tasks);
    plan::make_plan(r, c.plan);
    if (!c.plan.ok) return false;
    uint64_t budget = c.plan.budget_us;
    if (shrink_permille > 0) {
        const uint64_t cut = std::max<uint64_t>(1, budget * shrink_permille / 1000);
        budget = budget > cut + 10 ? budget - cut : 10;
    }
    sim::Scenario& s = c.scenario;
    s.seed = seed;
    s.duration = opt.duration;
    s.pcpus = static_cast<CpuId>(r.vcpus == 1 ? rng.range(1, 2) : rng.range(2, 4));
    s.pools.push_back({"Pool-0", CpuSet::first_n(s.pcpus)});
    for (uint32_t v = 0; v < r.vcpus; ++v) s.vcpus.push_back(planned_vcpu(rng, c, v, budget));
    c.planned = r.vcpus;
    if (!passes_gfb(s, 0)) return false; // the plan alone does not fit this machine
    // Neighbours, each shrunk until the pool passes GFB: as much competition as allowed.
    const uint32_t n = static_cast<uint32_t>(rng.range(1, 4));
    for (uint32_t i = 0; i < n; ++i) {
        s.vcpus.push_back(neighbour(rng, i, opt.deferrable_neighbours));
        sim::VcpuSpec& nb = s.vcpus.back();
        while (!passes_gfb(s, 0) && nb.budget_us > 10) {
            nb.budget_us = std::max<uint64_t>(10, nb.budget_us * 9 / 10);
            nb.workload.wcet = std::min(nb.workload.wcet, from_us(nb.budget_us));
        }
        if (!passes_gfb(s, 0)) s.vcpus.pop_back();
    }
    std::ostringstream o;
    o << "guest " << plan::guest_name(r.guest) << ", server " << plan::server_name(r.server) << ", "
      << r.vcpus << " VCPU(s), tasks";
    for (uint32_t i = 0; i < r.tasks.count; ++i)
        o << " " << r.tasks.tasks[i].wcet_us << "/" << r.tasks.tasks[i].period_us << "/"
          << r.tasks.tasks[i].deadline_us;
    o << "; plan " << budget << "/" << c.plan.period_us << "; " << describe(s);
    c.text = o.str();
    return true;
}

} // namespace rthv::simtest
