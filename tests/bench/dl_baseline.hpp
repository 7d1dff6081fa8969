// The second benchmark baseline: RTDS scheduling built the way Linux builds SCHED_DEADLINE
// (kernel/sched/deadline.c, kernel/sched/cpudeadline.c, kernel/time/hrtimer.c; read, not
// copied): the runqueue is a red-black tree with a cached leftmost node (rb_root_cached), the
// CPU to preempt comes from a cpudl-style max-heap of CPUs keyed by what they run plus a mask of
// free CPUs, and every VCPU has its own replenishment timer in a per-CPU timer tree (an
// rbtree, like hrtimer's timerqueue), as does every CPU's budget timer.
//
// The rules are rthv's (hv/sched/DESIGN.md), so the same calls make the same decisions as the
// core: keys (level, deadline, seq) with the same seq points, deferrable and CBS wake rules,
// extratime levels, tickle (idle CPU from last_cpu wrapping, else the CPU running the largest
// key), tickle-the-runq-top after every decision, kicks gathered per operation. One pool, every
// VCPU may run on every CPU (what the benchmark uses). Not modelled: pause/yield/set_params,
// miss books and overrun debt (the benchmark's timers are exact). dl_baseline_test.cpp checks
// equal decisions against the core on the simulator's random scenarios.
#pragma once

#include "hv/lib/cpu_set.hpp"
#include "hv/platform.hpp"
#include "tests/bench/rb_tree.hpp"

namespace rthv::bench {

struct DlVcpu;

struct DlTimer {
    RbNode node;
    Time deadline = 0;
    uint64_t order = 0;         // per-CPU add counter: equal deadlines fire in add order
    CpuId cpu = kMaxCpus;       // queue it is on (kMaxCpus = none)
    DlVcpu* vcpu = nullptr;     // replenishment timer of this VCPU, or
    CpuId budget_of = kMaxCpus; // budget timer of this CPU
};

struct DlVcpu {
    enum class Place { Off, Blocked, Runq, Depleted, Running };
    Duration period = 0, budget = 0;
    bool extratime = false, cbs = false;
    Time deadline = 0;
    Duration budget_left = 0;
    uint32_t level = 0;
    uint64_t seq = 0;
    bool awake = false;
    Place place = Place::Off;
    CpuId running_on = kMaxCpus;
    CpuId last_cpu = 0;
    Time run_start = 0;
    Duration stolen = 0;
    uint64_t run_ns = 0, periods = 0, dispatches = 0;
    RbNode rq_node; // runqueue
    DlTimer repl;
};

class DlBaseline {
public:
    DlBaseline(Platform& platform, CpuId ncpus);
    DlBaseline(const DlBaseline&) = delete;
    DlBaseline& operator=(const DlBaseline&) = delete;

    void insert(DlVcpu& v); // a new period now, runnable, tickled
    void wake(DlVcpu& v);
    void block(DlVcpu& v);
    void steal(CpuId cpu, Duration ns);
    DlVcpu* schedule(CpuId cpu);
    void expire(CpuId cpu, Time now); // fires cpu's timers due at now
    CpuId tickle_target(const DlVcpu& v) const;
    DlVcpu* current(CpuId cpu) const { return curr_[cpu]; }
    uint64_t charged_now(const DlVcpu& v) const; // run_ns including the running stint
    const char* verify() const;

private:
    struct KeyLess {
        bool operator()(const RbNode* a, const RbNode* b) const;
    };
    struct TimerLess {
        bool operator()(const RbNode* a, const RbNode* b) const;
    };
    using Runq = RbTree<KeyLess>;
    using TimerTree = RbTree<TimerLess>;

    static DlVcpu* of_rq(RbNode* n);
    static DlTimer* of_timer(RbNode* n);
    uint64_t take_seq() { return next_seq_++; }
    void burn(DlVcpu& v, Time now);
    void enqueue(DlVcpu& v, Time now);
    void dequeue(DlVcpu& v);
    void make_eligible(DlVcpu& v, Time now);
    void replenish(DlVcpu& v, Time now);
    void timer_add(CpuId cpu, DlTimer& t, Time deadline);
    void timer_cancel(DlTimer& t);
    void program(CpuId cpu);
    void arm_budget(CpuId cpu);
    void set_current(CpuId cpu, DlVcpu* v);
    void mark_tickled(CpuId cpu);
    void tickle(const DlVcpu& v);
    void tickle_top();
    void send_kicks();
    // cpudl: max-heap of the CPUs running something and not tickled, by their VCPU's key.
    bool cpu_after(CpuId a, CpuId b) const;
    void heap_set(CpuId cpu, bool member);
    void heap_fix(CpuId cpu);
    void heap_swap(uint32_t i, uint32_t j);
    void heap_up(uint32_t i);
    void heap_down(uint32_t i);

    Platform& platform_;
    CpuId ncpus_;
    CpuSet idle_, tickled_, kicks_;
    DlVcpu* curr_[kMaxCpus] = {};
    Runq runq_;
    TimerTree timers_[kMaxCpus];
    uint64_t timer_order_[kMaxCpus] = {};
    Time programmed_[kMaxCpus];
    DlTimer budget_timer_[kMaxCpus];
    CpuId heap_[kMaxCpus] = {};
    uint32_t heap_index_[kMaxCpus]; // position in heap_, kNotInHeap if absent
    uint32_t heap_size_ = 0;
    uint64_t next_seq_ = 1;
};

} // namespace rthv::bench
