// Building the schedule model: slices from "CPU c now runs v" points, sorting, windowing.
#include "tools/trace/model.hpp"

#include <algorithm>
#include <sstream>

namespace rthv::tracetool {

const char* mark_name(Mark m) {
    switch (m) {
    case Mark::Release:
        return "release";
    case Mark::Deadline:
        return "deadline";
    case Mark::Exhausted:
        return "budget exhausted";
    case Mark::Miss:
        return "deadline miss";
    case Mark::Wake:
        return "wake";
    case Mark::Block:
        return "block";
    case Mark::Tickle:
        return "tickle";
    case Mark::Overrun:
        return "overrun";
    case Mark::Lost:
        return "lost records";
    }
    return "?";
}

uint32_t TraceBuilder::vcpu(const std::string& name) {
    auto [it, added] = index_.emplace(name, static_cast<uint32_t>(t_.vcpus.size()));
    if (added) t_.vcpus.push_back(name);
    return it->second;
}

void TraceBuilder::see(uint64_t time, int32_t cpu) {
    if (!seen_any_ || time < t_.begin) t_.begin = time;
    if (!seen_any_ || time > t_.end) t_.end = time;
    seen_any_ = true;
    if (cpu >= 0) set_cpus(std::max(t_.ncpus, static_cast<uint32_t>(cpu) + 1));
}

void TraceBuilder::set_cpus(uint32_t n) {
    t_.ncpus = std::max(t_.ncpus, n);
    running_.resize(t_.ncpus, kNoVcpu);
    run_since_.resize(t_.ncpus, 0);
    t_.dropped.resize(t_.ncpus, 0);
}

void TraceBuilder::set_dropped(uint32_t cpu, uint64_t count) {
    set_cpus(cpu + 1);
    t_.dropped[cpu] = count;
}

void TraceBuilder::run(uint64_t time, uint32_t cpu, int32_t vcpu) {
    see(time, static_cast<int32_t>(cpu));
    if (running_[cpu] == vcpu) return;
    if (running_[cpu] != kNoVcpu)
        t_.slices.push_back({cpu, static_cast<uint32_t>(running_[cpu]), run_since_[cpu], time});
    running_[cpu] = vcpu;
    run_since_[cpu] = time;
}

void TraceBuilder::mark(uint64_t time, int32_t cpu, int32_t vcpu, Mark m, uint64_t arg) {
    // A deadline is announced ahead of time: it must not stretch the span (finish() drops the
    // ones beyond the end).
    if (m != Mark::Deadline) see(time, cpu);
    t_.marks.push_back({time, cpu, vcpu, m, arg});
}

Trace TraceBuilder::finish(std::string format) {
    for (uint32_t c = 0; c < t_.ncpus; ++c) {
        if (running_[c] == kNoVcpu) continue;
        t_.slices.push_back({c, static_cast<uint32_t>(running_[c]), run_since_[c], t_.end});
        running_[c] = kNoVcpu;
    }
    std::erase_if(t_.marks, [this](const Instant& i) { return i.time > t_.end; });
    std::stable_sort(t_.slices.begin(), t_.slices.end(),
                     [](const Slice& a, const Slice& b) { return a.start < b.start; });
    std::stable_sort(t_.marks.begin(), t_.marks.end(),
                     [](const Instant& a, const Instant& b) { return a.time < b.time; });
    t_.format = std::move(format);
    return std::move(t_);
}

bool read_trace(std::istream& in, Trace& out, std::string& error) {
    std::stringstream all;
    all << in.rdbuf();
    std::string text = all.str();
    std::istringstream again(text);
    TraceBuilder b;
    if (text.rfind("# rthv-trace ", 0) == 0) {
        if (!read_rthv_text(again, b, error)) return false;
        out = b.finish("rthv-trace 1");
        return true;
    }
    if (!read_sim_text(again, b, error)) return false;
    out = b.finish("rtds-sim text");
    return true;
}

Trace window(const Trace& t, uint64_t from, uint64_t to) {
    Trace w = t;
    w.slices.clear();
    w.marks.clear();
    w.begin = std::max(t.begin, from);
    w.end = std::max(w.begin, std::min(t.end, to));
    for (const Slice& s : t.slices) {
        if (s.end < w.begin || s.start > w.end) continue;
        if (s.end == w.begin && s.start != s.end) continue;
        w.slices.push_back({s.cpu, s.vcpu, std::max(s.start, w.begin), std::min(s.end, w.end)});
    }
    for (const Instant& i : t.marks)
        if (i.time >= w.begin && i.time <= w.end) w.marks.push_back(i);
    return w;
}

std::vector<uint64_t> slices_per_vcpu(const Trace& t) {
    std::vector<uint64_t> n(t.vcpus.size(), 0);
    for (const Slice& s : t.slices) ++n[s.vcpu];
    return n;
}

} // namespace rthv::tracetool
