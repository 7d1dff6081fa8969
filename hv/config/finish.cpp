// Checks that need a whole section (budget <= period, the workload against its kernel, unique
// names) or the whole file (pools named by domains, affinity inside the pool).
#include "hv/config/parser.hpp"
#include "hv/lib/format.hpp"
#include "hv/sched/text.hpp"

namespace rthv::config::detail {
namespace {

using ull = unsigned long long;

bool same(const char* a, const char* b) {
    while (*a != '\0' && *a == *b) ++a, ++b;
    return *a == *b;
}

// The key a scheduler parameter error is about.
Key key_of(ParamError e) {
    switch (e) {
    case ParamError::PeriodTooSmall:
    case ParamError::PeriodTooLarge:
        return Key::Period;
    case ParamError::BudgetTooSmall:
    case ParamError::BudgetAbovePeriod:
        return Key::Budget;
    default:
        return Key::Wake;
    }
}

} // namespace

void Parser::finish_domain(DomainSpec& d) {
    uint32_t me = index_;
    if (d.name[0] == '\0' && key_line(Key::Name) == 0)
        error(section_line_, "name", me, "domain has no name");
    for (uint32_t j = 0; j < me && d.name[0] != '\0'; ++j)
        if (same(cfg_.domains[j].name, d.name))
            error(line_of(Key::Name), "name", me, "domain name \"%s\" is already used on line %u",
                  d.name, cfg_.domains[j].line);
    // Checks combining keys run only when each key was valid on its own: a value that was refused
    // left a default behind, and blaming that default would only confuse.
    if (d.rejected) return;
    if (key_line(Key::Tasks) != 0) {
        if (!plan_domain(d)) return;
    } else {
        const Key plan_keys[] = {Key::GuestSched, Key::PlanOverheadUs};
        for (Key k : plan_keys)
            if (key_line(k) != 0) error(key_line(k), key_name(k), me, "applies only with tasks");
    }
    if (cpus_items_ > d.vcpus)
        error(key_line(Key::Cpus), "cpus", me, "list has %u entries but the domain has %u VCPUs",
              cpus_items_, d.vcpus);
    // The scheduler's own rules, so a config can never hold what `xl sched-rtds` would refuse.
    ParamError e = validate(d.params);
    if (e != ParamError::Ok) {
        Key k = key_of(e);
        // "budget exceeds period" after only `period = 1000`: blame the key that was written.
        if (key_line(k) == 0 && k == Key::Budget) k = Key::Period;
        error(line_of(k), key_name(k), me, "%s", describe(e));
        return; // the workload defaults derive from period and budget: nothing sound to check
    }
    if (on_pc_platform(d.guest))
        finish_pc_guest(d);
    else
        finish_workload(d);
}

// A Linux or PVH domain: enough memory for the PVH layout (and a kernel), the module names
// defaulted for Linux (a PVH image must be named); the toy workloads' keys mean nothing to it,
// and its keys nothing to a toy.
void Parser::finish_pc_guest(DomainSpec& d) {
    bool linux = d.guest == GuestKind::Linux;
    const char* kind = linux ? kLinuxKernel : kPvhKernel;
    const Key toy_keys[] = {Key::JobUs, Key::JobPeriodUs, Key::ReleaseOffsetUs, Key::BurstUs,
                            Key::SleepUs};
    for (Key k : toy_keys)
        if (key_line(k) != 0)
            error(key_line(k), key_name(k), index_, "does not apply to kernel \"%s\"", kind);
    if (key_line(Key::Memory) == 0)
        d.memory_mib = linux ? kDefaultLinuxMemoryMiB : kMinLinuxMemoryMiB;
    if (d.memory_mib < kMinLinuxMemoryMiB || d.memory_mib > kMaxLinuxMemoryMiB)
        error(line_of(Key::Memory), "memory", index_,
              linux ? "a Linux domain needs %llu-%llu MiB (the kernel alone takes ~54 MiB)"
                    : "a PVH domain needs %llu-%llu MiB (the PVH layout, hv/vplat/PVH.md)",
              ull{kMinLinuxMemoryMiB}, ull{kMaxLinuxMemoryMiB});
    LinuxBoot& b = d.linux_boot;
    if (!linux) {
        if (key_line(Key::Image) == 0)
            error(d.line, "image", index_, "kernel \"pvh\" needs `image`, the module to boot");
        return;
    }
    if (b.image[0] == '\0') format(b.image, sizeof b.image, "%s", kDefaultLinuxImage);
    if (b.ramdisk[0] == '\0' && key_line(Key::Ramdisk) == 0)
        format(b.ramdisk, sizeof b.ramdisk, "%s", kDefaultLinuxRamdisk);
}

void Parser::finish_workload(DomainSpec& d) {
    const Key linux_keys[] = {Key::Image, Key::Ramdisk, Key::Cmdline};
    for (Key k : linux_keys)
        if (key_line(k) != 0)
            error(key_line(k), key_name(k), index_, "applies only to kernels \"linux\", \"pvh\"");
    WorkloadSpec& w = d.workload;
    bool periodic = w.kind == kWorkloadPeriodic;
    bool interactive = w.kind == kWorkloadInteractive;
    const Key workload_keys[] = {Key::JobUs, Key::JobPeriodUs, Key::ReleaseOffsetUs, Key::BurstUs,
                                 Key::SleepUs};
    for (Key k : workload_keys) {
        bool wants_periodic = k == Key::JobUs || k == Key::JobPeriodUs || k == Key::ReleaseOffsetUs;
        if (key_line(k) != 0 && (wants_periodic ? !periodic : !interactive))
            error(key_line(k), key_name(k), index_, "applies only to kernel \"%s\"",
                  wants_periodic ? "periodic" : "interactive");
    }
    if (w.kind == kWorkloadTasks) return finish_tasks_workload(d);
    if (!periodic) return;
    // Defaults: one job of the whole budget per period, released on the VCPU's period grid.
    if (key_line(Key::JobUs) == 0) w.job_us = d.params.budget_us;
    if (key_line(Key::JobPeriodUs) == 0) w.job_period_us = d.params.period_us;
    if (w.job_us > w.job_period_us)
        error(line_of(Key::JobUs), "job_us", index_, "job_us (%llu) exceeds job_period_us (%llu)",
              ull{w.job_us}, ull{w.job_period_us});
    if (w.release_offset_us >= w.job_period_us)
        error(line_of(Key::ReleaseOffsetUs), "release_offset_us", index_,
              "must be below job_period_us (%llu)", ull{w.job_period_us});
}

void Parser::finish_pool(PoolSpec& p) {
    uint32_t before = cfg_.total_errors();
    if (p.name[0] == '\0' && key_line(Key::Name) == 0)
        error(section_line_, "name", kMaxDomains, "pool has no name");
    if (p.cpus.empty() && key_line(Key::Cpus) == 0)
        error(section_line_, "cpus", kMaxDomains, "pool has no cpus");
    for (uint32_t j = 1; j < index_; ++j) {
        const PoolSpec& q = cfg_.pools[j];
        if (p.name[0] != '\0' && same(q.name, p.name))
            error(line_of(Key::Name), "name", kMaxDomains,
                  "pool name \"%s\" is already used on line %u", p.name, q.line);
        if (!q.rejected && !(q.cpus & p.cpus).empty())
            error(line_of(Key::Cpus), "cpus", kMaxDomains, "CPUs overlap pool \"%s\" (line %u)",
                  q.name, q.line);
    }
    if (cfg_.total_errors() != before) p.rejected = true;
}

void Parser::resolve_pools() {
    CpuSet taken;
    for (uint32_t j = 1; j < cfg_.pool_count; ++j)
        if (!cfg_.pools[j].rejected) taken = taken | cfg_.pools[j].cpus;
    cfg_.pools[0].cpus = CpuSet::first_n(ncpus_) & ~taken;

    for (uint32_t i = 0; i < cfg_.domain_count; ++i) {
        DomainSpec& d = cfg_.domains[i];
        const char* wanted = domain_pool_[i][0] != '\0' ? domain_pool_[i] : kDefaultPoolName;
        uint32_t line = domain_pool_line_[i] != 0 ? domain_pool_line_[i] : d.line;
        uint32_t j = 0;
        while (j < cfg_.pool_count && !same(cfg_.pools[j].name, wanted)) ++j;
        if (j == cfg_.pool_count) {
            error(line, "pool", i, "no pool named \"%s\"", wanted);
            continue;
        }
        const PoolSpec& p = cfg_.pools[j];
        if (p.rejected) {
            error(line, "pool", i, "pool \"%s\" (line %u) has errors", wanted, p.line);
            continue;
        }
        if (p.cpus.empty()) {
            error(line, "pool", i, "pool \"%s\" has no CPUs left (every CPU is in a [pool])",
                  wanted);
            continue;
        }
        d.pool = j;
        for (uint32_t v = 0; v < d.vcpus; ++v) {
            if ((d.affinity[v] & p.cpus).empty()) {
                char cpus[64];
                BufferSink sink(cpus, sizeof cpus);
                TextWriter(sink).cpus(p.cpus);
                error(domain_cpus_line_[i], "cpus", i, "VCPU %u has no CPU in pool \"%s\" (%s)", v,
                      wanted, cpus);
                break;
            }
        }
    }
}

} // namespace rthv::config::detail
