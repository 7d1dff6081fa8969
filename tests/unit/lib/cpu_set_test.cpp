// CpuSet: membership, counting, ordered and wrapping search, set algebra.
#include "hv/lib/cpu_set.hpp"

#include <gtest/gtest.h>

namespace rthv {
namespace {

TEST(CpuSet, StartsEmpty) {
    CpuSet s;
    EXPECT_TRUE(s.empty());
    EXPECT_EQ(s.count(), 0u);
    EXPECT_EQ(s.first(), CpuSet::kNone);
    EXPECT_EQ(s.next_wrapping(5), CpuSet::kNone);
}

TEST(CpuSet, SetClearTestAcrossWords) {
    CpuSet s;
    for (CpuId c : {0u, 63u, 64u, 130u, kMaxCpus - 1}) s.set(c);
    EXPECT_EQ(s.count(), 5u);
    EXPECT_TRUE(s.test(64));
    EXPECT_FALSE(s.test(65));
    EXPECT_FALSE(s.test(kMaxCpus)); // out of range is never a member
    s.clear(64);
    EXPECT_FALSE(s.test(64));
    EXPECT_EQ(s.count(), 4u);
}

TEST(CpuSet, FirstNAndSingle) {
    EXPECT_EQ(CpuSet::first_n(70).count(), 70u);
    EXPECT_TRUE(CpuSet::first_n(70).test(69));
    EXPECT_FALSE(CpuSet::first_n(70).test(70));
    EXPECT_EQ(CpuSet::first_n(kMaxCpus + 5).count(), kMaxCpus);
    EXPECT_EQ(CpuSet::single(77).first(), 77u);
}

TEST(CpuSet, NextFindsTheLowestMemberAtOrAfter) {
    CpuSet s = CpuSet::single(3) | CpuSet::single(64) | CpuSet::single(200);
    EXPECT_EQ(s.next(0), 3u);
    EXPECT_EQ(s.next(3), 3u);
    EXPECT_EQ(s.next(4), 64u);
    EXPECT_EQ(s.next(65), 200u);
    EXPECT_EQ(s.next(201), CpuSet::kNone);
}

TEST(CpuSet, NextWrappingPrefersTheStartThenWraps) {
    CpuSet s = CpuSet::single(1) | CpuSet::single(5);
    EXPECT_EQ(s.next_wrapping(5), 5u);
    EXPECT_EQ(s.next_wrapping(2), 5u);
    EXPECT_EQ(s.next_wrapping(6), 1u);
    EXPECT_EQ(s.next_wrapping(kMaxCpus), 1u);
}

TEST(CpuSet, Algebra) {
    CpuSet a = CpuSet::first_n(4);
    CpuSet b = CpuSet::single(2) | CpuSet::single(9);
    EXPECT_EQ((a & b), CpuSet::single(2));
    EXPECT_EQ((a | b).count(), 5u);
    EXPECT_EQ((a & ~b).count(), 3u);
    EXPECT_FALSE((a & ~b).test(2));
    EXPECT_TRUE(CpuSet::single(2).subset_of(a));
    EXPECT_FALSE(b.subset_of(a));
    EXPECT_EQ((~CpuSet{}).count(), kMaxCpus);
}

} // namespace
} // namespace rthv
