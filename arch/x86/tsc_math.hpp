// Tick <-> nanosecond conversion for the TSC and the LAPIC timer. Pure integer maths on 128-bit
// intermediates: ticks * 1e9 overflows 64 bits after ~18 s at 1 GHz, the 128-bit product never
// does. Results that do not fit 64 bits saturate (a saturated deadline means "never").
// Host-tested in tests/unit/arch.
#pragma once

#include <stdint.h>

namespace rthv::x86 {

inline constexpr uint64_t kNsPerSecond = 1'000'000'000;

using u128 = unsigned __int128;

constexpr uint64_t saturate64(u128 v) {
    return v > ~uint64_t{0} ? ~uint64_t{0} : static_cast<uint64_t>(v);
}

// Floor: now() built on this is monotonic because floor(t * c) never decreases with t.
constexpr uint64_t ticks_to_ns(uint64_t ticks, uint64_t hz) {
    return hz == 0 ? 0 : saturate64(u128{ticks} * kNsPerSecond / hz);
}

// Ceiling: a deadline converted to ticks never expires before the requested ns value,
// i.e. ticks_to_ns(ns_to_ticks_ceil(ns, hz), hz) >= ns.
constexpr uint64_t ns_to_ticks_ceil(uint64_t ns, uint64_t hz) {
    return saturate64((u128{ns} * hz + (kNsPerSecond - 1)) / kNsPerSecond);
}

// Frequency from a measurement: `ticks` counted during `ref_ticks` of a reference clock
// running at `ref_hz` (PIT 1193182 Hz, ACPI PM timer 3579545 Hz, or the TSC itself).
constexpr uint64_t measured_hz(uint64_t ticks, uint64_t ref_ticks, uint64_t ref_hz) {
    return ref_ticks == 0 ? 0 : saturate64(u128{ticks} * ref_hz / ref_ticks);
}

// CPUID leaf 0x15 (SDM Vol. 2A): TSC Hz = crystal Hz * EBX / EAX; 0 when any field is 0.
constexpr uint64_t tsc_hz_from_cpuid15(uint32_t denominator, uint32_t numerator,
                                       uint32_t crystal_hz) {
    if (denominator == 0 || numerator == 0 || crystal_hz == 0) return 0;
    return uint64_t{crystal_hz} * numerator / denominator;
}

// Two frequencies agree within `permille` thousandths of `reference`.
constexpr bool hz_agree(uint64_t a, uint64_t reference, uint64_t permille) {
    uint64_t diff = a > reference ? a - reference : reference - a;
    return u128{diff} * 1000 <= u128{reference} * permille;
}

} // namespace rthv::x86
