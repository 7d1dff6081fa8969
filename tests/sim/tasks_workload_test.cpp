// The hierarchical workload (workload=tasks): parsing, and that the guest's own scheduler really
// decides which task runs. On a dedicated CPU, (2 ms / 5 ms) + (4 ms / 7 ms) (U = 0.971) meets
// every deadline under EDF and misses under RM (task 2 needs 4 + 2·2 = 8 ms by 7 ms).
#include "tools/sim/engine.hpp"
#include "tools/sim/sched_port.hpp"

#include <gtest/gtest.h>

namespace rthv::sim {
namespace {

Scenario dedicated(const char* guest) {
    ParseResult r = parse_scenario(std::string("pcpus 1\nduration 350\n"
                                               "vcpu vm period=1000 budget=1000 extratime=no "
                                               "workload=tasks tasks=2000/5000,4000/7000 guest=") +
                                   guest + "\n");
    EXPECT_FALSE(r.error) << r.error->to_string();
    return *r.scenario;
}

uint64_t misses(const Scenario& s) {
    Engine e(s, make_core_port);
    e.run();
    EXPECT_TRUE(e.errors().empty());
    EXPECT_GT(e.workload(0).stats().completed, 30u);
    return e.workload(0).stats().misses;
}

TEST(TasksWorkload, ParsesTheTaskSetAndPolicy) {
    ParseResult r = parse_scenario("pcpus 1\nvcpu a workload=tasks tasks=1000/10000,2000/20000/"
                                   "15000 guest=rm offset=30 jitter=500\n");
    ASSERT_FALSE(r.error) << r.error->to_string();
    const WorkloadSpec& w = r.scenario->vcpus[0].workload;
    EXPECT_EQ(w.kind, WorkloadKind::Tasks);
    ASSERT_EQ(w.tasks.size(), 2u);
    EXPECT_EQ(w.tasks[1].deadline, 15'000'000u);
    EXPECT_TRUE(w.guest_rm);
    EXPECT_EQ(w.offset, 30'000u);
    EXPECT_EQ(w.jitter, 500'000u);
}

TEST(TasksWorkload, BadLinesAreRefusedWithTheirReason) {
    const char* bad[] = {
        "vcpu a workload=tasks",                       // no tasks
        "vcpu a workload=tasks tasks=5/3",             // C > D
        "vcpu a workload=tasks tasks=1/10 guest=fifo", // unknown policy
        "vcpu a workload=tasks tasks=1/10 wcet=5",     // not a key of this workload
        "vcpu a workload=busy tasks=1/10",             // tasks only for workload=tasks
    };
    for (const char* line : bad) {
        ParseResult r = parse_scenario(std::string("pcpus 1\n") + line + "\n");
        ASSERT_TRUE(r.error) << line;
        EXPECT_EQ(r.error->line, 2) << line;
    }
}

TEST(TasksWorkload, TheGuestPolicyDecides) {
    EXPECT_EQ(misses(dedicated("edf")), 0u);
    EXPECT_GT(misses(dedicated("rm")), 0u);
}

// A group: one guest over two VCPUs. Two 6/10 ms tasks cannot share one dedicated VCPU, but a
// guest scheduling them globally over two VCPUs (two pCPUs) meets every deadline, and the jobs
// are counted once for the group (each member reports the same numbers).
TEST(TasksWorkload, AGroupIsOneGuestOverSeveralVcpus) {
    const std::string vcpu = " period=1000 budget=1000 extratime=no workload=tasks "
                             "tasks=6000/10000,6000/10000 group=vm\n";
    ParseResult two =
        parse_scenario("pcpus 2\nduration 200\nvcpu vm.0" + vcpu + "vcpu vm.1" + vcpu);
    ParseResult one = parse_scenario("pcpus 2\nduration 200\nvcpu vm.0" + vcpu);
    ASSERT_FALSE(two.error || one.error);
    Engine e(*two.scenario, make_core_port);
    e.run();
    EXPECT_TRUE(e.errors().empty());
    EXPECT_EQ(e.workload(0).stats().released, 40u); // 2 tasks x 20 periods, once for the group
    EXPECT_EQ(e.workload(1).stats().released, 40u);
    EXPECT_EQ(e.workload(0).stats().misses, 0u);
    EXPECT_GT(misses(*one.scenario), 0u);
    // Members must agree on the guest they share.
    ParseResult bad = parse_scenario("pcpus 2\nvcpu a workload=tasks tasks=1/10 group=g\n"
                                     "vcpu b workload=tasks tasks=2/10 group=g\n");
    ASSERT_TRUE(bad.error);
    EXPECT_EQ(bad.error->line, 3);
}

} // namespace
} // namespace rthv::sim
