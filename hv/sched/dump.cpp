// Debug dump of every pool (Xen's debug key 'r'): CPUs, runq in priority order, depletedq,
// and every VCPU with its server state and statistics.
#include "hv/sched/scheduler.hpp"

namespace rthv {

namespace {

void vcpu_name(TextWriter& w, const Vcpu& v) { w.str("d").u64(v.domain()).str("v").u64(v.id()); }

void vcpu_line(TextWriter& w, const Vcpu& v) {
    w.str("    ");
    vcpu_name(w, v);
    const Params& p = v.params();
    w.str(" [").str(describe(v.place())).str("] level ").u64(v.level());
    w.str(" deadline ").u64(v.deadline()).str(" seq ").u64(v.key().seq);
    w.str(" budget_left ").ns_as_us(v.budget_left());
    w.str(" period ").u64(p.period_us).str("us budget ").u64(p.budget_us).str("us");
    w.str(" extratime ").str(p.extratime ? "yes" : "no").str(" wake ").str(describe(p.wake_rule));
    w.str(" affinity ").cpus(v.affinity()).str("\n");
}

} // namespace

void Scheduler::dump(TextSink& out) const {
    TextWriter w(out);
    w.str("RTDS dump at ").u64(platform_->now()).str(" ns\n");
    for (PoolId id = 0; id < pool_count_; ++id) {
        Pool& pool = *pool_ptr(id);
        LockGuard guard(pool.lock);
        w.str("Pool ").u64(id).str(" ").str(pool.name).str(": cpus ").cpus(pool.cpus);
        w.str(" utilisation ").ppm(pool.total_ppm).str(" capacity ");
        w.ppm(pool_capacity_ppm(pool.ncpus, pool.reserve_permille)).str("\n");
        for (CpuId c = pool.cpus.first(); c != CpuSet::kNone;
             c = c + 1 < kMaxCpus ? pool.cpus.next(c + 1) : CpuSet::kNone) {
            w.str("  CPU ").u64(c).str(": ");
            if (current_[c]) {
                w.str("running ");
                vcpu_name(w, *current_[c]);
            } else {
                w.str("idle");
            }
            w.str(pool.tickled.test(c) ? " tickled\n" : "\n");
        }
        for (uint32_t i = 0; i < pool.class_count; ++i) {
            AffinityClass& cls = pool.classes[i];
            if (cls.refs == 0) continue;
            w.str("  runq class ").u64(i).str(" cpus ").cpus(cls.mask).str(" (");
            w.u64(cls.runq.size()).str(" queued, ").u64(cls.refs).str(" vcpus):\n");
            // Priority order: pop everything, print, push back. Keys are unique, so the
            // rebuilt heap picks exactly as before. Debug only: O(n log n) under the lock.
            IntrusiveList<Vcpu, DepletedTag> order;
            while (Vcpu* v = cls.runq.pop()) {
                vcpu_line(w, *v);
                order.push_back(*v);
            }
            while (Vcpu* v = order.front()) {
                order.erase(*v);
                cls.runq.push(*v);
            }
        }
        w.str("  depletedq (").u64(pool.depletedq.size()).str("):\n");
        for (Vcpu* v = pool.depletedq.front(); v; v = pool.depletedq.next(*v)) vcpu_line(w, *v);
        w.str("  vcpus (").u64(pool.members.size()).str("):\n");
        for (Vcpu* v = pool.members.front(); v; v = pool.members.next(*v)) {
            vcpu_line(w, *v);
            const VcpuStats& s = v->stats_;
            w.str("      run ").u64(s.run_ns).str("ns budget_used ").u64(s.budget_used_ns);
            w.str("ns extratime ").u64(s.extratime_ns).str("ns stolen ").u64(s.stolen_ns);
            w.str("ns periods ").u64(s.periods).str(" misses ").u64(s.misses);
            w.str(" late_wakes ").u64(s.late_wakes);
            w.str(" overruns ").u64(s.overruns).str(" (max ").u64(s.overrun_ns_max);
            w.str("ns, debt ").u64(v->debt_);
            w.str("ns) dispatches ").u64(s.dispatches).str(" latency max ");
            w.u64(s.latency_max_ns).str("ns\n");
        }
    }
}

} // namespace rthv
