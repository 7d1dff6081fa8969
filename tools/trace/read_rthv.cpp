// Reader of the rthv-trace line-text export (hv/trace/FORMAT.md).
#include "tools/trace/model.hpp"

#include "hv/trace/record.hpp"

#include <sstream>

namespace rthv::tracetool {

namespace {

// '-' (none) -> -1, else the number; false on anything else.
bool parse_field(const std::string& s, int64_t& v) {
    if (s == "-") {
        v = -1;
        return true;
    }
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos) return false;
    v = static_cast<int64_t>(std::stoull(s));
    return true;
}

int kind_of(const std::string& name) {
    for (uint8_t k = 0; k < trace::kKindCount; ++k)
        if (name == trace::kind_name(k)) return k;
    return -1;
}

std::string key(int64_t domain, int64_t vcpu) {
    return std::to_string(domain) + "." + std::to_string(vcpu);
}

} // namespace

bool read_rthv_text(std::istream& in, TraceBuilder& b, std::string& error) {
    std::map<std::string, std::string> names; // "domain.vcpu" -> display name
    std::string line;
    for (size_t lineno = 1; std::getline(in, line); ++lineno) {
        if (line.empty() || line[0] == '#' || line == "end") continue;
        std::istringstream f(line);
        std::string first, a, kind, d, v, arg;
        f >> first;
        int64_t cpu = 0, count = 0, dom = 0, id = 0, value = 0;
        bool ok = true;
        if (first == "cpus") {
            ok = static_cast<bool>(f >> count) && count > 0;
            if (ok) b.set_cpus(static_cast<uint32_t>(count));
        } else if (first == "name") {
            std::string name;
            ok = static_cast<bool>(f >> dom >> id >> name);
            if (ok) names[key(dom, id)] = name;
        } else if (first == "dropped") {
            ok = static_cast<bool>(f >> cpu >> count) && cpu >= 0;
            if (ok) b.set_dropped(static_cast<uint32_t>(cpu), static_cast<uint64_t>(count));
        } else {
            int64_t time = 0;
            int k = -1;
            ok = static_cast<bool>(f >> a >> kind >> d >> v >> arg) && parse_field(first, time) &&
                 time >= 0 && parse_field(a, cpu) && parse_field(d, dom) && parse_field(v, id) &&
                 parse_field(arg, value) && (k = kind_of(kind)) >= 0;
            if (ok) {
                int32_t c = static_cast<int32_t>(cpu);
                int32_t vc = kNoVcpu;
                if (dom >= 0 && id >= 0) {
                    auto n = names.find(key(dom, id));
                    vc = static_cast<int32_t>(b.vcpu(
                        n != names.end() ? n->second
                                         : "d" + std::to_string(dom) + "v" + std::to_string(id)));
                }
                auto t = static_cast<uint64_t>(time);
                auto x = static_cast<uint64_t>(value);
                using TK = TraceKind;
                switch (k) {
                case trace::kind_code(TK::Pick):
                    if (c >= 0) b.run(t, static_cast<uint32_t>(c), vc);
                    break;
                case trace::kind_code(TK::Insert):
                case trace::kind_code(TK::Params):
                case trace::kind_code(TK::Replenish):
                    b.mark(t, c, vc, Mark::Release);
                    break;
                case trace::kind_code(TK::Wake):
                    b.mark(t, c, vc, Mark::Wake);
                    if (x != 0) b.mark(t, c, vc, Mark::Release);
                    break;
                case trace::kind_code(TK::Block):
                    b.mark(t, c, vc, Mark::Block);
                    break;
                case trace::kind_code(TK::Tickle):
                    b.mark(t, c, vc, Mark::Tickle);
                    break;
                case trace::kind_code(TK::Deplete):
                    b.mark(t, c, vc, Mark::Exhausted);
                    break;
                case trace::kind_code(TK::Miss):
                    b.mark(t, c, vc, Mark::Miss);
                    break;
                case trace::kind_code(TK::Overrun):
                    b.mark(t, c, vc, Mark::Overrun, x);
                    break;
                case trace::kind_code(trace::RecordKind::Deadline):
                    b.mark(x, c, vc, Mark::Deadline);
                    break;
                case trace::kind_code(trace::RecordKind::Lost):
                    b.mark(t, c, kNoVcpu, Mark::Lost, x);
                    break;
                default:
                    b.see(t, c);
                    break; // burn, steal, ...: no picture of their own
                }
            }
        }
        if (!ok) {
            error = "line " + std::to_string(lineno) + ": cannot read \"" + line + "\"";
            return false;
        }
    }
    return true;
}

} // namespace rthv::tracetool
