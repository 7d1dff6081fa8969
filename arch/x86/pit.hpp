// The 8254 PIT as a reference clock for calibration (8254 data sheet; channel 2 is gated by
// port 0x61 bit 0 and its output readable at port 0x61 bit 5, the PC speaker wiring).
#pragma once

#include <stdint.h>

namespace rthv::x86 {

inline constexpr uint64_t kPitHz = 1193182;

// Counts TSC ticks while the PIT counts down `pit_ticks` (at most 65535) in mode 0.
uint64_t pit_measure_tsc(uint16_t pit_ticks);

} // namespace rthv::x86
