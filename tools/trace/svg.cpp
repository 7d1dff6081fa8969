// The SVG Gantt chart. Top to bottom: title, a deadline strip (a triangle per deadline in the
// VCPU's colour), one row per pCPU with its run slices (budget exhaustion as black ticks, lost
// records in orange), the time axis, the legend. Misses are red lines across the whole chart.
// Every mark has a <title>, so hovering in a browser shows what and when.
#include "tools/trace/perfetto.hpp"
#include "tools/trace/svg_parts.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace rthv::tracetool {

namespace {

constexpr double kLeft = 90, kRight = 20, kStripTop = 34, kStripH = 16, kRowsTop = 58;
constexpr double kRowH = 26, kRowGap = 6, kLegendColW = 170;

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

struct Scale {
    uint64_t begin;
    double per_ns;
    double x(uint64_t t) const { return kLeft + static_cast<double>(t - begin) * per_ns; }
};

double row_y(uint32_t cpu) { return kRowsTop + cpu * (kRowH + kRowGap); }

std::string vcpu_of(const Trace& t, int32_t v) {
    return v == kNoVcpu ? std::string("-") : t.vcpus[static_cast<size_t>(v)];
}

void rows(std::ostream& o, const Trace& t, const Scale& sc, double plot_w) {
    for (uint32_t c = 0; c < t.ncpus; ++c) {
        double y = row_y(c);
        o << "<g class=\"cpu-row\" data-cpu=\"" << c << "\">\n<rect x=\"" << kLeft << "\" y=\""
          << num(y) << "\" width=\"" << num(plot_w) << "\" height=\"" << kRowH
          << "\" fill=\"#f4f4f4\"/>\n<text x=\"8\" y=\"" << num(y + kRowH / 2 + 4) << "\">pCPU "
          << c << "</text>\n";
        for (const Slice& s : t.slices) {
            if (s.cpu != c) continue;
            double w = std::max(0.2, sc.x(s.end) - sc.x(s.start));
            o << "<rect class=\"slice\" x=\"" << num(sc.x(s.start)) << "\" y=\"" << num(y + 2)
              << "\" width=\"" << num(w) << "\" height=\"" << kRowH - 4 << "\" fill=\""
              << vcpu_colour(s.vcpu) << "\"><title>" << xml_escape(t.vcpus[s.vcpu]) << " on pCPU "
              << c << ": " << human_time(s.start) << " - " << human_time(s.end)
              << "</title></rect>\n";
        }
        for (const Instant& i : t.marks) {
            if (i.cpu != static_cast<int32_t>(c)) continue;
            if (i.mark == Mark::Exhausted)
                o << "<path class=\"exhausted\" d=\"M" << num(sc.x(i.time)) << ' ' << num(y)
                  << "v8\" stroke=\"#000\" stroke-width=\"1.5\"><title>budget exhausted "
                  << xml_escape(vcpu_of(t, i.vcpu)) << " at " << human_time(i.time)
                  << "</title></path>\n";
            else if (i.mark == Mark::Lost)
                o << "<rect class=\"lost\" x=\"" << num(sc.x(i.time) - 2) << "\" y=\"" << num(y)
                  << "\" width=\"4\" height=\"" << kRowH << "\" fill=\"#ff9900\"><title>" << i.arg
                  << " records lost before " << human_time(i.time) << "</title></rect>\n";
        }
        o << "</g>\n";
    }
}

void deadlines_and_misses(std::ostream& o, const Trace& t, const Scale& sc, double rows_bottom) {
    o << "<g class=\"deadlines\">\n<text x=\"8\" y=\"" << num(kStripTop + 12)
      << "\">deadlines</text>\n";
    for (const Instant& i : t.marks) {
        if (i.mark != Mark::Deadline || i.vcpu == kNoVcpu) continue;
        double x = sc.x(i.time);
        o << "<path class=\"deadline\" d=\"M" << num(x - 4) << ' ' << num(kStripTop + 2) << "h8l-4 "
          << kStripH - 4 << "z\" fill=\"" << vcpu_colour(static_cast<uint32_t>(i.vcpu))
          << "\"><title>deadline " << xml_escape(vcpu_of(t, i.vcpu)) << " at " << human_time(i.time)
          << "</title></path>\n";
    }
    o << "</g>\n<g class=\"misses\">\n";
    for (const Instant& i : t.marks) {
        if (i.mark != Mark::Miss) continue;
        double x = sc.x(i.time);
        o << "<g class=\"miss\"><title>DEADLINE MISS " << xml_escape(vcpu_of(t, i.vcpu)) << " at "
          << human_time(i.time) << "</title><path d=\"M" << num(x) << ' ' << kStripTop << "V"
          << num(rows_bottom) << "\" stroke=\"#e00000\" stroke-width=\"2\"/><circle cx=\"" << num(x)
          << "\" cy=\"" << kStripTop + kStripH / 2
          << "\" r=\"5\" fill=\"#e00000\" stroke=\"#600\"/></g>\n";
    }
    o << "</g>\n";
}

double axis(std::ostream& o, const Trace& t, const Scale& sc, double y, double plot_w) {
    o << "<g class=\"axis\">\n<path d=\"M" << kLeft << ' ' << num(y) << "h" << num(plot_w)
      << "\" stroke=\"#000\"/>\n";
    unsigned wanted = std::max(2u, static_cast<unsigned>(plot_w / 110));
    for (const Tick& tk : axis_ticks(t.begin, t.end, wanted)) {
        double x = sc.x(tk.time_ns);
        o << "<path d=\"M" << num(x) << ' ' << num(y) << "v5\" stroke=\"#000\"/><text x=\""
          << num(x) << "\" y=\"" << num(y + 18) << "\" text-anchor=\"middle\">" << tk.label
          << "</text>\n";
    }
    o << "</g>\n";
    return y + 30;
}

double legend(std::ostream& o, const Trace& t, double y, double plot_w) {
    size_t per_row = std::max<size_t>(1, static_cast<size_t>(plot_w / kLegendColW));
    o << "<g class=\"legend\">\n";
    for (size_t v = 0; v < t.vcpus.size(); ++v) {
        double x = kLeft + static_cast<double>(v % per_row) * kLegendColW;
        double ly = y + static_cast<double>(v / per_row) * 18;
        o << "<rect x=\"" << num(x) << "\" y=\"" << num(ly)
          << "\" width=\"12\" height=\"12\" fill=\"" << vcpu_colour(static_cast<uint32_t>(v))
          << "\"/><text x=\"" << num(x + 17) << "\" y=\"" << num(ly + 11) << "\">"
          << xml_escape(t.vcpus[v]) << "</text>\n";
    }
    o << "</g>\n";
    return y + static_cast<double>((t.vcpus.size() + per_row - 1) / per_row) * 18 + 8;
}

} // namespace

