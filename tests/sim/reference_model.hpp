// A deliberately simple RTDS scheduler implementing the rules of hv/sched/DESIGN.md by brute
// force: flat vectors, linear scans over every VCPU and CPU at each decision, no heaps, no
// affinity classes beyond their table order. Driven by the same engine as the real core
// (SchedulerPort), so a differential test can compare the two schedules event by event.
#pragma once

#include "tests/sim/reference_timers.hpp"
#include "tools/sim/scenario.hpp"
#include "tools/sim/sched_port.hpp"

#include <set>
#include <vector>

namespace rthv::simtest {

using sim::SchedStats;
using sim::ServerView;

class ReferenceModel final : public sim::SchedulerPort {
public:
    ReferenceModel(const sim::Scenario& s, Platform& platform);

    bool insert(uint32_t v) override;
    void expire(CpuId cpu) override { timers_.expire(cpu, platform_.now()); }
    int32_t schedule(CpuId cpu) override;
    void wake(uint32_t v) override;
    void block(uint32_t v) override;
    void steal(CpuId cpu, Duration ns) override;
    void yield(uint32_t v) override;
    void pause(uint32_t v) override;
    void unpause(uint32_t v) override;
    void set_params(uint32_t v, uint64_t period_us, uint64_t budget_us, bool extratime,
                    bool cbs) override;
    SchedStats stats(uint32_t v) const override;
    ServerView view(uint32_t v) const override;

private:
    enum class Place { Off, Blocked, Runq, Depleted, Running };
    struct Key {
        uint32_t level;
        Time deadline;
        uint64_t seq;
        bool operator<(const Key& o) const {
            if (level != o.level) return level < o.level;
            if (deadline != o.deadline) return deadline < o.deadline;
            return seq < o.seq;
        }
    };
    struct V {
        Duration period = 0, budget = 0;
        bool extratime = false, cbs = false;
        size_t pool = 0;
        CpuSet mask; // effective affinity
        Time deadline = 0;
        Duration budget_left = 0;
        uint32_t level = 0;
        uint64_t seq = 0;
        bool awake = false, paused = false, yield_pending = false;
        bool period_uncounted = false; // set_params while blocked: counted at the wake
        Place place = Place::Off;
        CpuId last_cpu = 0;
        CpuId running_on = kMaxCpus;
        Time run_start = 0, runnable_since = 0;
        Duration stolen = 0;
        // Books of the current period (miss test, overrun debt), as in DESIGN.md.
        Duration debt = 0, pre_used = 0, period_used = 0, elig_ns = 0;
        Time elig_from = 0;
        SchedStats st;
        Key key() const { return {level, deadline, seq}; }
    };
    struct PoolState {
        CpuSet cpus;
        uint64_t next_seq = 1;
        CpuSet tickled;
        std::vector<CpuSet> classes; // distinct effective masks, in order of first insert
    };

    Time now() const { return platform_.now(); }
    void new_seq(V& v) { v.seq = pools_[v.pool].next_seq++; }
    void burn(V& v);
    void start_period(V& v, Time start, uint64_t periods);
    void end_eligible(V& v);
    void judge_period(V& v, Time t);
    void make_eligible(uint32_t v);
    void mark_tickled(CpuId cpu, CpuSet& kicks);
    void arm_replenishment(uint32_t v);
    void on_replenish(uint32_t v, Time now);
    void arm_budget(CpuId cpu);
    void to_runq(V& v);
    int32_t best_for(CpuId cpu) const;
    void tickle(uint32_t v, CpuSet& kicks);
    void tickle_all_classes(size_t pool, CpuSet& kicks);
    void send(const CpuSet& kicks);

    const sim::Scenario& s_;
    Platform& platform_;
    ReferenceTimers timers_;
    std::vector<V> vcpus_;
    std::vector<int32_t> current_; // per CPU
    std::vector<size_t> cpu_pool_;
    std::vector<PoolState> pools_;
};

std::unique_ptr<sim::SchedulerPort> make_reference_port(const sim::Scenario& s, Platform& p);

} // namespace rthv::simtest
