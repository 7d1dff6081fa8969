// The text goes out through hv/trace's own exporter (one writer of the format for the
// hypervisor, the simulator and xl); the pictures come from reading that text back with
// rthv-trace's reader, so they are exactly what `rthv-trace FILE` would draw.
#include "tools/xl/trace_file.hpp"

#include "hv/trace/export.hpp"
#include "tools/trace/perfetto.hpp"
#include "tools/trace/trace_paths.hpp"
#include "tools/xl/error.hpp"

#include <fstream>

namespace rthv::xl {
namespace {

class StreamSink final : public TextSink {
public:
    explicit StreamSink(std::ostream& out) : out_(out) {}
    void write(const char* text, size_t len) override {
        out_.write(text, static_cast<std::streamsize>(len));
    }

private:
    std::ostream& out_;
};

void write_text(const std::string& path, const CollectedTrace& t) {
    std::ofstream file(path);
    if (!file) throw XlError("cannot write " + path);
    StreamSink out(file);
    trace::write_header(out, t.nr_cpus);
    for (const ctl::TraceName& n : t.names) trace::write_name(out, n.domain, n.vcpu, n.name);
    for (const auto& ring : t.records)
        for (const trace::TraceRecord& r : ring) trace::write_record(out, r);
    for (uint32_t c = 0; c < t.dropped.size(); ++c) trace::write_dropped(out, c, t.dropped[c]);
    trace::write_end(out);
    file.close();
    if (!file) throw XlError("cannot write " + path);
}

template <typename Write>
void write_picture(const std::string& path, Write write) {
    std::ofstream file(path);
    if (!file) throw XlError("cannot write " + path);
    write(file);
    file.close();
    if (!file) throw XlError("cannot write " + path);
}

} // namespace

std::vector<std::string> write_trace_files(const std::string& named, const CollectedTrace& t,
                                           const std::string& title) {
    const tracetool::TracePaths paths = tracetool::trace_paths(named);
    const std::string &path = paths.trace, &perfetto = paths.perfetto, &svg = paths.svg;
    write_text(path, t);
    std::ifstream in(path);
    tracetool::Trace model;
    std::string error;
    if (!tracetool::read_trace(in, model, error))
        throw XlError("cannot read back " + path + ": " + error);
    write_picture(perfetto, [&](std::ostream& o) { tracetool::write_perfetto(o, model); });
    tracetool::SvgOptions options;
    options.title = title;
    write_picture(svg, [&](std::ostream& o) { tracetool::write_svg(o, model, options); });
    return {path, perfetto, svg};
}

} // namespace rthv::xl
