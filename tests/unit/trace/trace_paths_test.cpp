// Issue 11.6: a file named by the user holds what its name says (`--trace out.json` is the
// Perfetto JSON, not the binary trace). The cases are shared with the Python runner's check.
#include "tools/trace/trace_paths.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace rthv::tracetool {
namespace {

TEST(TracePaths, EveryCaseOfTheSharedTable) {
    std::ifstream in(RTHV_TRACE_PATHS_CASES);
    ASSERT_TRUE(in) << RTHV_TRACE_PATHS_CASES;
    std::string line;
    int cases = 0;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream words(line);
        std::string named, trace, perfetto, svg;
        ASSERT_TRUE(words >> named >> trace >> perfetto >> svg) << line;
        const TracePaths p = trace_paths(named);
        EXPECT_EQ(p.trace, trace) << named;
        EXPECT_EQ(p.perfetto, perfetto) << named;
        EXPECT_EQ(p.svg, svg) << named;
        ++cases;
    }
    EXPECT_GE(cases, 9);
}

TEST(TracePaths, TheNamedFileIsAlwaysOneOfTheThree) {
    for (const char* named : {"a.json", "a.svg", "a.rthvt", "a", "a.perfetto.json"}) {
        const TracePaths p = trace_paths(named);
        EXPECT_TRUE(p.trace == named || p.perfetto == named || p.svg == named) << named;
        EXPECT_NE(p.trace, p.perfetto);
        EXPECT_NE(p.trace, p.svg);
        EXPECT_NE(p.perfetto, p.svg);
    }
}

} // namespace
} // namespace rthv::tracetool
