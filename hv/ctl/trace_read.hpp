// TraceRead over one hv/trace ring (PROTOCOL.md), shared by the hypervisor's dispatcher and the
// host's fake one so both answer alike. Reading is peek-then-release: a reply that gets lost
// frees nothing, and the client's next request (from = first + count of the reply it did get)
// both acknowledges those records and asks for the next ones. Consumer side of the ring: call
// from its one reader only.
#pragma once

#include "hv/ctl/messages.hpp"
#include "hv/trace/ring.hpp"

namespace rthv::ctl {

// `freed` is increased by the number of records this call released.
inline Error read_trace_ring(trace::TraceRing& ring, uint64_t from, uint16_t max, TraceChunk& out,
                             uint64_t& freed) {
    const uint64_t held_from = ring.read_pos();
    const uint64_t held_to = ring.write_pos();
    if (from == kTraceFromReader) from = held_from;
    if (from < held_from || from > held_to) {
        out.first = held_from;
        out.pending = held_to - held_from;
        return Error::BadField;
    }
    ring.release_to(from);
    freed += from - held_from;
    const uint32_t limit = max < kMaxTraceRecords ? max : kMaxTraceRecords;
    out.count = static_cast<uint16_t>(ring.peek(from, out.records, limit));
    out.first = from;
    out.pending = ring.write_pos() - from - out.count;
    out.dropped = ring.dropped();
    return Error::Ok;
}

} // namespace rthv::ctl
