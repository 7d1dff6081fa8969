// Scheduler set-up, pools, affinity classes and admission books.
#include "hv/sched/scheduler.hpp"

namespace rthv {

namespace {

bool copy_name(char (&dst)[kMaxPoolName], const char* src) {
    size_t n = 0;
    while (src[n] != '\0') {
        if (n + 1 >= kMaxPoolName) return false;
        ++n;
    }
    if (n == 0) return false;
    for (size_t i = 0; i <= n; ++i) dst[i] = src[i];
    return true;
}

void init_pool(Pool& pool, Scheduler* owner, PoolId id, const CpuSet& cpus, uint32_t reserve,
               Vcpu* const* current) {
    pool.owner = owner;
    pool.exists = true;
    pool.id = id;
    pool.cpus = cpus;
    pool.ncpus = cpus.count();
    pool.idle = cpus;
    pool.reserve_permille = reserve;
    for (AffinityClass& cls : pool.classes) cls.running.init(current);
}

} // namespace

void Scheduler::init(Platform& platform, TimerCore& timers, CpuId ncpus) {
    platform_ = &platform;
    timers_ = &timers;
    ncpus_ = ncpus < kMaxCpus ? ncpus : kMaxCpus;
    for (CpuId c = 0; c < kMaxCpus; ++c) {
        cpu_pool_[c] = c < ncpus_ ? 0 : kNoPool;
        slots_[c].sched = this;
        slots_[c].cpu = c;
        slots_[c].budget_timer.bind(&Scheduler::on_budget_timer, &slots_[c]);
    }
    init_pool(pools_[0], this, 0, CpuSet::first_n(ncpus_), 0, current_);
    copy_name(pools_[0].name, "Pool-0");
    pool_count_ = 1;
}

Status Scheduler::pool_create(const char* name, const CpuSet& cpus, PoolId& id,
                              uint32_t reserve_permille) {
    Status st;
    Pool& pool0 = pools_[0];
    Pool& fresh = pools_[pool_count_ < kMaxPools ? pool_count_ : 0];
    if (pool_count_ >= kMaxPools)
        st.error = SchedError::TooManyPools;
    else if (!name || !copy_name(fresh.name, name))
        st.error = SchedError::BadPoolName;
    else if (reserve_permille > 1000)
        st.error = SchedError::BadReserve;
    if (!st.ok()) return st;
    LockGuard guard(pool0.lock);
    if (cpus.empty() || !cpus.subset_of(pool0.cpus) || cpus == pool0.cpus)
        st.error = SchedError::CpusUnavailable;
    else if (!pool0.members.empty())
        st.error = SchedError::PoolBusy;
    if (!st.ok()) {
        fresh.name[0] = '\0';
        return st;
    }
    id = pool_count_;
    init_pool(fresh, this, id, cpus, reserve_permille, current_);
    pool0.cpus = pool0.cpus & ~cpus;
    pool0.ncpus = pool0.cpus.count();
    pool0.idle = pool0.idle & ~cpus;
    pool0.tickled = pool0.tickled & ~cpus;
    for (CpuId c = cpus.first(); c != CpuSet::kNone;
         c = c + 1 < kMaxCpus ? cpus.next(c + 1) : CpuSet::kNone)
        cpu_pool_[c] = id;
    __atomic_store_n(&pool_count_, pool_count_ + 1, __ATOMIC_RELEASE);
    return st;
}

Status Scheduler::pool_set_reserve(PoolId id, uint32_t reserve_permille) {
    Status st;
    Pool* pool = pool_ptr(id);
    if (!pool)
        st.error = SchedError::NoSuchPool;
    else if (reserve_permille > 1000)
        st.error = SchedError::BadReserve;
    if (!st.ok()) return st;
    LockGuard guard(pool->lock);
    pool->reserve_permille = reserve_permille;
    return st;
}

const char* Scheduler::pool_name(PoolId id) const {
    Pool* pool = pool_ptr(id);
    return pool ? pool->name : "";
}

CpuSet Scheduler::pool_cpus(PoolId id) const {
    Pool* pool = pool_ptr(id);
    if (!pool) return {};
    LockGuard guard(pool->lock);
    return pool->cpus;
}

AdmissionReport Scheduler::admission(PoolId id) const {
    AdmissionReport r;
    Pool* pool = pool_ptr(id);
    if (!pool) return r;
    LockGuard guard(pool->lock);
    r.pool = id;
    for (uint32_t i = 0; i < kMaxPoolName; ++i) r.pool_name[i] = pool->name[i];
    r.cpus = pool->ncpus;
    r.reserve_permille = pool->reserve_permille;
    r.total_ppm = pool->total_ppm;
    r.capacity_ppm = pool_capacity_ppm(pool->ncpus, pool->reserve_permille);
    r.umax_ppm = pool->by_util.empty() ? 0 : pool->by_util.top()->utilisation_ppm();
    r.gfb_bound_ppm = gfb_bound_ppm(r.umax_ppm, pool->ncpus);
    r.within_capacity = r.total_ppm <= r.capacity_ppm;
    r.gfb_holds = gfb_holds(r.total_ppm, r.umax_ppm, pool->ncpus);
    r.vcpus = static_cast<uint32_t>(pool->members.size());
    r.cbs_vcpus = pool->cbs_vcpus;
    r.deferrable_vcpus = r.vcpus - r.cbs_vcpus;
    return r;
}

bool Scheduler::admit(Pool& pool, uint64_t old_ppm, uint64_t new_ppm, bool force,
                      Status& st) const {
    uint64_t after = pool.total_ppm - old_ppm + new_ppm;
    uint64_t capacity = pool_capacity_ppm(pool.ncpus, pool.reserve_permille);
    if (force || after <= capacity || new_ppm <= old_ppm) return true;
    st.error = SchedError::AdmissionRefused;
    AdmissionRefusal& r = st.refusal;
    r.pool = pool.id;
    for (uint32_t i = 0; i < kMaxPoolName; ++i) r.pool_name[i] = pool.name[i];
    r.current_ppm = pool.total_ppm;
    r.requested_ppm = after;
    r.capacity_ppm = capacity;
    r.cpus = pool.ncpus;
    r.reserve_permille = pool.reserve_permille;
    return false;
}

uint64_t Scheduler::pool_lock_acquisitions() const {
    uint64_t n = 0;
    for (uint32_t id = 0; id < pool_count_; ++id)
        if (pools_[id].exists) n += pools_[id].lock.acquisitions();
    return n;
}

} // namespace rthv
