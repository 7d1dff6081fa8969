// Storage: one static pool split evenly between the CPUs that run, each ring the largest power
// of two that fits, at most kMaxRingRecords (16384 x 24 B = 384 KiB per CPU), or trace_ring=N.
// The rings themselves are one array of as many as there are CPUs, from the frame allocator:
// the scheduler's hook and the drain take them as an array indexed by CPU (hv/trace), so they
// stay together rather than in the per-CPU blocks.
// Recording at run time is one or two ring pushes per trace point on the executing CPU's own
// ring (this_cpu callback: a %gs load), so rings have a single producer and never take a lock.
// The single consumer is CPU 0: its run loop serves the control channel (xl trace), and the
// end-of-run drain runs on it after every CPU has left its loop.
#include "arch/x86/hvm/dom_trace.hpp"

#include <new>

#include "arch/x86/boot_state.hpp"
#include "arch/x86/console.hpp"
#include "arch/x86/debugcon.hpp"
#include "arch/x86/hvm/dom_ctl.hpp"
#include "arch/x86/hvm/guest_memory.hpp"
#include "arch/x86/paging.hpp"
#include "arch/x86/report.hpp"
#include "arch/x86/tsc.hpp"
#include "hv/ctl/trace_read.hpp"
#include "hv/trace/export.hpp"
#include "hv/trace/ring_size.hpp"
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
TraceRing* rings = nullptr; // summary.nrings of them once dom_trace_start has run
trace::SchedTraceHook hook;

struct TraceSummary {
    bool enabled = false; // trace=1: recording from boot, drained to port 0xE9 at the end
    bool drained = false;
    CpuId nrings = 0;
    uint32_t ring_capacity = 0;
    uint64_t records = 0; // written to port 0xE9
    uint64_t bytes = 0;
    uint64_t drain_ns = 0;
    uint64_t ctl_records = 0; // handed to xl trace over the control channel (and freed)
} summary;

CpuId executing_cpu(void*) { return this_cpu().cpu_id; }

void report_trace(JsonWriter& out) {
    out.begin_object("trace");
    out.field_bool("enabled", summary.enabled);
    out.field("channel", "port 0xe9");
    out.field_bool("complete", summary.drained);
    out.field("ring_capacity", summary.ring_capacity);
    out.field("records", summary.records);
    out.field("bytes", summary.bytes);
    out.field("drain_ns", summary.drain_ns);
    out.field("ctl_records", summary.ctl_records);
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
    const uint64_t requested = boot_state().options.trace_ring;
    const trace::RingSize size =
        trace::ring_size(kPoolRecords, kMaxRingRecords, s.ncpus, requested);
    if (size.records == 0) {
        log(LogLevel::kError,
            "trace_ring=%llu refused: records per pCPU ring must be a power of two from %u to "
            "%u (%u pCPUs share %u records)",
            static_cast<unsigned long long>(requested), trace::kMinRingRecords, size.largest,
            s.ncpus, kPoolRecords);
        report_and_exit(false);
    }
    rings = alloc_array<TraceRing>(s.ncpus);
    if (rings == nullptr) {
        log(LogLevel::kError, "trace: out of memory for %u rings", s.ncpus);
        report_and_exit(false);
    }
    summary.enabled = boot_state().options.trace;
    summary.nrings = s.ncpus;
    summary.ring_capacity = size.records;
    for (CpuId c = 0; c < s.ncpus; ++c)
        rings[c].init(pool + c * summary.ring_capacity, summary.ring_capacity, c);
    hook.init(rings, s.ncpus, executing_cpu);
    hook.set_enabled(summary.enabled);
    s.sched.set_trace(&hook);
    report_add_section(report_trace);
}

void dom_trace_stop() { hook.set_enabled(false); }

void dom_trace_finish(const DomState& s) {
    hook.set_enabled(false);
    if (!summary.enabled) return;
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

// The control channel's view (xl trace). Called on CPU 0 only, from its run loop.
void DomCtl::trace_status(ctl::TraceStatus& out) {
    out.enabled = hook.enabled() ? 1 : 0;
    out.nr_cpus = summary.nrings;
    out.ring_capacity = summary.ring_capacity;
}

// A fresh start discards what an earlier session left behind (a record pushed by a CPU that had
// not yet seen the stop), so a new trace never begins with a stale slice.
void DomCtl::trace_enable(bool on) {
    if (on)
        for (CpuId c = 0; c < summary.nrings; ++c) rings[c].release_to(rings[c].write_pos());
    hook.set_enabled(on);
    log(LogLevel::kInfo, "ctl: tracing %s", on ? "started" : "stopped");
}

ctl::Error DomCtl::trace_read(uint32_t cpu, uint64_t from, uint16_t max, ctl::TraceChunk& out) {
    return ctl::read_trace_ring(rings[cpu], from, max, out, summary.ctl_records);
}

uint32_t DomCtl::trace_name_count() { return s_.vcpu_count; }

bool DomCtl::trace_name_at(uint32_t index, ctl::TraceName& out) {
    if (index >= s_.vcpu_count) return false;
    const DomVcpu& v = s_.vcpus[index];
    out.domain = v.domain->id;
    out.vcpu = v.vcpu_id;
    size_t n = 0;
    for (; n < ctl::kMaxName && v.hvm.name[n] != '\0'; ++n) out.name[n] = v.hvm.name[n];
    out.name[n] = '\0';
    return true;
}

} // namespace rthv::x86::hvm
