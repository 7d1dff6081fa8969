// The fake hypervisor's tables and the Dispatcher operations over them.
#include "fake_hypervisor.hpp"

#include <cstring>

namespace rthv::test {

using namespace rthv::ctl;

namespace {

FakeDomain make_domain(uint32_t id, const char* name, uint32_t pool, uint64_t mem_mib,
                       uint8_t state, uint64_t cpu_ns, std::vector<RtdsParams> params) {
    FakeDomain d;
    d.info.id = id;
    std::strncpy(d.info.name, name, kMaxName);
    d.info.pool = pool;
    d.info.mem_kib = mem_mib * 1024;
    d.info.state = state;
    d.info.cpu_time_ns = cpu_ns;
    d.info.nr_vcpus = static_cast<uint32_t>(params.size());
    for (uint32_t v = 0; v < params.size(); ++v) {
        FakeVcpu fv;
        fv.params = params[v];
        fv.params.vcpu = v;
        fv.stats = RtdsStats{
            v, 1'000'000'000, 100'000'000ull * (v + 1), 100, v, 12'345 * (v + 1), 1'500'000, 2 * v};
        fv.pcpu = (state & kDomPaused) != 0 ? kNoCpu : pool * 2 + v % 2;
        fv.cpu_time_ns = 1'250'000'000ull * (v + 1);
        d.vcpus.push_back(fv);
    }
    return d;
}

PoolInfo make_pool(uint32_t id, const char* name, uint32_t first_cpu, uint32_t nr_cpus) {
    PoolInfo p;
    p.id = id;
    std::strncpy(p.name, name, kMaxName);
    p.nr_cpus = nr_cpus;
    for (uint32_t c = first_cpu; c < first_cpu + nr_cpus; ++c)
        p.cpus[c / 8] |= uint8_t(1u << (c % 8));
    return p;
}

uint32_t ppm(const RtdsParams& p) {
    return static_cast<uint32_t>(uint64_t{p.budget_us} * 1'000'000 / p.period_us);
}

} // namespace

// Pool-0 (CPUs 0-1): Domain-0, vm1. rt-pool (CPUs 2-3): vm2 (VCPUs differ), a long name.
FakeDispatcher::FakeDispatcher() {
    pools = {make_pool(0, "Pool-0", 0, 2), make_pool(1, "rt-pool", 2, 2)};
    domains.push_back(make_domain(0, "Domain-0", 0, 1024, kDomRunning, 55'555'000'000'000ull,
                                  {{0, 10000, 4000, 1}}));
    domains.push_back(make_domain(1, "vm1", 0, 256, kDomBlocked, 12'345'678'901ull,
                                  {{0, 300, 150, 0}, {0, 300, 150, 0}}));
    domains.push_back(
        make_domain(2, "vm2", 1, 512, kDomRunning, 99'300'000'000ull,
                    {{0, 1000, 500, 1}, {0, 1000, 500, 1}, {0, 2000, 400, 0}, {0, 1000, 500, 1}}));
    domains.push_back(make_domain(7, "a-domain-with-a-very-long-name-0123456789", 1, 64, kDomPaused,
                                  0, {{0, 100000, 10000, 1}}));
    console = "(rthv) boot: 4 CPUs\n(rthv) rtds: 4 domains\n";
    trace_setup(2, 1024);
}

void FakeDispatcher::host_info(HostInfo& out) {
    out.nr_cpus = 4;
    out.cpu_khz = 2'400'123;
    out.total_mem_kib = 2048 * 1024;
    out.free_mem_kib = 160 * 1024;
    std::strcpy(out.scheduler, "rtds");
    std::strcpy(out.version, "rthv 0.1");
}

uint32_t FakeDispatcher::domain_count() { return static_cast<uint32_t>(domains.size()); }

bool FakeDispatcher::domain_at(uint32_t index, DomainInfo& out) {
    if (index >= domains.size()) return false;
    out = domains[index].info;
    return true;
}

FakeDomain* FakeDispatcher::domain(uint32_t domid) {
    for (FakeDomain& d : domains)
        if (d.info.id == domid) return &d;
    return nullptr;
}

bool FakeDispatcher::find_domain(uint32_t domid, DomainInfo& out) {
    const FakeDomain* d = domain(domid);
    if (d != nullptr) out = d->info;
    return d != nullptr;
}

uint32_t FakeDispatcher::pool_count() { return static_cast<uint32_t>(pools.size()); }

bool FakeDispatcher::pool_at(uint32_t index, PoolInfo& out) {
    if (index >= pools.size()) return false;
    out = pools[index];
    out.nr_domains = 0;
    for (const FakeDomain& d : domains) out.nr_domains += d.info.pool == out.id ? 1 : 0;
    return true;
}

bool FakeDispatcher::vcpu_info(uint32_t domid, uint32_t vcpu, VcpuInfo& out) {
    FakeDomain* d = domain(domid);
    if (d == nullptr || vcpu >= d->vcpus.size()) return false;
    const FakeVcpu& v = d->vcpus[vcpu];
    out.vcpu = vcpu;
    out.pcpu = v.pcpu;
    out.state =
        v.pcpu == kNoCpu ? 0 : uint8_t(kVcpuOnline | (vcpu == 0 ? kVcpuRunning : kVcpuBlocked));
    out.cpu_time_ns = v.cpu_time_ns;
    for (const PoolInfo& p : pools)
        if (p.id == d->info.pool) std::memcpy(out.affinity, p.cpus, kCpuMaskBytes);
    return true;
}

bool FakeDispatcher::rtds_params(uint32_t domid, uint32_t vcpu, RtdsParams& out) {
    FakeDomain* d = domain(domid);
    if (d == nullptr || vcpu >= d->vcpus.size()) return false;
    out = d->vcpus[vcpu].params;
    return true;
}

bool FakeDispatcher::rtds_stats(uint32_t domid, uint32_t vcpu, RtdsStats& out) {
    FakeDomain* d = domain(domid);
    if (d == nullptr || vcpu >= d->vcpus.size()) return false;
    out = d->vcpus[vcpu].stats;
    return true;
}

uint32_t FakeDispatcher::pool_utilisation_ppm(uint32_t pool) const {
    uint32_t sum = 0;
    for (const FakeDomain& d : domains)
        if (d.info.pool == pool)
            for (const FakeVcpu& v : d.vcpus) sum += ppm(v.params);
    return sum;
}

Error FakeDispatcher::rtds_set(uint32_t domid, const RtdsParams* entries, uint32_t count,
                               bool force, AdmissionReport& report) {
    FakeDomain* d = domain(domid);
    if (d == nullptr) return Error::Internal; // the server checked this already
    report.pool = d->info.pool;
    report.current_ppm = pool_utilisation_ppm(d->info.pool);
    report.requested_ppm = report.current_ppm;
    for (uint32_t i = 0; i < count; ++i)
        report.requested_ppm += ppm(entries[i]) - ppm(d->vcpus[entries[i].vcpu].params);
    for (const PoolInfo& p : pools)
        if (p.id == d->info.pool) report.capacity_ppm = p.nr_cpus * capacity_percent * 10'000;
    if (report.requested_ppm > report.capacity_ppm && !force) return Error::AdmissionRefused;
    for (uint32_t i = 0; i < count; ++i) d->vcpus[entries[i].vcpu].params = entries[i];
    ++mutations;
    return Error::Ok;
}

Error FakeDispatcher::pause(uint32_t domid) {
    FakeDomain* d = domain(domid);
    if (d == nullptr) return Error::Internal;
    if ((d->info.state & kDomPaused) != 0) return Error::BadState;
    d->info.state = kDomPaused;
    ++mutations;
    return Error::Ok;
}

Error FakeDispatcher::unpause(uint32_t domid) {
    FakeDomain* d = domain(domid);
    if (d == nullptr) return Error::Internal;
    if ((d->info.state & kDomPaused) == 0) return Error::BadState;
    d->info.state = kDomBlocked;
    ++mutations;
    return Error::Ok;
}

Error FakeDispatcher::end_run() {
    if (run_ending) return Error::BadState;
    run_ending = true;
    ++mutations;
    return Error::Ok;
}

void FakeDispatcher::console_read(uint64_t from, ConsoleChunk& chunk) {
    const uint64_t end = console_dropped + console.size();
    chunk.start = from < console_dropped ? console_dropped : (from > end ? end : from);
    chunk.end = end;
    const uint64_t n = end - chunk.start < kMaxConsoleChunk ? end - chunk.start : kMaxConsoleChunk;
    chunk.length = static_cast<uint16_t>(n);
    std::memcpy(chunk.data, console.data() + (chunk.start - console_dropped), n);
}

Error FakeDispatcher::guest_console(uint32_t domid, const uint8_t* input, uint16_t input_len,
                                    uint64_t from, ConsoleChunk& chunk) {
    auto it = guest_consoles.find(domid);
    if (it == guest_consoles.end()) return Error::BadState;
    std::string& out = it->second;
    typed.append(reinterpret_cast<const char*>(input), input_len);
    out.append(reinterpret_cast<const char*>(input), input_len);
    const uint64_t end = out.size();
    chunk.start = from > end ? end : from;
    chunk.end = end;
    const uint64_t n = end - chunk.start < kMaxConsoleChunk ? end - chunk.start : kMaxConsoleChunk;
    chunk.length = static_cast<uint16_t>(n);
    std::memcpy(chunk.data, out.data() + chunk.start, n);
    return Error::Ok;
}

bool FakeDispatcher::has_debug_key(char key) { return key == 'r'; }

void FakeDispatcher::debug_key(char key) {
    keys_run.push_back(key);
    console += "(rthv) RTDS queues dump\n";
}

} // namespace rthv::test
