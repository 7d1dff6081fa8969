// `tasks` / `guest_sched`: the reservation is planned from the task set, carried in Params as if
// given (so the boot applies it and admission counts it), reported in the summary, and every
// misuse is an error naming its line and key.
#include "tests/unit/config/config_test_util.hpp"

#include "hv/plan/plan.hpp"

namespace rthv::config::test {
namespace {

TEST(ConfigPlan, TasksPlanTheReservation) {
    auto p = parse_text(domain_with("tasks = \"1000/10000, 2000/20000/15000, 3000/40000\"\n"
                                    "wake = \"cbs\""));
    ASSERT_TRUE(p.ok) << all_errors(*p);
    const DomainSpec& d = p->domains[0];
    // The same answer as the planner itself (`rthv plan` on this set): period 1388, budget 393.
    plan::Request r;
    r.tasks.tasks[r.tasks.count++] = {1000, 10000, 10000};
    r.tasks.tasks[r.tasks.count++] = {2000, 20000, 15000};
    r.tasks.tasks[r.tasks.count++] = {3000, 40000, 40000};
    static plan::Plan expect;
    plan::make_plan(r, expect);
    ASSERT_TRUE(expect.ok);
    EXPECT_EQ(d.params.period_us, expect.period_us);
    EXPECT_EQ(d.params.budget_us, expect.budget_us);
    EXPECT_EQ(d.params.period_us, 1388u);
    EXPECT_EQ(d.params.budget_us, 393u);
    EXPECT_TRUE(d.planned.active);
    EXPECT_EQ(d.planned.tasks, 3u);
    EXPECT_EQ(d.planned.task_ppm, 275000u);
    char line[200];
    format_summary(*p, line, sizeof line);
    EXPECT_STREQ(line, "config: ok, 1 domain; planned: d 393/1388 us (tasks 0.275 CPU)");
}

TEST(ConfigPlan, PeriodFixesThePlannedPeriodAndRuleAndVcpusCount) {
    auto cbs = parse_text(domain_with("tasks = \"1000/10000, 2000/20000/15000, 3000/40000\"\n"
                                      "period = 5000\nwake = \"cbs\""));
    auto def = parse_text(domain_with("tasks = \"1000/10000, 2000/20000/15000, 3000/40000\"\n"
                                      "period = 5000\nguest_sched = \"rm\""));
    ASSERT_TRUE(cbs.ok && def.ok) << all_errors(*cbs) << all_errors(*def);
    EXPECT_EQ(cbs->domains[0].params.period_us, 5000u);
    EXPECT_EQ(def->domains[0].params.period_us, 5000u);
    EXPECT_EQ(def->domains[0].planned.guest, plan::GuestSched::Rm);
    EXPECT_GE(def->domains[0].params.budget_us, cbs->domains[0].params.budget_us);
    // Two VCPUs share the work (partitioned RM): each needs less than the one VCPU did.
    auto two = parse_text(domain_with("tasks = \"3000/10000, 3000/10000\"\nvcpus = 2\n"
                                      "period = 2000\nguest_sched = \"rm\""));
    auto one = parse_text(domain_with("tasks = \"3000/10000, 3000/10000\"\n"
                                      "period = 2000\nguest_sched = \"rm\""));
    ASSERT_TRUE(two.ok && one.ok) << all_errors(*two) << all_errors(*one);
    EXPECT_LT(two->domains[0].params.budget_us, one->domains[0].params.budget_us);
}

TEST(ConfigPlan, MisuseIsAnErrorOnItsLine) {
    EXPECT_EQ(only_error(parse_text(domain_with("tasks = \"1000/10000\"\nbudget = 3000"))),
              "line 4, key \"budget\": budget is planned from tasks (line 3): leave it out");
    EXPECT_EQ(only_error(parse_text(domain_with("tasks = \"1000/abc\""))),
              "line 3, key \"tasks\": task 1 (field T): expected a number of us");
    EXPECT_EQ(only_error(parse_text(domain_with("guest_sched = \"rm\""))),
              "line 3, key \"guest_sched\": applies only with tasks");
    EXPECT_EQ(only_error(parse_text(domain_with("tasks = \"1/10\"\nguest_sched = \"fifo\""))),
              "line 4, key \"guest_sched\": unknown guest scheduler (edf, rm)");
    const std::string e = only_error(parse_text(domain_with("tasks = \"9000/10000, 9000/10000\"")));
    EXPECT_EQ(e.rfind("line 3, key \"tasks\": no reservation on 1 VCPU makes these tasks "
                      "schedulable (guest edf, wake deferrable)",
                      0),
              0u)
        << e;
}

TEST(ConfigPlan, ARejectedPlanRejectsOnlyItsDomain) {
    auto p = parse_text("[domain]\nname = \"bad\"\ntasks = \"9000/10000, 9000/10000\"\n"
                        "[domain]\nname = \"good\"\ntasks = \"100/1000\"\nperiod = 500\n");
    EXPECT_FALSE(p.ok);
    EXPECT_TRUE(p->domains[0].rejected);
    ASSERT_FALSE(p->domains[1].rejected) << all_errors(*p);
    EXPECT_EQ(p->domains[1].params.period_us, 500u);
    EXPECT_GE(p->domains[1].params.budget_us, 50u);
}

// plan_overhead_us goes into the budget on top of what the analysis needs, as `rthv plan
// --overhead` does, and kernel "tasks" gets the very task set the plan was made from.
TEST(ConfigPlan, OverheadIsFoldedIntoTheBudgetAndTheTasksKernelGetsTheSet) {
    const char* tasks = "tasks = \"2000/10000, 3000/20000, 4000/40000\"\nperiod = 3000\n";
    auto bare = parse_text(domain_with(std::string(tasks) + "kernel = \"tasks\""));
    auto with = parse_text(domain_with(std::string(tasks) + "kernel = \"tasks\"\n"
                                                            "plan_overhead_us = 50"));
    ASSERT_TRUE(bare.ok && with.ok) << all_errors(*bare) << all_errors(*with);
    const DomainSpec& d = with->domains[0];
    EXPECT_EQ(d.params.budget_us, bare->domains[0].params.budget_us + 50);
    EXPECT_EQ(d.planned.overhead_us, 50u);
    EXPECT_EQ(d.workload.kind, kWorkloadTasks);
    ASSERT_EQ(d.planned.set.count, 3u);
    EXPECT_EQ(d.planned.set.tasks[1].wcet_us, 3000u);
    EXPECT_EQ(d.planned.set.tasks[1].period_us, 20000u);
    EXPECT_EQ(d.planned.set.tasks[1].deadline_us, 20000u);
    EXPECT_STREQ(workload_name(kWorkloadTasks), "tasks");
}

TEST(ConfigPlan, ARejectedTasksKernelRejectsOnlyItsDomain) {
    auto p = parse_text("[domain]\nname = \"bad\"\nkernel = \"tasks\"\nvcpus = 2\n"
                        "tasks = \"100/1000\"\n"
                        "[domain]\nname = \"good\"\nkernel = \"tasks\"\ntasks = \"100/1000\"\n");
    EXPECT_FALSE(p.ok);
    EXPECT_TRUE(p->domains[0].rejected);
    ASSERT_FALSE(p->domains[1].rejected) << all_errors(*p);
    EXPECT_EQ(p->domains[1].workload.kind, kWorkloadTasks);
    EXPECT_EQ(p->domains[1].planned.set.count, 1u);
}

TEST(ConfigPlan, TasksKernelNeedsTasksAndOneVcpu) {
    EXPECT_EQ(only_error(parse_text(domain_with("kernel = \"tasks\""))),
              "line 3, key \"kernel\": kernel \"tasks\" runs the domain's task set: add `tasks`");
    EXPECT_EQ(
        only_error(parse_text(domain_with("kernel = \"tasks\"\nvcpus = 2\n"
                                          "tasks = \"1000/10000\""))),
        "line 4, key \"vcpus\": kernel \"tasks\" schedules its tasks on one VCPU (vcpus = 2)");
    EXPECT_EQ(only_error(parse_text(domain_with("plan_overhead_us = 20"))),
              "line 3, key \"plan_overhead_us\": applies only with tasks");
    EXPECT_EQ(only_error(parse_text(domain_with("tasks = \"100/1000\"\nplan_overhead_us = -1"))),
              "line 4, key \"plan_overhead_us\": must not be negative");
}

} // namespace
} // namespace rthv::config::test
