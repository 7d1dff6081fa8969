// From the boot configuration module to VCPUs in the scheduler. Everything here runs on the
// BSP before the run loops start: guest memory and images, one VMCS per VCPU (created on the
// BSP, then VMCLEARed so that whichever CPU the scheduler picks can load it), insertion into
// the RTDS core, and last the StartInfo page with the guest's release grid = its VCPU's period
// grid (the period starts at insertion, DESIGN.md "insert").
#include "arch/x86/boot_state.hpp"
#include "arch/x86/console.hpp"
#include "arch/x86/hvm/blocking.hpp"
#include "arch/x86/hvm/dom.hpp"
#include "arch/x86/hvm/guest_load.hpp"
#include "arch/x86/hvm/linux_vcpu.hpp"
#include "arch/x86/paging.hpp"
#include "arch/x86/tsc.hpp"
#include "hv/lib/format.hpp"

#include <new>

namespace rthv::x86::hvm {
namespace {

using namespace guest_abi;

uint64_t ticks(Duration d) { return ns_to_guest_tsc(d) - ns_to_guest_tsc(0); }

bool is_scenario(const char* s) {
    const char* want = "scenario";
    while (*want != '\0' && *s == *want) ++s, ++want;
    return *want == '\0' && *s == '\0';
}

// The module whose GRUB command line is "scenario", else the first one.
bool read_config(DomState& s) {
    const BootInfo& info = boot_state().info;
    const BootModule* m = nullptr;
    for (size_t i = 0; i < info.module_count; ++i) {
        const char* c = info.modules[i].cmdline;
        if (m == nullptr || (c != nullptr && is_scenario(c))) m = &info.modules[i];
    }
    if (m == nullptr || m->end <= m->start) {
        log(LogLevel::kError, "no scenario: boot with a configuration module (module2)");
        return false;
    }
    s.config_source = m->cmdline != nullptr ? m->cmdline : "module";
    auto len = static_cast<size_t>(m->end - m->start);
    config::parse(phys_to_virt<const char>(m->start), len, s.ncpus, s.config);
    for (uint32_t i = 0; i < s.config.error_count; ++i)
        log(LogLevel::kError, "config: %s", s.config.errors[i].text);
    config::format_summary(s.config, s.config_summary, sizeof(s.config_summary));
    log(LogLevel::kInfo, "%s", s.config_summary);
    return true;
}

WorkloadParams workload_params(const config::WorkloadSpec& w) {
    bool periodic = w.kind == kWorkloadPeriodic;
    return {w.kind, from_us(periodic ? w.job_period_us : w.sleep_us),
            from_us(periodic ? w.job_us : w.burst_us)};
}

// A toy VCPU loads its image now; a Linux domain's VCPUs were bound to its memory and image by
// linux_domain_create, and start at `linux_entry` (only VCPU 0 runs before a start-up IPI).
bool create_vcpu(DomState& s, Domain& d, uint32_t vcpu_id, DomVcpu& v, uint32_t linux_entry) {
    const config::DomainSpec& spec = *d.spec;
    new (&v.sched) Vcpu(d.id, vcpu_id, &v);
    v.domain = &d;
    v.vcpu_id = vcpu_id;
    dom::attach(s.system, v);
    bool pc_guest = config::on_pc_platform(spec.guest); // booted by linux_domain_create
    if (!pc_guest && !load_guest_image(v.hvm)) {
        log(LogLevel::kError, "%s: out of memory for its guest", spec.name);
        return false;
    }
    v.hvm.domain_id = d.id;
    v.hvm.workload = spec.workload.kind;
    format(v.hvm.name, sizeof(v.hvm.name), spec.vcpus > 1 ? "%s.%u" : "%s", spec.name, vcpu_id);
    const char* why = nullptr;
    uint32_t entry = pc_guest ? linux_entry : kGuestEntry;
    uint32_t stack = pc_guest ? 0 : kGuestStackTop;
    if (!s.backend->vcpu_create(v.hvm, entry, stack, why)) {
        log(LogLevel::kError, "%s: cannot create its VCPU: %s", v.hvm.name, why);
        return false;
    }
    s.backend->vcpu_unload(v.hvm);
    return true;
}

// kernel "tasks": the task set the reservation was planned from, in the guest's time unit.
static_assert(kMaxGuestTasks == plan::kMaxTasks, "a planned task set fits StartInfo");
void write_tasks(StartInfo& si, const config::PlannedFrom& planned) {
    si.guest_sched = planned.guest == plan::GuestSched::Rm ? kGuestRm : kGuestEdf;
    si.task_count = planned.set.count;
    for (uint32_t i = 0; i < si.task_count; ++i) {
        const plan::Task& t = planned.set.tasks[i];
        si.tasks[i] = {ticks(from_us(t.period_us)), ticks(from_us(t.wcet_us)),
                       ticks(from_us(t.deadline_us))};
    }
}

// After insertion: the guest learns its grid (first period start + the configured offset). A
// Linux guest has no StartInfo; its application processors wait for their start-up IPI.
void write_start_info(DomState& s, DomVcpu& v) {
    const config::WorkloadSpec& w = v.domain->spec->workload;
    WorkloadParams p = workload_params(w);
    v.grid_origin = v.sched.deadline() - v.sched.params().period_ns();
    v.reservation.start(v.grid_origin, utilisation_ppm(v.sched.params()));
    if (config::on_pc_platform(v.domain->spec->guest)) {
        if (v.vcpu_id != 0) {
            LockGuard g(v.lock);
            v.sleeping = true;
            v.hvm.blocked = true;
            s.sched.block(v.sched);
        }
        return;
    }
    StartInfo si{};
    si.magic = kStartInfoMagic;
    si.workload = w.kind;
    si.domain_id = v.domain->id;
    si.cpu = v.sched.last_cpu();
    si.tsc_hz = tsc_info().hz;
    si.grid_origin = ns_to_guest_tsc(v.grid_origin + from_us(w.release_offset_us));
    si.period_ticks = ticks(p.period);
    si.job_ticks = ticks(p.job);
    for (size_t i = 0; i + 1 < sizeof(si.name) && v.hvm.name[i] != '\0'; ++i)
        si.name[i] = v.hvm.name[i];
    if (w.kind == kWorkloadTasks) write_tasks(si, v.domain->spec->planned);
    v.hvm.memory->write(kStartInfoGpa, &si, sizeof(si));
}

bool insert_vcpu(DomState& s, DomVcpu& v, PoolId pool) {
    const config::DomainSpec& spec = *v.domain->spec;
    Status st = s.sched.insert(v.sched, pool, spec.params, spec.affinity[v.vcpu_id]);
    if (st.ok()) return true;
    char text[160];
    BufferSink sink(text, sizeof(text));
    st.format(sink);
    log(LogLevel::kError, "%s: not admitted: %s", v.hvm.name, text);
    v.hvm.crashed = true; // never entered
    format(v.hvm.crash_reason, sizeof(v.hvm.crash_reason), "not admitted");
    ++s.refused_vcpus;
    return false;
}

} // namespace

bool dom_setup(DomState& s) {
    if (!read_config(s)) return false;
    PoolId pool_ids[config::kMaxPools] = {};
    for (uint32_t p = 1; p < s.config.pool_count; ++p) {
        const config::PoolSpec& ps = s.config.pools[p];
        if (ps.rejected) continue;
        if (!s.sched.pool_create(ps.name, ps.cpus, pool_ids[p]).ok())
            log(LogLevel::kError, "pool %s: cannot be created", ps.name);
    }
    const char* why = nullptr;
    if (!s.backend->cpu_enable(why)) {
        log(LogLevel::kError, "cpu0: cannot enable %s: %s", s.backend->name, why);
        return false;
    }
    for (uint32_t i = 0; i < s.config.domain_count; ++i) {
        const config::DomainSpec& spec = s.config.domains[i];
        if (spec.rejected) continue;
        if (s.vcpu_count + spec.vcpus > kMaxDomVcpus) {
            log(LogLevel::kError, "%s: over the limit of %u VCPUs, not started", spec.name,
                kMaxDomVcpus);
            continue;
        }
        Domain& d = s.domains[s.domain_count];
        d.spec = &spec;
        d.id = s.domain_count + 1;
        d.first_vcpu = s.vcpu_count;
        // A Linux domain that cannot boot (no such module, not a PVH vmlinux, no memory) is
        // left out with its reason logged, like a rejected one; the others start.
        uint32_t linux_entry = 0;
        if (config::on_pc_platform(spec.guest) &&
            !linux_domain_create(spec, d.id, &s.vcpus[s.vcpu_count], linux_entry))
            continue;
        for (uint32_t k = 0; k < spec.vcpus; ++k) {
            DomVcpu& v = s.vcpus[s.vcpu_count];
            v.index = s.vcpu_count;
            s.vcpu_ptrs[s.vcpu_count] = &v;
            if (!create_vcpu(s, d, k, v, linux_entry)) return false;
            s.system.vcpu_count = ++s.vcpu_count;
        }
        ++s.domain_count;
    }
    // The console line first: the emulated UART runs at its baud rate and costs run time.
    log(LogLevel::kInfo, "scheduling %u VCPUs of %u domains on %u CPUs for %llu ms", s.vcpu_count,
        s.domain_count, s.ncpus, static_cast<unsigned long long>(boot_state().options.runtime_ms));
    s.start = now();
    for (uint32_t i = 0; i < s.vcpu_count; ++i) {
        DomVcpu& v = s.vcpus[i];
        if (insert_vcpu(s, v, pool_ids[v.domain->spec->pool])) write_start_info(s, v);
    }
    return s.vcpu_count > s.refused_vcpus;
}

} // namespace rthv::x86::hvm
