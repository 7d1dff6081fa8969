// Line-text export: one record per line, integers only, so the hypervisor can emit it with its
// own tiny formatter and a host tool (or grep/awk) can read it back without a schema.
#include "hv/trace/export.hpp"

namespace rthv::trace {

namespace {

// Indexed by kind code; the order is fixed by TraceKind (hv/sched/trace.hpp) and RecordKind.
constexpr const char* kKindNames[kKindCount] = {
    "insert", "remove",  "wake",      "block", "pause",   "unpause", "yield",  "tickle",   "pick",
    "burn",   "deplete", "replenish", "miss",  "overrun", "steal",   "params", "deadline", "lost",
};

static_assert(kind_code(TraceKind::Params) == 15, "TraceKind grew: extend kKindNames");

void field(TextWriter& w, uint16_t v) {
    if (v == kNone16)
        w.chr('-');
    else
        w.u64(v);
}

} // namespace

const char* kind_name(uint8_t code) { return code < kKindCount ? kKindNames[code] : "?"; }

void write_header(TextSink& out, CpuId ncpus) {
    TextWriter(out).str("# rthv-trace 1\ncpus ").u64(ncpus).chr('\n');
}

void write_name(TextSink& out, uint32_t domain, uint32_t vcpu, const char* name) {
    TextWriter w(out);
    w.str("name ").u64(domain).chr(' ').u64(vcpu).chr(' ');
    // Spaces would split the field when read back: they become '_'.
    for (const char* p = name; *p; ++p) w.chr(*p == ' ' || *p == '\t' ? '_' : *p);
    w.chr('\n');
}

void write_record(TextSink& out, const TraceRecord& r) {
    TextWriter w(out);
    w.u64(r.time_ns).chr(' ');
    field(w, r.cpu);
    w.chr(' ').str(kind_name(r.kind)).chr(' ');
    field(w, r.domain);
    w.chr(' ');
    field(w, r.vcpu);
    w.chr(' ').u64(r.arg).chr('\n');
}

void write_dropped(TextSink& out, uint32_t cpu, uint64_t count) {
    TextWriter(out).str("dropped ").u64(cpu).chr(' ').u64(count).chr('\n');
}

void write_end(TextSink& out) { TextWriter(out).str("end\n"); }

void write_footer(TextSink& out, const TraceRing* rings, CpuId nrings) {
    for (CpuId c = 0; c < nrings; ++c) write_dropped(out, rings[c].owner(), rings[c].dropped());
    write_end(out);
}

uint64_t drain_rings(TextSink& out, TraceRing* rings, CpuId nrings, TraceRecord* scratch,
                     uint32_t scratch_len) {
    uint64_t total = 0;
    for (CpuId c = 0; c < nrings; ++c) {
        for (;;) {
            uint32_t n = rings[c].drain(scratch, scratch_len);
            if (n == 0) break;
            for (uint32_t i = 0; i < n; ++i) write_record(out, scratch[i]);
            total += n;
        }
    }
    return total;
}

} // namespace rthv::trace
