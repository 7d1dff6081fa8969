// The schedule trace: what happened when, on which CPU, to which VCPU.
#pragma once

#include "hv/lib/types.hpp"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace rthv::sim {

enum class TraceKind : uint8_t { Switch, Tickle, Exhausted, Replenish, Block, Wake, Miss };

const char* trace_kind_name(TraceKind k);

struct TraceEvent {
    Time time;
    CpuId cpu; // kNoCpu when the event is not tied to a CPU
    TraceKind kind;
    int32_t vcpu; // -1 = idle (Switch) or none (Tickle)
    int32_t from; // Switch: the VCPU that was current before, -1 = idle
    bool operator==(const TraceEvent&) const = default;
};

inline constexpr CpuId kNoCpu = ~CpuId{0};

// One event per line: "TIME_NS CPU KIND VCPU" with names; or a JSON list of objects.
void write_trace_text(std::ostream& out, const std::vector<TraceEvent>& events,
                      const std::vector<std::string>& vcpu_names);
void write_trace_json(std::ostream& out, const std::vector<TraceEvent>& events,
                      const std::vector<std::string>& vcpu_names);

} // namespace rthv::sim
