// Payload records of the control protocol and their encodings (field order in PROTOCOL.md).
// The same encoders and decoders serve the hypervisor (server) and xl (client); decoders
// validate every field they can without knowing the hypervisor's tables.
#pragma once

#include "hv/ctl/wire.hpp"
#include "hv/trace/record.hpp"

namespace rthv::ctl {

// Domain state bits, the letters of `xl list`'s State column in Xen's order (r b p s c d).
inline constexpr uint8_t kDomRunning = 1u << 0;
inline constexpr uint8_t kDomBlocked = 1u << 1;
inline constexpr uint8_t kDomPaused = 1u << 2;
inline constexpr uint8_t kDomShutdown = 1u << 3;
inline constexpr uint8_t kDomCrashed = 1u << 4;
inline constexpr uint8_t kDomDying = 1u << 5;
inline constexpr uint8_t kDomStateMask = 0x3F;

inline constexpr uint8_t kVcpuOnline = 1u << 0;
inline constexpr uint8_t kVcpuRunning = 1u << 1;
inline constexpr uint8_t kVcpuBlocked = 1u << 2;
inline constexpr uint8_t kVcpuStateMask = 0x07;

inline constexpr uint8_t kSchedRtds = 1;

// TraceControl operations.
inline constexpr uint8_t kTraceQuery = 0;
inline constexpr uint8_t kTraceStart = 1;
inline constexpr uint8_t kTraceStop = 2;
inline constexpr uint8_t kSetForce = 1u << 0; // RtdsSet flag: skip admission control

struct HostInfo {
    uint32_t nr_cpus = 0;
    uint32_t cpu_khz = 0;
    uint64_t total_mem_kib = 0;
    uint64_t free_mem_kib = 0;
    char scheduler[kMaxName + 1] = {};
    char version[kMaxName + 1] = {};
};

struct DomainInfo {
    uint32_t id = 0;
    uint32_t pool = 0;
    uint64_t mem_kib = 0;
    uint32_t nr_vcpus = 0;
    uint8_t state = 0;
    uint64_t cpu_time_ns = 0;
    char name[kMaxName + 1] = {};
};

struct VcpuInfo {
    uint32_t vcpu = 0;
    uint32_t pcpu = kNoCpu;
    uint8_t state = 0;
    uint64_t cpu_time_ns = 0;
    uint8_t affinity[kCpuMaskBytes] = {}; // bit n = physical CPU n
};

struct PoolInfo {
    uint32_t id = 0;
    uint8_t sched = kSchedRtds;
    uint32_t nr_cpus = 0;
    uint8_t cpus[kCpuMaskBytes] = {};
    uint32_t nr_domains = 0;
    char name[kMaxName + 1] = {};
};

struct RtdsParams {
    uint32_t vcpu = 0;
    uint32_t period_us = 0;
    uint32_t budget_us = 0;
    uint8_t extratime = 0;
};

// Measured over the scheduler's statistics window (share = received_ns / window_ns).
struct RtdsStats {
    uint32_t vcpu = 0;
    uint64_t window_ns = 0;
    uint64_t received_ns = 0;
    uint64_t periods = 0;
    uint64_t misses = 0;
    uint64_t worst_latency_ns = 0;
    uint64_t extratime_ns = 0;
    uint64_t late_wakes = 0; // periods whose budget it woke too late to use (not misses)
};

// Utilisations in parts per million of one CPU (a pool of 2 CPUs has capacity up to 2000000).
struct AdmissionReport {
    uint32_t pool = 0;
    uint32_t current_ppm = 0;
    uint32_t requested_ppm = 0;
    uint32_t capacity_ppm = 0;
};

struct ErrorReply {
    Error code = Error::Ok;
    uint8_t request_type = 0;
    uint32_t index = kNoIndex; // offending entry of the request, if any
    AdmissionReport admission;
    char message[kMaxMessage + 1] = {};
};

// Every paged reply starts with this: entries [first, first + count) of total.
struct PageHeader {
    uint32_t total = 0;
    uint32_t first = 0;
    uint8_t count = 0;
};

inline constexpr uint16_t kMaxConsoleInput = 64; // bytes typed per Console request

struct ConsoleChunk {
    uint64_t start = 0; // offset of data[0]; > requested offset if older text was overwritten
    uint64_t end = 0;   // offset one past the newest byte the hypervisor holds
    uint16_t length = 0;
    uint8_t data[kMaxConsoleChunk] = {};
};

// Tracing (xl trace): whether the scheduler's trace points record, into how many per-pCPU rings.
struct TraceStatus {
    uint8_t enabled = 0;
    uint32_t nr_cpus = 0; // rings, one per pCPU; 0 = this hypervisor cannot trace
    uint32_t ring_capacity = 0;
};

// Records [first, first + count) of one pCPU's ring (positions count every record the ring
// ever kept, hv/trace/ring.hpp), `pending` more held after them, `dropped` the ring's total.
struct TraceChunk {
    uint32_t cpu = 0;
    uint64_t first = 0;
    uint64_t pending = 0;
    uint64_t dropped = 0;
    uint16_t count = 0;
    trace::TraceRecord records[kMaxTraceRecords] = {};
};

// The display name of one VCPU in traces (hv/trace/FORMAT.md "name" lines).
struct TraceName {
    uint32_t domain = 0;
    uint32_t vcpu = 0;
    char name[kMaxName + 1] = {};
};

void encode(Writer& w, const HostInfo& v);
void encode(Writer& w, const DomainInfo& v);
void encode(Writer& w, const VcpuInfo& v);
void encode(Writer& w, const PoolInfo& v);
void encode(Writer& w, const RtdsParams& v);
void encode(Writer& w, const RtdsStats& v);
void encode(Writer& w, const AdmissionReport& v);
void encode(Writer& w, const ErrorReply& v);
void encode(Writer& w, const PageHeader& v);
void encode(Writer& w, const ConsoleChunk& v);
void encode(Writer& w, const TraceStatus& v);
// Header, then as many of the chunk's records as fit the writer (count patched to match);
// returns how many went in.
uint16_t encode_trace_chunk(Writer& w, const TraceChunk& v);
void encode(Writer& w, const TraceName& v);

// Each returns false (and leaves r failed) on truncation or an invalid field.
bool decode(Reader& r, HostInfo& v);
bool decode(Reader& r, DomainInfo& v);
bool decode(Reader& r, VcpuInfo& v);
bool decode(Reader& r, PoolInfo& v);
bool decode(Reader& r, RtdsParams& v);
bool decode(Reader& r, RtdsStats& v);
bool decode(Reader& r, AdmissionReport& v);
bool decode(Reader& r, ErrorReply& v);
bool decode(Reader& r, PageHeader& v);
bool decode(Reader& r, ConsoleChunk& v);
bool decode(Reader& r, TraceStatus& v);
bool decode(Reader& r, TraceChunk& v);
bool decode(Reader& r, TraceName& v);

size_t bounded_strlen(const char* s, size_t max);

} // namespace rthv::ctl
