// pvh_load: the synthetic vmlinux lands at its p_paddr with bss zeroed, the boot information
// reads back as Linux's enlighten.c reads it, and the initrd sits at the top of RAM.
#include <gtest/gtest.h>

#include <string>

#include "pvh_fixture.hpp"

namespace rthv::vplat {
namespace {

using namespace test;

TEST(PvhLoad, SegmentsLandAtPaddrWithBssZeroed) {
    Loaded k;
    FakeGuest g(64 * kMiB);
    PvhPlacement p;
    ASSERT_EQ(load(k.img, {.ram_bytes = 64 * kMiB}, g, p), PvhError::Ok);
    EXPECT_EQ(p.entry, kEntry);
    EXPECT_EQ(p.start_info_gpa, kPvhStartInfoGpa);
    EXPECT_EQ(p.kernel_lo, kTextPaddr);
    EXPECT_EQ(p.kernel_hi, kDataPaddr + kDataMem);
    for (uint64_t i = 0; i < kTextSize; ++i) ASSERT_EQ(g.byte(kTextPaddr + i), text_byte(i)) << i;
    for (uint64_t i = 0; i < kDataFile; ++i) ASSERT_EQ(g.byte(kDataPaddr + i), data_byte(i)) << i;
    for (uint64_t i = kDataFile; i < kDataMem; ++i) ASSERT_EQ(g.byte(kDataPaddr + i), 0) << i;
    EXPECT_EQ(g.byte(kDataPaddr + kDataMem), 0xAA) << "nothing written past p_memsz";
    EXPECT_EQ(g.byte(kTextPaddr + kTextSize), 0xAA);
    // Nothing touches the ACPI area (the integrator's) or the ISA hole.
    for (auto [gpa, len] : g.log) {
        EXPECT_TRUE(gpa + len <= kPvhAcpiGpa || gpa >= kPvhKernelMin) << std::hex << gpa;
    }
}

TEST(PvhLoad, StartInfoWithoutInitrd) {
    Loaded k;
    FakeGuest g(64 * kMiB);
    PvhPlacement p;
    const uint64_t rsdp = kPvhAcpiGpa + 0x40;
    PvhBoot boot{
        .ram_bytes = 64 * kMiB, .cmdline = "console=ttyS0 earlyprintk=ttyS0", .rsdp_gpa = rsdp};
    ASSERT_EQ(load(k.img, boot, g, p), PvhError::Ok);
    HvmStartInfo si = g.read<HvmStartInfo>(p.start_info_gpa);
    EXPECT_EQ(si.magic, 0x336ec578u);
    EXPECT_EQ(si.version, 1u);
    EXPECT_EQ(si.flags, 0u);
    EXPECT_EQ(si.nr_modules, 0u);
    EXPECT_EQ(si.modlist_paddr, 0u);
    EXPECT_EQ(si.cmdline_paddr, p.cmdline_gpa);
    EXPECT_EQ(g.read_string(si.cmdline_paddr), "console=ttyS0 earlyprintk=ttyS0");
    EXPECT_EQ(si.rsdp_paddr, rsdp);
    EXPECT_EQ(si.memmap_paddr, p.memmap_gpa);
    EXPECT_EQ(si.memmap_entries, p.memmap_entries);
    EXPECT_EQ(si.memmap_entries, 4u);
    EXPECT_EQ(si.reserved, 0u);
    EXPECT_EQ(p.initrd_gpa, 0u);
    // The memory map in guest memory is pvh_memmap's.
    HvmMemmapEntry want[kPvhMemmapMax];
    ASSERT_EQ(pvh_memmap(boot, want), si.memmap_entries);
    for (uint32_t i = 0; i < si.memmap_entries; ++i) {
        auto e = g.read<HvmMemmapEntry>(si.memmap_paddr + i * sizeof(HvmMemmapEntry));
        EXPECT_EQ(e.addr, want[i].addr);
        EXPECT_EQ(e.size, want[i].size);
        EXPECT_EQ(e.type, want[i].type);
        EXPECT_EQ(e.reserved, 0u);
    }
    // Everything below 1 GiB: Linux reads the memmap through its early 1 GiB identity map.
    EXPECT_LT(p.memmap_gpa + 8 * sizeof(HvmMemmapEntry), 1u << 30);
}

TEST(PvhLoad, EmptyCommandLineIsAZeroString) {
    Loaded k;
    FakeGuest g(64 * kMiB);
    PvhPlacement p;
    ASSERT_EQ(load(k.img, {.ram_bytes = 64 * kMiB}, g, p), PvhError::Ok);
    EXPECT_EQ(g.byte(p.cmdline_gpa), 0) << "the boot-info pages are zeroed first";
    EXPECT_EQ(g.read<HvmStartInfo>(p.start_info_gpa).rsdp_paddr, 0u);
}

TEST(PvhLoad, InitrdIsModuleZeroAtTopOfRam) {
    Loaded k;
    FakeGuest g(64 * kMiB);
    PvhPlacement p;
    std::vector<uint8_t> rd(0x1234);
    for (size_t i = 0; i < rd.size(); ++i) rd[i] = static_cast<uint8_t>(i * 13 + 1);
    PvhBoot boot{.ram_bytes = 64 * kMiB, .initrd = rd.data(), .initrd_size = rd.size()};
    ASSERT_EQ(load(k.img, boot, g, p), PvhError::Ok);
    EXPECT_EQ(p.initrd_gpa, 64 * kMiB - 0x2000) << "page-aligned, as high as it fits";
    EXPECT_EQ(p.initrd_size, rd.size());
    HvmStartInfo si = g.read<HvmStartInfo>(p.start_info_gpa);
    EXPECT_EQ(si.nr_modules, 1u);
    ASSERT_NE(si.modlist_paddr, 0u);
    auto mod = g.read<HvmModlistEntry>(si.modlist_paddr);
    EXPECT_EQ(mod.paddr, p.initrd_gpa);
    EXPECT_EQ(mod.size, rd.size());
    EXPECT_EQ(mod.cmdline_paddr, 0u);
    EXPECT_EQ(mod.reserved, 0u);
    for (size_t i = 0; i < rd.size(); ++i) ASSERT_EQ(g.byte(p.initrd_gpa + i), rd[i]) << i;
}

TEST(PvhLoad, InitrdStaysBelowTopReservedAndAboveKernel) {
    Loaded k;
    for (uint64_t ram : {64 * kMiB, 512 * kMiB + 0x3000, kPvhMaxRam}) {
        for (uint64_t reserved : {uint64_t{0}, uint64_t{0x5000}, 2 * kMiB}) {
            PvhPlacement p;
            uint64_t size = 5 * kMiB + 17;
            std::vector<uint8_t> dummy(1);
            PvhBoot boot{.ram_bytes = ram,
                         .top_reserved = reserved,
                         .initrd = dummy.data(),
                         .initrd_size = size};
            ASSERT_EQ(pvh_plan(k.img, boot, p), PvhError::Ok);
            EXPECT_EQ(p.initrd_gpa % kPvhPage, 0u);
            EXPECT_LE(p.initrd_gpa + size, ram - reserved);
            EXPECT_GT(p.initrd_gpa + size + kPvhPage, ram - reserved) << "at the top";
            EXPECT_GE(p.initrd_gpa, p.kernel_hi);
        }
    }
}

TEST(PvhLoad, InitrdJustFitsOrIsRefused) {
    Loaded k;
    std::vector<uint8_t> dummy(1);
    const uint64_t floor = (kDataPaddr + kDataMem + kPvhPage - 1) & ~(kPvhPage - 1);
    PvhBoot boot{.ram_bytes = 64 * kMiB, .initrd = dummy.data(), .initrd_size = 64 * kMiB - floor};
    PvhPlacement p;
    ASSERT_EQ(pvh_plan(k.img, boot, p), PvhError::Ok);
    EXPECT_EQ(p.initrd_gpa, floor);
    for (uint64_t size : {64 * kMiB - floor + 1, 64 * kMiB, ~uint64_t{0}}) {
        FakeGuest g(64 * kMiB);
        boot.initrd_size = size;
        EXPECT_EQ(load(k.img, boot, g, p), PvhError::InitrdTooLarge) << size;
        EXPECT_TRUE(g.log.empty());
    }
}

TEST(PvhLoad, CommandLineLimitIs2047Characters) {
    Loaded k;
    std::string s(kPvhCmdlineMax - 1, 'x');
    FakeGuest g(64 * kMiB);
    PvhPlacement p;
    ASSERT_EQ(load(k.img, {.ram_bytes = 64 * kMiB, .cmdline = s.c_str()}, g, p), PvhError::Ok);
    EXPECT_EQ(g.read_string(p.cmdline_gpa), s);
    s.push_back('y');
    FakeGuest g2(64 * kMiB);
    EXPECT_EQ(load(k.img, {.ram_bytes = 64 * kMiB, .cmdline = s.c_str()}, g2, p),
              PvhError::CmdlineTooLong);
    EXPECT_TRUE(g2.log.empty());
}

TEST(PvhLoad, RefusesUnparsedImageAndMissingWriter) {
    PvhImage bad;
    std::vector<uint8_t> b = synthetic_vmlinux();
    b[4] = 1; // ELFCLASS32
    EXPECT_EQ(pvh_parse(b.data(), b.size(), bad), PvhError::NotElf64);
    FakeGuest g(64 * kMiB);
    PvhPlacement p;
    EXPECT_EQ(load(bad, {.ram_bytes = 64 * kMiB}, g, p), PvhError::BadArgument);
    Loaded k;
    EXPECT_EQ(pvh_load(k.img, {.ram_bytes = 64 * kMiB}, nullptr, &g, p), PvhError::BadArgument);
    EXPECT_TRUE(g.log.empty());
}

TEST(PvhLoad, ReportsRefusedWrites) {
    Loaded k;
    std::vector<uint8_t> rd(100, 7);
    PvhBoot boot{.ram_bytes = 64 * kMiB, .cmdline = "x", .initrd = rd.data(), .initrd_size = 100};
    FakeGuest count(64 * kMiB);
    PvhPlacement p;
    ASSERT_EQ(load(k.img, boot, count, p), PvhError::Ok);
    // text, data, bss, initrd, boot-info zeroing, start_info, modlist, memmap, cmdline
    ASSERT_EQ(count.log.size(), 9u);
    for (long n = 0; n < static_cast<long>(count.log.size()); ++n) {
        FakeGuest g(64 * kMiB);
        g.fail_at = n;
        EXPECT_EQ(load(k.img, boot, g, p), PvhError::WriteFailed) << n;
        EXPECT_EQ(g.log.size(), static_cast<size_t>(n)) << "stops at the first failure";
    }
}

} // namespace
} // namespace rthv::vplat
