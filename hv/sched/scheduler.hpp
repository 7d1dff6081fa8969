// The RTDS scheduler: preemptive global EDF over the pCPUs of each pool, every VCPU a
// deferrable (or CBS) server. Rules: hv/sched/DESIGN.md; locking: hv/sched/LOCKING.md.
#pragma once

#include "hv/platform.hpp"
#include "hv/sched/pool.hpp"
#include "hv/sched/trace.hpp"

namespace rthv {

enum class SchedError : uint8_t {
    Ok,
    InvalidParams,          // see Status::param
    AdmissionRefused,       // see Status::refusal
    EmptyAffinity,          // affinity & pool CPUs is empty
    TooManyAffinityClasses, // more than kMaxAffinityClasses distinct masks in the pool
    NoSuchPool,
    TooManyPools,
    BadPoolName,     // empty or longer than kMaxPoolName - 1
    CpusUnavailable, // CPUs empty, out of range, or not all in Pool-0
    PoolBusy,        // Pool-0 has VCPUs: pools are carved out before VCPUs are inserted
    BadReserve,      // reserve above 1000 permille
    AlreadyInserted,
    NotInserted,
    StillRunning, // remove() of a VCPU that is current on a CPU: pause it, wait, retry
};
const char* describe(SchedError e);

struct Status {
    SchedError error = SchedError::Ok;
    ParamError param = ParamError::Ok;
    AdmissionRefusal refusal{};
    bool ok() const { return error == SchedError::Ok; }
    // One line naming the problem (parameter, pool/utilisation, ...).
    void format(TextSink& out) const;
};

class Scheduler {
public:
    Scheduler() = default;
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    // Once, before anything else. Creates pool 0 "Pool-0" over CPUs 0..ncpus-1.
    void init(Platform& platform, TimerCore& timers, CpuId ncpus);

    // Pools: disjoint CPU sets, carved out of Pool-0 while Pool-0 has no VCPUs.
    Status pool_create(const char* name, const CpuSet& cpus, PoolId& id,
                       uint32_t reserve_permille = 0);
    Status pool_set_reserve(PoolId pool, uint32_t reserve_permille);
    PoolId pool_count() const { return pool_count_; }
    const char* pool_name(PoolId pool) const;
    CpuSet pool_cpus(PoolId pool) const;
    PoolId pool_of_cpu(CpuId cpu) const { return cpu < ncpus_ ? cpu_pool_[cpu] : kNoPool; }
    AdmissionReport admission(PoolId pool) const;

    // VCPU lifetime and parameters. Nothing changes when the Status is not ok().
    Status insert(Vcpu& v, PoolId pool, const Params& p, const CpuSet& affinity,
                  bool force = false);
    Status remove(Vcpu& v); // v must not be current anywhere; returns after its timer is idle
    Status set_params(Vcpu& v, const Params& p, bool force = false);
    Status set_affinity(Vcpu& v, const CpuSet& affinity);

    // Events. wake/pause/unpause from any CPU; block/yield normally for a running VCPU.
    void wake(Vcpu& v);
    void block(Vcpu& v);
    void yield(Vcpu& v);
    void pause(Vcpu& v);
    void unpause(Vcpu& v);

    // Called by the platform on `cpu` after a kick (or at will): returns what cpu must run now
    // (nullptr = idle) and arms cpu's budget timer. `stolen`: time the hypervisor spent on other
    // work while the current VCPU was current and has not yet reported, exactly as
    // steal(cpu, stolen) right before, in the same pool-lock hold and without re-arming the
    // budget timer that the decision re-arms anyway.
    Vcpu* schedule(CpuId cpu, Duration stolen = 0);
    // The hypervisor HAS SPENT `ns` on other work while cpu's current VCPU was current (report
    // it afterwards, e.g. on VM entry): not charged to the VCPU, and its budget timer moves `ns`
    // later. Time reported in advance is only subtracted up to the next burn (schedule, or a
    // replenishment or set_params of the running VCPU); the part not yet elapsed by then is
    // dropped and charged (DESIGN.md, burn).
    void steal(CpuId cpu, Duration ns);

    bool is_running(const Vcpu& v) const;
    Vcpu* current(CpuId cpu) const;
    // Statistics, including the running stint so far.
    VcpuStats stats(const Vcpu& v) const;
    bool tickled(CpuId cpu) const;
    // The CPU that tickle(v) would kick now (kMaxCpus = none), without marking or kicking;
    // meaningful for a VCPU that is waiting (runq). For benchmarks and tests: takes no lock,
    // so call it only while no other CPU changes v's pool (between events, like the Vcpu
    // accessors); it is not a query for concurrent use.
    CpuId tickle_target(const Vcpu& v) const;

