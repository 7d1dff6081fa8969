// Global EDF plans, checked by simulation. rtds-sim has no guest scheduler shared by several
// VCPUs, so this test simulates the model the plan rests on, in unit time slots: m VCPUs, each
// handing out θ slots in every one of its periods (own random phase) at adversarial places
// (all early, all late, alternating early/late to open the 2(Π − θ) blackout, or random), and a
// guest that runs its m' highest-priority (earliest-deadline) jobs on the VCPUs supplied in each
// slot. Sporadic releases (random extra gaps) and constrained deadlines. Every planned set must
// meet every deadline; the same sets on a plain dedicated-CPU count still schedule, i.e. the
// simulation is able to see misses (checked with an undersized supply).
#include "hv/plan/plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace rthv::plan {
namespace {

struct Job {
    uint64_t deadline, left;
};

// Slots of one period (length p) that a VCPU supplies, θ of them, placed by `how`.
std::vector<bool> period_slots(std::mt19937_64& rng, uint64_t p, uint64_t theta, int how) {
    std::vector<bool> s(p, false);
    if (how == 0) std::fill(s.begin(), s.begin() + static_cast<long>(theta), true);
    if (how == 1) std::fill(s.end() - static_cast<long>(theta), s.end(), true);
    if (how == 2) {
        std::vector<uint64_t> idx(p);
        for (uint64_t i = 0; i < p; ++i) idx[i] = i;
        std::shuffle(idx.begin(), idx.end(), rng);
        for (uint64_t i = 0; i < theta; ++i) s[idx[i]] = true;
    }
    return s;
}

// Deadline misses of `ts` under global EDF on m VCPUs of (period, theta) for `horizon` slots.
uint64_t simulate(const TaskSet& ts, uint64_t period, uint64_t theta, uint32_t m, uint64_t seed,
                  uint64_t horizon) {
    std::mt19937_64 rng(seed);
    std::vector<std::vector<bool>> supply(m);
    for (uint32_t v = 0; v < m; ++v) {
        // Time 0 falls `phase` slots into one of this VCPU's periods.
        const uint64_t phase = rng() % period;
        std::vector<bool>& s = supply[v];
        // 0 = early, 1 = late, 2 = random; style 3 alternates early and late periods.
        const int style = static_cast<int>(rng() % 4);
        for (uint64_t k = 0; s.size() < horizon + phase; ++k) {
            const int how = style == 3 ? static_cast<int>(k % 2) : style;
            const auto p = period_slots(rng, period, theta, how);
            s.insert(s.end(), p.begin(), p.end());
        }
        s.erase(s.begin(), s.begin() + static_cast<long>(phase));
    }
    std::vector<uint64_t> next(ts.count, 0);
    for (uint32_t i = 0; i < ts.count; ++i) next[i] = rng() % ts.tasks[i].period_us;
    std::vector<Job> jobs;
    uint64_t misses = 0;
    for (uint64_t t = 0; t < horizon; ++t) {
        for (uint32_t i = 0; i < ts.count; ++i)
            if (next[i] == t) {
                const Task& k = ts.tasks[i];
                jobs.push_back({t + k.deadline_us, k.wcet_us});
                next[i] = t + k.period_us + (rng() % 3 == 0 ? rng() % k.period_us : 0);
            }
        uint32_t cpus = 0;
        for (uint32_t v = 0; v < m; ++v) cpus += supply[v][t] ? 1 : 0;
        std::sort(jobs.begin(), jobs.end(),
                  [](const Job& a, const Job& b) { return a.deadline < b.deadline; });
        for (uint32_t j = 0; j < cpus && j < jobs.size(); ++j) --jobs[j].left;
        std::vector<Job> still;
        for (const Job& j : jobs) {
            if (j.left == 0) continue;
            if (j.deadline <= t + 1) {
                ++misses; // unfinished at its deadline: counted once, then dropped
                continue;
            }
            still.push_back(j);
        }
        jobs = still;
    }
    return misses;
}

TaskSet draw(std::mt19937_64& rng, uint32_t m) {
    TaskSet ts;
    const uint32_t n = m + static_cast<uint32_t>(rng() % (m + 3));
    for (uint32_t i = 0; i < n; ++i) {
        Task k;
        k.period_us = 6 + rng() % 35;
        k.wcet_us = 1 + rng() % (k.period_us / 3);
        k.deadline_us = k.wcet_us + rng() % (k.period_us - k.wcet_us + 1);
        ts.tasks[ts.count++] = k;
    }
    return ts;
}

TEST(GlobalEdfBySimulation, PlannedServersMeetEveryDeadline) {
    std::mt19937_64 rng(16);
    uint32_t planned = 0, undersized_missed = 0;
    for (int round = 0; round < 300; ++round) {
        const uint32_t m = 2 + static_cast<uint32_t>(rng() % 2);
        const TaskSet ts = draw(rng, m);
        uint64_t min_t = ~uint64_t{0};
        for (uint32_t i = 0; i < ts.count; ++i) min_t = std::min(min_t, ts.tasks[i].period_us);
        const uint64_t period = 2 + rng() % (min_t - 1);
        const uint64_t theta = min_budget(ts, GuestSched::Edf, SupplyKind::Cbs, period, m);
        if (theta == 0) continue;
        ++planned;
        for (uint64_t seed = 0; seed < 4; ++seed)
            ASSERT_EQ(simulate(ts, period, theta, m, rng(), 3000), 0u)
                << "round " << round << " m=" << m << " period " << period << " theta " << theta
                << " tasks " << [&] {
                       std::string o;
                       for (uint32_t i = 0; i < ts.count; ++i)
                           o += std::to_string(ts.tasks[i].wcet_us) + "/" +
                                std::to_string(ts.tasks[i].period_us) + "/" +
                                std::to_string(ts.tasks[i].deadline_us) + " ";
                       return o;
                   }();
        // Half the planned supply: the simulation must be able to see misses at all.
        if (theta >= 2 && simulate(ts, period, theta / 2, m, rng(), 3000) > 0) ++undersized_missed;
    }
    EXPECT_GT(planned, 100u);
    EXPECT_GT(undersized_missed, planned / 10);
    std::printf("global EDF: %u planned sets, 0 misses; at half the budget %u of them missed\n",
                planned, undersized_missed);
}

} // namespace
} // namespace rthv::plan
