// Admission control per pool (integer parts-per-million) and the global-EDF (GFB) report.
#pragma once

#include "hv/sched/text.hpp"
#include "hv/sched/vcpu.hpp"

namespace rthv {

inline constexpr uint32_t kMaxPoolName = 32; // including the NUL

// Capacity of m CPUs keeping `reserve_permille` of them free: m * 1e6 * (1000 - r) / 1000.
uint64_t pool_capacity_ppm(CpuId m, uint32_t reserve_permille);

// GFB sufficient test for implicit-deadline sporadic tasks under global EDF on m CPUs:
// U <= m - (m - 1) * u_max (all in ppm).
bool gfb_holds(uint64_t total_ppm, uint64_t umax_ppm, CpuId m);
uint64_t gfb_bound_ppm(uint64_t umax_ppm, CpuId m);

// Why a change was refused. Produced by insert()/set_params() without force.
struct AdmissionRefusal {
    PoolId pool = kNoPool;
    char pool_name[kMaxPoolName] = {};
    uint64_t current_ppm = 0;   // pool total before the change
    uint64_t requested_ppm = 0; // pool total the change would produce
    uint64_t capacity_ppm = 0;
    CpuId cpus = 0;
    uint32_t reserve_permille = 0;

    // "pool Pool-0: utilisation would rise from 1.800000 to 2.200000, above the capacity
    //  2.000000 of 2 CPUs with 0 permille reserved (use force to override)"
    void format(TextSink& out) const;
};

// State of one pool's admission books and what the GFB test says about it.
struct AdmissionReport {
    PoolId pool = kNoPool;
    char pool_name[kMaxPoolName] = {};
    CpuId cpus = 0;
    uint32_t reserve_permille = 0;
    uint64_t total_ppm = 0;
    uint64_t capacity_ppm = 0;
    uint64_t umax_ppm = 0;
    uint64_t gfb_bound_ppm = 0; // m - (m-1) u_max
    bool within_capacity = true;
    bool gfb_holds = true;
    uint32_t vcpus = 0;
    uint32_t cbs_vcpus = 0;        // covered by GFB under any blocking pattern
    uint32_t deferrable_vcpus = 0; // covered only while they never defer (rtds-reference.md)

    // Several lines: totals, capacity, the GFB verdict and which VCPUs it covers.
    void format(TextSink& out) const;
};

} // namespace rthv
