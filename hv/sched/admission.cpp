// Admission maths and the text of refusals and reports.
#include "hv/sched/admission.hpp"

namespace rthv {

uint64_t pool_capacity_ppm(CpuId m, uint32_t reserve_permille) {
    if (reserve_permille > 1000) reserve_permille = 1000;
    return uint64_t{m} * kPpmPerCpu * (1000 - reserve_permille) / 1000;
}

uint64_t gfb_bound_ppm(uint64_t umax_ppm, CpuId m) {
    if (m == 0) return 0;
    uint64_t full = uint64_t{m} * kPpmPerCpu;
    uint64_t taken = uint64_t{m - 1} * umax_ppm;
    return taken >= full ? 0 : full - taken;
}

bool gfb_holds(uint64_t total_ppm, uint64_t umax_ppm, CpuId m) {
    return m > 0 && total_ppm <= gfb_bound_ppm(umax_ppm, m);
}

void AdmissionRefusal::format(TextSink& out) const {
    TextWriter w(out);
    w.str("pool ").str(pool_name).str(": utilisation would rise from ").ppm(current_ppm);
    w.str(" to ").ppm(requested_ppm).str(", above the capacity ").ppm(capacity_ppm);
    w.str(" of ").u64(cpus).str(cpus == 1 ? " CPU" : " CPUs").str(" with ");
    w.u64(reserve_permille).str(" permille reserved (use force to override)");
}

void AdmissionReport::format(TextSink& out) const {
    TextWriter w(out);
    w.str("pool ").str(pool_name).str(": ").u64(vcpus).str(" VCPUs on ").u64(cpus);
    w.str(" CPUs, utilisation ").ppm(total_ppm).str(" of capacity ").ppm(capacity_ppm);
    w.str(" (reserve ").u64(reserve_permille).str(" permille)");
    w.str(within_capacity ? "\n" : " OVER CAPACITY (forced)\n");
    w.str("  GFB test U <= m - (m-1)*u_max: ").ppm(total_ppm).str(gfb_holds ? " <= " : " > ");
    w.ppm(gfb_bound_ppm).str(" (u_max ").ppm(umax_ppm).str("): ");
    if (!gfb_holds) {
        w.str("does not hold: no deadline guarantee\n");
        return;
    }
    w.str("holds\n");
    if (deferrable_vcpus == 0) {
        w.str("  guarantee covers all ")
            .u64(vcpus)
            .str(" VCPUs (CBS) under any blocking pattern\n");
        return;
    }
    w.str("  guarantee covers the ").u64(cbs_vcpus).str(" CBS VCPUs and the ");
    w.u64(deferrable_vcpus).str(" deferrable VCPUs only while every deferrable VCPU never defers");
    w.str(" (always busy, or jobs released at its own period start); a deferring deferrable");
    w.str(" server can make any VCPU of the pool lose budget: use wake rule cbs for a guarantee");
    w.str(" under any blocking pattern\n");
}

} // namespace rthv
