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

// Writes the trace text, the Perfetto JSON and the SVG under the names tracetool::trace_paths
// gives for `named` (the named file holds what its extension says); returns them in that order.
// Throws XlError if a file cannot be written or the pictures cannot be drawn.
std::vector<std::string> write_trace_files(const std::string& named, const CollectedTrace& t,
                                           const std::string& title);

} // namespace rthv::xl
