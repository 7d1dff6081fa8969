#include "arch/x86/frame_alloc.hpp"

#include <gtest/gtest.h>

#include <set>
#include <vector>

using namespace rthv::x86;

namespace {

// Physical memory [0, 4 MiB) backed by a host buffer.
constexpr uint64_t kRam = 4u << 20;
std::vector<uint8_t> ram(kRam);
void* to_virt(uint64_t pa) { return ram.data() + pa; }

TEST(FrameAllocator, SubtractsReservedRangesAndNeverHandsThemOut) {
    MemRegion mmap[] = {{0, 0x9fc00, MemType::kAvailable},
                        {0x9fc00, 0x400, MemType::kReserved},
                        {0x100000, kRam - 0x100000, MemType::kAvailable}};
    PhysRange reserved[] = {{0, 0x100000}, {0x100000, 0x180800}, {0x200010, 0x200020}};
    FrameAllocator fa;
    fa.init(mmap, 3, reserved, 3, kRam, to_virt);
    // Free: [0x181000, 0x200000) and [0x201000, 4 MiB): the image end and the info block are
    // rounded out to whole frames.
    ASSERT_EQ(fa.range_count(), 2u);
    EXPECT_EQ(fa.range(0).base, 0x181000u);
    EXPECT_EQ(fa.range(1).base, 0x201000u);
    uint64_t total = fa.free_frames();
    EXPECT_EQ(total, (0x200000u - 0x181000u) / 4096 + (kRam - 0x201000u) / 4096);
    std::set<uint64_t> seen;
    for (uint64_t f = fa.alloc(); f != 0; f = fa.alloc()) {
        EXPECT_EQ(f % kFrameSize, 0u);
        EXPECT_TRUE(f >= 0x181000 && !(f >= 0x200000 && f < 0x201000)) << std::hex << f;
        EXPECT_TRUE(seen.insert(f).second) << "handed out twice";
    }
    EXPECT_EQ(seen.size(), total);
    EXPECT_EQ(fa.free_frames(), 0u);
}

TEST(FrameAllocator, FreedFramesComeBackZeroed) {
    MemRegion mmap[] = {{0x100000, 0x10000, MemType::kAvailable}};
    FrameAllocator fa;
    fa.init(mmap, 1, nullptr, 0, kRam, to_virt);
    uint64_t a = fa.alloc();
    ram[a + 100] = 0xaa;
    fa.free(a);
    EXPECT_EQ(fa.free_frames(), 16u);
    EXPECT_EQ(fa.alloc(), a);
    EXPECT_EQ(ram[a + 100], 0);
    EXPECT_EQ(ram[a], 0) << "the free-list link is cleared too";
}

TEST(FrameAllocator, LimitAndUnalignedRegionsRespected) {
    MemRegion mmap[] = {{0x100123, 0x5000, MemType::kAvailable},
                        {0x300000, 0x200000, MemType::kAvailable}};
    FrameAllocator fa;
    fa.init(mmap, 2, nullptr, 0, 0x380000, to_virt);
    ASSERT_EQ(fa.range_count(), 2u);
    EXPECT_EQ(fa.range(0).base, 0x101000u);
    EXPECT_EQ(fa.range(0).end, 0x105000u);
    EXPECT_EQ(fa.range(1).end, 0x380000u);
}

// Per-CPU blocks need several frames in a row: a range too short for them is skipped, not
// split, and what is taken comes back zeroed and is never handed out again by alloc().
TEST(FrameAllocator, ContiguousRunsComeFromOneRangeZeroed) {
    MemRegion mmap[] = {{0x100000, 0x2000, MemType::kAvailable},
                        {0x200000, 0x8000, MemType::kAvailable}};
    FrameAllocator fa;
    fa.init(mmap, 2, nullptr, 0, kRam, to_virt);
    ram[0x200000 + 5000] = 0xaa;
    EXPECT_EQ(fa.alloc_contiguous(3), 0x200000u) << "the first range has only two frames";
    EXPECT_EQ(ram[0x200000 + 5000], 0);
    EXPECT_EQ(fa.free_frames(), 2u + 5u);
    EXPECT_EQ(fa.alloc_contiguous(6), 0u) << "five frames left in the second range";
    EXPECT_EQ(fa.alloc_contiguous(0), 0u);
    std::set<uint64_t> seen;
    for (uint64_t f = fa.alloc(); f != 0; f = fa.alloc()) seen.insert(f);
    EXPECT_EQ(seen.size(), 7u);
    for (uint64_t f = 0x200000; f < 0x203000; f += kFrameSize) EXPECT_EQ(seen.count(f), 0u);
}

} // namespace
