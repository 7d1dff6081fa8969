// `xl sched-rtds`: list every form Xen has, with each domain's real parameters, and change
// parameters for a domain or chosen VCPUs after checking them against the live domain.
#include "tools/xl/format.hpp"
#include "tools/xl/sched_rtds_args.hpp"
#include "tools/xl/text_util.hpp"
#include "tools/xl/xl.hpp"

namespace rthv::xl {

using namespace rthv::ctl;

namespace {

// Unlike Xen (which prints the scheduler defaults here), a domain row shows the domain's own
// parameters. If its VCPUs disagree the row shows VCPU 0 and a note on stderr says so.
void print_domain_row(Client& c, const DomainInfo& d, Io io) {
    const std::vector<RtdsParams> params = c.rtds(d.id);
    RtdsParams shown;
    if (!params.empty()) shown = params[0];
    io.out << rtds_domain_row(d.name, d.id, shown);
    for (const RtdsParams& p : params) {
        if (p.period_us != shown.period_us || p.budget_us != shown.budget_us ||
            p.extratime != shown.extratime) {
            io.err << "xl sched-rtds: note: the VCPUs of '" << d.name
                   << "' have different parameters; the row shows VCPU 0 (see -d " << d.name
                   << " -v all)\n";
            break;
        }
    }
}

void list_pools(const SchedRtdsArgs& a, Client& c, Io io) {
    const std::vector<DomainInfo> domains = c.domains();
    std::vector<PoolInfo> pools = c.pools();
    if (a.has_cpupool) pools = {find_pool(pools, a.cpupool)};
    for (const PoolInfo& pool : pools) {
        io.out << rtds_pool_line(pool.name);
        io.out << (a.all_vcpus ? rtds_vcpu_header() : rtds_domain_header());
        for (const DomainInfo& d : domains) {
            if (d.pool != pool.id) continue;
            if (!a.all_vcpus) {
                print_domain_row(c, d, io);
                continue;
            }
            for (const RtdsParams& p : c.rtds(d.id)) io.out << rtds_vcpu_row(d.name, d.id, p);
        }
    }
}

void list_domain(const SchedRtdsArgs& a, Client& c, Io io) {
    const DomainInfo d = find_domain(c.domains(), a.domain);
    if (!a.all_vcpus && a.vcpus.empty()) {
        io.out << rtds_domain_header();
        print_domain_row(c, d, io);
        return;
    }
    const std::vector<RtdsParams> params = c.rtds(d.id);
    for (uint32_t v : a.vcpus) check_vcpu(d, v);
    io.out << rtds_vcpu_header();
    if (a.all_vcpus) {
        for (const RtdsParams& p : params) io.out << rtds_vcpu_row(d.name, d.id, p);
        return;
    }
    for (uint32_t v : a.vcpus) {
        if (v >= params.size()) throw XlError("the hypervisor returned fewer VCPUs than listed");
        io.out << rtds_vcpu_row(d.name, d.id, params[v]);
    }
}

// Builds the full new parameters of every VCPU that changes; values not given stay as they are.
std::vector<RtdsParams> build_changes(const SchedRtdsArgs& a, const DomainInfo& d,
                                      const std::vector<RtdsParams>& current) {
    std::vector<RtdsParams> changes;
    const bool whole = a.all_vcpus || a.vcpus.empty();
    const size_t n = whole ? current.size() : a.vcpus.size();
    for (size_t i = 0; i < n; ++i) {
        const uint32_t v = whole ? static_cast<uint32_t>(i) : a.vcpus[i];
        check_vcpu(d, v);
        if (v >= current.size()) throw XlError("the hypervisor returned fewer VCPUs than listed");
        const size_t k = whole ? 0 : i; // whole-domain changes carry one value per option
        RtdsParams p = current[v];
        if (k < a.periods.size()) p.period_us = a.periods[k];
        if (k < a.budgets.size()) p.budget_us = a.budgets[k];
        if (k < a.extratimes.size()) p.extratime = a.extratimes[k];
        if (p.budget_us > p.period_us)
            throw XlError("budget " + std::to_string(p.budget_us) + " us would exceed period " +
                          std::to_string(p.period_us) + " us of VCPU " + std::to_string(v) +
                          " of '" + d.name + "'");
        changes.push_back(p);
    }
    if (changes.empty()) throw XlError(std::string("domain '") + d.name + "' has no VCPUs");
    return changes;
}

void change(const SchedRtdsArgs& a, Client& c, Io io) {
    const DomainInfo d = find_domain(c.domains(), a.domain);
    const std::vector<RtdsParams> changes = build_changes(a, d, c.rtds(d.id));
    AdmissionReport report;
    try {
        report = c.rtds_set(d.id, changes, a.force);
    } catch (const RemoteError& e) {
        if (e.reply.code != Error::AdmissionRefused) throw;
        const AdmissionReport& r = e.reply.admission;
        throw XlError("admission control refused the change: cpupool '" +
                      pool_name(c.pools(), r.pool) + "' utilisation would go from " +
                      ppm_percent(r.current_ppm) + " to " + ppm_percent(r.requested_ppm) +
                      ", above its limit of " + ppm_percent(r.capacity_ppm) +
                      "; add --force to apply it anyway");
    }
    if (report.requested_ppm > report.capacity_ppm)
        io.err << "xl sched-rtds: warning: cpupool '" << pool_name(c.pools(), report.pool)
               << "' is overcommitted: " << ppm_percent(report.requested_ppm) << " of "
               << ppm_percent(report.capacity_ppm) << "\n";
}

} // namespace

void cmd_sched_rtds(const std::vector<std::string>& args, Session& s, Io io) {
    const SchedRtdsArgs a = parse_sched_rtds_args(args);
    if (a.help) {
        io.out << command_help("sched-rtds");
        return;
    }
    Client& c = s.client();
    if (a.is_set()) return change(a, c, io);
    if (a.has_domain) return list_domain(a, c, io);
    list_pools(a, c, io);
}

} // namespace rthv::xl
