// rthv-trace's view of a schedule, whatever file it came from: per-pCPU run slices of VCPUs
// and instant marks (releases, deadlines, exhaustion, misses, ...), times in ns.
#pragma once

#include <cstdint>
#include <istream>
#include <map>
#include <string>
#include <vector>

namespace rthv::tracetool {

enum class Mark : uint8_t {
    Release,
    Deadline,
    Exhausted,
    Miss,
    Wake,
    Block,
    Tickle,
    Overrun,
    Lost
};
const char* mark_name(Mark m);

inline constexpr int32_t kNoCpu = -1;
inline constexpr int32_t kNoVcpu = -1;

struct Slice {
    uint32_t cpu;
    uint32_t vcpu; // index into Trace::vcpus
    uint64_t start, end;
};

struct Instant {
    uint64_t time;
    int32_t cpu;  // kNoCpu when not tied to a CPU
    int32_t vcpu; // kNoVcpu when not about a VCPU
    Mark mark;
    uint64_t arg; // Lost: records dropped; Overrun: ns; otherwise 0
};

struct Trace {
    std::string format; // "rthv-trace 1" or "rtds-sim text"
    uint32_t ncpus = 0;
    std::vector<std::string> vcpus; // display names
    std::vector<Slice> slices;      // sorted by start time
    std::vector<Instant> marks;     // sorted by time
    std::vector<uint64_t> dropped;  // per pCPU ring (zeros for formats without rings)
    uint64_t begin = 0, end = 0;    // time span covered
};

// Turns "CPU c runs VCPU v from t" points into slices; collects marks and names.
class TraceBuilder {
public:
    uint32_t vcpu(const std::string& name); // index, added on first use
    void see(uint64_t time, int32_t cpu);   // widens the span and the CPU count
    // From `time` on, `cpu` runs `vcpu` (kNoVcpu = idle). Same VCPU again: the slice goes on.
    void run(uint64_t time, uint32_t cpu, int32_t vcpu);
    void mark(uint64_t time, int32_t cpu, int32_t vcpu, Mark m, uint64_t arg = 0);
    void set_cpus(uint32_t n);
    void set_dropped(uint32_t cpu, uint64_t count);
    // Closes the slices still open at the end of the span, sorts, and returns the trace.
    Trace finish(std::string format);

private:
    Trace t_;
    bool seen_any_ = false;
    std::map<std::string, uint32_t> index_;
    std::vector<int32_t> running_;    // per CPU: VCPU index or kNoVcpu
    std::vector<uint64_t> run_since_; // per CPU
};

// Reads either format (detected from the first line). Returns false with `error` set (naming
// the line) on input it cannot understand.
bool read_trace(std::istream& in, Trace& out, std::string& error);
bool read_rthv_text(std::istream& in, TraceBuilder& b, std::string& error);
bool read_sim_text(std::istream& in, TraceBuilder& b, std::string& error);

// Keeps only [from, to): slices are clipped, marks outside are dropped.
Trace window(const Trace& t, uint64_t from, uint64_t to);

// Number of run slices per VCPU index (what the scheduler counts as dispatches).
std::vector<uint64_t> slices_per_vcpu(const Trace& t);

} // namespace rthv::tracetool
