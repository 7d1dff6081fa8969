#include "tools/sim/rthv_trace_out.hpp"

#include "hv/trace/export.hpp"

namespace rthv::sim {

class RthvTraceOut::Sink final : public TextSink {
public:
    explicit Sink(std::ostream& out) : out_(out) {}
    void write(const char* text, size_t len) override {
        out_.write(text, static_cast<std::streamsize>(len));
    }

private:
    std::ostream& out_;
};

RthvTraceOut::RthvTraceOut(std::ostream& out, CpuId pcpus, const std::vector<std::string>& names,
                           uint32_t ring_records)
    : out_(out), storage_(static_cast<size_t>(pcpus) * ring_records), rings_(pcpus),
      scratch_(1024) {
    for (CpuId c = 0; c < pcpus; ++c)
        rings_[c].init(storage_.data() + static_cast<size_t>(c) * ring_records, ring_records, c);
    // No this_cpu callback: one thread, so each record goes to the ring of the CPU it is about.
    hook_.init(rings_.data(), pcpus);
    Sink sink(out_);
    trace::write_header(sink, pcpus);
    for (size_t i = 0; i < names.size(); ++i)
        trace::write_name(sink, static_cast<uint32_t>(i), 0, names[i].c_str());
}

uint64_t RthvTraceOut::kept_total() const {
    uint64_t total = 0;
    for (const auto& ring : rings_) total += ring.kept();
    return total;
}

void RthvTraceOut::drain_all() {
    kept_at_drain_ = kept_total();
    Sink sink(out_);
    trace::drain_rings(sink, rings_.data(), static_cast<CpuId>(rings_.size()), scratch_.data(),
                       static_cast<uint32_t>(scratch_.size()));
}

void RthvTraceOut::drain_if_filling() {
    // No ring holds more than all of them together have kept since the last drain.
    if (!rings_.empty() && kept_total() - kept_at_drain_ >= rings_[0].capacity() / 2) drain_all();
}

bool RthvTraceOut::finish() {
    hook_.set_enabled(false);
    drain_all();
    Sink sink(out_);
    trace::write_footer(sink, rings_.data(), static_cast<CpuId>(rings_.size()));
    out_.flush();
    return static_cast<bool>(out_);
}

uint64_t RthvTraceOut::dropped() const {
    uint64_t total = 0;
    for (const auto& ring : rings_) total += ring.dropped();
    return total;
}

bool is_rthv_trace_name(const std::string& path) {
    const std::string ext = ".rthvt";
    return path.size() > ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0;
}

} // namespace rthv::sim
