// The report device's line protocol: what is kept, what is refused, and that a refused line
// changes nothing.
#include <gtest/gtest.h>

#include <string>

#include "hv/vplat/report_device.hpp"

namespace rthv::vplat {
namespace {

void send(ReportDevice& d, const std::string& s) {
    for (char c : s) d.put(static_cast<uint8_t>(c));
}

TEST(ReportDevice, KeepsTheLastValueOfEachName) {
    ReportDevice d;
    send(d, "ready=1\nonline_cpus=2\nready=3\n");
    ASSERT_EQ(d.count(), 2u);
    ASSERT_NE(d.find("ready"), nullptr);
    EXPECT_EQ(d.find("ready")->value, 3);
    EXPECT_EQ(d.find("ready")->updates, 2u);
    EXPECT_EQ(d.find("online_cpus")->value, 2);
    EXPECT_EQ(d.malformed(), 0u);
}

TEST(ReportDevice, TakesTheWholeSignedRange) {
    ReportDevice d;
    send(d, "lo=-9223372036854775808\nhi=9223372036854775807\n");
    EXPECT_EQ(d.find("lo")->value, INT64_MIN);
    EXPECT_EQ(d.find("hi")->value, INT64_MAX);
    send(d, "hi=9223372036854775808\n");
    EXPECT_EQ(d.find("hi")->value, INT64_MAX);
    EXPECT_EQ(d.malformed(), 1u);
}

TEST(ReportDevice, MalformedLinesAreCountedAndChangeNothing) {
    ReportDevice d;
    send(d, "x=1\n");
    for (const char* bad : {"x=\n", "=5\n", "X=5\n", "x 5\n", "x=5 \n", "x=+5\n", "x=1a\n",
                            "a-b=1\n", "\n", "x=--1\n"})
        send(d, bad);
    EXPECT_EQ(d.malformed(), 10u);
    EXPECT_EQ(d.count(), 1u);
    EXPECT_EQ(d.find("x")->value, 1);
}

TEST(ReportDevice, OverlongLinesAndNamesAreRefusedWhole) {
    ReportDevice d;
    send(d, std::string(40, 'n') + "=1\n");
    send(d, "v=" + std::string(100, '7') + "\n");
    EXPECT_EQ(d.count(), 0u);
    EXPECT_EQ(d.malformed(), 2u);
    send(d, std::string(31, 'n') + "=1\n"); // the longest name that fits
    EXPECT_EQ(d.count(), 1u);
}

TEST(ReportDevice, NamesBeyondTheCapacityAreDroppedNotOverwritten) {
    ReportDevice d;
    for (size_t i = 0; i < ReportDevice::kMaxFigures + 3; ++i)
        send(d, "f" + std::to_string(i) + "=" + std::to_string(i) + "\n");
    EXPECT_EQ(d.count(), ReportDevice::kMaxFigures);
    EXPECT_EQ(d.dropped(), 3u);
    EXPECT_EQ(d.find("f0")->value, 0);
    send(d, "f0=42\n"); // an existing name still updates
    EXPECT_EQ(d.find("f0")->value, 42);
}

} // namespace
} // namespace rthv::vplat
