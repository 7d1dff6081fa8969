// Chrome/Perfetto Trace Event JSON (the "JSON Array/Object Format" that ui.perfetto.dev and
// chrome://tracing open): process 1 "pCPUs" has one thread track per pCPU carrying an "X"
// (complete) slice per VCPU run; process 2 "VCPUs" has one track per VCPU for its instants.
#include "tools/trace/perfetto.hpp"

#include <cstdio>

namespace rthv::tracetool {

namespace {

constexpr int kCpuPid = 1;
constexpr int kVcpuPid = 2;

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

// Trace Event timestamps are µs; ns precision is kept as three exact decimals.
std::string us(uint64_t ns) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%llu.%03llu", static_cast<unsigned long long>(ns / 1000),
                  static_cast<unsigned long long>(ns % 1000));
    return buf;
}

void meta(std::ostream& o, int pid, int tid, const char* what, const std::string& args) {
    o << "{\"ph\":\"M\",\"pid\":" << pid << ",\"tid\":" << tid << ",\"name\":\"" << what
      << "\",\"args\":{" << args << "}},\n";
}

} // namespace

void write_perfetto(std::ostream& o, const Trace& t) {
    o << "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n";
    meta(o, kCpuPid, 0, "process_name", "\"name\":\"pCPUs\"");
    meta(o, kVcpuPid, 0, "process_name", "\"name\":\"VCPUs\"");
    for (uint32_t c = 0; c < t.ncpus; ++c) {
        meta(o, kCpuPid, static_cast<int>(c), "thread_name",
             "\"name\":\"pCPU " + std::to_string(c) + "\"");
        meta(o, kCpuPid, static_cast<int>(c), "thread_sort_index",
             "\"sort_index\":" + std::to_string(c));
    }
    for (size_t v = 0; v < t.vcpus.size(); ++v)
        meta(o, kVcpuPid, static_cast<int>(v), "thread_name", "\"name\":" + quoted(t.vcpus[v]));
    for (const Slice& s : t.slices) {
        o << "{\"ph\":\"X\",\"cat\":\"run\",\"pid\":" << kCpuPid << ",\"tid\":" << s.cpu
          << ",\"ts\":" << us(s.start) << ",\"dur\":" << us(s.end - s.start)
          << ",\"name\":" << quoted(t.vcpus[s.vcpu])
          << ",\"args\":{\"vcpu\":" << quoted(t.vcpus[s.vcpu]) << ",\"cpu\":" << s.cpu << "}},\n";
    }
    for (const Instant& i : t.marks) {
        // Marks about a VCPU go on its track; CPU-only marks (tickle, lost) on the CPU's.
        bool on_vcpu = i.vcpu != kNoVcpu && i.mark != Mark::Tickle;
        if (!on_vcpu && i.cpu == kNoCpu) continue;
        std::string name = mark_name(i.mark);
        if (i.vcpu != kNoVcpu) name += " " + t.vcpus[static_cast<size_t>(i.vcpu)];
        o << "{\"ph\":\"i\",\"s\":\"t\",\"cat\":" << quoted(mark_name(i.mark))
          << ",\"pid\":" << (on_vcpu ? kVcpuPid : kCpuPid)
          << ",\"tid\":" << (on_vcpu ? i.vcpu : i.cpu) << ",\"ts\":" << us(i.time)
          << ",\"name\":" << quoted(name);
        if (i.mark == Mark::Miss) o << ",\"cname\":\"terrible\"";
        o << ",\"args\":{\"cpu\":" << i.cpu << ",\"arg\":" << i.arg << "}},\n";
    }
    // The array cannot end with a comma: a last metadata record closes it.
    o << "{\"ph\":\"M\",\"pid\":" << kCpuPid << ",\"tid\":0,\"name\":\"process_labels\","
      << "\"args\":{\"labels\":" << quoted("rthv schedule (" + t.format + ")") << "}}\n],\n";
    o << "\"otherData\":{\"format\":" << quoted(t.format) << ",\"cpus\":" << t.ncpus
      << ",\"begin_ns\":" << t.begin << ",\"end_ns\":" << t.end << ",\"dropped\":[";
    for (size_t c = 0; c < t.dropped.size(); ++c) o << (c ? "," : "") << t.dropped[c];
    o << "]}}\n";
}

} // namespace rthv::tracetool
