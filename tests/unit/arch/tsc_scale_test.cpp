// TscScale (arch/x86/tsc_scale.hpp): the multiply-shift clock agrees with the exact 128-bit
// division to within a nanosecond, never decreases, and its tick ceiling is the exact smallest
// tick count that reaches a deadline.
#include "arch/x86/tsc_scale.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>

using namespace rthv::x86;

namespace {

constexpr uint64_t kHz[] = {1'000'000,     1'193'182,     20'000'000,    100'000'000,
                            2'452'616'350, 3'000'000'000, 3'504'000'000, 5'000'000'000};

TEST(TscScale, AgreesWithTheExactFloorWithinOneNanosecond) {
    std::mt19937_64 rng(7);
    for (uint64_t hz : kHz) {
        TscScale s(hz);
        for (int i = 0; i < 20000; ++i) {
            uint64_t ticks = rng() >> (rng() % 64);
            uint64_t exact = ticks_to_ns(ticks, hz), fast = s.ns(ticks);
            if (ticks < (uint64_t{1} << 53)) {
                EXPECT_LE(fast, exact) << hz << " " << ticks;
                EXPECT_LE(exact - fast, 1u) << hz << " " << ticks;
            }
        }
    }
}

TEST(TscScale, ExactWhereTheFrequencyDividesASecond) {
    TscScale bochs(100'000'000); // Bochs at 100 M instructions per second: 10 ns per tick
    EXPECT_EQ(bochs.ns(1), 10u);
    EXPECT_EQ(bochs.ns(123'456'789), 1'234'567'890u);
    EXPECT_EQ(TscScale(1'000'000'000).ns(987'654'321'000), 987'654'321'000u);
}

TEST(TscScale, IsMonotonic) {
    for (uint64_t hz : kHz) {
        TscScale s(hz);
        uint64_t prev = 0;
        for (uint64_t t = 1'000'000'000'000; t < 1'000'000'200'000; t += 3) {
            uint64_t ns = s.ns(t);
            ASSERT_GE(ns, prev) << hz;
            prev = ns;
        }
    }
}

TEST(TscScale, CeilingIsTheSmallestTickCountReachingTheDeadline) {
    std::mt19937_64 rng(11);
    for (uint64_t hz : kHz) {
        TscScale s(hz);
        for (int i = 0; i < 20000; ++i) {
            uint64_t t = rng() >> (rng() % 63 + 1);
            uint64_t ticks = s.ticks_ceil(t);
            if (ticks == ~uint64_t{0}) continue;
            ASSERT_GE(s.ns(ticks), t) << hz << " " << t;
            if (ticks > 0) {
                ASSERT_LT(s.ns(ticks - 1), t) << hz << " " << t;
            }
        }
        EXPECT_EQ(s.ticks_ceil(0), 0u);
    }
}

TEST(TscScale, SaturatesInsteadOfWrapping) {
    TscScale slow(1'000'000); // 1000 ns per tick: 2^64 ticks exceed 2^64 ns
    EXPECT_EQ(slow.ns(~uint64_t{0}), ~uint64_t{0});
    TscScale fast(5'000'000'000);
    EXPECT_EQ(fast.ticks_ceil(~uint64_t{0}), ~uint64_t{0}); // 2^64 ticks are only 3.7e18 ns
    EXPECT_EQ(TscScale().ns(12345), 0u);
}

} // namespace
