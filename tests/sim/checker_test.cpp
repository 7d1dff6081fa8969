// The invariant checker must be able to fail: broken schedulers (the real core behind a port
// that distorts one thing) must be caught by the matching check.
#include "tests/sim/invariant_checker.hpp"

#include <gtest/gtest.h>

namespace rthv::simtest {
namespace {

using sim::Engine;
using sim::SchedulerPort;

// Forwards everything to the real core; subclasses distort one call.
class Distorting : public SchedulerPort {
public:
    Distorting(const sim::Scenario& s, Platform& p) : inner_(sim::make_core_port(s, p)) {}
    bool insert(uint32_t v) override { return inner_->insert(v); }
    void expire(CpuId cpu) override { inner_->expire(cpu); }
    int32_t schedule(CpuId cpu) override { return inner_->schedule(cpu); }
    void wake(uint32_t v) override { inner_->wake(v); }
    void block(uint32_t v) override { inner_->block(v); }
    void steal(CpuId cpu, Duration ns) override { inner_->steal(cpu, ns); }
    void yield(uint32_t v) override { inner_->yield(v); }
    void pause(uint32_t v) override { inner_->pause(v); }
    void unpause(uint32_t v) override { inner_->unpause(v); }
    void set_params(uint32_t v, uint64_t p, uint64_t b, bool e, bool c) override {
        inner_->set_params(v, p, b, e, c);
    }
    sim::SchedStats stats(uint32_t v) const override { return inner_->stats(v); }
    sim::ServerView view(uint32_t v) const override { return inner_->view(v); }

protected:
    std::unique_ptr<SchedulerPort> inner_;
};

// CPU 1 never runs what the scheduler picked for it.
struct IdlesCpu1 : Distorting {
    using Distorting::Distorting;
    int32_t schedule(CpuId cpu) override {
        int32_t v = inner_->schedule(cpu);
        return cpu == 1 ? -1 : v;
    }
};

// Every dispatch is told of 1 ms stolen time that never happened: budgets stretch.
struct StealsTooMuch : Distorting {
    using Distorting::Distorting;
    int32_t schedule(CpuId cpu) override {
        int32_t v = inner_->schedule(cpu);
        if (v >= 0) inner_->steal(cpu, 1'000'000);
        return v;
    }
};

// Reports priorities upside down, so the running set is the least urgent one.
struct InvertsKeys : Distorting {
    using Distorting::Distorting;
    sim::ServerView view(uint32_t v) const override {
        sim::ServerView sv = inner_->view(v);
        sv.deadline = ~sv.deadline;
        return sv;
    }
};

// CPU 1 runs whatever CPU 0 runs.
struct Duplicates : Distorting {
    using Distorting::Distorting;
    int32_t schedule(CpuId cpu) override {
        int32_t v = inner_->schedule(cpu);
        return cpu == 1 && last0_ >= 0 ? last0_ : (cpu == 0 ? (last0_ = v) : v);
    }
    int32_t last0_ = -1;
};

template <typename Port>
std::vector<std::string> failures_with() {
    sim::Scenario s;
    s.pcpus = 2;
    s.duration = 20'000'000;
    s.pools = {{"Pool-0", CpuSet::first_n(2)}};
    for (int i = 0; i < 3; ++i) {
        sim::VcpuSpec v;
        v.name = "v" + std::to_string(i);
        v.period_us = 1000u * static_cast<uint64_t>(2 + i);
        v.budget_us = 700;
        v.extratime = false;
        s.vcpus.push_back(v);
    }
    InvariantChecker checker(s, 1);
    Engine e(
        s, [](const sim::Scenario& sc, Platform& p) { return std::make_unique<Port>(sc, p); },
        sim::EngineOptions{false, checker.hook()});
    e.run();
    return checker.failures();
}

bool mentions(const std::vector<std::string>& failures, const std::string& what) {
    for (const auto& f : failures)
        if (f.find(what) != std::string::npos) return true;
    return false;
}

TEST(InvariantChecker, PassesTheRealCore) { EXPECT_TRUE(failures_with<Distorting>().empty()); }

TEST(InvariantChecker, CatchesAnIdleCpuWhileWorkWaits) {
    EXPECT_TRUE(mentions(failures_with<IdlesCpu1>(), "idles while"));
}

TEST(InvariantChecker, CatchesMoreThanTheBudgetInOnePeriod) {
    EXPECT_TRUE(mentions(failures_with<StealsTooMuch>(), "in one period"));
}

TEST(InvariantChecker, CatchesLessUrgentVcpusRunning) {
    EXPECT_TRUE(mentions(failures_with<InvertsKeys>(), "by key"));
}

TEST(InvariantChecker, CatchesAVcpuOnTwoCpus) {
    EXPECT_TRUE(mentions(failures_with<Duplicates>(), "two pCPUs"));
}

} // namespace
} // namespace rthv::simtest
