// The intrusive VCPU object the scheduler works on. Callers (domain code, the simulator, tests)
// own the memory; the scheduler keeps pointers only between insert() and remove().
// Everything below "scheduler state" is written only by the Scheduler under its pool lock; the
// read-only accessors are for code that already holds that consistency (tests, the simulator
// between events, the dump).
#pragma once

#include "hv/lib/cpu_set.hpp"
#include "hv/sched/list.hpp"
#include "hv/sched/params.hpp"
#include "hv/timer/timer_core.hpp"

namespace rthv {

using PoolId = uint32_t;
inline constexpr PoolId kNoPool = ~PoolId{0};

// Per-VCPU statistics (ns unless named otherwise). Mean dispatch latency = latency_sum_ns /
// dispatches; received share = run_ns / elapsed (computed by the reader).
struct VcpuStats {
    uint64_t run_ns = 0;           // all time charged (level 0 + extratime)
    uint64_t budget_used_ns = 0;   // charged while at level 0 (inside the reservation)
    uint64_t extratime_ns = 0;     // charged while at level > 0
    uint64_t stolen_ns = 0;        // hypervisor time reported by steal(), never charged
    uint64_t overrun_ns_total = 0; // charged beyond the budget left (late budget timer)
    uint64_t overrun_ns_max = 0;
    uint64_t overruns = 0;   // stints that overran
    uint64_t periods = 0;    // server periods in which it was eligible (DESIGN.md "periods")
    uint64_t misses = 0;     // periods that denied it budget it could have used (DESIGN.md)
    uint64_t dispatches = 0; // times it was put on a CPU (not counting "keep running")
    uint64_t latency_max_ns = 0;
    uint64_t latency_sum_ns = 0; // runnable (queued) -> running, summed over dispatches
    // Periods that ended with level-0 budget left that the VCPU was not eligible long enough
    // to use (it woke too late in the period): not a miss (DESIGN.md "Misses").
    uint64_t late_wakes = 0;
};

// Priority key: smaller is more urgent. Unique inside a pool because seq is.
struct Key {
    uint32_t level = 0; // 0 = inside the reservation, k = k-th extratime refill
    Time deadline = 0;
    uint64_t seq = 0; // pool-wide counter value taken when last (re)queued or re-keyed
    bool operator==(const Key&) const = default;
};
constexpr bool key_before(const Key& a, const Key& b) {
    if (a.level != b.level) return a.level < b.level;
    if (a.deadline != b.deadline) return a.deadline < b.deadline;
    return a.seq < b.seq;
}

// Where a VCPU is. Blocked covers "not eligible": blocked and/or paused, on no queue.
enum class Place : uint8_t { Off, Blocked, Runq, Depleted, Running };
const char* describe(Place p);

struct RunqTag {};
struct UtilTag {};
struct DepletedTag {};
struct MemberTag {};
struct Pool;

class Vcpu : public HeapLink<RunqTag>,
             public HeapLink<UtilTag>,
             public ListLink<DepletedTag>,
             public ListLink<MemberTag> {
public:
    Vcpu(uint32_t domain, uint32_t vcpu_id, void* owner = nullptr)
        : domain_(domain), id_(vcpu_id), owner_(owner) {}
    Vcpu(const Vcpu&) = delete;
    Vcpu& operator=(const Vcpu&) = delete;

    uint32_t domain() const { return domain_; }
    uint32_t id() const { return id_; }
    void* owner() const { return owner_; }
    void set_owner(void* owner) { owner_ = owner; }

    Key key() const { return {level_, deadline_, seq_}; }
    Time deadline() const { return deadline_; }
    // As of the last accounting event (burn); a running stint is charged at schedule().
    Duration budget_left() const { return budget_left_; }
    uint32_t level() const { return level_; }
    const Params& params() const { return params_; }
    const CpuSet& affinity() const { return affinity_; }
    CpuId last_cpu() const { return last_cpu_; }
    bool awake() const { return awake_; }
    bool paused() const { return paused_; }
    Place place() const { return place_; }
    PoolId pool_id() const { return pool_id_; }
    uint64_t utilisation_ppm() const { return ppm_; }
    // Armed replenishment time, kTimeNever when none is armed (blocked or paused).
    Time replenish_at() const { return repl_at_; }
    // Time already consumed from future periods' budgets (overrun, or run after the deadline
    // before the replenishment was processed); only VCPUs without extratime carry it.
    Duration debt() const { return debt_; }
    const Timer& replenish_timer() const { return repl_timer_; }

private:
    friend class Scheduler;
    friend struct VcpuUtilAbove;

    // identity
    uint32_t domain_;
    uint32_t id_;
    void* owner_;

    // scheduler state (pool lock)
    Pool* pool_ = nullptr; // atomic: read by the replenishment callback before locking
    PoolId pool_id_ = kNoPool;
    Params params_{};
    Duration period_ = 0; // params_ in ns
    Duration budget_ = 0;
    uint64_t ppm_ = 0;
    CpuSet affinity_{}; // as given by the caller
    uint8_t class_ = 0; // index of its affinity class in the pool
    Time deadline_ = 0;
    Duration budget_left_ = 0;
    uint32_t level_ = 0;
    uint64_t seq_ = 0;
    bool awake_ = false;
    bool paused_ = false;
    bool yield_pending_ = false;
    // set_params gave a blocked VCPU a fresh period; `periods` counts it at the wake into it.
    bool period_uncounted_ = false;
    Place place_ = Place::Off;
    CpuId running_on_ = kMaxCpus; // atomic: read by is_running() without the lock
    CpuId last_cpu_ = 0;
    Time run_start_ = 0;        // start of the current stint (running only)
    Duration stolen_ = 0;       // reported stolen since run_start_
    Time runnable_since_ = 0;   // when last queued while not running (dispatch latency)
    Time repl_at_ = kTimeNever; // deadline its replenishment timer was armed for
    // Books of the current period for the miss test and the overrun debt (DESIGN.md).
    Duration debt_ = 0;
    Duration pre_used_ = 0;    // part of debt_ run after the deadline, before the replenishment
    Duration period_used_ = 0; // level-0 time charged in the current period
    Duration elig_ns_ = 0;     // eligible time in the current period before elig_from_
    Time elig_from_ = 0;       // start of the eligible interval in progress (if eligible)
    Timer repl_timer_;
    VcpuStats stats_{};
};

struct VcpuUtilAbove {
    bool operator()(const Vcpu& a, const Vcpu& b) const { return a.ppm_ > b.ppm_; }
};

} // namespace rthv