    // Xen's debug key 'r': every pool, CPU, queue and VCPU, in priority order.
    void dump(TextSink& out) const;
    // Checks every structural invariant (O(n + m), for tests and the simulator). Returns nullptr
    // if all hold, else a sentence naming the first broken one.
    const char* verify() const;
    void set_trace(TraceHook* hook) { trace_ = hook; }
    // Pool-lock acquisitions of every pool so far (Spinlock::acquisitions): the cost of the
    // scheduler's one shared lock per event, for reports.
    uint64_t pool_lock_acquisitions() const;

private:
    struct CpuSlot {
        Scheduler* sched = nullptr;
        CpuId cpu = 0;
        Timer budget_timer;
    };

    // The entry of every event and schedule(): inline, a call each was a visible part of the
    // small-n cost.
    Pool* pool_ptr(PoolId id) const {
        if (id >= pool_count_ || !pools_[id].exists) return nullptr;
        return const_cast<Pool*>(&pools_[id]);
    }
    static Pool* pool_of(const Vcpu& v) { return __atomic_load_n(&v.pool_, __ATOMIC_ACQUIRE); }

    // pools.cpp, lifecycle.cpp: pools, classes, lifetime
    Status check_class(Pool& pool, const CpuSet& mask, uint32_t& index) const;
    uint32_t class_ref(Pool& pool, const CpuSet& mask);
    void class_unref(Pool& pool, uint32_t index);
    bool admit(Pool& pool, uint64_t old_ppm, uint64_t new_ppm, bool force, Status& st) const;
    void apply_params(Pool& pool, Vcpu& v, const Params& p);

    // server.cpp: the server rules
    uint64_t take_seq(Pool& pool) { return pool.next_seq++; }
    void burn(Vcpu& v, Time now);
    void deplete_if_empty(Pool& pool, Vcpu& v);
    bool apply_wake_rule(Vcpu& v, Time now); // true if v starts a new period
    void start_period(Vcpu& v, Time start, uint64_t periods);
    void fresh_period(Pool& pool, Vcpu& v, Time now);
    static void note_eligible(Vcpu& v, Time now);
    static void note_ineligible(Vcpu& v, Time now);
    void judge_period(Vcpu& v, Time now, CpuId cpu);
    void add_stolen(CpuId cpu, Vcpu& cur, Duration ns, Time now); // pool lock held
    void arm_replenishment(Vcpu& v);
    void disarm_replenishment(Vcpu& v);
    void replenish(Pool& pool, Vcpu& v, Time now, CpuSet& kicks);
    static void on_replenish_timer(void* context, Time now);

    // queues.cpp: queues, CPU state, tickle
    void enqueue(Pool& pool, Vcpu& v, Time now);
    void dequeue(Pool& pool, Vcpu& v);
    void make_eligible(Pool& pool, Vcpu& v, Time now, CpuSet& kicks);
    Vcpu* pick(Pool& pool, CpuId cpu) const;
    void set_current(Pool& pool, CpuId cpu, Vcpu* v);
    void mark_tickled(Pool& pool, CpuId cpu, CpuSet& kicks);
    void running_key_changed(Pool& pool, CpuId cpu);
    CpuId tickle_choice(const Pool& pool, const Vcpu& v) const;
    void tickle(Pool& pool, Vcpu& v, CpuSet& kicks);
    void tickle_class_tops(Pool& pool, CpuSet& kicks);
    void send_kicks(const CpuSet& kicks);

    // schedule.cpp
    void arm_budget(CpuId cpu, const Vcpu* v);
    static bool replenished_first(CpuId cpu, const Vcpu& v, Time end);
    void arm_replenishment_and_budget(CpuId cpu, Vcpu& v); // v runs on cpu
    static void on_budget_timer(void* context, Time now);
    void note_dispatch(Vcpu& v, Time now);

    void trace(TraceKind kind, CpuId cpu, const Vcpu* v, Time now, uint64_t arg = 0) const {
        if (trace_) trace_->event({kind, cpu, v, now, arg});
    }

    Platform* platform_ = nullptr;
    TimerCore* timers_ = nullptr;
    TraceHook* trace_ = nullptr;
    CpuId ncpus_ = 0;
    PoolId pool_count_ = 0;
    Pool pools_[kMaxPools];
    Vcpu* current_[kMaxCpus] = {}; // written under the CPU's pool lock, read atomically
    PoolId cpu_pool_[kMaxCpus] = {};
    CpuSlot slots_[kMaxCpus];
};

} // namespace rthv
