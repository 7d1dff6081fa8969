// Read-only requests: host info, paged lists, per-VCPU tables, console chunks. Paged replies
// hold as many whole entries as fit in one frame; the client asks again from first + count.
#include "hv/ctl/server.hpp"
#include "hv/ctl/text.hpp"

namespace rthv::ctl {
namespace {

inline constexpr uint32_t kMaxPageEntries = 255; // PageHeader.count is a u8

// Writes the page header and remembers where its count lives, so it can be patched.
size_t begin_page(Writer& reply, uint32_t total, uint32_t first) {
    encode(reply, PageHeader{total, first, 0});
    return reply.size() - 1;
}

} // namespace

Error Server::info(Reader& req, Writer& reply, ErrorReply&) {
    if (!req.done()) return Error::BadLength;
    HostInfo host;
    d_.host_info(host);
    encode(reply, host);
    return Error::Ok;
}

Error Server::list_domains(Reader& req, Writer& reply, ErrorReply& err) {
    const uint32_t first = req.u32();
    if (!req.done()) return Error::BadLength;
    const uint32_t total = d_.domain_count();
    if (first > total) {
        Text(err.message, sizeof err.message).s("first index ").u(first).s(" beyond ").u(total);
        return Error::BadField;
    }
    const size_t count_at = begin_page(reply, total, first);
    uint32_t count = 0;
    DomainInfo dom;
    for (uint32_t i = first; i < total && count < kMaxPageEntries; ++i, ++count) {
        if (!d_.domain_at(i, dom)) break; // table shrank under us: a shorter page is still true
        const size_t mark = reply.mark();
        encode(reply, dom);
        if (!reply.ok()) {
            reply.rollback(mark);
            break;
        }
    }
    *reply.at(count_at) = static_cast<uint8_t>(count);
    return Error::Ok;
}

Error Server::list_pools(Reader& req, Writer& reply, ErrorReply& err) {
    const uint32_t first = req.u32();
    if (!req.done()) return Error::BadLength;
    const uint32_t total = d_.pool_count();
    if (first > total) {
        Text(err.message, sizeof err.message).s("first index ").u(first).s(" beyond ").u(total);
        return Error::BadField;
    }
    const size_t count_at = begin_page(reply, total, first);
    uint32_t count = 0;
    PoolInfo pool;
    for (uint32_t i = first; i < total && count < kMaxPageEntries; ++i, ++count) {
        if (!d_.pool_at(i, pool)) break;
        const size_t mark = reply.mark();
        encode(reply, pool);
        if (!reply.ok()) {
            reply.rollback(mark);
            break;
        }
    }
    *reply.at(count_at) = static_cast<uint8_t>(count);
    return Error::Ok;
}

// ListVcpus, RtdsGet and RtdsStats share one request layout: domid, first VCPU.
Error Server::per_vcpu(uint8_t type, Reader& req, Writer& reply, ErrorReply& err) {
    DomainInfo dom;
    const Error e = lookup(req, dom, err);
    if (e != Error::Ok) return e;
    const uint32_t first = req.u32();
    if (!req.done()) return Error::BadLength;
    if (first > dom.nr_vcpus) {
        Text(err.message, sizeof err.message)
            .s("VCPU ")
            .u(first)
            .s(" out of range: domain ")
            .u(dom.id)
            .s(" has ")
            .u(dom.nr_vcpus)
            .s(" VCPUs");
        return Error::NoSuchVcpu;
    }
    reply.u32(dom.id);
    const size_t count_at = begin_page(reply, dom.nr_vcpus, first);
    uint32_t count = 0;
    for (uint32_t v = first; v < dom.nr_vcpus && count < kMaxPageEntries; ++v, ++count) {
        const size_t mark = reply.mark();
        bool found = false;
        if (type == static_cast<uint8_t>(MsgType::ListVcpus)) {
            VcpuInfo info;
            found = d_.vcpu_info(dom.id, v, info);
            info.vcpu = v;
            encode(reply, info);
        } else if (type == static_cast<uint8_t>(MsgType::RtdsGet)) {
            RtdsParams params;
            found = d_.rtds_params(dom.id, v, params);
            params.vcpu = v;
            encode(reply, params);
        } else {
            RtdsStats stats;
            found = d_.rtds_stats(dom.id, v, stats);
            stats.vcpu = v;
            encode(reply, stats);
        }
        if (!found || !reply.ok()) {
            reply.rollback(mark);
            break;
        }
    }
    *reply.at(count_at) = static_cast<uint8_t>(count);
    return Error::Ok;
}

Error Server::dmesg(Reader& req, Writer& reply, ErrorReply&) {
    const uint64_t from = req.u64();
    if (!req.done()) return Error::BadLength;
    console_ = ConsoleChunk{};
    d_.console_read(from, console_);
    // Never forward what the dispatcher could not have meant: clamp to the protocol bounds.
    if (console_.length > kMaxConsoleChunk) console_.length = kMaxConsoleChunk;
    if (console_.end < console_.start + console_.length)
        console_.end = console_.start + console_.length;
    encode(reply, console_);
    return Error::Ok;
}

// Console: domid u32, input_len u16 (<= kMaxConsoleInput), input bytes, from u64.
Error Server::guest_console(Reader& req, Writer& reply, ErrorReply& err) {
    DomainInfo dom;
    const Error found = lookup(req, dom, err);
    if (found != Error::Ok) return found;
    const uint16_t n = req.u16();
    if (n > kMaxConsoleInput) return Error::BadField;
    const uint8_t* input = req.take(n);
    const uint64_t from = req.u64();
    if (!req.done()) return Error::BadLength;
    console_ = ConsoleChunk{};
    const Error e = d_.guest_console(dom.id, input, n, from, console_);
    if (e == Error::BadState) {
        Text(err.message, sizeof err.message)
            .s("domain ")
            .u(dom.id)
            .s(" has no console device (a toy guest's lines are in xl dmesg)");
        return e;
    }
    if (e != Error::Ok) return e;
    if (console_.length > kMaxConsoleChunk) console_.length = kMaxConsoleChunk;
    if (console_.end < console_.start + console_.length)
        console_.end = console_.start + console_.length;
    encode(reply, console_);
    return Error::Ok;
}

} // namespace rthv::ctl
