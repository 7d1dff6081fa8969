#include "tools/xl/format.hpp"

#include <cstdarg>
#include <cstdio>

namespace rthv::xl {

using namespace rthv::ctl;

namespace {

__attribute__((format(printf, 1, 2))) std::string fmt(const char* f, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, f);
    const int n = std::vsnprintf(buf, sizeof buf, f, ap);
    va_end(ap);
    return std::string(buf, n < 0                                 ? 0
                            : static_cast<size_t>(n) < sizeof buf ? static_cast<size_t>(n)
                                                                  : sizeof buf - 1);
}

const char* yes_no(uint8_t flag) { return flag != 0 ? "yes" : "no"; }
int as_int(uint32_t v) { return static_cast<int>(v); }
// Xen computes ((float)cpu_time / 1e9): a float rounding step, then double division.
double xen_seconds(uint64_t ns) { return static_cast<double>(static_cast<float>(ns)) / 1e9; }
bool bit(const uint8_t* mask, uint32_t i) { return (mask[i / 8] >> (i % 8)) & 1u; }

} // namespace

std::string rtds_pool_line(const std::string& pool) {
    return fmt("Cpupool %s: sched=RTDS\n", pool.c_str());
}

std::string rtds_domain_header() {
    return fmt("%-33s %4s %9s %9s %10s\n", "Name", "ID", "Period", "Budget", "Extratime");
}

std::string rtds_domain_row(const std::string& name, uint32_t domid, const RtdsParams& p) {
    return fmt("%-33s %4d %9d %9d %10s\n", name.c_str(), as_int(domid), as_int(p.period_us),
               as_int(p.budget_us), yes_no(p.extratime));
}

std::string rtds_vcpu_header() {
    return fmt("%-33s %4s %4s %9s %9s %10s\n", "Name", "ID", "VCPU", "Period", "Budget",
               "Extratime");
}

std::string rtds_vcpu_row(const std::string& name, uint32_t domid, const RtdsParams& p) {
    return fmt("%-33s %4d %4d %9u %9u %10s\n", name.c_str(), as_int(domid), as_int(p.vcpu),
               p.period_us, p.budget_us, yes_no(p.extratime));
}

std::string list_header() {
    return "Name                                        ID   Mem VCPUs\tState\tTime(s)\n";
}

std::string list_row(const DomainInfo& d) {
    const auto s = [&](uint8_t b, char c) { return (d.state & b) != 0 ? c : '-'; };
    return fmt("%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f\n", d.name, as_int(d.id),
               static_cast<unsigned long>(d.mem_kib / 1024), as_int(d.nr_vcpus),
               s(kDomRunning, 'r'), s(kDomBlocked, 'b'), s(kDomPaused, 'p'), s(kDomShutdown, 's'),
               s(kDomCrashed, 'c'), s(kDomDying, 'd'), xen_seconds(d.cpu_time_ns));
}

std::string vcpu_list_header() {
    return fmt("%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU", "State", "Time(s)",
               "Affinity (Hard / Soft)");
}

std::string vcpu_list_row(const DomainInfo& d, const VcpuInfo& v, uint32_t nr_cpus) {
    std::string line = fmt("%-32s %5u %5u", d.name, d.id, v.vcpu);
    if ((v.state & kVcpuOnline) == 0 || v.pcpu == kNoCpu)
        line += fmt("%5c %3c%cp ", '-', '-', '-');
    else
        line += fmt("%5u %3c%c- ", v.pcpu, (v.state & kVcpuRunning) != 0 ? 'r' : '-',
                    (v.state & kVcpuBlocked) != 0 ? 'b' : '-');
    line += fmt("%9.1f  ", xen_seconds(v.cpu_time_ns));
    // rthv has no soft affinity: every CPU is equally preferred, which Xen prints as "all".
    return line + cpu_bitmap(v.affinity, nr_cpus) + " / all\n";
}

std::string cpu_bitmap(const uint8_t* mask, uint32_t nr_cpus) {
    if (nr_cpus > kCpuMaskBytes * 8) nr_cpus = kCpuMaskBytes * 8;
    std::string out;
    uint32_t i = 0;
    while (i < nr_cpus) {
        if (!bit(mask, i)) {
            ++i;
            continue;
        }
        uint32_t end = i;
        while (end + 1 < nr_cpus && bit(mask, end + 1)) ++end;
        if (i == 0 && end + 1 == nr_cpus) return "all";
        if (!out.empty()) out += ',';
        out += std::to_string(i);
        if (end > i) out += "-" + std::to_string(end);
        i = end + 1;
    }
    return out.empty() ? "none" : out;
}

std::string info_text(const HostInfo& h) {
    return fmt("nr_cpus                : %u\n", h.nr_cpus) +
           fmt("cpu_mhz                : %u.%03u\n", h.cpu_khz / 1000, h.cpu_khz % 1000) +
           fmt("total_memory           : %llu\n",
               static_cast<unsigned long long>(h.total_mem_kib / 1024)) +
           fmt("free_memory            : %llu\n",
               static_cast<unsigned long long>(h.free_mem_kib / 1024)) +
           fmt("xen_scheduler          : %s\n", h.scheduler) +
           fmt("hv_version             : %s\n", h.version);
}

std::string percent(uint64_t num, uint64_t den) {
    if (den == 0) return "-";
    const unsigned __int128 bp = static_cast<unsigned __int128>(num) * 10000u / den;
    const auto v = static_cast<unsigned long long>(bp);
    return fmt("%llu.%02llu%%", v / 100, v % 100);
}

std::string stats_header() {
    return fmt("%-33s %4s %4s %9s %9s %9s %9s %8s %8s %11s %11s\n", "Name", "ID", "VCPU", "Period",
               "Budget", "Reserved", "Received", "Misses", "LateWake", "MaxLat(us)", "Extra(us)");
}

std::string stats_row(const std::string& name, uint32_t domid, const RtdsParams& p,
                      const RtdsStats& s) {
    return fmt(
        "%-33s %4d %4d %9u %9u %9s %9s %8llu %8llu %11llu %11llu\n", name.c_str(), as_int(domid),
        as_int(p.vcpu), p.period_us, p.budget_us, percent(p.budget_us, p.period_us).c_str(),
        percent(s.received_ns, s.window_ns).c_str(), static_cast<unsigned long long>(s.misses),
        static_cast<unsigned long long>(s.late_wakes),
        static_cast<unsigned long long>(s.worst_latency_ns / 1000),
        static_cast<unsigned long long>(s.extratime_ns / 1000));
}

} // namespace rthv::xl
