// Reader of rtds-sim's text trace (tools/sim/trace.cpp): "TIME CPU EVENT VCPU [FROM]" with
// '-' for no CPU / idle. It has no deadline values: a replenishment happens when the previous
// period ends, so its time is drawn as that period's deadline and the next period's release.
#include "tools/trace/model.hpp"

#include <sstream>

namespace rthv::tracetool {

namespace {

bool parse_u64(const std::string& s, uint64_t& v) {
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos) return false;
    v = std::stoull(s);
    return true;
}

} // namespace

bool read_sim_text(std::istream& in, TraceBuilder& b, std::string& error) {
    std::string line;
    for (size_t lineno = 1; std::getline(in, line); ++lineno) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream f(line);
        std::string time_s, cpu_s, event, vcpu_s, from_s;
        uint64_t time = 0, cpu_u = 0;
        bool ok = static_cast<bool>(f >> time_s >> cpu_s >> event >> vcpu_s) &&
                  parse_u64(time_s, time) && (cpu_s == "-" || parse_u64(cpu_s, cpu_u));
        int32_t cpu = cpu_s == "-" ? kNoCpu : static_cast<int32_t>(cpu_u);
        int32_t v = ok && vcpu_s != "-" ? static_cast<int32_t>(b.vcpu(vcpu_s)) : kNoVcpu;
        if (ok) {
            if (event == "switch") {
                ok = cpu != kNoCpu;
                if (ok) b.run(time, static_cast<uint32_t>(cpu), v);
            } else if (event == "replenish") {
                b.mark(time, cpu, v, Mark::Deadline);
                b.mark(time, cpu, v, Mark::Release);
            } else if (event == "exhausted") {
                b.mark(time, cpu, v, Mark::Exhausted);
            } else if (event == "miss") {
                b.mark(time, cpu, v, Mark::Miss);
            } else if (event == "block") {
                b.mark(time, cpu, v, Mark::Block);
            } else if (event == "wake") {
                b.mark(time, cpu, v, Mark::Wake);
            } else if (event == "tickle") {
                b.mark(time, cpu, v, Mark::Tickle);
            } else {
                ok = false;
            }
        }
        if (!ok) {
            error = "line " + std::to_string(lineno) + ": not an rtds-sim trace line: \"" + line +
                    "\" (rtds-sim writes its text trace when --trace does not end in .json)";
            return false;
        }
    }
    return true;
}

} // namespace rthv::tracetool
