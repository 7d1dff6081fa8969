// The search: for each candidate period, the least budget by bisection (every test is monotone
// in the budget: a larger θ never lowers the supply bound), then the cheapest bandwidth.
#include "hv/plan/plan.hpp"

namespace rthv::plan {
namespace {

bool passes(const TaskSet& ts, GuestSched guest, const Supply& s) {
    if (s.kind == SupplyKind::Mpr || s.vcpus > 1) return gedf_schedulable(ts, s);
    return guest == GuestSched::Edf ? edf_schedulable(ts, s) : rm_schedulable(ts, s);
}

// Least x in [1, hi] with ok(x), 0 if none; ok must be monotone.
template <typename Ok>
uint64_t bisect(uint64_t hi, Ok ok) {
    if (!ok(hi)) return 0;
    uint64_t lo = 0; // ok(0) is false for any non-empty task set
    while (hi - lo > 1) {
        const uint64_t mid = lo + (hi - lo) / 2;
        if (ok(mid))
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

// Worst-fit decreasing by utilisation: keeps the VCPUs' loads even, so the largest per-VCPU
// budget (the uniform one a config can express) stays small.
void partition(const TaskSet& ts, uint32_t vcpus, uint8_t (&vcpu_of)[kMaxTasks]) {
    uint32_t order[kMaxTasks];
    for (uint32_t i = 0; i < ts.count; ++i) order[i] = i;
    auto u = [&](uint32_t i) { return ts.tasks[i].wcet_us * 1000000 / ts.tasks[i].period_us; };
    for (uint32_t i = 1; i < ts.count; ++i)
        for (uint32_t j = i; j > 0 && u(order[j - 1]) < u(order[j]); --j) {
            uint32_t tmp = order[j];
            order[j] = order[j - 1];
            order[j - 1] = tmp;
        }
    uint64_t load[kMaxVcpus] = {};
    for (uint32_t n = 0; n < ts.count; ++n) {
        uint32_t best = 0;
        for (uint32_t v = 1; v < vcpus; ++v)
            if (load[v] < load[best]) best = v;
        vcpu_of[order[n]] = static_cast<uint8_t>(best);
        load[best] += u(order[n]);
    }
}

SupplyKind kind_of(ServerRule r) {
    return r == ServerRule::Cbs ? SupplyKind::Cbs : SupplyKind::Deferrable;
}

// The analysed per-VCPU budget at `period` (0 = none fits), filling each VCPU's need.
uint64_t analyse(const Request& req, uint64_t period, const uint8_t (&vcpu_of)[kMaxTasks],
                 uint64_t (&need)[kMaxVcpus]) {
    const SupplyKind kind = kind_of(req.server);
    if (req.vcpus == 1 || req.guest == GuestSched::Edf) {
        const uint64_t each = min_budget(req.tasks, req.guest, kind, period, req.vcpus);
        for (uint32_t v = 0; v < req.vcpus; ++v) need[v] = each;
        return each;
    }
    uint64_t worst = 0;
    for (uint32_t v = 0; v < req.vcpus; ++v) {
        TaskSet mine;
        for (uint32_t i = 0; i < req.tasks.count; ++i)
            if (vcpu_of[i] == v) mine.tasks[mine.count++] = req.tasks.tasks[i];
        need[v] = mine.count == 0 ? 0 : min_budget(mine, req.guest, kind, period, 1);
        if (mine.count != 0 && need[v] == 0) return 0;
        if (need[v] > worst) worst = need[v];
    }
    return worst;
}

} // namespace

uint64_t min_budget(const TaskSet& ts, GuestSched guest, SupplyKind kind, uint64_t period,
                    uint32_t vcpus) {
    return bisect(period, [&](uint64_t b) { return passes(ts, guest, {kind, period, b, vcpus}); });
}

uint64_t min_mpr_budget(const TaskSet& ts, uint64_t period, uint32_t m) {
    return bisect(period * m, [&](uint64_t b) {
        return gedf_schedulable(ts, {SupplyKind::Mpr, period, b, m});
    });
}

const char* guest_name(GuestSched g) { return g == GuestSched::Edf ? "edf" : "rm"; }
const char* server_name(ServerRule r) { return r == ServerRule::Cbs ? "cbs" : "deferrable"; }

void make_plan(const Request& req, Plan& out) {
    out = Plan{};
    out.vcpus = req.vcpus;
    out.task_ppm = utilisation_ppm(req.tasks);
    if (req.tasks.count == 0) return static_cast<void>(out.why = "empty task set");
    if (req.vcpus == 0 || req.vcpus > kMaxVcpus)
        return static_cast<void>(out.why = "bad VCPU count");
    uint64_t lo = req.period_min, hi = req.period_max;
    if (lo == 0 && hi == 0) {
        hi = ~uint64_t{0};
        for (uint32_t i = 0; i < req.tasks.count; ++i)
            if (req.tasks.tasks[i].period_us < hi) hi = req.tasks.tasks[i].period_us;
        lo = hi / 8;
    }
    if (lo < kMinBudgetUs) lo = kMinBudgetUs;
    if (hi < lo || hi > kMaxTimeUs) return static_cast<void>(out.why = "bad period range");
    if (req.guest == GuestSched::Rm && req.vcpus > 1) partition(req.tasks, req.vcpus, out.vcpu_of);
    // Up to kMaxCandidates periods spread evenly over [lo, hi], both ends included.
    const uint64_t span = hi - lo, steps = span < kMaxCandidates - 1 ? span : kMaxCandidates - 1;
    uint64_t need[kMaxVcpus] = {};
    for (uint64_t s = 0; s <= steps; ++s) {
        const uint64_t period = steps == 0 ? lo : lo + span * s / steps;
        Candidate& c = out.candidates[out.candidate_count++];
        c.period_us = period;
        const uint64_t analysed = analyse(req, period, out.vcpu_of, need);
        uint64_t budget = analysed + req.overhead_us;
        if (budget < kMinBudgetUs) budget = kMinBudgetUs;
        if (analysed == 0 || budget > period) continue;
        c.budget_us = budget;
        c.bandwidth_ppm = (req.vcpus * budget * 1000000 + period - 1) / period;
        // Cheapest bandwidth; on a tie the longer period (fewer switches per second).
        if (!out.ok || c.bandwidth_ppm <= out.bandwidth_ppm) {
            out.ok = true;
            out.period_us = period;
            out.budget_us = budget;
            out.analysed_us = analysed;
            out.bandwidth_ppm = c.bandwidth_ppm;
            for (uint32_t v = 0; v < kMaxVcpus; ++v) out.need_us[v] = need[v];
        }
    }
    if (!out.ok) {
        out.why = "no budget up to the period makes the task set schedulable in the range tried";
        return;
    }
    if (req.guest == GuestSched::Edf && req.vcpus > 1 && req.server == ServerRule::Cbs)
        out.mpr_budget_us = min_mpr_budget(req.tasks, out.period_us, req.vcpus);
}

} // namespace rthv::plan
