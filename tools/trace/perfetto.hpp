// Writers of rthv-trace's two pictures of a schedule.
#pragma once

#include "tools/trace/model.hpp"

#include <ostream>

namespace rthv::tracetool {

// Chrome/Perfetto Trace Event JSON: see perfetto.cpp for the track layout.
void write_perfetto(std::ostream& out, const Trace& t);

struct SvgOptions {
    unsigned width = 1600; // px, whole picture
    std::string title;
};

// A self-contained SVG Gantt chart: one row per pCPU, a colour per VCPU with a legend,
// deadline markers, misses in red, a time axis with ticks and labels.
void write_svg(std::ostream& out, const Trace& t, const SvgOptions& options);

} // namespace rthv::tracetool
