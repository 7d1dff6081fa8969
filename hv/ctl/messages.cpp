// Encoders and decoders of the payload records; field order is the wire order.
#include "hv/ctl/messages.hpp"

namespace rthv::ctl {

size_t bounded_strlen(const char* s, size_t max) {
    size_t n = 0;
    while (n < max && s[n] != '\0') ++n;
    return n;
}

namespace {
void put_name(Writer& w, const char* s, size_t max) { w.str(s, bounded_strlen(s, max)); }
void put_mask(Writer& w, const uint8_t* m) { w.bytes(m, kCpuMaskBytes); }
bool get_mask(Reader& r, uint8_t* m) {
    const uint8_t* p = r.take(kCpuMaskBytes);
    if (p == nullptr) return false;
    for (uint32_t i = 0; i < kCpuMaskBytes; ++i) m[i] = p[i];
    return true;
}
} // namespace

void encode(Writer& w, const HostInfo& v) {
    w.u32(v.nr_cpus);
    w.u32(v.cpu_khz);
    w.u64(v.total_mem_kib);
    w.u64(v.free_mem_kib);
    put_name(w, v.scheduler, kMaxName);
    put_name(w, v.version, kMaxName);
}

bool decode(Reader& r, HostInfo& v) {
    v.nr_cpus = r.u32();
    v.cpu_khz = r.u32();
    v.total_mem_kib = r.u64();
    v.free_mem_kib = r.u64();
    return r.str(v.scheduler, kMaxName) && r.str(v.version, kMaxName);
}

void encode(Writer& w, const DomainInfo& v) {
    w.u32(v.id);
    w.u32(v.pool);
    w.u64(v.mem_kib);
    w.u32(v.nr_vcpus);
    w.u8(v.state);
    w.u64(v.cpu_time_ns);
    put_name(w, v.name, kMaxName);
}

bool decode(Reader& r, DomainInfo& v) {
    v.id = r.u32();
    v.pool = r.u32();
    v.mem_kib = r.u64();
    v.nr_vcpus = r.u32();
    v.state = r.u8();
    v.cpu_time_ns = r.u64();
    return r.str(v.name, kMaxName) && (v.state & ~kDomStateMask) == 0;
}

void encode(Writer& w, const VcpuInfo& v) {
    w.u32(v.vcpu);
    w.u32(v.pcpu);
    w.u8(v.state);
    w.u64(v.cpu_time_ns);
    put_mask(w, v.affinity);
}

bool decode(Reader& r, VcpuInfo& v) {
    v.vcpu = r.u32();
    v.pcpu = r.u32();
    v.state = r.u8();
    v.cpu_time_ns = r.u64();
    return get_mask(r, v.affinity) && (v.state & ~kVcpuStateMask) == 0;
}

void encode(Writer& w, const PoolInfo& v) {
    w.u32(v.id);
    w.u8(v.sched);
    w.u32(v.nr_cpus);
    put_mask(w, v.cpus);
    w.u32(v.nr_domains);
    put_name(w, v.name, kMaxName);
}

bool decode(Reader& r, PoolInfo& v) {
    v.id = r.u32();
    v.sched = r.u8();
    v.nr_cpus = r.u32();
    if (!get_mask(r, v.cpus)) return false;
    v.nr_domains = r.u32();
    return r.str(v.name, kMaxName);
}

void encode(Writer& w, const RtdsParams& v) {
    w.u32(v.vcpu);
    w.u32(v.period_us);
    w.u32(v.budget_us);
    w.u8(v.extratime);
}

// Range checks belong to the server (it names the offending entry); this only decodes.
bool decode(Reader& r, RtdsParams& v) {
    v.vcpu = r.u32();
    v.period_us = r.u32();
    v.budget_us = r.u32();
    v.extratime = r.u8();
    return r.ok();
}

void encode(Writer& w, const RtdsStats& v) {
    w.u32(v.vcpu);
    w.u64(v.window_ns);
    w.u64(v.received_ns);
    w.u64(v.periods);
    w.u64(v.misses);
    w.u64(v.worst_latency_ns);
    w.u64(v.extratime_ns);
    w.u64(v.late_wakes);
}

bool decode(Reader& r, RtdsStats& v) {
    v.vcpu = r.u32();
    v.window_ns = r.u64();
    v.received_ns = r.u64();
    v.periods = r.u64();
    v.misses = r.u64();
    v.worst_latency_ns = r.u64();
    v.extratime_ns = r.u64();
    v.late_wakes = r.u64();
    return r.ok();
}

void encode(Writer& w, const AdmissionReport& v) {
    w.u32(v.pool);
    w.u32(v.current_ppm);
    w.u32(v.requested_ppm);
    w.u32(v.capacity_ppm);
}

bool decode(Reader& r, AdmissionReport& v) {
    v.pool = r.u32();
    v.current_ppm = r.u32();
    v.requested_ppm = r.u32();
    v.capacity_ppm = r.u32();
    return r.ok();
}

void encode(Writer& w, const ErrorReply& v) {
    w.u16(static_cast<uint16_t>(v.code));
    w.u8(v.request_type);
    w.u32(v.index);
    encode(w, v.admission);
    put_name(w, v.message, kMaxMessage);
}

bool decode(Reader& r, ErrorReply& v) {
    const uint16_t code = r.u16();
    v.code = static_cast<Error>(code);
    v.request_type = r.u8();
    v.index = r.u32();
    return decode(r, v.admission) && r.str(v.message, kMaxMessage) && code != 0 &&
           code <= kLastError;
}

void encode(Writer& w, const PageHeader& v) {
    w.u32(v.total);
    w.u32(v.first);
    w.u8(v.count);
}

bool decode(Reader& r, PageHeader& v) {
    v.total = r.u32();
    v.first = r.u32();
    v.count = r.u8();
    return r.ok();
}

void encode(Writer& w, const ConsoleChunk& v) {
    w.u64(v.start);
    w.u64(v.end);
    w.u16(v.length);
    w.bytes(v.data, v.length <= kMaxConsoleChunk ? v.length : 0);
}

bool decode(Reader& r, ConsoleChunk& v) {
    v.start = r.u64();
    v.end = r.u64();
    v.length = r.u16();
    if (v.length > kMaxConsoleChunk) return false;
    const uint8_t* p = r.take(v.length);
    if (p == nullptr) return false;
    for (uint16_t i = 0; i < v.length; ++i) v.data[i] = p[i];
    return v.start <= v.end && v.end - v.start >= v.length;
}

} // namespace rthv::ctl
