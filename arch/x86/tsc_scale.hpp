// TSC ticks <-> ns by multiply and shift, for the clock read on every pass of the run loop.
// ticks_to_ns (tsc_math.hpp) divides a 128-bit product, a libgcc call (__udivti3); now() runs
// several times per VM exit, and the division cost ~20 instructions more per call than this
// (measured under Bochs with guests/timerlat; now() is 19 instructions). As Linux's clocksource
// mult/shift:
// ns = ticks * mult >> shift, with mult = floor(1e9 * 2^shift / hz) and shift as large as a
// 63-bit mult allows (>= 53 for any hz >= 1 MHz), so the result is the exact floor or at most
// ticks / 2^shift ns below it: under 1 ns for the first 2^53 ticks (34 days even at 3 GHz).
// Host-tested in tests/unit/arch/tsc_scale_test.cpp.
#pragma once

#include <stdint.h>

#include "arch/x86/tsc_math.hpp"

namespace rthv::x86 {

class TscScale {
public:
    constexpr TscScale() = default;
    explicit constexpr TscScale(uint64_t hz) : hz_(hz) {
        if (hz == 0) return;
        // The largest shift for which 1e9 * 2^shift / hz still fits 63 bits.
        shift_ = 63;
        while (shift_ > 0 && (u128{kNsPerSecond} << shift_) / hz > (uint64_t{1} << 63)) --shift_;
        mult_ = static_cast<uint64_t>((u128{kNsPerSecond} << shift_) / hz);
        // ns -> ticks estimate, corrected exactly in ticks_ceil: with the shift this large the
        // estimate is off by under 2^64 / 2^inv_shift_ (<= 16) ticks for hz < 8 GHz.
        inv_shift_ = 64;
        while (inv_shift_ > 0 && (u128{hz} << inv_shift_) / kNsPerSecond > (uint64_t{1} << 63))
            --inv_shift_;
        inv_ = static_cast<uint64_t>((u128{hz} << inv_shift_) / kNsPerSecond);
        max_ns_ = ns(~uint64_t{0});
    }

    constexpr uint64_t hz() const { return hz_; }

    // Monotonic in `ticks` (a floor of a non-decreasing product); saturates at 2^64 - 1.
    constexpr uint64_t ns(uint64_t ticks) const {
        return saturate64((u128{ticks} * mult_) >> shift_);
    }

    // The smallest tick count whose ns() is >= `t`: a deadline never fires before `t` on the
    // clock ns() defines. Saturates when no tick count reaches `t`.
    constexpr uint64_t ticks_ceil(uint64_t t) const {
        if (t > max_ns_) return ~uint64_t{0};
        // inv_ and mult_ are floors, so the estimate is never above the answer (ns(ticks) <=
        // ticks * 1e9 / hz): only steps up remain, one or two in practice.
        uint64_t ticks = static_cast<uint64_t>((u128{t} * inv_) >> inv_shift_);
        while (ns(ticks) < t) ++ticks;
        return ticks;
    }

private:
    uint64_t hz_ = 0;
    uint64_t mult_ = 0;
    uint64_t inv_ = 0;
    uint64_t max_ns_ = 0; // ns() of the largest tick count: later deadlines saturate
    unsigned shift_ = 0;
    unsigned inv_shift_ = 0;
};

} // namespace rthv::x86
