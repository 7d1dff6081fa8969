// Control-channel queries over the domain table and the Scheduler (dom_ctl.hpp). Domain ids
// are the scenario's (1..n in configuration order); VCPUs the scheduler refused are invisible.
#include "arch/x86/hvm/dom_ctl.hpp"

#include "arch/x86/paging.hpp"
#include "arch/x86/tsc.hpp"

namespace rthv::x86::hvm {
namespace {

void copy_name(char* out, size_t cap, const char* in) {
    size_t n = 0;
    for (; n + 1 < cap && in[n] != '\0'; ++n) out[n] = in[n];
    out[n] = '\0';
}

void to_mask(const CpuSet& cpus, uint8_t* mask) {
    for (CpuId c = 0; c < ctl::kCpuMaskBytes * 8; ++c)
        if (cpus.test(c)) mask[c / 8] = static_cast<uint8_t>(mask[c / 8] | (1u << (c % 8)));
}

bool inserted(const DomVcpu& v) { return v.sched.place() != Place::Off; }

} // namespace

Domain* DomCtl::domain(uint32_t domid) {
    for (uint32_t i = 0; i < s_.domain_count; ++i)
        if (s_.domains[i].id == domid) return &s_.domains[i];
    return nullptr;
}

DomVcpu* DomCtl::vcpu(uint32_t domid, uint32_t vcpu) {
    Domain* d = domain(domid);
    if (d == nullptr || vcpu >= d->spec->vcpus || d->first_vcpu + vcpu >= s_.vcpu_count)
        return nullptr;
    DomVcpu& v = s_.vcpus[d->first_vcpu + vcpu];
    return v.domain == d && inserted(v) ? &v : nullptr;
}

void DomCtl::host_info(ctl::HostInfo& out) {
    out.nr_cpus = s_.ncpus;
    out.cpu_khz = static_cast<uint32_t>(tsc_info().hz / 1000);
    out.free_mem_kib = frame_allocator().free_frames() * 4;
    out.total_mem_kib = out.free_mem_kib;
    for (uint32_t i = 0; i < s_.domain_count; ++i)
        out.total_mem_kib += s_.domains[i].spec->memory_mib * 1024;
    copy_name(out.scheduler, sizeof out.scheduler, "rtds");
    copy_name(out.version, sizeof out.version, "rthv-0.1");
}

uint32_t DomCtl::domain_count() { return s_.domain_count; }

bool DomCtl::domain_at(uint32_t index, ctl::DomainInfo& out) {
    if (index >= s_.domain_count) return false;
    const Domain& d = s_.domains[index];
    out = ctl::DomainInfo{};
    out.id = d.id;
    out.pool = d.spec->pool;
    out.mem_kib = d.spec->memory_mib * 1024;
    out.nr_vcpus = d.spec->vcpus;
    copy_name(out.name, sizeof out.name, d.spec->name);
    bool running = false, all_paused = true, any_awake = false;
    for (uint32_t k = 0; k < d.spec->vcpus; ++k) {
        DomVcpu* v = vcpu(d.id, k);
        if (v == nullptr) continue;
        out.cpu_time_ns += s_.sched.stats(v->sched).run_ns;
        running = running || s_.sched.is_running(v->sched);
        all_paused = all_paused && v->sched.paused();
        any_awake = any_awake || v->sched.awake();
    }
    // Xen's letters: r = on a CPU now, b = every VCPU waiting for an event, neither = runnable
    // (queued, or out of budget until its next period).
    if (d.dead())
        out.state = ctl::kDomCrashed;
    else if (all_paused)
        out.state = ctl::kDomPaused;
    else if (running)
        out.state = ctl::kDomRunning;
    else if (!any_awake)
        out.state = ctl::kDomBlocked;
    return true;
}

bool DomCtl::find_domain(uint32_t domid, ctl::DomainInfo& out) {
    for (uint32_t i = 0; i < s_.domain_count; ++i)
        if (s_.domains[i].id == domid) return domain_at(i, out);
    return false;
}

uint32_t DomCtl::pool_count() { return s_.sched.pool_count(); }

bool DomCtl::pool_at(uint32_t index, ctl::PoolInfo& out) {
    if (index >= s_.sched.pool_count()) return false;
    out = ctl::PoolInfo{};
    out.id = index;
    const CpuSet cpus = s_.sched.pool_cpus(index);
    out.nr_cpus = cpus.count();
    to_mask(cpus, out.cpus);
    for (uint32_t i = 0; i < s_.domain_count; ++i)
        if (s_.domains[i].spec->pool == index) ++out.nr_domains;
    copy_name(out.name, sizeof out.name, s_.sched.pool_name(index));
    return true;
}

bool DomCtl::vcpu_info(uint32_t domid, uint32_t k, ctl::VcpuInfo& out) {
    DomVcpu* v = vcpu(domid, k);
    if (v == nullptr) return false;
    out = ctl::VcpuInfo{};
    out.vcpu = k;
    out.state = ctl::kVcpuOnline;
    for (CpuId c = 0; c < s_.ncpus; ++c) {
        if (s_.sched.current(c) != &v->sched) continue;
        out.pcpu = c;
        out.state |= ctl::kVcpuRunning;
    }
    if (!v->sched.awake() || v->sched.paused()) out.state |= ctl::kVcpuBlocked;
    out.cpu_time_ns = s_.sched.stats(v->sched).run_ns;
    to_mask(v->sched.affinity(), out.affinity);
    return true;
}

bool DomCtl::rtds_params(uint32_t domid, uint32_t k, ctl::RtdsParams& out) {
    DomVcpu* v = vcpu(domid, k);
    if (v == nullptr) return false;
    const Params& p = v->sched.params();
    out.vcpu = k;
    // Only a boot-time period of exactly 2^32 us exceeds the u32 field (wire.hpp): shown as
    // the largest value the field holds.
    out.period_us =
        static_cast<uint32_t>(p.period_us < ctl::kMaxPeriodUs ? p.period_us : ctl::kMaxPeriodUs);
    out.budget_us =
        static_cast<uint32_t>(p.budget_us < ctl::kMaxPeriodUs ? p.budget_us : ctl::kMaxPeriodUs);
    out.extratime = p.extratime ? 1 : 0;
    return true;
}

// Cumulative since the run started: a client takes two snapshots and divides the differences
// (share over its own window), which no single-window figure could give it.
bool DomCtl::rtds_stats(uint32_t domid, uint32_t k, ctl::RtdsStats& out) {
    DomVcpu* v = vcpu(domid, k);
    if (v == nullptr) return false;
    const rthv::VcpuStats st = s_.sched.stats(v->sched);
    out.vcpu = k;
    out.window_ns = now() - s_.start;
    out.received_ns = st.run_ns;
    out.periods = st.periods;
    out.misses = st.misses;
    out.worst_latency_ns = st.latency_max_ns;
    out.extratime_ns = st.extratime_ns;
    out.late_wakes = st.late_wakes;
    return true;
}

} // namespace rthv::x86::hvm
