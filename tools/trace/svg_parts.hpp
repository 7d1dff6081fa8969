// Pieces of the SVG chart that are plain arithmetic: the time axis and the VCPU colours.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rthv::tracetool {

struct Tick {
    uint64_t time_ns;
    std::string label; // "200us", "1.5ms" is never produced: ticks are whole units
};

// Ticks at whole multiples of a 1-2-5 step, about `wanted` of them across [begin, end], each
// labelled in the largest unit (ns, us, ms, s) the step is a multiple of.
std::vector<Tick> axis_ticks(uint64_t begin, uint64_t end, unsigned wanted);

// A distinct fill colour for VCPU index i ("#rrggbb"). Red is kept out: it marks misses.
std::string vcpu_colour(uint32_t i);

// Escapes &, <, >, " for XML text and attribute values.
std::string xml_escape(const std::string& s);

// A time in ns as a short human string: "1234.567us".
std::string human_time(uint64_t ns);

} // namespace rthv::tracetool
