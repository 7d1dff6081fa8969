// The SCHED_DEADLINE-shaped baseline must decide what rthv's core decides, or the benchmark
// race is unfair: both are driven by the simulator's engine through the same random scenarios
// (one pool, full affinity, every workload, extratime, CBS, hypervisor overhead) and must
// produce the same schedule (every switch: time, CPU, VCPU) and the same charged time, periods
// and dispatches. Also: the red-black tree against std::multiset under random inserts/erases.
#include "tests/bench/dl_baseline.hpp"
#include "tests/sim/random_scenario.hpp"
#include "tests/sim/trace_compare.hpp"
#include "tools/sim/engine.hpp"
#include "tools/sim/rng.hpp"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <vector>

namespace rthv::bench {
namespace {

class DlPort final : public sim::SchedulerPort {
public:
    DlPort(const sim::Scenario& s, Platform& p)
        : s_(s), platform_(p), sched_(p, s.pcpus), vcpus_(s.vcpus.size()) {}
    bool insert(uint32_t i) override {
        const sim::VcpuSpec& spec = s_.vcpus[i];
        DlVcpu& v = vcpus_[i];
        v.period = from_us(spec.period_us);
        v.budget = from_us(spec.budget_us);
        v.extratime = spec.extratime;
        v.cbs = spec.wake_rule == sim::WakeRule::Cbs;
        sched_.insert(v);
        return true;
    }
    void expire(CpuId cpu) override { sched_.expire(cpu, platform_.now()); }
    int32_t schedule(CpuId cpu) override {
        DlVcpu* v = sched_.schedule(cpu);
        return v ? static_cast<int32_t>(v - vcpus_.data()) : -1;
    }
    void wake(uint32_t i) override { sched_.wake(vcpus_[i]); }
    void block(uint32_t i) override { sched_.block(vcpus_[i]); }
    void steal(CpuId cpu, Duration ns) override { sched_.steal(cpu, ns); }
    void yield(uint32_t) override { throw std::logic_error("not modelled"); }
    void pause(uint32_t) override { throw std::logic_error("not modelled"); }
    void unpause(uint32_t) override { throw std::logic_error("not modelled"); }
    void set_params(uint32_t, uint64_t, uint64_t, bool, bool) override {
        throw std::logic_error("not modelled");
    }
    sim::SchedStats stats(uint32_t i) const override {
        sim::SchedStats st;
        st.run_ns = sched_.charged_now(vcpus_[i]);
        st.periods = vcpus_[i].periods;
        st.dispatches = vcpus_[i].dispatches;
        return st;
    }
    sim::ServerView view(uint32_t i) const override {
        const DlVcpu& v = vcpus_[i];
        return {v.awake,
                v.place == DlVcpu::Place::Runq || v.place == DlVcpu::Place::Running,
                v.place == DlVcpu::Place::Running,
                v.level,
                v.deadline,
                v.seq,
                v.budget_left};
    }
    const char* verify() const override { return sched_.verify(); }

private:
    const sim::Scenario& s_;
    Platform& platform_;
    DlBaseline sched_;
    std::vector<DlVcpu> vcpus_;
};

std::unique_ptr<sim::SchedulerPort> make_dl_port(const sim::Scenario& s, Platform& p) {
    return std::make_unique<DlPort>(s, p);
}

// "" when the baseline and the core agree on scenario s, else the first difference.
std::string compare(const sim::Scenario& s, uint64_t& switches) {
    sim::Engine core(s, sim::make_core_port), dl(s, make_dl_port);
    core.run();
    dl.run();
    if (!core.errors().empty()) return "core: " + core.errors()[0];
    if (!dl.errors().empty()) return "dl: " + dl.errors()[0];
    const auto& a = core.trace();
    const std::string diff = simtest::first_switch_difference(a, dl.trace(), "core", "dl");
    if (!diff.empty()) return diff;
    for (uint32_t v = 0; v < s.vcpus.size(); ++v) {
        sim::SchedStats x = core.port().stats(v), y = dl.port().stats(v);
        if (x.run_ns != y.run_ns || x.periods != y.periods || x.dispatches != y.dispatches)
            return "statistics of " + s.vcpus[v].name + " differ";
    }
    if (const char* broken = dl.port().verify()) return broken;
    switches += a.size();
    return "";
}

TEST(DlBaseline, DecidesLikeTheCoreOnRandomScenarios) {
    simtest::RandomOptions opt;
    opt.allow_restricted_affinity = false;
    opt.allow_pools = false;
    opt.allow_overhead = true;
    uint64_t switches = 0;
    for (uint64_t seed = 5'000'000; seed < 5'000'300; ++seed) {
        sim::Scenario s = simtest::random_scenario(seed, opt);
        ASSERT_EQ(compare(s, switches), "") << simtest::describe(s);
    }
    EXPECT_GT(switches, 300u * 20u); // not vacuous
}

TEST(DlBaseline, TheComparisonCanFail) {
    simtest::RandomOptions opt;
    opt.allow_restricted_affinity = false;
    opt.allow_pools = false;
    sim::Scenario s = simtest::random_scenario(5'000'001, opt);
    sim::Scenario t = s;
    for (sim::VcpuSpec& v : t.vcpus) v.budget_us = std::max<uint64_t>(10, v.budget_us / 2);
    sim::Engine a(s, sim::make_core_port), b(t, make_dl_port);
    a.run();
    b.run();
    EXPECT_NE(a.trace(), b.trace());
    EXPECT_NE(simtest::first_switch_difference(a.trace(), b.trace(), "core", "halved dl"), "");
}

struct Item {
    RbNode node;
    uint64_t key = 0;
};
struct ItemLess {
    bool operator()(const RbNode* a, const RbNode* b) const {
        auto ka = reinterpret_cast<const Item*>(a)->key, kb = reinterpret_cast<const Item*>(b)->key;
        return ka < kb || (ka == kb && a < b);
    }
};

TEST(RbTree, MatchesAnOrderedSetUnderRandomInsertsAndErases) {
    sim::Rng rng(42);
    std::vector<Item> items(2000);
    RbTree<ItemLess> tree;
    std::multiset<uint64_t> model;
    for (int step = 0; step < 200'000; ++step) {
        Item& it = items[rng.range(0, items.size() - 1)];
        if (it.node.linked) {
            tree.erase(&it.node);
            model.erase(model.find(it.key));
        } else {
            it.key = rng.range(0, 500);
            tree.insert(&it.node);
            model.insert(it.key);
        }
        ASSERT_EQ(tree.size(), model.size());
        if (!model.empty()) {
            ASSERT_EQ(reinterpret_cast<Item*>(tree.first())->key, *model.begin());
        }
        if (step % 997 == 0) {
            ASSERT_TRUE(tree.valid()) << step;
        }
    }
    ASSERT_TRUE(tree.valid());
    std::vector<uint64_t> walked;
    for (RbNode* n = tree.first(); n; n = RbTree<ItemLess>::next(n))
        walked.push_back(reinterpret_cast<Item*>(n)->key);
    EXPECT_EQ(walked, std::vector<uint64_t>(model.begin(), model.end()));
}

} // namespace
} // namespace rthv::bench
