#include "hv/dom/cpu_ledger.hpp"

#include <gtest/gtest.h>

using rthv::dom::CpuLedger;
using rthv::dom::ppm_of;

namespace {

TEST(CpuLedger, GuestIdleAndOverheadSumToElapsed) {
    CpuLedger l;
    l.start(1000);
    EXPECT_EQ(l.guest(1100, 1600), 100u); // 100 ns of overhead before the entry
    EXPECT_EQ(l.idle(1650, 2000), 50u);
    EXPECT_EQ(l.overhead_until(2100), 100u);
    EXPECT_EQ(l.guest_ns(), 500u);
    EXPECT_EQ(l.idle_ns(), 350u);
    EXPECT_EQ(l.overhead_ns(), 250u);
    EXPECT_EQ(l.elapsed(), 1100u);
    EXPECT_EQ(l.guest_ns() + l.idle_ns() + l.overhead_ns(), l.elapsed());
}

TEST(CpuLedger, StampsBeforeTheMarkAreNeverCountedTwice) {
    CpuLedger l;
    l.start(0);
    l.guest(10, 100);
    // An interval that overlaps what is already accounted for only adds its new part.
    EXPECT_EQ(l.idle(50, 150), 0u);
    EXPECT_EQ(l.idle_ns(), 50u);
    EXPECT_EQ(l.overhead_until(120), 0u);
    EXPECT_EQ(l.guest_ns() + l.idle_ns() + l.overhead_ns(), l.elapsed());
    EXPECT_EQ(l.elapsed(), 150u);
}

TEST(CpuLedger, PartsPerMillionRoundToNearest) {
    EXPECT_EQ(ppm_of(1, 3), 333333u);
    EXPECT_EQ(ppm_of(2, 3), 666667u);
    EXPECT_EQ(ppm_of(5, 0), 0u);
    EXPECT_EQ(ppm_of(~0ull, ~0ull), 1000000u); // no overflow on large ns values
}

} // namespace
