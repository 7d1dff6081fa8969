// rtds-sim: run a scenario file through the real RTDS core on simulated pCPUs.
// Usage: rtds-sim SCENARIO [--duration MS] [--json OUT] [--trace OUT] [--seed N]
// A --trace OUT ending in .rthvt is the hypervisor's format (hv/trace/FORMAT.md). A text trace
// written to a file also gets its pictures next to it, like `./rthv run --trace`:
// STEM.perfetto.json and STEM.svg for OUT = STEM.rthvt (tools/trace/trace_paths.hpp).
// Exit status: 0 ok, 1 the run reported protocol errors, 2 bad usage or bad scenario.
#include "tools/sim/engine.hpp"
#include "tools/sim/parse_util.hpp"
#include "tools/sim/report.hpp"
#include "tools/sim/rthv_trace_out.hpp"
#include "tools/trace/perfetto.hpp"
#include "tools/trace/trace_paths.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

namespace {

using namespace rthv::sim;

int usage(const std::string& why) {
    std::cerr << "rtds-sim: " << why << "\n"
              << "usage: rtds-sim SCENARIO [--duration MS] [--json OUT] [--trace OUT] "
                 "[--seed N]\n  (OUT '-' = stdout; a --trace OUT ending in .json is a JSON "
                 "list, in .rthvt the hv/trace format (hv/trace/FORMAT.md), else one event "
                 "per line)\n";
    return 2;
}

bool write_file(const std::string& path, const std::function<void(std::ostream&)>& body) {
    if (path == "-") {
        body(std::cout);
        return true;
    }
    std::ofstream out(path);
    if (!out) return false;
    body(out);
    return static_cast<bool>(out);
}

// The pictures of the trace file just written, named by trace_paths; prints what it wrote.
bool write_pictures(const std::string& trace_out) {
    std::ifstream in(trace_out);
    rthv::tracetool::Trace trace;
    std::string error;
    if (!in || !rthv::tracetool::read_trace(in, trace, error))
        return std::cerr << "rtds-sim: cannot read back " << trace_out << ": " << error << "\n",
               false;
    const rthv::tracetool::TracePaths paths = rthv::tracetool::trace_paths(trace_out);
    const std::string &perfetto = paths.perfetto, &svg = paths.svg;
    rthv::tracetool::SvgOptions options;
    options.title = "rtds-sim " + trace_out;
    if (!write_file(perfetto, [&](std::ostream& o) { rthv::tracetool::write_perfetto(o, trace); }))
        return std::cerr << "rtds-sim: cannot write " << perfetto << "\n", false;
    if (!write_file(svg, [&](std::ostream& o) { rthv::tracetool::write_svg(o, trace, options); }))
        return std::cerr << "rtds-sim: cannot write " << svg << "\n", false;
    std::cerr << "rtds-sim: trace: " << trace_out << "\nrtds-sim: trace: " << perfetto
              << "\nrtds-sim: trace: " << svg << "\n";
    return true;
}

int finish(const Engine& engine) {
    for (const auto& err : engine.errors()) std::cerr << "rtds-sim: error: " << err << "\n";
    return engine.errors().empty() ? 0 : 1;
}

// The hv/trace format, recorded by the scheduler's own trace hook while the engine runs.
int run_with_rthv_trace(const Scenario& s, const std::vector<std::string>& names,
                        const std::string& json_out, const std::string& trace_out) {
    std::ofstream file(trace_out);
    if (!file) return std::cerr << "rtds-sim: cannot write " << trace_out << "\n", 2;
    RthvTraceOut trace(file, s.pcpus, names);
    PortFactory factory = [&](const Scenario& sc, rthv::Platform& p) {
        return make_traced_core_port(sc, p, trace.hook());
    };
    Engine engine(s, factory, EngineOptions{false, [&](const Engine&, rthv::Time) {
                                                trace.drain_if_filling();
                                            }});
    engine.run();
    if (!trace.finish()) return std::cerr << "rtds-sim: cannot write " << trace_out << "\n", 2;
    file.close();
    if (!write_pictures(trace_out)) return 2;
    if (json_out != "-") print_summary(std::cout, engine);
    if (trace.dropped() != 0)
        std::cerr << "rtds-sim: trace: " << trace.dropped() << " records dropped (see footer)\n";
    if (!json_out.empty() &&
        !write_file(json_out, [&](std::ostream& o) { write_report(o, engine); }))
        return std::cerr << "rtds-sim: cannot write " << json_out << "\n", 2;
    return finish(engine);
}

} // namespace

int main(int argc, char** argv) {
    std::string file, json_out, trace_out;
    std::optional<uint64_t> duration_ms, seed;
    try {
        for (int i = 1; i < argc; ++i) {
            std::string a = argv[i];
            auto operand = [&]() -> std::string {
                if (i + 1 >= argc) throw parse::Failure{a + " needs a value"};
                return argv[++i];
            };
            if (a == "--duration")
                duration_ms = parse::to_u64(a, operand());
            else if (a == "--seed")
                seed = parse::to_u64(a, operand());
            else if (a == "--json")
                json_out = operand();
            else if (a == "--trace")
                trace_out = operand();
            else if (a == "-h" || a == "--help")
                return usage("help"), 0;
            else if (!a.empty() && a[0] == '-')
                throw parse::Failure{"unknown option " + a};
            else if (file.empty())
                file = a;
            else
                throw parse::Failure{"more than one scenario file given"};
        }
    } catch (const parse::Failure& f) {
        return usage(f.message);
    }
    if (file.empty()) return usage("no scenario file given");
    if (duration_ms && (*duration_ms == 0 || *duration_ms > 1'000'000'000))
        return usage("--duration must be 1..1e9 ms");
    std::ifstream in(file);
    if (!in) return std::cerr << "rtds-sim: cannot read " << file << "\n", 2;
    std::stringstream text;
    text << in.rdbuf();
    ParseResult parsed = parse_scenario(text.str());
    if (parsed.error) {
        std::cerr << file << ": " << parsed.error->to_string() << "\n";
        return 2;
    }
    Scenario s = *parsed.scenario;
    if (duration_ms) s.duration = rthv::from_us(*duration_ms * 1000);
    if (seed) s.seed = *seed;

    std::vector<std::string> names;
    for (const auto& v : s.vcpus) names.push_back(v.name);
    if (is_rthv_trace_name(trace_out)) return run_with_rthv_trace(s, names, json_out, trace_out);
    Engine engine(s, make_core_port, EngineOptions{!trace_out.empty(), {}});
    engine.run();
    if (json_out != "-" && trace_out != "-") print_summary(std::cout, engine);
    if (!json_out.empty() &&
        !write_file(json_out, [&](std::ostream& o) { write_report(o, engine); }))
        return std::cerr << "rtds-sim: cannot write " << json_out << "\n", 2;
    bool as_json = trace_out.size() >= 5 && trace_out.substr(trace_out.size() - 5) == ".json";
    if (!trace_out.empty() && !write_file(trace_out, [&](std::ostream& o) {
            if (as_json)
                write_trace_json(o, engine.trace(), names);
            else
                write_trace_text(o, engine.trace(), names);
        }))
        return std::cerr << "rtds-sim: cannot write " << trace_out << "\n", 2;
    if (!trace_out.empty() && trace_out != "-" && !as_json && !write_pictures(trace_out)) return 2;
    for (const auto& err : engine.errors()) std::cerr << "rtds-sim: error: " << err << "\n";
    return engine.errors().empty() ? 0 : 1;
}
