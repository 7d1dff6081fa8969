// Optional trace points (Xen's RTDS has them for tickle, pick, burn, replenish, schedule). The
// simulator installs a hook to write the full schedule trace; the hypervisor may feed a ring.
#pragma once

#include "hv/lib/types.hpp"

namespace rthv {

class Vcpu;

enum class TraceKind : uint8_t {
    Insert,    // arg: utilisation ppm
    Remove,    //
    Wake,      // arg: 1 if a fresh period was started
    Block,     //
    Pause,     //
    Unpause,   //
    Yield,     //
    Tickle,    // cpu: the CPU kicked
    Pick,      // cpu: the deciding CPU, vcpu: what it runs next (nullptr = idle)
    Burn,      // arg: ns charged
    Deplete,   // arg: new level (0 = moved to depletedq)
    Replenish, // arg: periods advanced
    Miss,      // a period ended with level-0 budget left while runnable
    Overrun,   // arg: ns charged beyond the budget left
    Steal,     // arg: ns stolen
    Params,    // new parameters applied
};
const char* describe(TraceKind k);

struct TraceEvent {
    TraceKind kind;
    CpuId cpu; // kMaxCpus when the event is not tied to a CPU
    const Vcpu* vcpu;
    Time now;
    uint64_t arg;
};

// Called with the pool lock held: must not call back into the scheduler.
class TraceHook {
public:
    virtual void event(const TraceEvent& e) = 0;

protected:
    ~TraceHook() = default;
};

} // namespace rthv
