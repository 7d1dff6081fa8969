// `xl sched-rtds-stats`: one-shot RTDS statistics per VCPU, grouped by cpupool like
// `xl sched-rtds`. Named after the command it complements so that `xl sched-rtds<TAB>` and
// `xl help` put the two side by side; `xl top` in Xen is the interactive xentop, which this is not.
#include "tools/xl/format.hpp"
#include "tools/xl/options.hpp"
#include "tools/xl/xl.hpp"

namespace rthv::xl {

using namespace rthv::ctl;

void cmd_sched_rtds_stats(const std::vector<std::string>& args, Session& s, Io io) {
    const std::vector<OptionSpec> specs = {{'d', "domain", true}, {'c', "cpupool", true}};
    std::string domain;
    std::string cpupool;
    for (const ParsedOption& o : parse_options(args, specs)) {
        if (o.name == 0) throw XlError("unexpected argument '" + o.value + "'");
        std::string& slot = o.name == 'd' ? domain : cpupool;
        if (!slot.empty()) throw XlError(o.spelled + " given twice");
        if (o.value.empty()) throw XlError(o.spelled + " needs a non-empty value");
        slot = o.value;
    }
    Client& c = s.client();
    std::vector<DomainInfo> domains = c.domains();
    std::vector<PoolInfo> pools = c.pools();
    if (!domain.empty()) {
        domains = {find_domain(domains, domain)};
        pools = {find_pool(pools, std::to_string(domains[0].pool))};
    }
    if (!cpupool.empty()) {
        const PoolInfo chosen = find_pool(pools, cpupool);
        if (!domain.empty() && chosen.id != domains[0].pool)
            throw XlError("domain '" + domain + "' is not in cpupool '" + cpupool + "'");
        pools = {chosen};
    }
    for (const PoolInfo& pool : pools) {
        io.out << rtds_pool_line(pool.name) << stats_header();
        for (const DomainInfo& d : domains) {
            if (d.pool != pool.id) continue;
            const std::vector<RtdsParams> params = c.rtds(d.id);
            const std::vector<RtdsStats> stats = c.stats(d.id);
            for (size_t v = 0; v < params.size() && v < stats.size(); ++v)
                io.out << stats_row(d.name, d.id, params[v], stats[v]);
        }
    }
}

} // namespace rthv::xl