void write_svg(std::ostream& o, const Trace& t, const SvgOptions& opt) {
    double width = std::max(400u, opt.width);
    double plot_w = width - kLeft - kRight;
    uint64_t span = std::max<uint64_t>(1, t.end - t.begin);
    Scale sc{t.begin, plot_w / static_cast<double>(span)};
    double rows_bottom = row_y(t.ncpus) - kRowGap;
    std::ostringstream body;
    rows(body, t, sc, plot_w);
    deadlines_and_misses(body, t, sc, rows_bottom);
    double y = axis(body, t, sc, rows_bottom + 6, plot_w);
    y = legend(body, t, y, plot_w);
    uint64_t misses = 0, dropped = 0;
    for (const Instant& i : t.marks) misses += i.mark == Mark::Miss;
    for (uint64_t d : t.dropped) dropped += d;
    body << "<text x=\"" << kLeft << "\" y=\"" << num(y + 6) << "\">" << misses
         << " deadline misses (red lines); black ticks: budget exhausted";
    if (t.format.rfind("rthv-trace", 0) == 0) // only the rings' format can drop records
        body << "; " << dropped << " trace records dropped by the rings";
    body << "</text>\n";
    std::string title = opt.title.empty() ? "rthv schedule" : opt.title;
    o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
      << "width=\"" << num(width) << "\" height=\"" << num(y + 20) << "\" viewBox=\"0 0 "
      << num(width) << ' ' << num(y + 20) << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<title>" << xml_escape(title) << "</title>\n<rect width=\"100%\" height=\"100%\" "
      << "fill=\"#fff\"/>\n<text x=\"8\" y=\"20\" font-size=\"15\">" << xml_escape(title) << ", "
      << human_time(t.begin) << " - " << human_time(t.end) << " (" << t.format << ")</text>\n"
      << body.str() << "</svg>\n";
}

} // namespace rthv::tracetool
