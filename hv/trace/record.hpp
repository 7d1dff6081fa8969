// One trace record: fixed size, no pointers, so rings can be copied out of the hypervisor (or a
// crash dump) and decoded by a host tool without knowing anything but this header and FORMAT.md.
#pragma once

#include "hv/lib/types.hpp"
#include "hv/sched/trace.hpp"

namespace rthv::trace {

// The scheduler's TraceKind values keep their numbers (0..15); the ones below are added by the
// trace layer itself. Never renumber: the number is what a binary dump stores.
enum class RecordKind : uint8_t {
    Deadline =
        16,    // arg: the VCPU's absolute deadline (ns) after an Insert, Wake, Replenish, Params
    Lost = 17, // arg: records this ring dropped since the previous record it kept
};
inline constexpr uint8_t kKindCount = 18;
inline constexpr uint16_t kNone16 = 0xffff; // "no CPU" / "no VCPU" (idle) in the 16-bit fields

constexpr uint8_t kind_code(TraceKind k) { return static_cast<uint8_t>(k); }
constexpr uint8_t kind_code(RecordKind k) { return static_cast<uint8_t>(k); }

// 24 bytes: two or three per cache line, no padding holes (the layout is the export format).
struct TraceRecord {
    uint64_t time_ns; // platform time of the event
    uint64_t arg;     // kind-specific, see TraceKind / RecordKind
    uint16_t cpu;     // the CPU the event is about (kNone16 = none), not necessarily the producer
    uint16_t domain;  // kNone16 = no VCPU (an idle pick, a tickle of an idle CPU)
    uint16_t vcpu;    // VCPU id inside the domain
    uint8_t kind;     // kind_code(TraceKind or RecordKind)
    uint8_t reserved; // 0
};
static_assert(sizeof(TraceRecord) == 24, "the record layout is part of the export format");

// Lower-case names used by the text export (export.cpp) ("pick", "deadline", ...); "?" for unknown
// codes.
const char* kind_name(uint8_t code);

} // namespace rthv::trace
