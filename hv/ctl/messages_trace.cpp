// Encoders and decoders of the trace messages (TraceControl, TraceRead, TraceNames); field
// order is the wire order.
#include "hv/ctl/messages.hpp"

namespace rthv::ctl {

void encode(Writer& w, const TraceStatus& v) {
    w.u8(v.enabled);
    w.u32(v.nr_cpus);
    w.u32(v.ring_capacity);
}

bool decode(Reader& r, TraceStatus& v) {
    v.enabled = r.u8();
    v.nr_cpus = r.u32();
    v.ring_capacity = r.u32();
    return r.ok() && v.enabled <= 1;
}

namespace {

// Records travel compactly: the serial line costs the hypervisor time per byte, and a trace
// is mostly small numbers. LEB128 varints; the three 16-bit ids as id + 1 (0 = none, so the
// common "no CPU" costs one byte); time as the zigzag difference to the previous record.
void put_varint(Writer& w, uint64_t v) {
    while (v >= 0x80) {
        w.u8(static_cast<uint8_t>(v | 0x80));
        v >>= 7;
    }
    w.u8(static_cast<uint8_t>(v));
}

uint64_t get_varint(Reader& r) {
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        const uint8_t b = r.u8();
        if (!r.ok()) return 0;
        // The tenth byte may only carry the top bit of a 64-bit value.
        if (shift == 63 && b > 1) break;
        v |= static_cast<uint64_t>(b & 0x7F) << shift;
        if ((b & 0x80) == 0) return v;
    }
    r.take(~size_t{0}); // over-long: fail the reader
    return 0;
}

void put_id(Writer& w, uint16_t v) { put_varint(w, static_cast<uint16_t>(v + 1u)); }

bool get_id(Reader& r, uint16_t& v) {
    const uint64_t x = get_varint(r);
    v = static_cast<uint16_t>(x - 1u);
    return x <= 0xFFFF;
}

void encode_record(Writer& w, const trace::TraceRecord& r, uint64_t& prev_time) {
    const uint64_t delta = r.time_ns - prev_time; // modulo 2^64, zigzagged below
    const uint64_t zigzag = (delta << 1) ^ (static_cast<int64_t>(delta) < 0 ? ~uint64_t{0} : 0);
    w.u8(r.kind);
    put_varint(w, zigzag);
    put_id(w, r.cpu);
    put_id(w, r.domain);
    put_id(w, r.vcpu);
    put_varint(w, r.arg);
    prev_time = r.time_ns;
}

bool decode_record(Reader& r, trace::TraceRecord& v, uint64_t& prev_time) {
    v.kind = r.u8();
    const uint64_t zigzag = get_varint(r);
    const uint64_t delta = (zigzag >> 1) ^ (0 - (zigzag & 1));
    v.time_ns = prev_time + delta;
    prev_time = v.time_ns;
    const bool ids = get_id(r, v.cpu) && get_id(r, v.domain) && get_id(r, v.vcpu);
    v.arg = get_varint(r);
    v.reserved = 0;
    return ids && r.ok() && v.kind < trace::kKindCount;
}

} // namespace

uint16_t encode_trace_chunk(Writer& w, const TraceChunk& v) {
    const uint16_t count = v.count <= kMaxTraceRecords ? v.count : 0;
    w.u32(v.cpu);
    w.u64(v.first);
    w.u64(v.pending + (v.count - count));
    const size_t pending_at = w.size() - 8;
    w.u64(v.dropped);
    w.u16(0);
    const size_t count_at = w.size() - 2;
    if (!w.ok()) return 0;
    uint64_t prev_time = 0;
    uint16_t n = 0;
    for (; n < count; ++n) {
        const size_t mark = w.mark();
        encode_record(w, v.records[n], prev_time);
        if (!w.ok()) {
            w.rollback(mark);
            break;
        }
    }
    // What did not fit is still pending: the client asks again from first + n.
    const uint64_t pending = v.pending + (v.count - n);
    for (size_t i = 0; i < 8; ++i) *w.at(pending_at + i) = static_cast<uint8_t>(pending >> (8 * i));
    *w.at(count_at) = static_cast<uint8_t>(n);
    *w.at(count_at + 1) = static_cast<uint8_t>(n >> 8);
    return n;
}

bool decode(Reader& r, TraceChunk& v) {
    v.cpu = r.u32();
    v.first = r.u64();
    v.pending = r.u64();
    v.dropped = r.u64();
    v.count = r.u16();
    if (!r.ok() || v.count > kMaxTraceRecords) return false;
    uint64_t prev_time = 0;
    for (uint16_t i = 0; i < v.count; ++i)
        if (!decode_record(r, v.records[i], prev_time)) return false;
    return true;
}

void encode(Writer& w, const TraceName& v) {
    w.u32(v.domain);
    w.u32(v.vcpu);
    w.str(v.name, bounded_strlen(v.name, kMaxName));
}

bool decode(Reader& r, TraceName& v) {
    v.domain = r.u32();
    v.vcpu = r.u32();
    return r.str(v.name, kMaxName);
}

} // namespace rthv::ctl
