// `xl sched-rtds` arguments, parsed and checked completely before xl talks to the hypervisor.
// Syntax (Xen's): [-d DOMAIN [-v VCPUID|all]... [-p PERIOD] [-b BUDGET] [-e 0|1]] [-c CPUPOOL]
// plus --force (ours: skip admission control on a change).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rthv::xl {

struct SchedRtdsArgs {
    bool help = false;
    bool has_domain = false;
    std::string domain;
    bool has_cpupool = false;
    std::string cpupool;
    bool all_vcpus = false;      // -v all
    std::vector<uint32_t> vcpus; // -v N, in command-line order
    std::vector<uint32_t> periods;
    std::vector<uint32_t> budgets;
    std::vector<uint8_t> extratimes;
    bool force = false;

    bool is_set() const { return !periods.empty() || !budgets.empty() || !extratimes.empty(); }
};

// Throws XlError naming the first problem found.
SchedRtdsArgs parse_sched_rtds_args(const std::vector<std::string>& args);

} // namespace rthv::xl
