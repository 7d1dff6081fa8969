// The DSDT's AML: PkgLength encoding at its size boundaries, the writer's widening of a
// package, and the COM1 device byte for byte against the reference compiler (iasl).
#include "hv/vplat/acpi_aml.hpp"

#include <gtest/gtest.h>

#include <iterator>
#include <vector>

namespace rthv::vplat {
namespace {

// iasl 20200925 output for
//   DefinitionBlock ("", "DSDT", 2, "RTHV  ", "RTHVPLAT", 1) { Scope (\_SB) { Device (COM1) {
//     Name (_HID, EisaId ("PNP0501"))  Name (_UID, Zero)
//     Name (_CRS, ResourceTemplate () { IO (Decode16, 0x03F8, 0x03F8, 0x01, 0x08)
//                                       IRQNoFlags () {4} }) } } }
// after its 36-byte header (which differs from ours only in the creator fields).
// clang-format off
constexpr uint8_t kIaslCom1[] = {
    0x10, 0x32, '_', 'S', 'B', '_',                    // Scope (_SB), PkgLength 50
    0x5B, 0x82, 0x2B, 'C', 'O', 'M', '1',              //   Device (COM1), PkgLength 43
    0x08, '_', 'H', 'I', 'D', 0x0C, 0x41, 0xD0, 0x05, 0x01, //     Name (_HID, 0x0105D041)
    0x08, '_', 'U', 'I', 'D', 0x00,                    //     Name (_UID, Zero)
    0x08, '_', 'C', 'R', 'S', 0x11, 0x10, 0x0A, 0x0D,  //     Name (_CRS, Buffer (13) {
    0x47, 0x01, 0xF8, 0x03, 0xF8, 0x03, 0x01, 0x08,    //       IO
    0x22, 0x10, 0x00,                                  //       IRQNoFlags {4}
    0x79, 0x00};                                       //       EndTag })
// clang-format on

TEST(AcpiAml, DsdtIsTheCom1DeviceIaslWouldEmit) {
    uint8_t aml[64];
    size_t n = acpi_dsdt_aml(aml, sizeof(aml));
    EXPECT_EQ(std::vector<uint8_t>(aml, aml + n),
              std::vector<uint8_t>(std::begin(kIaslCom1), std::end(kIaslCom1)));
}

// Decodes the PkgLengths independently of the golden bytes: each package ends where its
// enclosing one does, as they are the last object in their parent.
TEST(AcpiAml, DsdtPackagesSpanTheirContents) {
    uint8_t aml[64];
    size_t n = acpi_dsdt_aml(aml, sizeof(aml));
    ASSERT_EQ(n, 51u);
    ASSERT_EQ(aml[0], 0x10);               // ScopeOp
    ASSERT_LT(aml[1], 0x40);               // one-byte PkgLength
    EXPECT_EQ(1u + aml[1], n);             // Scope spans the whole body
    ASSERT_EQ(aml[6], 0x5B);               // ExtOpPrefix
    ASSERT_EQ(aml[7], 0x82);               // DeviceOp
    EXPECT_EQ(8u + aml[8], n);             // Device ends with the Scope
    ASSERT_EQ(aml[34], 0x11);              // BufferOp of _CRS
    EXPECT_EQ(35u + aml[35], n);           // Buffer ends with the Device
    EXPECT_EQ(aml[37], n - 38);            // BufferSize = the bytes after it
    EXPECT_EQ(acpi_dsdt_aml(aml, 50), 0u); // one byte short
}

TEST(AcpiAml, PkgLengthUsesTheShortestEncodingThatHoldsItself) {
    uint8_t out[4] = {};
    ASSERT_EQ(aml_pkg_length(0, out), 1u);
    EXPECT_EQ(out[0], 1);
    ASSERT_EQ(aml_pkg_length(62, out), 1u); // 62 + 1 = 63, the largest one-byte value
    EXPECT_EQ(out[0], 63);
    ASSERT_EQ(aml_pkg_length(63, out), 2u); // 63 + 2 = 65 = 0x041
    EXPECT_EQ(out[0], 0x41);
    EXPECT_EQ(out[1], 0x04);
    ASSERT_EQ(aml_pkg_length(0xFFD, out), 2u); // 0xFFF
    EXPECT_EQ(out[0], 0x4F);
    EXPECT_EQ(out[1], 0xFF);
    ASSERT_EQ(aml_pkg_length(0xFFE, out), 3u); // 0x1001
    EXPECT_EQ(out[0], 0x81);
    EXPECT_EQ(out[1], 0x00);
    EXPECT_EQ(out[2], 0x01);
    ASSERT_EQ(aml_pkg_length(kAmlMaxPkgLength - 4, out), 4u);
    EXPECT_EQ(out[0], 0xCF);
    EXPECT_EQ(out[1], 0xFF);
    EXPECT_EQ(out[2], 0xFF);
    EXPECT_EQ(out[3], 0xFF);
    EXPECT_EQ(aml_pkg_length(kAmlMaxPkgLength - 3, out), 0u);
}

// A package whose body outgrows one PkgLength byte is moved up to make room for two.
TEST(AcpiAml, WriterWidensThePkgLengthOfLargeBodies) {
    uint8_t buf[128];
    AmlWriter w(buf, sizeof(buf));
    w.byte(0x10);
    size_t outer = w.begin_pkg();
    for (uint8_t i = 0; i < 70; ++i) w.byte(i);
    w.end_pkg(outer);
    ASSERT_TRUE(w.ok());
    ASSERT_EQ(w.size(), 1u + 2 + 70);
    EXPECT_EQ(buf[1], 0x40 | (72 & 0xF)); // 70 + 2 = 72 = 0x48
    EXPECT_EQ(buf[2], 72 >> 4);
    for (uint8_t i = 0; i < 70; ++i) ASSERT_EQ(buf[3 + i], i);

    AmlWriter tight(buf, 72); // the body fits, the wider PkgLength does not
    tight.byte(0x10);
    size_t m = tight.begin_pkg();
    for (uint8_t i = 0; i < 70; ++i) tight.byte(i);
    ASSERT_TRUE(tight.ok());
    tight.end_pkg(m);
    EXPECT_FALSE(tight.ok());
}

} // namespace
} // namespace rthv::vplat
