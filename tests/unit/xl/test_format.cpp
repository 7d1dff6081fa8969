// Byte-exact output layouts. Literal goldens are copied from the rendering in
// shared/docs/rtds-reference.md and from Xen's printf formats (xl_sched.c, xl_info.c,
// xl_vcpu.c); `|` in the comments marks line ends.
#include "tools/xl/format.hpp"

#include <gtest/gtest.h>

namespace rthv::xl {
namespace {

using namespace rthv::ctl;

RtdsParams params(uint32_t vcpu, uint32_t period, uint32_t budget, uint8_t extra) {
    return RtdsParams{vcpu, period, budget, extra};
}

TEST(XlFormat, SchedRtdsMatchesReferenceRendering) {
    // Verbatim from rtds-reference.md, "Rendered".
    EXPECT_EQ(rtds_pool_line("Pool-0"), "Cpupool Pool-0: sched=RTDS\n");
    EXPECT_EQ(rtds_domain_header(),
              "Name                                ID    Period    Budget  Extratime\n");
    EXPECT_EQ(rtds_domain_row("Domain-0", 0, params(0, 10000, 4000, 1)),
              "Domain-0                             0     10000      4000        yes\n");
    EXPECT_EQ(rtds_vcpu_header(),
              "Name                                ID VCPU    Period    Budget  Extratime\n");
    EXPECT_EQ(rtds_vcpu_row("vm1", 2, params(0, 300, 150, 0)),
              "vm1                                  2    0       300       150         no\n");
}

TEST(XlFormat, SchedRtdsColumnWidthsAtTheirLimits) {
    // A name longer than 33 columns pushes the row right, exactly as printf does in Xen.
    EXPECT_EQ(
        rtds_domain_row("a-domain-with-a-very-long-name-0123456789", 7, params(0, 10000000, 10, 0)),
        "a-domain-with-a-very-long-name-0123456789    7  10000000        10         no\n");
    EXPECT_EQ(rtds_vcpu_row("d", 1234, params(255, 999999999, 1, 1)),
              "d                                 1234  255 999999999         1        yes\n");
}

TEST(XlFormat, ListMatchesXenLayout) {
    EXPECT_EQ(list_header(),
              "Name                                        ID   Mem VCPUs\tState\tTime(s)\n");
    DomainInfo d;
    std::snprintf(d.name, sizeof d.name, "%s", "Domain-0");
    d.mem_kib = 1024 * 1024;
    d.nr_vcpus = 1;
    d.state = kDomRunning;
    d.cpu_time_ns = 55555000000000ull;
    EXPECT_EQ(list_row(d),
              "Domain-0                                     0  1024     1     r-----   55555.0\n");
    std::snprintf(d.name, sizeof d.name, "%s", "web01");
    d.id = 1;
    d.mem_kib = 512 * 1024 + 1023; // Xen truncates to whole MiB
    d.nr_vcpus = 2;
    d.state = kDomBlocked | kDomPaused | kDomDying;
    d.cpu_time_ns = 99'300'000'000ull;
    EXPECT_EQ(list_row(d),
              "web01                                        1   512     2     -bp--d      99.3\n");
}

// Issue 11.7: a 63-character name (the longest the config and the protocol carry) is never cut:
// printf's %-40s / %-33s / %-32s widen the row, and every column after it moves right by the
// name's excess, as in Xen's xl.
TEST(XlFormat, SixtyThreeCharacterNamesPushEveryRowRight) {
    const std::string name63(63, 'x');
    DomainInfo d;
    std::snprintf(d.name, sizeof d.name, "%s", name63.c_str());
    d.id = 3;
    d.mem_kib = 16 * 1024;
    d.nr_vcpus = 1;
    d.state = kDomRunning;
    EXPECT_EQ(list_row(d), name63 + "     3    16     1     r-----       0.0\n");
    EXPECT_EQ(rtds_domain_row(name63, 3, params(0, 10000, 4000, 0)),
              name63 + "    3     10000      4000         no\n");
    EXPECT_EQ(rtds_vcpu_row(name63, 3, params(0, 10000, 4000, 1)),
              name63 + "    3    0     10000      4000        yes\n");
    VcpuInfo v{};
    v.vcpu = 0;
    v.pcpu = 1;
    v.state = kVcpuOnline | kVcpuRunning;
    EXPECT_EQ(vcpu_list_row(d, v, 2).substr(0, 63 + 12), name63 + "     3     0");
}

TEST(XlFormat, VcpuListMatchesXenLayout) {
    EXPECT_EQ(vcpu_list_header(),
              "Name                                ID  VCPU   CPU State   Time(s) "
              "Affinity (Hard / Soft)\n");
    DomainInfo d;
    std::snprintf(d.name, sizeof d.name, "%s", "vm1");
    d.id = 1;
    VcpuInfo v;
    v.vcpu = 1;
    v.pcpu = 3;
    v.state = kVcpuOnline | kVcpuBlocked;
    v.cpu_time_ns = 2'500'000'000ull;
    v.affinity[0] = 0x0C;
    EXPECT_EQ(vcpu_list_row(d, v, 4),
              "vm1                                  1     1    3   -b-       2.5  2-3 / all\n");
    v.state = 0;
    v.pcpu = kNoCpu;
    v.affinity[0] = 0x0F;
    EXPECT_EQ(vcpu_list_row(d, v, 4),
              "vm1                                  1     1    -   --p       2.5  all / all\n");
}

TEST(XlFormat, CpuBitmapLikeXenPrintBitmap) {
    uint8_t m[kCpuMaskBytes] = {};
    EXPECT_EQ(cpu_bitmap(m, 8), "none");
    m[0] = 0xFF;
    EXPECT_EQ(cpu_bitmap(m, 8), "all");
    EXPECT_EQ(cpu_bitmap(m, 9), "0-7");
    m[0] = 0x2D; // 0, 2-3, 5
    EXPECT_EQ(cpu_bitmap(m, 8), "0,2-3,5");
    m[0] = 0xFE;
    EXPECT_EQ(cpu_bitmap(m, 8), "1-7");
}

TEST(XlFormat, InfoUsesXenKeys) {
    HostInfo h;
    h.nr_cpus = 4;
    h.cpu_khz = 2400123;
    h.total_mem_kib = 2048 * 1024;
    h.free_mem_kib = 160 * 1024 + 5;
    std::snprintf(h.scheduler, sizeof h.scheduler, "%s", "rtds");
    std::snprintf(h.version, sizeof h.version, "%s", "rthv 0.1");
    EXPECT_EQ(info_text(h), "nr_cpus                : 4\n"
                            "cpu_mhz                : 2400.123\n"
                            "total_memory           : 2048\n"
                            "free_memory            : 160\n"
                            "xen_scheduler          : rtds\n"
                            "hv_version             : rthv 0.1\n");
}

TEST(XlFormat, StatsRowAndPercent) {
    EXPECT_EQ(percent(1, 3), "33.33%");
    EXPECT_EQ(percent(5, 0), "-");
    EXPECT_EQ(percent(2, 1), "200.00%");
    EXPECT_EQ(stats_header(), "Name                                ID VCPU    Period    Budget  "
                              "Reserved  Received   Misses LateWake  MaxLat(us)   Extra(us)\n");
    RtdsStats s{0, 1'000'000'000, 200'000'000, 100, 3, 45'678, 1'500'000, 7};
    EXPECT_EQ(stats_row("vm1", 1, params(0, 10000, 2000, 1), s),
              "vm1                                  1    0     10000      2000    20.00%    "
              "20.00%        3        7          45        1500\n");
}

} // namespace
} // namespace rthv::xl
