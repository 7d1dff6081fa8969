// Storage: one static pool split evenly between the CPUs that run, each ring the largest power
// of two that fits, at most kMaxRingRecords (16384 x 24 B = 384 KiB per CPU). Recording at run
// time is one or two ring pushes per trace point on the executing CPU's own ring (this_cpu
// callback: a %gs load), so rings have a single producer and never take a lock.
#include "arch/x86/hvm/dom_trace.hpp"

#include "arch/x86/boot_state.hpp"
#include "arch/x86/console.hpp"
#include "arch/x86/debugcon.hpp"
#include "arch/x86/report.hpp"
#include "arch/x86/tsc.hpp"
#include "hv/trace/export.hpp"
#include "hv/trace/sched_hook.hpp"

namespace rthv::x86::hvm {
namespace {

using trace::TraceRecord;
using trace::TraceRing;

constexpr uint32_t kPoolRecords = 65536;    // 1.5 MiB of .bss
constexpr uint32_t kMaxRingRecords = 16384; // per CPU
constexpr uint32_t kScratchRecords = 256;   // drain chunk

TraceRecord pool[kPoolRecords];
TraceRecord scratch[kScratchRecords];
TraceRing rings[kMaxArchCpus];
trace::SchedTraceHook hook;

struct TraceSummary {
    bool enabled = false;
    bool drained = false;
    CpuId nrings = 0;
    uint32_t ring_capacity = 0;
    uint64_t records = 0; // written to the channel
    uint64_t bytes = 0;
    uint64_t drain_ns = 0;
} summary;

CpuId executing_cpu(void*) { return this_cpu().cpu_id; }

uint32_t ring_capacity_for(CpuId ncpus) {
    uint32_t share = kPoolRecords / (ncpus == 0 ? 1 : ncpus);
    uint32_t cap = kMaxRingRecords;
    while (cap > share) cap /= 2;
    return cap;
}

void report_trace(JsonWriter& out) {
    out.begin_object("trace");
    out.field_bool("enabled", summary.enabled);
    out.field("channel", "port 0xe9");
    out.field_bool("complete", summary.drained);
    out.field("ring_capacity", summary.ring_capacity);
    out.field("records", summary.records);
    out.field("bytes", summary.bytes);
    out.field("drain_ns", summary.drain_ns);
    uint64_t total = 0;
    out.begin_array("dropped");
    for (CpuId c = 0; c < summary.nrings; ++c) {
        out.field(nullptr, rings[c].dropped());
        total += rings[c].dropped();
    }
    out.end_array();
    out.field("dropped_total", total);
    out.field("unroutable", hook.unroutable());
    out.end_object();
}

} // namespace

void dom_trace_start(DomState& s) {
    if (!boot_state().options.trace) return;
    summary.enabled = true;
    summary.nrings = s.ncpus;
    summary.ring_capacity = ring_capacity_for(s.ncpus);
    for (CpuId c = 0; c < s.ncpus; ++c)
        rings[c].init(pool + c * summary.ring_capacity, summary.ring_capacity, c);
    hook.init(rings, s.ncpus, executing_cpu);
    s.sched.set_trace(&hook);
    report_add_section(report_trace);
}

void dom_trace_stop() { hook.set_enabled(false); }

void dom_trace_finish(const DomState& s) {
    if (!summary.enabled) return;
    hook.set_enabled(false);
    Time begin = now();
    DebugconSink out;
    trace::write_header(out, summary.nrings);
    for (uint32_t i = 0; i < s.vcpu_count; ++i)
        trace::write_name(out, s.vcpus[i].domain->id, s.vcpus[i].vcpu_id, s.vcpus[i].hvm.name);
    summary.records = trace::drain_rings(out, rings, summary.nrings, scratch, kScratchRecords);
    trace::write_footer(out, rings, summary.nrings);
    summary.bytes = out.written();
    summary.drain_ns = now() - begin;
    summary.drained = true;
    log(LogLevel::kInfo, "trace: %llu records, %llu bytes to port 0xe9",
        static_cast<unsigned long long>(summary.records),
        static_cast<unsigned long long>(summary.bytes));
}

} // namespace rthv::x86::hvm
