// Model-specific registers used by rthv (SDM Vol. 4, table 2-2).
#pragma once

#include <stdint.h>

namespace rthv::x86 {

enum class Msr : uint32_t {
    kApicBase = 0x1b,
    kTscDeadline = 0x6e0,
    kEfer = 0xc0000080,
    kFsBase = 0xc0000100,
    kGsBase = 0xc0000101,
};

inline uint64_t rdmsr(Msr msr) {
    uint32_t lo, hi;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(static_cast<uint32_t>(msr)));
    return (uint64_t{hi} << 32) | lo;
}

inline void wrmsr(Msr msr, uint64_t v) {
    asm volatile("wrmsr" ::"c"(static_cast<uint32_t>(msr)), "a"(static_cast<uint32_t>(v)),
                 "d"(static_cast<uint32_t>(v >> 32))
                 : "memory");
}

} // namespace rthv::x86
