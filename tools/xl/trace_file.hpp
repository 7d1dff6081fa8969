// What `xl trace` collected from the hypervisor's rings, and the files it becomes: the hv/trace
// text export (hv/trace/FORMAT.md) plus the same two pictures `./rthv run --trace` gives
// (Perfetto JSON and SVG Gantt chart, drawn by tools/trace's library in-process).
#pragma once

#include "hv/ctl/messages.hpp"

#include <string>
#include <vector>

namespace rthv::xl {

struct CollectedTrace {
    uint32_t nr_cpus = 0;
    std::vector<ctl::TraceName> names;
    std::vector<std::vector<trace::TraceRecord>> records; // per ring, in push order
    std::vector<uint64_t> dropped;                        // per ring, during the trace
};

// Writes `path`, `path`.perfetto.json and `path`.svg; returns their names in that order.
// Throws XlError if a file cannot be written or the pictures cannot be drawn.
std::vector<std::string> write_trace_files(const std::string& path, const CollectedTrace& t,
                                           const std::string& title);

} // namespace rthv::xl
