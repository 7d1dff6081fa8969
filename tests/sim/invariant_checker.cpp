// The per-instant invariant checks (see invariant_checker.hpp).
#include "tests/sim/invariant_checker.hpp"

#include <algorithm>

namespace rthv::simtest {

using sim::Engine;
using sim::ServerView;

InvariantChecker::InvariantChecker(const sim::Scenario& s, uint64_t verify_every)
    : s_(s), verify_every_(verify_every), full_affinity_pool_(s.pools.size(), true),
      period_use_(s.vcpus.size()), deadline_at_last_instant_(s.vcpus.size(), 0),
      was_running_(s.vcpus.size(), false) {
    for (const sim::VcpuSpec& v : s.vcpus)
        if (!(s.effective_affinity(v) == s.pools[v.pool].cpus)) full_affinity_pool_[v.pool] = false;
}

sim::InstantHook InvariantChecker::hook() {
    return [this](const Engine& e, Time now) { check(e, now); };
}

void InvariantChecker::fail(Time now, const std::string& what) {
    if (failures_.size() < 10) failures_.push_back("t=" + std::to_string(now) + ": " + what);
}

void InvariantChecker::check(const Engine& e, Time now) {
    ++instants_;
    account_budget(e, now);
    // verify() walks every structure of the core (O(n + m) per pool): still the costly part,
    // so sampled.
    if (instants_ % verify_every_ == 0)
        if (const char* broken = e.port().verify()) fail(now, std::string("verify: ") + broken);
    std::vector<int> on_cpus(s_.vcpus.size(), 0);
    for (CpuId c = 0; c < s_.pcpus; ++c) {
        int32_t cur = e.current(c);
        if (cur < 0) continue;
        if (++on_cpus[static_cast<size_t>(cur)] > 1)
            fail(now, s_.vcpus[static_cast<size_t>(cur)].name + " runs on two pCPUs");
        if (!s_.effective_affinity(s_.vcpus[static_cast<size_t>(cur)]).test(c))
            fail(now, s_.vcpus[static_cast<size_t>(cur)].name + " runs outside its affinity");
    }
    for (uint32_t v = 0; v < s_.vcpus.size(); ++v) {
        ServerView sv = e.port().view(v);
        if (!sv.eligible || e.running_on(v) >= 0) continue;
        const CpuSet mask = s_.effective_affinity(s_.vcpus[v]);
        for (CpuId c = mask.first(); c != CpuSet::kNone; c = mask.next(c + 1))
            if (e.current(c) < 0)
                fail(now,
                     "cpu " + std::to_string(c) + " idles while " + s_.vcpus[v].name + " waits");
    }
    for (size_t p = 0; p < s_.pools.size(); ++p)
        if (full_affinity_pool_[p]) check_running_set(e, now, p);
}

void InvariantChecker::check_running_set(const Engine& e, Time now, size_t pool) {
    struct Entry {
        uint32_t level;
        Time deadline;
        uint64_t seq;
        uint32_t v;
    };
    std::vector<Entry> eligible;
    for (uint32_t v = 0; v < s_.vcpus.size(); ++v) {
        if (s_.vcpus[v].pool != pool) continue;
        ServerView sv = e.port().view(v);
        if (sv.eligible) eligible.push_back({sv.level, sv.deadline, sv.seq, v});
    }
    std::sort(eligible.begin(), eligible.end(), [](const Entry& a, const Entry& b) {
        if (a.level != b.level) return a.level < b.level;
        if (a.deadline != b.deadline) return a.deadline < b.deadline;
        return a.seq < b.seq;
    });
    const size_t m = s_.pools[pool].cpus.count();
    for (size_t i = 0; i < eligible.size(); ++i) {
        const bool running = e.running_on(eligible[i].v) >= 0;
        if (running != (i < m))
            fail(now, s_.vcpus[eligible[i].v].name + (running ? " runs" : " waits") +
                          " but is number " + std::to_string(i + 1) + " by key on " +
                          std::to_string(m) + " pCPUs");
    }
}

// Time run since the previous instant belongs to the period the VCPU was in at that instant.
void InvariantChecker::account_budget(const Engine& e, Time now) {
    const Duration elapsed = now - last_instant_;
    for (uint32_t v = 0; v < s_.vcpus.size(); ++v) {
        const sim::VcpuSpec& spec = s_.vcpus[v];
        if (spec.extratime) continue;
        if (elapsed > 0 && was_running_[v]) {
            // Deadlines only move forward, so one running sum per VCPU suffices.
            PeriodUse& use = period_use_[v];
            if (use.deadline != deadline_at_last_instant_[v])
                use = {deadline_at_last_instant_[v], 0};
            use.used += elapsed;
            // Late timer interrupts can stop it at most one lateness after its budget or its
            // deadline (the debt is taken from later periods: overrun_bound_test.cpp).
            if (use.used > from_us(spec.budget_us) + s_.timers.late + s_.timers.jitter)
                fail(now, spec.name + " ran " + std::to_string(use.used) +
                              " ns in one period, budget " + std::to_string(spec.budget_us) +
                              " us");
        }
        deadline_at_last_instant_[v] = e.port().view(v).deadline;
        was_running_[v] = e.running_on(v) >= 0;
    }
    last_instant_ = now;
}

} // namespace rthv::simtest
