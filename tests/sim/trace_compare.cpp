#include "tests/sim/trace_compare.hpp"

#include <algorithm>
#include <sstream>

namespace rthv::simtest {
namespace {

std::string show(const std::vector<sim::TraceEvent>& t, size_t i) {
    if (i >= t.size()) return "(end of trace)";
    std::ostringstream o;
    o << "t=" << t[i].time << " cpu" << t[i].cpu << " " << t[i].from << "->" << t[i].vcpu;
    return o.str();
}

} // namespace

std::string first_switch_difference(const std::vector<sim::TraceEvent>& a,
                                    const std::vector<sim::TraceEvent>& b, const char* a_label,
                                    const char* b_label) {
    for (size_t i = 0; i < std::max(a.size(), b.size()); ++i)
        if (i >= a.size() || i >= b.size() || !(a[i] == b[i]))
            return "switch #" + std::to_string(i) + ": " + a_label + " " + show(a, i) + ", " +
                   b_label + " " + show(b, i) +
                   (i > 0 ? " (previous: " + show(a, i - 1) + ")" : "");
    return "";
}

} // namespace rthv::simtest
