// The memory map pvh_memmap gives, and pvh_plan / pvh_load's refusals of RAM sizes, reserved
// tops, RSDP addresses and kernel segments that do not fit the layout: each before any write.
#include <gtest/gtest.h>

#include "pvh_fixture.hpp"

namespace rthv::vplat {
namespace {

using namespace test;

TEST(PvhLayout, MemmapIsSortedDisjointAndCoversRam) {
    for (uint64_t ram : {64 * kMiB, 100 * kMiB + 0x1000, kPvhMaxRam}) {
        for (uint64_t reserved : {uint64_t{0}, uint64_t{0x1000}, 16 * kMiB}) {
            HvmMemmapEntry m[kPvhMemmapMax];
            size_t n = pvh_memmap({.ram_bytes = ram, .top_reserved = reserved}, m);
            ASSERT_GE(n, 4u);
            uint64_t covered = 0, ram_sum = 0, prev_end = 0;
            bool acpi = false, bootinfo_reserved = false;
            for (size_t i = 0; i < n; ++i) {
                EXPECT_GE(m[i].addr, prev_end) << "sorted and disjoint, entry " << i;
                EXPECT_GT(m[i].size, 0u);
                prev_end = m[i].addr + m[i].size;
                covered += m[i].size;
                if (m[i].type == kHvmMemmapRam) ram_sum += m[i].size;
                // Linux appends [0xA0000, 1 MiB) as reserved itself: stay out of it.
                EXPECT_TRUE(prev_end <= 0xA0000 || m[i].addr >= 0x100000) << i;
                acpi |= m[i].type == kHvmMemmapAcpi && m[i].addr <= kPvhAcpiGpa &&
                        prev_end >= kPvhAcpiGpa + kPvhAcpiMax;
                bootinfo_reserved |= m[i].type == kHvmMemmapReserved &&
                                     m[i].addr <= kPvhBootInfoGpa && prev_end >= kPvhBootInfoEnd;
            }
            EXPECT_EQ(prev_end, ram) << "up to the top of RAM";
            EXPECT_EQ(covered, ram - (0x100000 - kPvhAcpiGpa - kPvhAcpiMax)) << "only one hole";
            EXPECT_EQ(ram_sum, ram - reserved - (0x100000 - kPvhLowRamEnd));
            EXPECT_TRUE(acpi);
            EXPECT_TRUE(bootinfo_reserved);
            EXPECT_EQ(m[n - 1].type, reserved ? kHvmMemmapReserved : kHvmMemmapRam);
        }
    }
}

TEST(PvhLoad, RefusesBadRam) {
    Loaded k;
    struct Case {
        PvhBoot boot;
        PvhError want;
    } cases[] = {
        {{.ram_bytes = 64 * kMiB - kPvhPage}, PvhError::RamTooSmall},
        {{.ram_bytes = kPvhMaxRam + kPvhPage}, PvhError::RamTooLarge},
        {{.ram_bytes = ~uint64_t{0}}, PvhError::RamTooLarge},
        {{.ram_bytes = 64 * kMiB + 1}, PvhError::RamNotAligned},
        {{.ram_bytes = 64 * kMiB, .top_reserved = 7}, PvhError::RamNotAligned},
        {{.ram_bytes = 64 * kMiB, .top_reserved = 63 * kMiB}, PvhError::TopReservedTooLarge},
        {{.ram_bytes = 64 * kMiB, .top_reserved = ~uint64_t{0xfff}}, PvhError::TopReservedTooLarge},
        // The reserved top swallows the data segment: the kernel is no longer in RAM.
        {{.ram_bytes = 64 * kMiB, .top_reserved = 64 * kMiB - kDataPaddr},
         PvhError::SegmentOutsideRam},
        {{.ram_bytes = 64 * kMiB, .rsdp_gpa = kPvhAcpiGpa - 1}, PvhError::RsdpOutsideAcpiArea},
        {{.ram_bytes = 64 * kMiB, .rsdp_gpa = kPvhAcpiGpa + kPvhAcpiMax - 35},
         PvhError::RsdpOutsideAcpiArea},
        {{.ram_bytes = 64 * kMiB, .rsdp_gpa = ~uint64_t{0}}, PvhError::RsdpOutsideAcpiArea},
        {{.ram_bytes = 64 * kMiB, .initrd_size = 10}, PvhError::BadArgument},
    };
    for (const Case& c : cases) {
        FakeGuest g(64 * kMiB);
        PvhPlacement p;
        EXPECT_EQ(load(k.img, c.boot, g, p), c.want) << describe(c.want);
        EXPECT_TRUE(g.log.empty()) << describe(c.want);
        EXPECT_EQ(p.entry, 0u);
    }
    PvhPlacement p;
    EXPECT_EQ(
        pvh_plan(k.img, {.ram_bytes = 64 * kMiB, .rsdp_gpa = kPvhAcpiGpa + kPvhAcpiMax - 36}, p),
        PvhError::Ok);
}

TEST(PvhLoad, RefusesSegmentsOutsideRam) {
    struct Case {
        uint64_t paddr, memsz;
    } cases[] = {
        {64 * kMiB - 0x1000, 0x2000}, // past the end of RAM
        {64 * kMiB, 0x10},            // just past it
        {kPvhBootInfoGpa, 0x100},     // on the boot information
        {kPvhAcpiGpa + 0x1000, 0x10}, // on the ACPI tables
        {0xF0000, 0x10},              // in the ISA hole
        {0, 0x10},
    };
    for (const Case& c : cases) {
        std::vector<uint8_t> b = synthetic_vmlinux();
        put<uint64_t>(b, ph(1, kPhPaddr), c.paddr);
        put<uint64_t>(b, ph(1, kPhMemsz), c.memsz < kDataFile ? kDataFile : c.memsz);
        PvhImage img;
        ASSERT_EQ(pvh_parse(b.data(), b.size(), img), PvhError::Ok);
        FakeGuest g(64 * kMiB);
        PvhPlacement p;
        EXPECT_EQ(load(img, {.ram_bytes = 64 * kMiB}, g, p), PvhError::SegmentOutsideRam)
            << std::hex << c.paddr;
        EXPECT_TRUE(g.log.empty());
    }
}

} // namespace
} // namespace rthv::vplat
