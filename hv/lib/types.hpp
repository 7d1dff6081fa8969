// Basic vocabulary shared by every portable subsystem (hv/) and by arch/x86.
// Time is kept in nanoseconds inside; microseconds appear only at interfaces (config, xl).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace rthv {

using Time = uint64_t;     // absolute, ns since boot, monotonic
using Duration = uint64_t; // ns
using CpuId = uint32_t;    // dense physical CPU index, 0 = boot CPU

inline constexpr CpuId kMaxCpus = 256;
inline constexpr Time kTimeNever = ~Time{0};

constexpr Duration from_us(uint64_t us) { return us * 1000u; }
constexpr uint64_t to_us(Duration ns) { return ns / 1000u; }

} // namespace rthv
