// TSC as the hypervisor's clock: frequency determination once on the BSP, then now() in ns on
// any CPU. The TSC is assumed synchronised across CPUs (invariant TSC, reset together), which
// holds for QEMU, Bochs and current Intel/AMD parts.
#pragma once

#include <stdint.h>

#include "hv/lib/types.hpp"

namespace rthv::x86 {

struct TscInfo {
    uint64_t hz = 0;
    const char* source = "none"; // "cpuid-15h", "cpuid-16h" or "pit"
    uint64_t measured_hz = 0;    // PIT measurement (always taken, to check CPUID's claim)
    uint64_t cpuid_hz = 0;       // what CPUID 0x15/0x16 said (0 if nothing)
    bool invariant = false;
};

// Returns false if no usable frequency was found.
bool tsc_calibrate();
const TscInfo& tsc_info();

Time now();              // ns since calibration; monotonic
uint64_t tsc_at(Time t); // absolute TSC value at which now() reaches t (rounded up)
Duration tsc_ticks_to_ns(uint64_t ticks); // a TSC interval on now()'s scale (tsc_scale.hpp)
void delay_ns(Duration d);                // busy wait: boot-time only (AP start-up, calibration)

} // namespace rthv::x86
