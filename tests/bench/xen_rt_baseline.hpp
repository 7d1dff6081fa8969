// The benchmark baseline: RTDS scheduling done the way Xen's xen/common/sched/rt.c does it
// (read, not copied): one pool, a runq kept as a sorted doubly-linked list (O(n) insertion),
// runq_pick() scanning for the first VCPU whose affinity allows the CPU (O(n)), runq_tickle()
// scanning every CPU (O(P)), one replenishment queue as a list sorted by time (O(n) insertion,
// served by a single timer), and an unsorted depletedq.
//
// Semantics follow rthv's contract (/tmp/rthv/sched-design.md) where it differs from Xen, so
// the benchmark compares equal work: keys are (level, deadline, seq), the period grid is
// anchored at insert, insert tickles, the replenishment queue is ordered by time only, and the
// CBS wake rule exists. Only the data structures are Xen's.
#pragma once

#include "hv/lib/cpu_set.hpp"
#include "hv/platform.hpp"
#include "tests/bench/intrusive_list.hpp"

namespace rthv::bench {

enum class XenWakeRule { Deferrable, Cbs };

struct XenVcpu {
    // Parameters (ns).
    Duration period = from_us(10000);
    Duration budget = from_us(4000);
    bool extratime = true;
    XenWakeRule wake_rule = XenWakeRule::Deferrable;
    CpuSet affinity = CpuSet::first_n(kMaxCpus);

    // Server state.
    Time deadline = 0;
    Duration budget_left = 0;
    uint32_t level = 0;
    uint64_t seq = 0;
    Time run_start = 0;
    CpuId cpu = 0; // the CPU it last ran on (or was placed on at insert)

    bool running = false;
    bool blocked = false;
    bool depleted = false;
    bool refilled_from_depletedq = false; // replenish_due() tickles it
    uint64_t misses = 0;
    uint64_t periods = 0;

    ListLink<XenVcpu> q_link{this};     // runq or depletedq
    ListLink<XenVcpu> replq_link{this}; // replenishment queue
};

// Priority key order: true if a runs before b (smaller (level, deadline, seq)).
inline bool xen_key_before(const XenVcpu& a, const XenVcpu& b) {
    if (a.level != b.level) return a.level < b.level;
    if (a.deadline != b.deadline) return a.deadline < b.deadline;
    return a.seq < b.seq;
}

class XenRtBaseline {
public:
    XenRtBaseline(Platform& platform, CpuSet cpus) : platform_(platform), cpus_(cpus) {}
    XenRtBaseline(const XenRtBaseline&) = delete;
    XenRtBaseline& operator=(const XenRtBaseline&) = delete;

    // A new period starts now; the VCPU becomes runnable and is tickled (as rthv does).
    void insert(XenVcpu& v);
    // v must not be running: leaves every queue.
    void remove(XenVcpu& v);
    void wake(XenVcpu& v);
    // For the VCPU running on its CPU: that CPU is kicked and drops it in schedule().
    void block(XenVcpu& v);
    // rt_schedule(): returns what `cpu` runs now (nullptr = idle); arms cpu's budget deadline.
    XenVcpu* schedule(CpuId cpu);
    // The single replenishment timer's handler: serves every event due at platform.now().
    void replenish_due();
    Time next_replenishment() const;

    // runq_tickle(): kicks at most one CPU for `v`; returns it, or CpuSet::kNone.
    CpuId tickle(const XenVcpu& v);
    // The decision alone: the CPU tickle(v) would kick now, without marking or kicking it.
    CpuId tickle_target(const XenVcpu& v) const;
    // runq_pick(): the first queued VCPU whose affinity allows `cpu`.
    XenVcpu* runq_pick(CpuId cpu);

    XenVcpu* current(CpuId cpu) const { return curr_[cpu]; }
    bool on_runq(const XenVcpu& v) const { return v.q_link.linked() && !v.depleted; }
    bool on_depletedq(const XenVcpu& v) const { return v.q_link.linked() && v.depleted; }
    bool on_replq(const XenVcpu& v) const { return v.replq_link.linked(); }
    size_t runq_length() const { return runq_.size(); }
    const CpuSet& tickled() const { return tickled_; }
    // List elements walked by ordered insertions and picks so far (shows where the time goes).
    uint64_t walked() const { return walked_; }

private:
    void runq_insert(XenVcpu& v);
    void replq_insert(XenVcpu& v);
    void burn(XenVcpu& v, Time now);
    void refill_after_deadline(XenVcpu& v, Time now);
    void apply_wake_rule(XenVcpu& v, Time now);
    CpuSet candidates(const XenVcpu& v) const { return cpus_ & v.affinity & ~tickled_; }

    Platform& platform_;
    CpuSet cpus_;
    CpuSet tickled_;
    XenVcpu* curr_[kMaxCpus] = {};
    IntrusiveList<XenVcpu> runq_;
    IntrusiveList<XenVcpu> depletedq_;
    IntrusiveList<XenVcpu> replq_;
    uint64_t next_seq_ = 0;
    uint64_t walked_ = 0;
};

} // namespace rthv::bench
