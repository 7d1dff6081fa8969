// The line-text export of trace records (hv/trace/FORMAT.md), written to any TextSink: the
// hypervisor's console or control channel, a buffer in a test, a file in the simulator.
#pragma once

#include "hv/sched/text.hpp"
#include "hv/trace/ring.hpp"

namespace rthv::trace {

// "# rthv-trace 1" and "cpus N": must come first.
void write_header(TextSink& out, CpuId ncpus);
// "name DOMAIN VCPU NAME": optional display name of a VCPU (NAME without spaces).
void write_name(TextSink& out, uint32_t domain, uint32_t vcpu, const char* name);
// "TIME CPU KIND DOMAIN VCPU ARG" with '-' for kNone16 fields.
void write_record(TextSink& out, const TraceRecord& r);
// "dropped CPU COUNT" for every ring, then "end": the reader knows the trace is complete and
// how much of it the rings had to drop.
void write_footer(TextSink& out, const TraceRing* rings, CpuId nrings);
// The footer's parts, for writers that only know the counts (xl trace): "dropped CPU COUNT",
// and the final "end".
void write_dropped(TextSink& out, uint32_t cpu, uint64_t count);
void write_end(TextSink& out);

// Drains every ring completely (ring 0 first, each in push order) through `scratch` (caller
// storage, any length >= 1) and writes each record. Returns the number of records written.
uint64_t drain_rings(TextSink& out, TraceRing* rings, CpuId nrings, TraceRecord* scratch,
                     uint32_t scratch_len);

} // namespace rthv::trace
