// Unit tests of the engine on small hand-checked scenarios (real core behind it), of the
// workload models and of the JSON and trace output.
#include "tests/sim/reference_model.hpp"
#include "tools/sim/engine.hpp"
#include "tools/sim/json_writer.hpp"
#include "tools/sim/report.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace rthv::sim {
namespace {

Scenario parse_ok(const std::string& text) {
    ParseResult r = parse_scenario(text);
    EXPECT_FALSE(r.error) << r.error->to_string();
    return r.scenario.value_or(Scenario{});
}

std::vector<TraceEvent> switches(const Engine& e) {
    std::vector<TraceEvent> out;
    for (const TraceEvent& t : e.trace())
        if (t.kind == TraceKind::Switch) out.push_back(t);
    return out;
}

// Two capped busy VCPUs on one pCPU: EDF order by deadline, budgets enforced to the ns.
TEST(Engine, CappedBusyVcpusFollowEdfAndBudgets) {
    Scenario s = parse_ok("pcpus 1\nduration 10\n"
                          "vcpu a period=4000 budget=1000 extratime=no\n"
                          "vcpu b period=2000 budget=500 extratime=no\n");
    Engine e(s, make_core_port);
    e.run();
    std::vector<TraceEvent> sw = switches(e);
    ASSERT_GE(sw.size(), 4u);
    // t=0: a is inserted first and runs; b (deadline 2 ms < 4 ms) preempts at once.
    EXPECT_EQ(sw[0], (TraceEvent{0, 0, TraceKind::Switch, 0, -1}));
    EXPECT_EQ(sw[1], (TraceEvent{0, 0, TraceKind::Switch, 1, 0}));
    EXPECT_EQ(sw[2], (TraceEvent{500'000, 0, TraceKind::Switch, 0, 1}));    // b's 0.5 ms used up
    EXPECT_EQ(sw[3], (TraceEvent{1'500'000, 0, TraceKind::Switch, -1, 0})); // a's 1 ms used up
    EXPECT_EQ(e.received_ns(0), 3'000'000u);  // its third budget is used by 9.5 ms
    EXPECT_EQ(e.received_ns(1), 2'500'000u);  // 5 periods of 0.5 ms
    EXPECT_EQ(e.port().stats(1).periods, 5u); // from 0, 2, 4, 6, 8 ms (10 is not simulated)
    EXPECT_TRUE(e.errors().empty());
}

TEST(Engine, PeriodicJobsBlockAndRecordResponseTimes) {
    Scenario s = parse_ok("pcpus 1\nduration 100\n"
                          "vcpu a period=10000 budget=4000 workload=periodic wcet=3000\n");
    Engine e(s, make_core_port);
    e.run();
    const JobStats& js = e.workload(0).stats();
    EXPECT_EQ(js.released, 10u); // at 0, 10, ... 90 ms
    EXPECT_EQ(js.completed, 10u);
    EXPECT_EQ(js.response_max, 3'000'000u);
    EXPECT_EQ(js.misses, 0u);
    EXPECT_EQ(e.received_ns(0), 30'000'000u);
    EXPECT_EQ(e.port().stats(0).misses, 0u);
}

TEST(Engine, OverheadIsReportedAsStolenAndNotCharged) {
    Scenario s = parse_ok("pcpus 1\nduration 20\noverhead schedule=1000 timer=0\n"
                          "vcpu a period=10000 budget=2000 extratime=no\n");
    Engine e(s, make_core_port);
    e.run();
    SchedStats st = e.port().stats(0);
    EXPECT_EQ(st.stolen_ns, 2000u);          // one dispatch per period, 1 us each
    EXPECT_EQ(st.run_ns, 4'000'000u);        // the full budget twice, overhead not charged
    EXPECT_EQ(e.received_ns(0), 4'000'000u); // and the guest really got it
    EXPECT_EQ(st.misses, 0u);
}

TEST(Engine, SameScenarioAndSeedGiveTheSameTrace) {
    Scenario s =
        parse_ok("pcpus 2\nduration 50\nseed 3\n"
                 "vcpu a period=1000 budget=400 workload=sporadic wcet=300 min_gap=700\n"
                 "vcpu b period=2000 budget=900 workload=interactive wcet=800 min_gap=100\n"
                 "vcpu c period=3000 budget=2000 wake=cbs\n");
    Engine x(s, make_core_port, EngineOptions{true, {}});
    Engine y(s, make_core_port, EngineOptions{true, {}});
    x.run();
    y.run();
    EXPECT_GT(x.trace().size(), 50u);
    EXPECT_EQ(x.trace(), y.trace());
    s.seed = 4; // another seed, other arrivals
    Engine z(s, make_core_port, EngineOptions{true, {}});
    z.run();
    EXPECT_NE(x.trace(), z.trace());
}

TEST(Workload, PeriodicWithOffsetAndJitterKeepsNominalDeadlines) {
    WorkloadSpec w{WorkloadKind::Periodic, 100, 1000, 500, 200};
    Workload wl(w, 5000, 1);
    wl.start();
    EXPECT_EQ(wl.backlog(), 0u); // first release at 500 + jitter
    Time first = wl.next_arrival();
    EXPECT_GE(first, 500u);
    EXPECT_LE(first, 700u);
    wl.arrive(first);
    EXPECT_EQ(wl.backlog(), 100u);
    wl.consume(first, 40);
    wl.consume(2000, 60); // finishes at 2060, after the nominal deadline 1500
    EXPECT_EQ(wl.stats().completed, 1u);
    EXPECT_EQ(wl.stats().misses, 1u);
    EXPECT_EQ(wl.stats().response_max, 2060 - first);
    EXPECT_GE(wl.next_arrival(), 1500u);
}

TEST(Workload, SporadicGapsAndInteractiveThinkTimes) {
    Workload sp({WorkloadKind::Sporadic, 10, 0, 0, 0, 100, 300}, 1000, 7);
    sp.start(); // the first burst arrives at the offset, 0
    EXPECT_EQ(sp.backlog(), 10u);
    Time t = 0;
    for (int i = 0; i < 50; ++i) {
        Time next = sp.next_arrival();
        EXPECT_GE(next - t, 100u);
        EXPECT_LE(next - t, 300u);
        t = next;
        sp.arrive(t);
    }
    EXPECT_EQ(sp.backlog(), 510u); // nothing consumed: 51 bursts queue up
    Workload in({WorkloadKind::Interactive, 5000, 0, 0, 0, 100, 100}, 1000, 7);
    in.start();
    EXPECT_GE(in.backlog(), 1000u);
    EXPECT_EQ(in.next_arrival(), kTimeNever); // closed loop: waits for the burst to finish
    in.consume(0, in.backlog());
    in.on_idle(777);
    EXPECT_EQ(in.next_arrival(), 877u);
}

TEST(Json, WriterNestsAndEscapes) {
    std::ostringstream o;
    JsonWriter j(o);
    j.begin_object().key("a").value(uint64_t{1}).key("s").value("q\"\n");
    j.key("l").begin_array().value(true).null().fixed(1234567, 6).end_array();
    j.key("e").begin_object().end_object().end_object();
    EXPECT_EQ(o.str(), "{\n  \"a\": 1,\n  \"s\": \"q\\\"\\u000a\",\n  \"l\": [\n    true,\n"
                       "    null,\n    1.234567\n  ],\n  \"e\": {}\n}\n");
}

TEST(Report, HasTheSchedulerAndSimulatorFields) {
    Scenario s = parse_ok("pcpus 1\nduration 20\nvcpu a.0 workload=periodic wcet=1000\n");
    Engine e(s, make_core_port);
    e.run();
    std::ostringstream o;
    write_report(o, e);
    // periods counts the server periods in which the VCPU was eligible (DESIGN.md): this one
    // blocks before each boundary, so its two periods (0 and 10 ms) both start at a wake-up.
    for (const char* field :
         {"\"run_ns\": 2000000", "\"budget_used_ns\"", "\"extratime_ns\"", "\"periods\": 2",
          "\"misses\": 0", "\"late_wakes\": ", "\"overrun_ns_max\"", "\"latency_max_ns\"",
          "\"latency_mean_ns\"", "\"share\": 0.100000", "\"reserved_share\": 0.400000",
          "\"response_max_ns\": 1000000", "\"domain\": \"a\"", "\"errors\": []", "\"cpus\": \"0\""})
        EXPECT_NE(o.str().find(field), std::string::npos) << field << "\n" << o.str();
}

// Periodic guests that finish each job and block before the boundary never get a replenishment;
// their periods start at wake-up and are counted like a busy VCPU's.
TEST(Report, BlockingPeriodicVcpusCountOnePeriodPerJob) {
    Scenario s = parse_ok("pcpus 1\nduration 100\n"
                          "vcpu a period=10000 budget=4000 workload=periodic wcet=1000\n"
                          "vcpu b period=5000 budget=1000 workload=periodic wcet=500\n"
                          "vcpu busy period=20000 budget=2000 extratime=no\n");
    Engine e(s, make_core_port);
    e.run();
    EXPECT_EQ(e.workload(0).stats().completed, 10u);
    EXPECT_EQ(e.workload(1).stats().completed, 20u);
    EXPECT_EQ(e.port().stats(0).periods, 10u); // one per job: 0, 10, ... 90 ms
    EXPECT_EQ(e.port().stats(1).periods, 20u);
    EXPECT_EQ(e.port().stats(2).periods, 5u); // 0, then replenished at 20, ... 80 ms
    EXPECT_EQ(e.port().stats(0).misses + e.port().stats(1).misses, 0u);
    std::ostringstream o;
    write_report(o, e);
    EXPECT_NE(o.str().find("\"periods\": 10,"), std::string::npos) << o.str();
    EXPECT_NE(o.str().find("\"periods\": 20,"), std::string::npos) << o.str();
}

TEST(Trace, TextLinesNameCpuEventAndVcpus) {
    std::ostringstream o;
    write_trace_text(o, {{5, 1, TraceKind::Switch, 0, -1}, {6, kNoCpu, TraceKind::Wake, 1, -1}},
                     {"a", "b"});
    EXPECT_EQ(o.str(), "# time_ns cpu event vcpu [from]\n5 1 switch a -\n6 - wake b\n");
}

} // namespace
} // namespace rthv::sim
