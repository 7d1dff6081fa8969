// The other xl commands against the fake hypervisor, with Xen's printf formats as the oracle.
#include "tools/xl/socket_path.hpp"
#include "xl_harness.hpp"

#include <unistd.h>

namespace rthv::test {
namespace {

const char* kListRow = "%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f\n"; // Xen xl_info.c

TEST_F(XlTest, ListInXenLayout) {
    const XlRun r = xl({"list"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out,
              std::string(
                  "Name                                        ID   Mem VCPUs\tState\tTime(s)\n") +
                  ref(kListRow, "Domain-0", 0, 1024ul, 1, 'r', '-', '-', '-', '-', '-', 55555.0) +
                  ref(kListRow, "vm1", 1, 256ul, 2, '-', 'b', '-', '-', '-', '-',
                      static_cast<double>(12.345678901f)) +
                  ref(kListRow, "vm2", 2, 512ul, 4, 'r', '-', '-', '-', '-', '-', 99.3) +
                  ref(kListRow, "a-domain-with-a-very-long-name-0123456789", 7, 64ul, 1, '-', '-',
                      'p', '-', '-', '-', 0.0));
    EXPECT_EQ(xl({"list", "vm2"}).out,
              std::string(
                  "Name                                        ID   Mem VCPUs\tState\tTime(s)\n") +
                  ref(kListRow, "vm2", 2, 512ul, 4, 'r', '-', '-', '-', '-', '-', 99.3));
    expect_one_line_error(xl({"list", "nope"}), "unknown domain 'nope'");
}

TEST_F(XlTest, VcpuListInXenLayout) {
    const XlRun r = xl({"vcpu-list", "vm1", "7"});
    EXPECT_EQ(r.status, 0);
    const std::string header = ref("%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU",
                                   "State", "Time(s)", "Affinity (Hard / Soft)");
    EXPECT_EQ(r.out, header +
                         ref("%-32s %5u %5u%5u %3c%c- %9.1f  %s\n", "vm1", 1u, 0u, 0u, 'r', '-',
                             1.25, "0-1 / all") +
                         ref("%-32s %5u %5u%5u %3c%c- %9.1f  %s\n", "vm1", 1u, 1u, 1u, '-', 'b',
                             2.5, "0-1 / all") +
                         ref("%-32s %5u %5u%5c %3c%cp %9.1f  %s\n",
                             "a-domain-with-a-very-long-name-0123456789", 7u, 0u, '-', '-', '-',
                             1.25, "2-3 / all"));
}

TEST_F(XlTest, InfoShowsHostAndScheduler) {
    const XlRun r = xl({"info"});
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("nr_cpus                : 4\n"), std::string::npos);
    EXPECT_NE(r.out.find("cpu_mhz                : 2400.123\n"), std::string::npos);
    EXPECT_NE(r.out.find("total_memory           : 2048\n"), std::string::npos);
    EXPECT_NE(r.out.find("free_memory            : 160\n"), std::string::npos);
    EXPECT_NE(r.out.find("xen_scheduler          : rtds\n"), std::string::npos);
}

TEST_F(XlTest, PauseAndUnpauseRoundTrip) {
    EXPECT_EQ(xl({"pause", "vm1"}).status, 0);
    EXPECT_NE(hv.domain(1)->info.state & ctl::kDomPaused, 0);
    EXPECT_NE(xl({"list", "vm1"}).out.find("--p---"), std::string::npos);
    expect_one_line_error(xl({"pause", "vm1"}), "domain 1 is already paused");
    EXPECT_EQ(xl({"unpause", "1"}).status, 0);
    EXPECT_EQ(hv.domain(1)->info.state & ctl::kDomPaused, 0);
    expect_one_line_error(xl({"unpause", "vm1"}), "domain 1 is not paused");
    EXPECT_EQ(hv.mutations, 2u);

    const uint64_t sent = server.bytes_received();
    expect_one_line_error(xl({"pause"}), "missing domain");
    expect_one_line_error(xl({"pause", "vm1", "vm2"}), "unexpected argument 'vm2'");
    EXPECT_EQ(server.bytes_received(), sent);
    expect_one_line_error(xl({"pause", "ghost"}), "unknown domain 'ghost'");
    EXPECT_EQ(hv.mutations, 2u);
}

TEST_F(XlTest, DmesgReadsTheWholeBufferInChunks) {
    hv.console_dropped = 100; // older text was overwritten: reading starts at the oldest byte
    hv.console.clear();
    for (int i = 0; i < 200; ++i) hv.console += "(rthv) line " + std::to_string(i) + "\n";
    ASSERT_GT(hv.console.size(), 2u * ctl::kMaxConsoleChunk);
    const XlRun r = xl({"dmesg"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, hv.console);
}

TEST_F(XlTest, DebugKeys) {
    EXPECT_EQ(xl({"debug-keys", "r"}).status, 0);
    EXPECT_EQ(hv.keys_run, std::vector<char>{'r'});
    EXPECT_NE(xl({"dmesg"}).out.find("RTDS queues dump"), std::string::npos);
    expect_one_line_error(xl({"debug-keys", "rx"}), "debug key 'x' not supported");
    EXPECT_EQ(hv.keys_run.size(), 1u); // 'r' of the refused request did not run either
    expect_one_line_error(xl({"debug-keys"}), "missing keys");
    expect_one_line_error(xl({"debug-keys", "r\t"}), "printable");
}

TEST_F(XlTest, SchedRtdsStatsOneShot) {
    const XlRun r = xl({"sched-rtds-stats", "-d", "vm1"});
    EXPECT_EQ(r.status, 0);
    const char* row = "%-33s %4d %4d %9u %9u %9s %9s %8llu %8llu %11llu %11llu\n";
    EXPECT_EQ(
        r.out,
        ref("Cpupool %s: sched=RTDS\n", "Pool-0") +
            ref("%-33s %4s %4s %9s %9s %9s %9s %8s %8s %11s %11s\n", "Name", "ID", "VCPU", "Period",
                "Budget", "Reserved", "Received", "Misses", "LateWake", "MaxLat(us)", "Extra(us)") +
            ref(row, "vm1", 1, 0, 300u, 150u, "50.00%", "10.00%", 0ull, 0ull, 12ull, 1500ull) +
            ref(row, "vm1", 1, 1, 300u, 150u, "50.00%", "20.00%", 1ull, 2ull, 24ull, 1500ull));
    EXPECT_EQ(xl({"sched-rtds-stats"}).out.find("Cpupool rt-pool: sched=RTDS\n") ==
                  std::string::npos,
              false);
    expect_one_line_error(xl({"sched-rtds-stats", "-d", "vm1", "-d", "vm2"}), "given twice");
}

TEST(XlSocketPath, EnvironmentOverridesThePerUserDefault) {
    const std::string def = "/tmp/rthv-" + std::to_string(getuid()) + "/ctl.sock";
    EXPECT_EQ(xl::default_socket_path(), def);
    EXPECT_EQ(xl::resolve_socket_path(nullptr), def);
    EXPECT_EQ(xl::resolve_socket_path(""), def);
    EXPECT_EQ(xl::resolve_socket_path("/run/x.sock"), "/run/x.sock");
}

} // namespace
} // namespace rthv::test
