// rthv-trace's model and readers: slices from switch points, deadline placement, the
// simulator's text format, windows, axis ticks, and the writers' structure.
#include "tools/trace/model.hpp"
#include "tools/trace/perfetto.hpp"
#include "tools/trace/svg_parts.hpp"

#include <gtest/gtest.h>
#include <sstream>

namespace rthv::tracetool {
namespace {

size_t count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

Trace read(const std::string& text) {
    std::istringstream in(text);
    Trace t;
    std::string error;
    EXPECT_TRUE(read_trace(in, t, error)) << error;
    return t;
}

TEST(TraceBuilder, SlicesFollowSwitchPoints) {
    TraceBuilder b;
    uint32_t a = b.vcpu("a"), c = b.vcpu("c");
    b.run(0, 0, static_cast<int32_t>(a));
    b.run(10, 0, static_cast<int32_t>(a)); // same VCPU again: the slice goes on
    b.run(20, 0, static_cast<int32_t>(c));
    b.run(30, 0, kNoVcpu);
    b.run(40, 1, static_cast<int32_t>(a));
    b.mark(50, kNoCpu, static_cast<int32_t>(c), Mark::Wake);
    Trace t = b.finish("test");
    ASSERT_EQ(t.slices.size(), 3u);
    EXPECT_EQ(t.slices[0].start, 0u);
    EXPECT_EQ(t.slices[0].end, 20u);
    EXPECT_EQ(t.slices[1].vcpu, c);
    EXPECT_EQ(t.slices[1].end, 30u);
    EXPECT_EQ(t.slices[2].cpu, 1u);
    EXPECT_EQ(t.slices[2].end, 50u) << "open slices end with the trace";
    EXPECT_EQ(t.ncpus, 2u);
    EXPECT_EQ(slices_per_vcpu(t), (std::vector<uint64_t>{2, 1}));
}

TEST(RthvReader, DeadlinesAtTheirValueAndBeyondTheEndDropped) {
    Trace t = read("# rthv-trace 1\ncpus 2\nname 1 0 web\n"
                   "100 - insert 1 0 5000\n100 - deadline 1 0 600\n"
                   "100 0 pick 1 0 0\n400 0 pick - - 0\n700 1 replenish 1 0 1\n"
                   "700 1 deadline 1 0 99999\n700 1 miss 1 0 5\n"
                   "dropped 0 0\ndropped 1 4\nend\n");
    ASSERT_EQ(t.vcpus, std::vector<std::string>{"web"});
    ASSERT_EQ(t.slices.size(), 1u);
    EXPECT_EQ(t.slices[0].end, 400u);
    EXPECT_EQ(t.ncpus, 2u);
    EXPECT_EQ(t.dropped, (std::vector<uint64_t>{0, 4}));
    int deadlines = 0, misses = 0;
    for (const Instant& i : t.marks) {
        if (i.mark == Mark::Deadline) {
            ++deadlines;
            EXPECT_EQ(i.time, 600u);
        }
        misses += i.mark == Mark::Miss;
    }
    EXPECT_EQ(deadlines, 1) << "99999 is past the end (700)";
    EXPECT_EQ(misses, 1);
    EXPECT_EQ(t.end, 700u);
}

TEST(RthvReader, BadLineNamesItsNumber) {
    std::istringstream in("# rthv-trace 1\ncpus 1\n12 0 frobnicate - - 0\n");
    Trace t;
    std::string error;
    EXPECT_FALSE(read_trace(in, t, error));
    EXPECT_NE(error.find("line 3"), std::string::npos) << error;
}

TEST(SimReader, ReadsTheSimulatorsTextTrace) {
    Trace t = read("# time_ns cpu event vcpu [from]\n0 0 tickle -\n0 0 switch rt1.0 -\n"
                   "0 1 switch batch.0 -\n500 0 exhausted rt1.0\n500 0 switch batch.1 rt1.0\n"
                   "900 - wake rt1.0\n1000 1 replenish rt1.0\n1000 1 miss batch.0\n");
    EXPECT_EQ(t.format, "rtds-sim text");
    EXPECT_EQ(t.ncpus, 2u);
    EXPECT_EQ(t.vcpus, (std::vector<std::string>{"rt1.0", "batch.0", "batch.1"}));
    EXPECT_EQ(slices_per_vcpu(t), (std::vector<uint64_t>{1, 1, 1}));
    int deadlines = 0;
    for (const Instant& i : t.marks) deadlines += i.mark == Mark::Deadline && i.time == 1000;
    EXPECT_EQ(deadlines, 1) << "a replenishment is the previous period's deadline";
    std::istringstream bad("0 0 switch\n");
    std::string error;
    EXPECT_FALSE(read_trace(bad, t, error));
}

TEST(Window, ClipsSlicesAndDropsMarksOutside) {
    Trace t = read("# time_ns cpu event vcpu [from]\n0 0 switch a -\n100 0 switch b a\n"
                   "150 - wake a\n300 0 switch - b\n");
    Trace w = window(t, 50, 120);
    ASSERT_EQ(w.slices.size(), 2u);
    EXPECT_EQ(w.slices[0].start, 50u);
    EXPECT_EQ(w.slices[1].end, 120u);
    EXPECT_TRUE(w.marks.empty());
}

TEST(AxisTicks, WholeUnitsOnOneTwoFiveSteps) {
    std::vector<Tick> ticks = axis_ticks(0, 1000000, 10);
    ASSERT_EQ(ticks.size(), 11u);
    EXPECT_EQ(ticks[1].label, "100us");
    EXPECT_EQ(ticks[10].label, "1000us");
    ticks = axis_ticks(3000000, 21000000, 9); // 18 ms: 2 ms steps give 9 intervals
    ASSERT_EQ(ticks.size(), 9u);
    EXPECT_EQ(ticks[0].label, "4ms");
    EXPECT_EQ(ticks[8].label, "20ms");
    ticks = axis_ticks(3000000, 21000000, 8); // 2 ms would be too many: 5 ms
    ASSERT_EQ(ticks.size(), 4u);
    EXPECT_EQ(ticks[0].label, "5ms");
    EXPECT_EQ(vcpu_colour(0) == vcpu_colour(1), false);
    EXPECT_EQ(vcpu_colour(20).size(), 7u);
}

TEST(Writers, OneSlicePerRunAndOneRowPerCpu) {
    Trace t = read("# time_ns cpu event vcpu [from]\n0 0 switch a -\n0 2 switch <b> -\n"
                   "100 0 switch - a\n200 2 miss <b>\n250 2 switch a <b>\n400 1 tickle -\n");
    std::ostringstream json, svg;
    write_perfetto(json, t);
    write_svg(svg, t, SvgOptions{});
    EXPECT_EQ(count(json.str(), "\"ph\":\"X\""), 3u);
    EXPECT_EQ(count(json.str(), "\"name\":\"thread_name\""), 3u + 2u) << "3 pCPUs + 2 VCPUs";
    EXPECT_EQ(count(svg.str(), "class=\"cpu-row\""), 3u);
    EXPECT_EQ(count(svg.str(), "class=\"slice\""), 3u);
    EXPECT_EQ(count(svg.str(), "class=\"miss\""), 1u);
    EXPECT_NE(svg.str().find("&lt;b&gt;"), std::string::npos) << "names are escaped";
}

} // namespace
} // namespace rthv::tracetool
