// Trace output: a line per event (grep-friendly) or a JSON list.
#include "tools/sim/trace.hpp"

#include "tools/sim/json_writer.hpp"

namespace rthv::sim {

const char* trace_kind_name(TraceKind k) {
    switch (k) {
    case TraceKind::Switch:
        return "switch";
    case TraceKind::Tickle:
        return "tickle";
    case TraceKind::Exhausted:
        return "exhausted";
    case TraceKind::Replenish:
        return "replenish";
    case TraceKind::Block:
        return "block";
    case TraceKind::Wake:
        return "wake";
    case TraceKind::Miss:
        return "miss";
    }
    return "?";
}

namespace {

std::string vcpu_name(int32_t v, const std::vector<std::string>& names) {
    if (v < 0 || static_cast<size_t>(v) >= names.size()) return "-";
    return names[static_cast<size_t>(v)];
}

} // namespace

void write_trace_text(std::ostream& out, const std::vector<TraceEvent>& events,
                      const std::vector<std::string>& vcpu_names) {
    out << "# time_ns cpu event vcpu [from]\n";
    for (const TraceEvent& e : events) {
        out << e.time << ' ';
        if (e.cpu == kNoCpu)
            out << '-';
        else
            out << e.cpu;
        out << ' ' << trace_kind_name(e.kind) << ' ' << vcpu_name(e.vcpu, vcpu_names);
        if (e.kind == TraceKind::Switch) out << ' ' << vcpu_name(e.from, vcpu_names);
        out << '\n';
    }
}

void write_trace_json(std::ostream& out, const std::vector<TraceEvent>& events,
                      const std::vector<std::string>& vcpu_names) {
    JsonWriter j(out);
    j.begin_array();
    for (const TraceEvent& e : events) {
        j.begin_object().key("time_ns").value(uint64_t{e.time});
        j.key("cpu");
        if (e.cpu == kNoCpu)
            j.null();
        else
            j.value(uint64_t{e.cpu});
        j.key("event").value(trace_kind_name(e.kind));
        j.key("vcpu");
        if (e.vcpu < 0)
            j.null();
        else
            j.value(vcpu_name(e.vcpu, vcpu_names));
        if (e.kind == TraceKind::Switch) {
            j.key("from");
            if (e.from < 0)
                j.null();
            else
                j.value(vcpu_name(e.from, vcpu_names));
        }
        j.end_object();
    }
    j.end_array();
}

} // namespace rthv::sim
