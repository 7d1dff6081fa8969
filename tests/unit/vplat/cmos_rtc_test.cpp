// The CMOS clock Linux reads at boot: never in an update cycle, BCD time that advances.
#include <gtest/gtest.h>

#include "hv/vplat/cmos_rtc.hpp"

namespace rthv::vplat {
namespace {

uint8_t reg(CmosRtc& c, uint8_t index, uint64_t seconds) {
    c.write(0x70, index);
    return c.read(0x71, seconds);
}

TEST(CmosRtc, NeverInAnUpdateCycleAndBcd24Hour) {
    CmosRtc c;
    EXPECT_EQ(reg(c, 0x0a, 0) & 0x80, 0);
    EXPECT_EQ(reg(c, 0x0b, 0), 0x02);
    EXPECT_EQ(reg(c, 0x0d, 0) & 0x80, 0x80);
    EXPECT_EQ(reg(c, 0x8a, 0) & 0x80, 0); // the NMI-mask bit of the index is not part of it
}

TEST(CmosRtc, TimeAdvancesWithTheSecondsGiven) {
    CmosRtc c;
    EXPECT_EQ(reg(c, 0x00, 3723), 0x03); // 1 h 2 min 3 s
    EXPECT_EQ(reg(c, 0x02, 3723), 0x02);
    EXPECT_EQ(reg(c, 0x04, 3723), 0x01);
    EXPECT_EQ(reg(c, 0x07, 86400 * 3), 0x04);
    EXPECT_EQ(reg(c, 0x09, 0), 0x00);
    EXPECT_EQ(reg(c, 0x32, 0), 0x20);
}

} // namespace
} // namespace rthv::vplat
