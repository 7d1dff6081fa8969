// Trace requests (xl trace): start/stop/query, reading one pCPU's ring in chunks, and the VCPU
// names. Each is checked against the hypervisor's trace status before anything is called that
// could change state, so a refused request neither toggles tracing nor frees a record.
#include "hv/ctl/server.hpp"
#include "hv/ctl/text.hpp"

namespace rthv::ctl {

Error Server::trace_control(Reader& req, Writer& reply, ErrorReply& err) {
    const uint8_t op = req.u8();
    if (!req.done()) return Error::BadLength;
    Text t(err.message, sizeof err.message);
    if (op > kTraceStop) {
        t.s("unknown trace operation ").u(op).s(" (0 query, 1 start, 2 stop)");
        return Error::BadField;
    }
    TraceStatus status;
    d_.trace_status(status);
    if (op != kTraceQuery && status.nr_cpus == 0) {
        t.s("this hypervisor has no trace rings");
        return Error::BadState;
    }
    if (op == kTraceStart && status.enabled) {
        t.s("tracing is already on");
        return Error::BadState;
    }
    if (op == kTraceStop && !status.enabled) {
        t.s("tracing is already off");
        return Error::BadState;
    }
    if (op != kTraceQuery) {
        d_.trace_enable(op == kTraceStart);
        d_.trace_status(status);
    }
    encode(reply, status);
    return Error::Ok;
}

Error Server::trace_read(Reader& req, Writer& reply, ErrorReply& err) {
    const uint32_t cpu = req.u32();
    const uint64_t from = req.u64();
    const uint16_t max = req.u16();
    if (!req.done()) return Error::BadLength;
    Text t(err.message, sizeof err.message);
    TraceStatus status;
    d_.trace_status(status);
    if (cpu >= status.nr_cpus) {
        t.s("pCPU ").u(cpu).s(" out of range: the hypervisor has ").u(status.nr_cpus);
        t.s(" trace rings");
        return Error::NoSuchCpu;
    }
    if (max > kMaxTraceRecords) {
        t.s("at most ").u(kMaxTraceRecords).s(" records per read, asked for ").u(max);
        return Error::BadField;
    }
    trace_chunk_ = TraceChunk{};
    const Error e = d_.trace_read(cpu, from, max, trace_chunk_);
    if (e == Error::BadField) {
        t.s("position ").u(from).s(" of pCPU ").u(cpu).s("'s ring not in [");
        t.u(trace_chunk_.first).s(", ").u(trace_chunk_.first + trace_chunk_.pending).s("]");
    }
    if (e != Error::Ok) return e;
    // Never forward more than was asked for; what does not fit the frame stays pending.
    if (trace_chunk_.count > max) {
        trace_chunk_.pending += trace_chunk_.count - max;
        trace_chunk_.count = max;
    }
    trace_chunk_.cpu = cpu;
    encode_trace_chunk(reply, trace_chunk_);
    return Error::Ok;
}

Error Server::trace_names(Reader& req, Writer& reply, ErrorReply& err) {
    const uint32_t first = req.u32();
    if (!req.done()) return Error::BadLength;
    const uint32_t total = d_.trace_name_count();
    if (first > total) {
        Text(err.message, sizeof err.message).s("first index ").u(first).s(" beyond ").u(total);
        return Error::BadField;
    }
    encode(reply, PageHeader{total, first, 0});
    const size_t count_at = reply.size() - 1;
    uint32_t count = 0;
    TraceName name;
    for (uint32_t i = first; i < total && count < 255; ++i, ++count) {
        if (!d_.trace_name_at(i, name)) break;
        const size_t mark = reply.mark();
        encode(reply, name);
        if (!reply.ok()) {
            reply.rollback(mark);
            break;
        }
    }
    *reply.at(count_at) = static_cast<uint8_t>(count);
    return Error::Ok;
}

} // namespace rthv::ctl
