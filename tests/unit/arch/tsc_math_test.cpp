#include "arch/x86/tsc_math.hpp"

#include <gtest/gtest.h>

#include <cstdint>

using namespace rthv::x86;

namespace {

constexpr uint64_t kMax = ~uint64_t{0};

TEST(TscMath, ExactConversions) {
    EXPECT_EQ(ticks_to_ns(3'000'000'000, 3'000'000'000), 1'000'000'000u);
    EXPECT_EQ(ticks_to_ns(1, 1'000'000'000), 1u);
    EXPECT_EQ(ns_to_ticks_ceil(1'000'000'000, 20'000'000), 20'000'000u);
    EXPECT_EQ(ticks_to_ns(5, 4'000'000), 1250u);
}

TEST(TscMath, NoOverflowWhere64BitProductsWould) {
    // 1000 s at 3 GHz: ticks * 1e9 is ~3e21, far beyond 64 bits.
    EXPECT_EQ(ticks_to_ns(3'000'000'000'000, 3'000'000'000), 1'000'000'000'000u);
    // 100 years in ns to ticks at 5 GHz.
    uint64_t ns = 100ull * 365 * 24 * 3600 * 1'000'000'000;
    EXPECT_EQ(ns_to_ticks_ceil(ns, 5'000'000'000), ns * 5);
    EXPECT_EQ(ticks_to_ns(kMax, 4'000'000'000), 4611686018427387903u);
}

TEST(TscMath, SaturatesInsteadOfWrapping) {
    EXPECT_EQ(ticks_to_ns(kMax, 1'000'000), kMax);
    EXPECT_EQ(ns_to_ticks_ceil(kMax, 10'000'000'000), kMax);
    EXPECT_EQ(ticks_to_ns(5, 0), 0u);
}

TEST(TscMath, CeilingNeverFiresEarly) {
    for (uint64_t hz : {1'193'182ull, 20'000'000ull, 2'452'616'350ull, 3'579'545ull}) {
        for (uint64_t ns : {1ull, 999ull, 1'000'001ull, 123'456'789'123ull}) {
            uint64_t ticks = ns_to_ticks_ceil(ns, hz);
            EXPECT_GE(ticks_to_ns(ticks, hz), ns) << hz << " " << ns;
            EXPECT_LT(ticks_to_ns(ticks - 1, hz), ns) << "not the smallest tick count";
        }
    }
}

TEST(TscMath, FloorIsMonotonic) {
    uint64_t prev = 0;
    for (uint64_t t = 0; t < 100'000; t += 7) {
        uint64_t ns = ticks_to_ns(t, 2'452'616'350);
        EXPECT_GE(ns, prev);
        prev = ns;
    }
}

TEST(TscMath, CalibrationHelpers) {
    EXPECT_EQ(measured_hz(49'050'000, 23864, 1193182), 2'452'463'002u);
    EXPECT_EQ(measured_hz(10, 0, 1193182), 0u);
    EXPECT_EQ(tsc_hz_from_cpuid15(2, 292, 24'000'000), 3'504'000'000u);
    EXPECT_EQ(tsc_hz_from_cpuid15(2, 292, 0), 0u); // Bochs: no crystal frequency
    EXPECT_TRUE(hz_agree(20'100'000, 20'000'000, 20));
    EXPECT_FALSE(hz_agree(3'500'000'000, 20'000'000, 20)); // Bochs CPUID 0x16 vs its TSC
}

} // namespace
