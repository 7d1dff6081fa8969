// Internal state of one CPU pool (not for callers outside hv/sched): everything here is
// protected by Pool::lock (see LOCKING.md).
#pragma once

#include "hv/lib/pairing_heap.hpp"
#include "hv/lib/spinlock.hpp"
#include "hv/sched/admission.hpp"
#include "hv/sched/cpu_heap.hpp"

namespace rthv {

inline constexpr PoolId kMaxPools = 8;
// Distinct effective affinity masks per pool. Usually one (every VCPU may run on every CPU of
// its pool); a few pinned VCPUs add one each. Refused beyond this
// (SchedError::TooManyAffinityClasses).
inline constexpr uint32_t kMaxAffinityClasses = 16;

struct RunqBefore {
    bool operator()(const Vcpu& a, const Vcpu& b) const { return key_before(a.key(), b.key()); }
};

// The VCPUs of a pool that share one effective affinity mask: their own runq, and the CPUs of
// that mask that are running something and are not tickled, ordered by the running key. This
// makes both "best VCPU allowed on cpu" and "least urgent running CPU allowed for v" cheap
// without scanning VCPUs or CPUs.
struct AffinityClass {
    CpuSet mask;       // affinity & pool CPUs; never empty while refs > 0
    uint32_t refs = 0; // inserted VCPUs with this mask
    PairingHeap<Vcpu, RunqTag, RunqBefore> runq;
    CpuHeap running;
};

class Scheduler;

struct Pool {
    mutable Spinlock lock;
    Scheduler* owner = nullptr; // for timer callbacks, which get only the Vcpu
    bool exists = false;
    PoolId id = kNoPool;
    char name[kMaxPoolName] = {};
    CpuSet cpus;
    CpuId ncpus = 0;
    uint32_t reserve_permille = 0;

    CpuSet idle;    // pool CPUs with no current VCPU
    CpuSet tickled; // kicked, not yet rescheduled: never kicked twice per decision
    AffinityClass classes[kMaxAffinityClasses];
    uint32_t class_count = 0; // classes[0..class_count) may be in use (refs > 0)

    IntrusiveList<Vcpu, DepletedTag> depletedq;
    IntrusiveList<Vcpu, MemberTag> members;
    PairingHeap<Vcpu, UtilTag, VcpuUtilAbove> by_util; // top = largest utilisation (u_max)
    uint64_t total_ppm = 0;
    uint32_t cbs_vcpus = 0;
    uint64_t next_seq = 1;
};

} // namespace rthv
