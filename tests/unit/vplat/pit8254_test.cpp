// The PIT channel 2 as Linux's TSC calibration drives it (arch/x86/kernel/tsc.c: quick and slow
// PIT calibration): counts at 1.193182 MHz of TSC time, MSB reads, latch, OUT2 on port 0x61.
#include <gtest/gtest.h>

#include "hv/vplat/pit8254.hpp"

namespace rthv::vplat {
namespace {

constexpr uint64_t kTscHz = 2'000'000'000;
constexpr uint64_t tsc_after_ticks(uint64_t ticks) { return ticks * kTscHz / kPitHz + 1; }

// Gate on, channel 2 mode 0 LSB+MSB, count `count` at TSC `t`.
void start(Pit8254& p, uint16_t count, uint64_t t) {
    p.write(0x61, 0x01, t);
    p.write(0x43, 0xb0, t);
    p.write(0x42, static_cast<uint8_t>(count & 0xff), t);
    p.write(0x42, static_cast<uint8_t>(count >> 8), t);
}

uint16_t read16(Pit8254& p, uint64_t t) {
    uint8_t lo = p.read(0x42, t);
    return static_cast<uint16_t>(lo | p.read(0x42, t) << 8);
}

TEST(Pit8254, CountsDownAtPitRateOfTscTime) {
    Pit8254 p(kTscHz);
    start(p, 0xffff, 1000);
    EXPECT_EQ(read16(p, 1000), 0xffff);
    EXPECT_EQ(read16(p, 1000 + tsc_after_ticks(256)), 0xffff - 256);
    EXPECT_EQ(read16(p, 1000 + tsc_after_ticks(40000)), 0xffff - 40000);
}

TEST(Pit8254, Out2RisesAtTerminalCountOnPortB) {
    Pit8254 p(kTscHz);
    start(p, 1000, 0);
    EXPECT_EQ(p.read(0x61, tsc_after_ticks(999)) & 0x20, 0);
    EXPECT_EQ(p.read(0x61, tsc_after_ticks(1000)) & 0x20, 0x20);
    EXPECT_EQ(p.read(0x61, 0) & 0x01, 0x01); // the gate reads back
}

TEST(Pit8254, LatchFreezesTheValueUntilBothBytesAreRead) {
    Pit8254 p(kTscHz);
    start(p, 5000, 0);
    p.write(0x43, 0x80, tsc_after_ticks(100)); // latch channel 2
    EXPECT_EQ(read16(p, tsc_after_ticks(3000)), 4900);
    EXPECT_EQ(read16(p, tsc_after_ticks(3000)), 2000); // latch consumed: live again
}

TEST(Pit8254, NothingCountsWithoutTheGateOrBeforeTheFullCount) {
    Pit8254 p(kTscHz);
    p.write(0x43, 0xb0, 0);
    p.write(0x42, 0x10, 0);
    p.write(0x42, 0x27, 0); // 10000, gate low
    EXPECT_EQ(read16(p, tsc_after_ticks(500)), 10000);
    EXPECT_EQ(p.read(0x61, tsc_after_ticks(20000)) & 0x20, 0);
}

TEST(Pit8254, MsbOnlyAccessAndOtherChannelsReadAllOnes) {
    Pit8254 p(kTscHz);
    p.write(0x61, 0x01, 0);
    p.write(0x43, 0xa0, 0); // channel 2, MSB only, mode 0
    p.write(0x42, 0x80, 0); // count 0x8000
    EXPECT_EQ(p.read(0x42, tsc_after_ticks(512)), 0x7e);
    EXPECT_EQ(p.read(0x40, 0), 0xff);
    EXPECT_TRUE(Pit8254::owns(0x43) && Pit8254::owns(0x61) && !Pit8254::owns(0x60));
}

} // namespace
} // namespace rthv::vplat
