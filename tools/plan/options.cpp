// Argument parsing for rthv-plan. Numbers are plain decimal µs; anything else is refused.
#include "tools/plan/options.hpp"

#include <cstdlib>

namespace rthv::plan_tool {

const char* const kUsage =
    "usage: rthv plan TASKSET [--vcpus N] [--period P | --periods A-B] [--guest edf|rm]\n"
    "                 [--server cbs|deferrable] [--overhead US] [--domain NAME] [--json]\n"
    "\n"
    "Prints the cheapest RTDS reservation (period, budget per VCPU) under which the guest's\n"
    "task set (TASKSET: a file of C/T[/D] items in us, '-' = stdin; hv/plan/FORMAT.md) meets\n"
    "every deadline, as hv/config lines and an xl sched-rtds command.\n"
    "  --vcpus N         VCPUs of the VM (1-64, default 1): global EDF (edf) or partitioned RM\n"
    "  --period P        plan for this period only (us)\n"
    "  --periods A-B     search periods in [A, B] (default: min T / 8 .. min T)\n"
    "  --guest edf|rm    the guest's own scheduler (default edf)\n"
    "  --server cbs|deferrable  the VCPU's wake rule the guarantee assumes (default cbs)\n"
    "  --overhead US     hypervisor time per period charged to the VCPU, added to the budget\n"
    "  --domain NAME     domain name for the xl command (default DOM)\n"
    "  --json            machine-readable output\n"
    "Exit status: 0 planned, 1 not schedulable in the range, 2 bad input.\n";

namespace {

bool number(const std::string& s, uint64_t& out) {
    if (s.empty() || s.size() > 19 || (s.size() > 1 && s[0] == '0')) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    out = std::strtoull(s.c_str(), nullptr, 10);
    return true;
}

} // namespace

bool parse_options(int argc, char** argv, Options& o, std::string& error) {
    plan::Request& r = o.request;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&](std::string& v) {
            if (i + 1 >= argc) return false;
            v = argv[++i];
            return true;
        };
        std::string v;
        uint64_t n = 0;
        if (a == "-h" || a == "--help") {
            o.help = true;
        } else if (a == "--json") {
            o.json = true;
        } else if (a == "--vcpus") {
            if (!value(v) || !number(v, n) || n == 0 || n > plan::kMaxVcpus)
                return error = "--vcpus needs a number from 1 to 64", false;
            r.vcpus = static_cast<uint32_t>(n);
        } else if (a == "--period") {
            if (!value(v) || !number(v, n) || n < plan::kMinBudgetUs || n > plan::kMaxTimeUs)
                return error = "--period needs a number of us from 10 to 2^32", false;
            r.period_min = r.period_max = n;
        } else if (a == "--periods") {
            uint64_t lo = 0, hi = 0;
            const size_t dash = value(v) ? v.find('-') : std::string::npos;
            if (dash == std::string::npos || !number(v.substr(0, dash), lo) ||
                !number(v.substr(dash + 1), hi) || lo < plan::kMinBudgetUs || hi < lo ||
                hi > plan::kMaxTimeUs)
                return error = "--periods needs A-B in us with 10 <= A <= B <= 2^32", false;
            r.period_min = lo;
            r.period_max = hi;
        } else if (a == "--guest") {
            if (!value(v) || (v != "edf" && v != "rm"))
                return error = "--guest must be edf or rm", false;
            r.guest = v == "edf" ? plan::GuestSched::Edf : plan::GuestSched::Rm;
        } else if (a == "--server") {
            if (!value(v) || (v != "cbs" && v != "deferrable"))
                return error = "--server must be cbs or deferrable", false;
            r.server = v == "cbs" ? plan::ServerRule::Cbs : plan::ServerRule::Deferrable;
        } else if (a == "--overhead") {
            if (!value(v) || !number(v, n) || n > plan::kMaxTimeUs)
                return error = "--overhead needs a number of us", false;
            r.overhead_us = n;
        } else if (a == "--domain") {
            if (!value(o.domain) || o.domain.empty()) return error = "--domain needs a name", false;
        } else if (!a.empty() && a[0] == '-' && a != "-") {
            return error = "unknown option " + a, false;
        } else if (o.taskset_path.empty()) {
            o.taskset_path = a;
        } else {
            return error = "only one TASKSET file", false;
        }
    }
    if (!o.help && o.taskset_path.empty()) return error = "missing TASKSET", false;
    return true;
}

} // namespace rthv::plan_tool
