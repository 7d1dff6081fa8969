// Unit tests of the simulator's parts: scenario parser, event order, workloads, JSON output.
#include "tools/sim/event_queue.hpp"
#include "tools/sim/json_writer.hpp"
#include "tools/sim/scenario.hpp"
#include "tools/sim/workload.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace rthv::sim {
namespace {

TEST(ScenarioParser, ParsesEveryStatementAndKey) {
    ParseResult r = parse_scenario(R"(# comment line
pcpus 4
duration 250   # ms
seed 9
overhead schedule=2000 timer=500
pool rt cpus=2-3
vcpu a.0 period=1000 budget=300 extratime=no wake=cbs pool=rt affinity=3 workload=periodic wcet=250 job_period=2000 offset=10 jitter=5
vcpu b.1 domain=web workload=sporadic wcet=100 min_gap=500
vcpu c workload=interactive wcet=100 min_gap=500 max_gap=900
)");
    ASSERT_FALSE(r.error) << r.error->to_string();
    const Scenario& s = *r.scenario;
    EXPECT_EQ(s.pcpus, 4u);
    EXPECT_EQ(s.duration, 250'000'000u);
    EXPECT_EQ(s.seed, 9u);
    EXPECT_EQ(s.overhead.per_schedule, 2000u);
    EXPECT_EQ(s.overhead.per_timer, 500u);
    ASSERT_EQ(s.pools.size(), 2u);
    EXPECT_EQ(s.pools[0].cpus, CpuSet::first_n(2)); // Pool-0 keeps what rt did not claim
    ASSERT_EQ(s.vcpus.size(), 3u);
    const VcpuSpec& a = s.vcpus[0];
    EXPECT_EQ(a.domain, "a");
    EXPECT_EQ(a.period_us, 1000u);
    EXPECT_EQ(a.budget_us, 300u);
    EXPECT_FALSE(a.extratime);
    EXPECT_EQ(a.wake_rule, WakeRule::Cbs);
    EXPECT_EQ(a.pool, 1u);
    EXPECT_EQ(s.effective_affinity(a), CpuSet::single(3));
    EXPECT_EQ(a.workload.kind, WorkloadKind::Periodic);
    EXPECT_EQ(a.workload.wcet, 250'000u);
    EXPECT_EQ(a.workload.job_period, 2'000'000u);
    EXPECT_EQ(a.workload.offset, 10'000u);
    EXPECT_EQ(a.workload.jitter, 5'000u);
    EXPECT_EQ(a.line, 7);
    const VcpuSpec& b = s.vcpus[1];
    EXPECT_EQ(b.domain, "web");
    EXPECT_EQ(b.period_us, 10000u); // Xen's defaults
    EXPECT_EQ(b.budget_us, 4000u);
    EXPECT_TRUE(b.extratime);
    EXPECT_EQ(b.wake_rule, WakeRule::Deferrable);
    EXPECT_EQ(b.workload.max_gap, 1'000'000u); // defaults to 2 * min_gap
    EXPECT_EQ(s.vcpus[2].workload.kind, WorkloadKind::Interactive);
    EXPECT_EQ(s.vcpus[2].workload.max_gap, 900'000u);
}

struct BadCase {
    const char* text;
    int line;
    const char* message;
};

TEST(ScenarioParser, ErrorsNameTheLineAndTheProblem) {
    const BadCase cases[] = {
        {"vcpu a\n", 1, "before 'pcpus'"},
        {"pcpus 2\n\nvcpu a budget=20 period=10\n", 3, "exceeds period"},
        {"pcpus 2\nvcpu a budget=5\n", 2, "below the 10 us minimum"},
        {"pcpus 2\nvcpu a period=abc\n", 2, "'period' needs a non-negative integer, got 'abc'"},
        {"pcpus 2\nvcpu a colour=red\n", 2, "unknown key 'colour'"},
        {"pcpus 2\nvcpu a wake=edf\n", 2, "wake must be deferrable or cbs"},
        {"pcpus 2\nvcpu a extratime=maybe\n", 2, "must be yes or no"},
        {"pcpus 2\nvcpu a affinity=5\n", 2, "bad affinity '5'"},
        {"pcpus 2\nvcpu a pool=nope\n", 2, "unknown pool 'nope'"},
        {"pcpus 2\nvcpu a\nvcpu a\n", 3, "already declared on line 2"},
        {"pcpus 2\nvcpu a workload=periodic\n", 2, "needs wcet"},
        {"pcpus 2\nvcpu a workload=busy wcet=5\n", 2, "busy workload takes no wcet"},
        {"pcpus 2\nvcpu a workload=sporadic wcet=5 min_gap=10 max_gap=5\n", 2, "max_gap"},
        {"pcpus 2\nvcpu a workload=burst\n", 2, "workload must be"},
        {"pcpus 4\npool x cpus=0-1\npool y cpus=1-2\n", 3, "overlaps pool 'x'"},
        {"pcpus 2\npool x cpus=0-1\nvcpu a\n", 3, "pool 'Pool-0' has no CPUs left"},
        {"pcpus 4\npool x cpus=0-1\nvcpu a pool=x affinity=3\n", 3, "has no CPU in pool 'x'"},
        {"pcpus 2\nfrobnicate\n", 2, "unknown statement 'frobnicate'"},
        {"pcpus 0\n", 1, "pcpus must be 1..256"},
        {"pcpus 2\npcpus 2\n", 2, "given twice"},
        {"pcpus 2\nvcpu a period=100 period=200\n", 2, "given twice"},
        {"pcpus 2\nduration 0\nvcpu a\n", 2, "duration must be"},
        {"pcpus 2\n", 0, "no vcpu declared"},
        {"# nothing\n", 0, "missing 'pcpus N'"},
    };
    for (const BadCase& c : cases) {
        ParseResult r = parse_scenario(c.text);
        ASSERT_TRUE(r.error) << c.text;
        EXPECT_FALSE(r.scenario);
        EXPECT_EQ(r.error->line, c.line) << c.text << " -> " << r.error->to_string();
        EXPECT_NE(r.error->message.find(c.message), std::string::npos)
            << c.text << " -> " << r.error->message;
    }
    EXPECT_EQ((ParseError{4, "x"}).to_string(), "line 4: x");
}

TEST(ScenarioParser, CpuLists) {
    EXPECT_EQ(parse_cpu_list("all", 3), CpuSet::first_n(3));
    CpuSet expect = CpuSet::first_n(3);
    expect.set(5);
    EXPECT_EQ(parse_cpu_list("0-2,5", 8), expect);
    EXPECT_FALSE(parse_cpu_list("3", 3));
    EXPECT_FALSE(parse_cpu_list("2-1", 8));
    EXPECT_FALSE(parse_cpu_list("1,,2", 8));
    EXPECT_FALSE(parse_cpu_list("x", 8));
    EXPECT_FALSE(parse_cpu_list("", 8));
}

TEST(EventQueue, EqualTimesRunCompletionsThenTimersThenArrivalsByIndex) {
    EventQueue q(2, 2);
    q.set(EventKind::Arrival, 0, 100);
    q.set(EventKind::Timer, 1, 100);
    q.set(EventKind::Timer, 0, 100);
    q.set(EventKind::Completion, 1, 100);
    q.set(EventKind::Arrival, 1, 50);
    const Event expect[] = {{50, EventKind::Arrival, 1},
                            {100, EventKind::Completion, 1},
                            {100, EventKind::Timer, 0},
                            {100, EventKind::Timer, 1},
                            {100, EventKind::Arrival, 0}};
    for (const Event& e : expect) {
        ASSERT_FALSE(q.empty());
        Event got = q.pop();
        EXPECT_EQ(got.time, e.time);
        EXPECT_EQ(got.kind, e.kind);
        EXPECT_EQ(got.index, e.index);
    }
    EXPECT_TRUE(q.empty());
}

TEST(EventQueue, SettingASlotAgainReplacesOrCancelsIt) {
    EventQueue q(1, 1);
    q.set(EventKind::Timer, 0, 100);
    q.set(EventKind::Timer, 0, 300);
    q.set(EventKind::Arrival, 0, 200);
    q.set(EventKind::Arrival, 0, kTimeNever);
    EXPECT_EQ(q.next_time(), 300u);
    EXPECT_EQ(q.pending(EventKind::Timer, 0), 300u);
    q.pop();
    EXPECT_TRUE(q.empty());
    EXPECT_EQ(q.pending(EventKind::Timer, 0), kTimeNever);
}

} // namespace
} // namespace rthv::sim
