// xl trace against the fake hypervisor: what the rings held comes out in the file, in order,
// with names and footer; the pictures are written; tracing it started is stopped again and
// tracing that was already on stays on; drops are reported; bad arguments touch nothing.
#include "tools/trace/model.hpp"
#include "xl_harness.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace rthv::test {
namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class XlTraceTest : public XlTest {
protected:
    XlTraceTest() {
        char tmpl[] = "/tmp/xl-trace-test-XXXXXX";
        dir = mkdtemp(tmpl);
        path = dir + "/t.rthvt";
        perfetto = dir + "/t.perfetto.json"; // tools/trace/trace_paths.hpp
        svg = dir + "/t.svg";
    }
    ~XlTraceTest() override {
        for (const char* f : {"t.rthvt", "t.perfetto.json", "t.svg", "t.json"})
            unlink((dir + "/" + f).c_str());
        rmdir(dir.c_str());
    }
    // CPU c alternates between vm1 VCPU 0 and 1 (domain 1), `n` picks 1 us apart; returns the
    // lines of the records the ring kept.
    std::vector<std::string> push_schedule(uint32_t cpu, uint32_t n) {
        std::vector<std::string> lines;
        for (uint32_t i = 0; i < n; ++i) {
            trace::TraceRecord r{};
            r.time_ns = 1000 * (i + 1);
            r.cpu = static_cast<uint16_t>(cpu);
            r.domain = 1;
            r.vcpu = static_cast<uint16_t>(i % 2);
            r.kind = trace::kind_code(TraceKind::Pick);
            if (!hv.trace_push(cpu, r)) continue;
            lines.push_back(std::to_string(r.time_ns) + " " + std::to_string(cpu) + " pick 1 " +
                            std::to_string(i % 2) + " 0");
        }
        return lines;
    }
    std::string dir, path, perfetto, svg;
};

TEST_F(XlTraceTest, WritesEveryRecordInRingOrderWithNamesFooterAndPictures) {
    std::vector<std::string> want = push_schedule(0, 700); // several reads per ring
    for (const std::string& l : push_schedule(1, 300)) want.push_back(l);
    ASSERT_EQ(want.size(), 1000u);
    const XlRun r = xl({"trace", "-T", "0.1", path});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("1000 records from 2 pCPUs"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("none dropped"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(perfetto), std::string::npos);
    EXPECT_NE(r.out.find(svg), std::string::npos);
    std::istringstream text(slurp(path));
    std::string line;
    std::vector<std::string> records, names, footer;
    std::getline(text, line);
    EXPECT_EQ(line, "# rthv-trace 1");
    std::getline(text, line);
    EXPECT_EQ(line, "cpus 2");
    while (std::getline(text, line)) {
        if (line.rfind("name ", 0) == 0)
            names.push_back(line);
        else if (isdigit(static_cast<unsigned char>(line[0])))
            records.push_back(line);
        else
            footer.push_back(line);
    }
    EXPECT_EQ(records, want);
    EXPECT_EQ(names.size(), 8u);
    EXPECT_NE(std::find(names.begin(), names.end(), "name 1 1 vm1.1"), names.end());
    EXPECT_EQ(footer, (std::vector<std::string>{"dropped 0 0", "dropped 1 0", "end"}));
    // Started and stopped it; every record was released.
    EXPECT_EQ(hv.trace_toggles, 2u);
    EXPECT_FALSE(hv.trace_on);
    EXPECT_EQ(hv.trace_freed, 1000u);
    tracetool::Trace model;
    std::ifstream again(path);
    std::string error;
    ASSERT_TRUE(tracetool::read_trace(again, model, error)) << error;
    EXPECT_EQ(tracetool::slices_per_vcpu(model), (std::vector<uint64_t>{500, 500}));
    EXPECT_NE(slurp(perfetto).find("\"traceEvents\""), std::string::npos);
    EXPECT_NE(slurp(svg).find("class=\"cpu-row\""), std::string::npos);
}

// Issue 11.6: `xl trace t.json` - the file the user named is the Perfetto JSON it says it is;
// the trace text goes to t.rthvt beside it.
TEST_F(XlTraceTest, ANameEndingInJsonGetsThePerfettoJson) {
    push_schedule(0, 10);
    const std::string named = dir + "/t.json";
    const XlRun r = xl({"trace", "-T", "0.05", named});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(slurp(named).rfind("{", 0), 0u) << slurp(named).substr(0, 40);
    EXPECT_NE(slurp(named).find("\"traceEvents\""), std::string::npos);
    EXPECT_EQ(slurp(path).rfind("# rthv-trace 1\n", 0), 0u);
    EXPECT_NE(slurp(svg).find("class=\"cpu-row\""), std::string::npos);
    EXPECT_NE(r.out.find(named), std::string::npos) << r.out;
}

TEST_F(XlTraceTest, TracingAlreadyOnStaysOnAndDropsAreReported) {
    hv.trace_setup(2, 16);
    hv.trace_on = true;   // trace=1 at boot
    push_schedule(0, 40); // 24 of them do not fit
    const XlRun r = xl({"trace", "-T", "0.05", path});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("24 dropped (per pCPU 24 0)"), std::string::npos) << r.out;
    EXPECT_NE(slurp(path).find("dropped 0 24\ndropped 1 0\nend\n"), std::string::npos);
    EXPECT_TRUE(hv.trace_on);
    EXPECT_EQ(hv.trace_toggles, 0u);
}

TEST_F(XlTraceTest, BadArgumentsTouchNothing) {
    expect_one_line_error(xl({"trace"}), "missing output FILE");
    expect_one_line_error(xl({"trace", "-T", "abc", path}), "not a number of seconds");
    expect_one_line_error(xl({"trace", "-T", "0", path}), "must be above 0");
    expect_one_line_error(xl({"trace", "-T", "1.2345", path}), "not a number of seconds");
    expect_one_line_error(xl({"trace", "-T", "90000", path}), "at most 86400");
    expect_one_line_error(xl({"trace", path, "other"}), "unexpected argument 'other'");
    expect_one_line_error(xl({"trace", "-x", path}), "unknown option");
    EXPECT_EQ(server.bytes_received(), 0u);
    expect_one_line_error(xl({"trace", "-T", "0.01", dir + "/no/such/dir/t"}), "cannot write");
    EXPECT_FALSE(hv.trace_on) << "tracing it started is stopped even when writing fails";
}

} // namespace
} // namespace rthv::test
