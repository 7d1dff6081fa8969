// rthv-trace: turns a schedule trace into pictures.
//   rthv-trace TRACE [--perfetto OUT.json] [--svg OUT.svg] [--from US] [--to US]
//                    [--width PX] [--title TEXT] [--summary]
// TRACE is an rthv-trace text export (hv/trace/FORMAT.md) or rtds-sim's text trace ('-' =
// stdin). --from/--to cut a window (µs from time 0); --summary prints the slices per VCPU.
#include "tools/trace/perfetto.hpp"

#include <fstream>
#include <iostream>
#include <limits>

namespace {

using namespace rthv::tracetool;

int usage() {
    std::cerr << "usage: rthv-trace TRACE [--perfetto OUT.json] [--svg OUT.svg] [--from US] "
                 "[--to US] [--width PX] [--title TEXT] [--summary]\n";
    return 2;
}

template <typename Write>
bool write_file(const std::string& path, Write write) {
    if (path == "-") {
        write(std::cout);
        return static_cast<bool>(std::cout);
    }
    std::ofstream out(path);
    if (!out) return false;
    write(out);
    return static_cast<bool>(out);
}

int run(int argc, char** argv) {
    std::string input, perfetto, svg;
    uint64_t from = 0, to = std::numeric_limits<uint64_t>::max();
    bool summary = false;
    SvgOptions svg_options;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto operand = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--perfetto")
            perfetto = operand();
        else if (a == "--svg")
            svg = operand();
        else if (a == "--from")
            from = std::stoull(operand()) * 1000;
        else if (a == "--to")
            to = std::stoull(operand()) * 1000;
        else if (a == "--width")
            svg_options.width = static_cast<unsigned>(std::stoul(operand()));
        else if (a == "--title")
            svg_options.title = operand();
        else if (a == "--summary")
            summary = true;
        else if (input.empty() && (a == "-" || a[0] != '-'))
            input = a;
        else
            return usage();
    }
    if (input.empty() || (perfetto.empty() && svg.empty() && !summary)) return usage();
    Trace trace;
    std::string error;
    std::ifstream file;
    if (input != "-") {
        file.open(input);
        if (!file) return std::cerr << "rthv-trace: cannot open " << input << "\n", 2;
    }
    if (!read_trace(input == "-" ? std::cin : file, trace, error))
        return std::cerr << "rthv-trace: " << input << ": " << error << "\n", 1;
    if (from != 0 || to != std::numeric_limits<uint64_t>::max()) trace = window(trace, from, to);
    if (svg_options.title.empty()) svg_options.title = input;
    if (!perfetto.empty() &&
        !write_file(perfetto, [&](std::ostream& o) { write_perfetto(o, trace); }))
        return std::cerr << "rthv-trace: cannot write " << perfetto << "\n", 2;
    if (!svg.empty() &&
        !write_file(svg, [&](std::ostream& o) { write_svg(o, trace, svg_options); }))
        return std::cerr << "rthv-trace: cannot write " << svg << "\n", 2;
    if (summary) {
        std::vector<uint64_t> n = slices_per_vcpu(trace);
        std::cout << "format " << trace.format << "\ncpus " << trace.ncpus << "\n";
        for (size_t v = 0; v < n.size(); ++v)
            std::cout << "slices " << trace.vcpus[v] << ' ' << n[v] << "\n";
        for (size_t c = 0; c < trace.dropped.size(); ++c)
            std::cout << "dropped " << c << ' ' << trace.dropped[c] << "\n";
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) { // std::stoull on a malformed number or option
        std::cerr << "rthv-trace: " << e.what() << "\n";
        return 2;
    }
}
