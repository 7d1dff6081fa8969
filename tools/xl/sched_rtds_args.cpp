#include "tools/xl/sched_rtds_args.hpp"

#include "hv/ctl/wire.hpp"
#include "tools/xl/error.hpp"
#include "tools/xl/numbers.hpp"
#include "tools/xl/options.hpp"

namespace rthv::xl {
namespace {

const std::vector<OptionSpec> kSpecs = {
    {'d', "domain", true},    {'v', "vcpuid", true},  {'p', "period", true}, {'b', "budget", true},
    {'e', "extratime", true}, {'c', "cpupool", true}, {'f', "force", false}, {'h', "help", false},
};

std::string n(size_t v) { return std::to_string(v); }

void check_counts(const SchedRtdsArgs& a) {
    if (!a.is_set()) return;
    if (!a.has_domain) throw XlError("-p/-b/-e change a domain: give it with -d DOMAIN");
    const size_t v = a.all_vcpus ? 1 : a.vcpus.size();
    if (v == 0) {
        // Whole domain: one value of each given parameter, the others stay as they are.
        if (a.periods.size() > 1 || a.budgets.size() > 1 || a.extratimes.size() > 1)
            throw XlError("without -v, give each of -p, -b and -e at most once");
        if (!a.periods.empty() && !a.budgets.empty() && a.budgets[0] > a.periods[0])
            throw XlError("budget " + n(a.budgets[0]) + " us is greater than period " +
                          n(a.periods[0]) + " us");
        return;
    }
    if (a.periods.size() != v || a.budgets.size() != v ||
        (!a.extratimes.empty() && a.extratimes.size() != v))
        throw XlError("counts do not match: " + n(v) + " VCPU(s) (-v) need as many periods " +
                      "(-p), budgets (-b) and optionally extratimes (-e); got " +
                      n(a.periods.size()) + ", " + n(a.budgets.size()) + ", " +
                      n(a.extratimes.size()));
    for (size_t i = 0; i < v; ++i) {
        if (a.budgets[i] > a.periods[i])
            throw XlError("budget " + n(a.budgets[i]) + " us is greater than period " +
                          n(a.periods[i]) + " us" +
                          (a.all_vcpus ? "" : " for VCPU " + n(a.vcpus[i])));
    }
}

} // namespace

SchedRtdsArgs parse_sched_rtds_args(const std::vector<std::string>& args) {
    SchedRtdsArgs a;
    for (const ParsedOption& o : parse_options(args, kSpecs)) {
        switch (o.name) {
        case 0:
            throw XlError("unexpected argument '" + o.value + "'");
        case 'h':
            a.help = true;
            break;
        case 'f':
            a.force = true;
            break;
        case 'd':
            if (a.has_domain) throw XlError("-d given twice; sched-rtds works on one domain");
            if (o.value.empty()) throw XlError("empty domain name");
            a.has_domain = true;
            a.domain = o.value;
            break;
        case 'c':
            if (a.has_cpupool) throw XlError("-c given twice");
            a.has_cpupool = true;
            a.cpupool = o.value;
            break;
        case 'v':
            if (o.value == "all") {
                if (!a.vcpus.empty() || a.all_vcpus)
                    throw XlError("'-v all' cannot be combined with other -v options");
                a.all_vcpus = true;
                break;
            }
            if (a.all_vcpus) throw XlError("'-v all' cannot be combined with other -v options");
            a.vcpus.push_back(parse_number(o.value, "VCPU", 0, UINT32_MAX - 1, ""));
            for (size_t i = 0; i + 1 < a.vcpus.size(); ++i)
                if (a.vcpus[i] == a.vcpus.back()) throw XlError("VCPU " + o.value + " given twice");
            break;
        case 'p':
            a.periods.push_back(
                parse_number(o.value, "period", ctl::kMinPeriodUs, ctl::kMaxPeriodUs, " us"));
            break;
        case 'b':
            a.budgets.push_back(
                parse_number(o.value, "budget", ctl::kMinBudgetUs, ctl::kMaxPeriodUs, " us"));
            break;
        case 'e':
            if (o.value != "0" && o.value != "1")
                throw XlError("extratime must be 0 or 1, not '" + o.value + "'");
            a.extratimes.push_back(o.value == "1" ? 1 : 0);
            break;
        }
    }
    if (a.help) return a;
    if (!a.vcpus.empty() && !a.has_domain)
        throw XlError("-v VCPUID needs -d DOMAIN (only '-v all' lists every domain)");
    if (a.has_cpupool && (a.has_domain || a.is_set()))
        throw XlError(
            "-c/--cpupool selects what to list; it cannot be combined with -d or -p/-b/-e");
    if (a.force && !a.is_set()) throw XlError("--force only applies to a change (-p/-b/-e)");
    check_counts(a);
    return a;
}

} // namespace rthv::xl
