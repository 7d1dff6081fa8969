#include "arch/x86/multiboot2.hpp"

#include <gtest/gtest.h>

#include "byte_builder.hpp"

using namespace rthv::x86;

namespace {

void tag(Bytes& b, uint32_t type, const Bytes& body) {
    Bytes copy = body;
    b.u32(type).u32(static_cast<uint32_t>(8 + copy.size()));
    for (size_t i = 0; i < copy.size(); ++i) b.u8(copy[i]);
    b.pad_to(8);
}

// The shape GRUB 2.06 hands over under QEMU: cmdline, boot loader name, a module, the memory
// map, the old and new ACPI RSDP copies, then the end tag.
Bytes grub_info(bool with_new_acpi = true) {
    Bytes b;
    b.u32(0).u32(0);
    tag(b, 1, Bytes().str("cpus=2 test=boot"));
    tag(b, 2, Bytes().str("GRUB 2.06-13+deb12u2"));
    tag(b, 3, Bytes().u32(0x200000).u32(0x201000).str("guest.bin"));
    Bytes mmap;
    mmap.u32(24).u32(0);
    mmap.u64(0).u64(0x9fc00).u32(1).u32(0);
    mmap.u64(0x9fc00).u64(0x400).u32(2).u32(0);
    mmap.u64(0x100000).u64(0x7ee0000).u32(1).u32(0);
    mmap.u64(0x7fe0000).u64(0x20000).u32(2).u32(0);
    tag(b, 6, mmap);
    tag(b, 14, Bytes().str("RSD PTR ", false).u8(0).str("BOCHS ", false).u8(0).u32(0x7fe1000));
    if (with_new_acpi) {
        Bytes rsdp2;
        rsdp2.str("RSD PTR ", false).u8(0).str("BOCHS ", false).u8(2).u32(0x7fe1000);
        rsdp2.u32(36).u64(0x7fe2000).u8(0).u8(0).u8(0).u8(0);
        tag(b, 15, rsdp2);
    }
    b.u32(0).u32(8);
    b.put32(0, static_cast<uint32_t>(b.size()));
    return b;
}

TEST(Multiboot2, ParsesGrubInfo) {
    Bytes b = grub_info();
    BootInfo bi;
    ASSERT_EQ(parse_multiboot2(b.data(), b.size(), bi), Mb2Error::kNone);
    EXPECT_STREQ(bi.cmdline, "cpus=2 test=boot");
    ASSERT_EQ(bi.mmap_count, 4u);
    EXPECT_EQ(bi.mmap[2].base, 0x100000u);
    EXPECT_EQ(bi.mmap[2].length, 0x7ee0000u);
    EXPECT_EQ(bi.mmap[3].type, MemType::kReserved);
    ASSERT_EQ(bi.module_count, 1u);
    EXPECT_EQ(bi.modules[0].start, 0x200000u);
    EXPECT_STREQ(bi.modules[0].cmdline, "guest.bin");
    ASSERT_NE(bi.rsdp, nullptr);
    EXPECT_TRUE(bi.rsdp_is_acpi2) << "the ACPI 2.0 copy wins over the old one";
    EXPECT_EQ(bi.rsdp_length, 36u);
}

TEST(Multiboot2, OldAcpiTagAlone) {
    Bytes b = grub_info(false);
    BootInfo bi;
    ASSERT_EQ(parse_multiboot2(b.data(), b.size(), bi), Mb2Error::kNone);
    ASSERT_NE(bi.rsdp, nullptr);
    EXPECT_FALSE(bi.rsdp_is_acpi2);
    EXPECT_EQ(bi.rsdp_length, 20u);
}

TEST(Multiboot2, TruncatedAtEveryLength) {
    Bytes full = grub_info();
    for (size_t n = 0; n < full.size(); ++n) {
        Bytes cut = full;
        cut.resize(n);
        BootInfo bi;
        EXPECT_NE(parse_multiboot2(n == 0 ? nullptr : cut.data(), n, bi), Mb2Error::kNone) << n;
    }
}

TEST(Multiboot2, TotalSizeShorterThanTagsMeansNoEnd) {
    Bytes b = grub_info();
    b.put32(0, 8 + 16); // claims to end inside the cmdline tag
    BootInfo bi;
    EXPECT_EQ(parse_multiboot2(b.data(), b.size(), bi), Mb2Error::kTruncated);
    b.put32(0, 8);
    EXPECT_EQ(parse_multiboot2(b.data(), b.size(), bi), Mb2Error::kMissingEnd);
}

TEST(Multiboot2, CorruptTags) {
    BootInfo bi;
    Bytes small = grub_info();
    small.put32(12, 4); // first tag's size below the 8-byte tag header
    EXPECT_EQ(parse_multiboot2(small.data(), small.size(), bi), Mb2Error::kBadTagSize);

    Bytes huge = grub_info();
    huge.put32(12, 0x10000); // runs past total_size
    EXPECT_EQ(parse_multiboot2(huge.data(), huge.size(), bi), Mb2Error::kTruncated);

    Bytes no_nul;
    no_nul.u32(0).u32(0).u32(1).u32(12).str("abcd", false).u32(0).u32(8);
    no_nul.put32(0, static_cast<uint32_t>(no_nul.size()));
    EXPECT_EQ(parse_multiboot2(no_nul.data(), no_nul.size(), bi), Mb2Error::kBadString);

    Bytes bad_mmap;
    bad_mmap.u32(0).u32(0).u32(6).u32(16).u32(8).u32(0).u32(0).u32(8);
    bad_mmap.put32(0, static_cast<uint32_t>(bad_mmap.size()));
    EXPECT_EQ(parse_multiboot2(bad_mmap.data(), bad_mmap.size(), bi), Mb2Error::kBadMmapEntry);

    Bytes tiny;
    tiny.u32(4).u32(0);
    EXPECT_EQ(parse_multiboot2(tiny.data(), tiny.size(), bi), Mb2Error::kTooSmall);
}

} // namespace
