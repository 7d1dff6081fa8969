// The keys of a Linux domain (kernel = "linux"): defaults, limits, and the refusal of keys that
// belong to the other kind of guest.
#include "tests/unit/config/config_test_util.hpp"

namespace rthv::config::test {
namespace {

TEST(LinuxKeys, DefaultsNameTheRunnersModulesAndGive128MiB) {
    Parsed p = parse_text(domain_with("kernel = \"linux\""));
    ASSERT_TRUE(p.ok) << all_errors(*p);
    const DomainSpec& d = p->domains[0];
    EXPECT_EQ(d.guest, GuestKind::Linux);
    EXPECT_EQ(d.memory_mib, kDefaultLinuxMemoryMiB);
    EXPECT_STREQ(d.linux_boot.image, "vmlinux");
    EXPECT_STREQ(d.linux_boot.ramdisk, "initramfs");
    EXPECT_STREQ(d.linux_boot.cmdline, "");
}

TEST(LinuxKeys, ValuesAreTakenAsWritten) {
    Parsed p = parse_text(domain_with("kernel = \"linux\"\nmemory = 256\nimage = \"vm2\"\n"
                                      "ramdisk = \"rd2\"\ncmdline = \"console=ttyS0 quiet\""));
    ASSERT_TRUE(p.ok) << all_errors(*p);
    const DomainSpec& d = p->domains[0];
    EXPECT_EQ(d.memory_mib, 256u);
    EXPECT_STREQ(d.linux_boot.image, "vm2");
    EXPECT_STREQ(d.linux_boot.ramdisk, "rd2");
    EXPECT_STREQ(d.linux_boot.cmdline, "console=ttyS0 quiet");
}

TEST(LinuxKeys, AnEmptyRamdiskMeansNone) {
    Parsed p = parse_text(domain_with("kernel = \"linux\"\nramdisk = \"\""));
    ASSERT_TRUE(p.ok) << all_errors(*p);
    EXPECT_STREQ(p->domains[0].linux_boot.ramdisk, "");
}

TEST(LinuxKeys, TooLittleOrTooMuchMemoryIsRefused) {
    EXPECT_NE(only_error(parse_text(domain_with("kernel = \"linux\"\nmemory = 32")))
                  .find("a Linux domain needs 64-1024 MiB"),
              std::string::npos);
    EXPECT_NE(
        only_error(parse_text(domain_with("kernel = \"linux\"\nmemory = 2048"))).find("memory"),
        std::string::npos);
}

TEST(LinuxKeys, ToyKeysAreRefusedForLinuxAndLinuxKeysForToys) {
    EXPECT_NE(only_error(parse_text(domain_with("kernel = \"linux\"\nburst_us = 5")))
                  .find("does not apply to kernel \"linux\""),
              std::string::npos);
    EXPECT_NE(only_error(parse_text(domain_with("kernel = \"busy\"\ncmdline = \"x\"")))
                  .find("applies only to kernels \"linux\", \"pvh\""),
              std::string::npos);
    EXPECT_NE(only_error(parse_text(domain_with("image = \"x\""))).find("image"),
              std::string::npos);
}

TEST(LinuxKeys, ModuleNamesAreOneWordAndCmdlineHasALimit) {
    EXPECT_NE(
        only_error(parse_text(domain_with("kernel = \"linux\"\nimage = \"a b\""))).find("one word"),
        std::string::npos);
    EXPECT_NE(only_error(parse_text(domain_with("kernel = \"linux\"\nimage = \"\"")))
                  .find("1-31 characters"),
              std::string::npos);
    std::string long_line(kMaxGuestCmdlineLength + 1, 'x');
    EXPECT_NE(
        only_error(parse_text(domain_with("kernel = \"linux\"\ncmdline = \"" + long_line + "\"")))
            .find("at most 255 fit"),
        std::string::npos);
}

TEST(LinuxKeys, TheKernelListInTheErrorNamesLinux) {
    EXPECT_NE(only_error(parse_text(domain_with("kernel = \"windows\""))).find("linux"),
              std::string::npos);
}

// kernel = "pvh": another PVH image on the same platform; nothing defaults to Linux's modules.
TEST(PvhKeys, NeedAnImageAndDefaultToNoRamdiskAndTheSmallestMemory) {
    Parsed p = parse_text(domain_with("kernel = \"pvh\"\nimage = \"timerlat\""));
    ASSERT_TRUE(p.ok) << all_errors(*p);
    const DomainSpec& d = p->domains[0];
    EXPECT_EQ(d.guest, GuestKind::Pvh);
    EXPECT_TRUE(on_pc_platform(d.guest));
    EXPECT_EQ(d.memory_mib, kMinLinuxMemoryMiB);
    EXPECT_STREQ(d.linux_boot.image, "timerlat");
    EXPECT_STREQ(d.linux_boot.ramdisk, "");
    EXPECT_NE(only_error(parse_text(domain_with("kernel = \"pvh\""))).find("needs `image`"),
              std::string::npos);
}

TEST(PvhKeys, ToyKeysAndTooLittleMemoryAreRefused) {
    EXPECT_NE(only_error(parse_text(domain_with("kernel = \"pvh\"\nimage = \"t\"\njob_us = 5")))
                  .find("does not apply to kernel \"pvh\""),
              std::string::npos);
    EXPECT_NE(only_error(parse_text(domain_with("kernel = \"pvh\"\nimage = \"t\"\nmemory = 8")))
                  .find("a PVH domain needs 64-1024 MiB"),
              std::string::npos);
}

} // namespace
} // namespace rthv::config::test
