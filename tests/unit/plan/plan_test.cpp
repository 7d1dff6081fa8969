// The planner's search: bandwidth never below the task utilisation, overhead folded into the
// budget, the cheapest candidate chosen, RM partitions covering every task.
#include "hv/plan/plan.hpp"

#include <gtest/gtest.h>

namespace rthv::plan {
namespace {

Request request(std::initializer_list<Task> tasks) {
    Request r;
    for (const Task& t : tasks) r.tasks.tasks[r.tasks.count++] = t;
    return r;
}

TEST(Plan, CheapestCandidateAndOverheadInTheBudget) {
    Request r = request({{1000, 10000, 10000}, {2000, 20000, 15000}, {3000, 40000, 40000}});
    static Plan p;
    make_plan(r, p);
    ASSERT_TRUE(p.ok) << p.why;
    EXPECT_EQ(p.candidate_count, kMaxCandidates);
    EXPECT_GE(p.bandwidth_ppm, p.task_ppm);
    for (uint32_t i = 0; i < p.candidate_count; ++i)
        if (p.candidates[i].budget_us != 0) {
            EXPECT_LE(p.bandwidth_ppm, p.candidates[i].bandwidth_ppm);
        }
    r.overhead_us = 25;
    r.period_min = r.period_max = p.period_us;
    static Plan q;
    make_plan(r, q);
    ASSERT_TRUE(q.ok);
    EXPECT_EQ(q.budget_us, p.analysed_us + 25);
    EXPECT_EQ(q.analysed_us, p.analysed_us);
}

TEST(Plan, DeferrableNeverCheaperThanCbs) {
    Request r = request({{700, 5000, 5000}, {900, 7500, 7500}});
    for (uint64_t period = 500; period <= 5000; period += 500) {
        r.period_min = r.period_max = period;
        static Plan cbs, def;
        r.server = ServerRule::Cbs;
        make_plan(r, cbs);
        r.server = ServerRule::Deferrable;
        make_plan(r, def);
        ASSERT_TRUE(cbs.ok);
        if (def.ok) {
            EXPECT_GE(def.budget_us, cbs.budget_us) << period;
        }
    }
}

TEST(Plan, RmOnSeveralVcpusPartitionsEveryTask) {
    Request r = request({{3000, 10000, 10000},
                         {4000, 10000, 10000},
                         {5000, 20000, 20000},
                         {6000, 20000, 20000},
                         {2000, 5000, 5000}});
    r.guest = GuestSched::Rm;
    r.vcpus = 4;
    static Plan p;
    make_plan(r, p);
    ASSERT_TRUE(p.ok) << p.why;
    uint64_t worst = 0;
    for (uint32_t v = 0; v < 4; ++v) worst = p.need_us[v] > worst ? p.need_us[v] : worst;
    EXPECT_EQ(worst, p.analysed_us);
    for (uint32_t i = 0; i < r.tasks.count; ++i) EXPECT_LT(p.vcpu_of[i], 4u);
}

TEST(Plan, RefusesWhatCannotBeScheduled) {
    Request r = request({{6000, 10000, 10000}, {6000, 10000, 10000}});
    static Plan p;
    make_plan(r, p);
    EXPECT_FALSE(p.ok);
    EXPECT_STRNE(p.why, "");
    r.vcpus = 2;
    make_plan(r, p);
    EXPECT_TRUE(p.ok) << p.why;
}

} // namespace
} // namespace rthv::plan
