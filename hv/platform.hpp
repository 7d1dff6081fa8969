// The narrow interface through which the portable core (hv/timer, hv/sched) sees the machine.
// Implemented by arch/x86 in the hypervisor and by a simulated platform in host tests and in
// rtds-sim. Nothing in hv/ may include an x86 header; everything machine-specific goes here.
#pragma once

#include "hv/lib/types.hpp"

namespace rthv {

class Platform {
public:
    // Monotonic time in ns since boot. Never goes backwards on any CPU.
    virtual Time now() const = 0;

    // Program CPU `cpu`'s one-shot deadline to the absolute time `deadline`, replacing any
    // earlier programming. A deadline already in the past fires as soon as possible; kTimeNever
    // disarms. Expiry results in the platform calling the timer core's expiry entry point on that
    // CPU. `cpu` may be remote (x86 then hands it over by IPI).
    virtual void arm(CpuId cpu, Time deadline) = 0;

    // Ask CPU `cpu` to run its scheduler soon (a reschedule IPI on x86, an event in simulation).
    // Kicking the calling CPU itself is allowed and means "reschedule before returning to guest".
    virtual void kick(CpuId cpu) = 0;

protected:
    ~Platform() = default;
};

} // namespace rthv
