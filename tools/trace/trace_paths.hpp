// The files one trace becomes, from the one name a user gives (`rthv run --trace FILE`,
// `xl trace FILE`, `rtds-sim --trace FILE`). A file named by the user holds what its name says:
//   STEM.json or STEM.perfetto.json  the Perfetto JSON; STEM.rthvt and STEM.svg beside it
//   STEM.svg                         the Gantt chart; STEM.rthvt and STEM.perfetto.json beside it
//   anything else (STEM.rthvt)       the trace text (hv/trace/FORMAT.md); STEM.perfetto.json and
//                                    STEM.svg beside it, STEM being the name less ".rthvt"
// tools/run/trace_output.py applies the same rule (a test holds the two to it).
#pragma once

#include <string>

namespace rthv::tracetool {

struct TracePaths {
    std::string trace;    // hv/trace text
    std::string perfetto; // Perfetto JSON
    std::string svg;      // SVG Gantt chart
};

TracePaths trace_paths(const std::string& named);

} // namespace rthv::tracetool
