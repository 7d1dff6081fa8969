// Axis ticks (1-2-5 steps, exact integer labels) and the colour palette of the Gantt chart.
#include "tools/trace/svg_parts.hpp"

#include <algorithm>
#include <cstdio>

namespace rthv::tracetool {

std::vector<Tick> axis_ticks(uint64_t begin, uint64_t end, unsigned wanted) {
    std::vector<Tick> ticks;
    uint64_t span = end > begin ? end - begin : 1;
    if (wanted == 0) wanted = 1;
    // The smallest 1-2-5 step that gives at most `wanted` intervals.
    uint64_t step = 1;
    for (uint64_t decade = 1;; decade *= 10) {
        uint64_t candidates[] = {decade, 2 * decade, 5 * decade};
        bool found = false;
        for (uint64_t c : candidates) {
            if (span / c <= wanted) {
                step = c;
                found = true;
                break;
            }
        }
        if (found) break;
    }
    static constexpr struct {
        uint64_t ns;
        const char* name;
    } kUnits[] = {{1000000000, "s"}, {1000000, "ms"}, {1000, "us"}, {1, "ns"}};
    uint64_t unit = 1;
    const char* unit_name = "ns";
    for (const auto& u : kUnits) {
        if (step % u.ns == 0) {
            unit = u.ns;
            unit_name = u.name;
            break;
        }
    }
    for (uint64_t t = (begin + step - 1) / step * step; t <= end; t += step)
        ticks.push_back({t, std::to_string(t / unit) + unit_name});
    return ticks;
}

std::string vcpu_colour(uint32_t i) {
    // Well-separated hues first (Tableau-like, without its red), then a golden-angle walk.
    static constexpr const char* kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd",
                                               "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
                                               "#17becf", "#aec7e8", "#ffbb78", "#98df8a"};
    constexpr uint32_t kFixed = sizeof kPalette / sizeof kPalette[0];
    if (i < kFixed) return kPalette[i];
    // HSV with s = 0.55, v = 0.85, hue stepped by ~137.5 degrees, kept away from red (< 20).
    uint32_t hue = 20 + (i * 137u) % 320u;
    // The integer form of HSV -> RGB: f(n) = v - v s clamp(min(k, 4 - k), 0, 1), with
    // k = (n + hue / 60) mod 6, here in degrees (k * 60).
    auto channel = [hue](uint32_t n) {
        int k = static_cast<int>((n * 60 + hue) % 360);
        int ramp = std::max(0, std::min({k, 240 - k, 60}));
        return static_cast<unsigned>(217 - 119 * ramp / 60);
    };
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", channel(5), channel(3), channel(1));
    return buf;
}

std::string xml_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string human_time(uint64_t ns) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%llu.%03lluus", static_cast<unsigned long long>(ns / 1000),
                  static_cast<unsigned long long>(ns % 1000));
    return buf;
}

} // namespace rthv::tracetool
