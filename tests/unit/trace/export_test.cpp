// The text export (hv/trace/FORMAT.md) and its reader in rthv-trace: exact lines, and a
// scheduler run that survives the round trip with its dispatch counts and its drops.
#include "tests/unit/trace/sched_rig.hpp"
#include "tools/trace/model.hpp"

#include <gtest/gtest.h>
#include <sstream>

namespace rthv::trace::test {
namespace {

TEST(TraceExport, RecordLinesAreExact) {
    StringSink s;
    TraceRecord r{1234, 0, 2, 7, 1, kind_code(TraceKind::Pick), 0};
    write_record(s, r);
    TraceRecord idle{5, 0, 0, kNone16, kNone16, kind_code(TraceKind::Pick), 0};
    write_record(s, idle);
    TraceRecord lost{9, 3, 1, kNone16, kNone16, kind_code(RecordKind::Lost), 0};
    write_record(s, lost);
    TraceRecord wake{10, 1, kNone16, 4, 0, kind_code(TraceKind::Wake), 0};
    write_record(s, wake);
    EXPECT_EQ(s.out, "1234 2 pick 7 1 0\n5 0 pick - - 0\n9 1 lost - - 3\n10 - wake 4 0 1\n");
}

TEST(TraceExport, HeaderNamesAndFooter) {
    TraceRecord storage[2][4];
    TraceRing rings[2];
    rings[0].init(storage[0], 4, 0);
    rings[1].init(storage[1], 4, 1);
    for (int i = 0; i < 6; ++i) rings[1].push(TraceRecord{});
    StringSink s;
    write_header(s, 2);
    write_name(s, 3, 0, "web server");
    write_footer(s, rings, 2);
    EXPECT_EQ(s.out,
              "# rthv-trace 1\ncpus 2\nname 3 0 web_server\ndropped 0 0\ndropped 1 2\nend\n");
}

TEST(TraceExport, RoundTripKeepsDispatchCounts) {
    SchedRig rig(3);
    standard_workload(rig, 300);
    std::istringstream in(rig.export_text());
    tracetool::Trace t;
    std::string error;
    ASSERT_TRUE(tracetool::read_trace(in, t, error)) << error;
    EXPECT_EQ(t.format, "rthv-trace 1");
    EXPECT_EQ(t.ncpus, 3u);
    std::vector<uint64_t> slices = tracetool::slices_per_vcpu(t);
    ASSERT_EQ(t.vcpus.size(), rig.vcpus.size());
    for (size_t i = 0; i < t.vcpus.size(); ++i) {
        const Vcpu& v = *rig.vcpus[std::stoul(t.vcpus[i].substr(2)) - 1];
        EXPECT_EQ(slices[i], rig.sched->stats(v).dispatches) << t.vcpus[i];
    }
    uint64_t deadlines = 0, releases = 0;
    for (const auto& m : t.marks) {
        deadlines += m.mark == tracetool::Mark::Deadline;
        releases += m.mark == tracetool::Mark::Release;
    }
    EXPECT_GT(deadlines, 100u);
    EXPECT_GT(releases, 100u);
}

TEST(TraceExport, OverflowIsReportedNeverSilent) {
    SchedRig rig(2, 64); // far too small for the run
    standard_workload(rig, 100);
    std::string text = rig.export_text();
    std::istringstream in(text);
    tracetool::Trace t;
    std::string error;
    ASSERT_TRUE(tracetool::read_trace(in, t, error)) << error;
    uint64_t total = 0;
    for (CpuId c = 0; c < 2; ++c) {
        EXPECT_EQ(t.dropped[c], rig.rings[c].dropped()) << "footer carries the exact count";
        total += t.dropped[c];
    }
    EXPECT_GT(total, 0u);
    EXPECT_NE(text.find("\ndropped 0 " + std::to_string(rig.rings[0].dropped()) + "\n"),
              std::string::npos);
    // Records pushed after the drain start with a Lost record saying where the gap was.
    rig.run_workload(20);
    std::string more = rig.export_text();
    EXPECT_NE(more.find(" lost - - "), std::string::npos) << more.substr(0, 400);
}

} // namespace
} // namespace rthv::trace::test
